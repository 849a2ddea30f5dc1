import { describe, expect, it } from "vitest";
import { latencyHistogram } from "@/server/telemetry/histogram";
import { analyseStep, eventRateJump, type AnalysisWindow } from "./analysis";

/** One device-hour window: `requests` requests at `ms` each, `errors` of them failed. */
function w(p: {
  requests?: number;
  errors?: number;
  ms?: number;
  hours?: number;
  slice?: Record<string, string>;
  outcomes?: AnalysisWindow["outcomes"];
}): AnalysisWindow {
  const requests = p.requests ?? 1000;
  const errors = p.errors ?? 0;
  return {
    requests,
    errors,
    latency: latencyHistogram(Array.from({ length: requests - errors }, () => p.ms ?? 5)),
    windowSeconds: (p.hours ?? 1) * 3600,
    slice: p.slice ?? {},
    outcomes: p.outcomes ?? null,
  };
}
const byKey = (a: ReturnType<typeof analyseStep>, key: string, slice = "all") => a.checks.find((c) => c.key === key && c.slice === slice);

describe("event rate jump (Wilson share test)", () => {
  it("300 vs 100 events per 1,000 h is a sure jump past 1.5x", () => {
    // 30 events in 100 h against 90 in 900 h: share 30/120 = 0.25, Wilson 95% lo = 0.1811;
    // under a 1.5x rate the share would be 150 / (150 + 900) = 0.142857, below lo: a real jump.
    const j = eventRateJump({ events: 30, hours: 100 }, { events: 90, hours: 900 })!;
    expect(j.candidateRate).toBe(300);
    expect(j.controlRate).toBe(100);
    expect(j.p0).toBeCloseTo(0.142857, 6);
    expect(j.share.lo).toBeCloseTo(0.1811, 3);
    expect(j.jumped).toBe(true);
  });
  it("200 vs 100 on 20 events is not yet sure to be above 1.5x", () => {
    // share 20/110 = 0.1818, Wilson lo = 0.1209 < 0.142857: the data do not rule out 1.5x.
    const j = eventRateJump({ events: 20, hours: 100 }, { events: 90, hours: 900 })!;
    expect(j.share.lo).toBeCloseTo(0.1209, 3);
    expect(j.jumped).toBe(false);
  });
  it("no events or no hours: nothing to say", () => {
    expect(eventRateJump({ events: 0, hours: 10 }, { events: 0, hours: 10 })).toBeNull();
    expect(eventRateJump({ events: 3, hours: 0 }, { events: 1, hours: 10 })).toBeNull();
  });
});

describe("analyseStep", () => {
  it("passes identical cohorts", () => {
    const a = analyseStep({ candidate: [w({ errors: 1 })], control: [w({ errors: 1 })], drift: [] });
    expect(a.verdict).toBe("pass");
    expect(byKey(a, "error-rate")?.state).toBe("pass");
    expect(byKey(a, "latency-p95")?.state).toBe("pass");
    expect(byKey(a, "drift")?.state).toBe("none");
  });

  it("is inconclusive below the minimum traffic, and says how much is missing", () => {
    const a = analyseStep({ candidate: [w({ requests: 50 })], control: [w({})], drift: [] });
    expect(a.verdict).toBe("inconclusive");
    expect(byKey(a, "traffic")?.reason).toContain("50 canary");
  });

  it("fails a sure error-rate rise: 5% vs 1% on 1,000 requests each", () => {
    // Newcombe: delta 0.04, lo = 0.04 - sqrt((0.05 - 0.0381)^2 + (0.0184 - 0.01)^2) ≈ 0.0254 > 0.001.
    const a = analyseStep({ candidate: [w({ errors: 50 })], control: [w({ errors: 10 })], drift: [] });
    const c = byKey(a, "error-rate")!;
    expect(c.state).toBe("fail");
    expect(c.interval!.lo).toBeCloseTo(0.0254, 2);
    expect(a.verdict).toBe("fail");
  });

  it("fails p95 latency 4x the control's and passes one within the same bucket", () => {
    // 20 ms sits in the bucket (19.95, 25.1], 5 ms in (3.98, 5.01]: p95 ≈ 24.8 vs 4.95 ms.
    const fail = byKey(analyseStep({ candidate: [w({ ms: 20 })], control: [w({ ms: 5 })], drift: [] }), "latency-p95")!;
    expect(fail.state).toBe("fail");
    expect(fail.candidate! / fail.control!).toBeGreaterThan(4);
    // 4.5 and 5 ms share the bucket (3.98, 5.01]: the merged histograms cannot tell them apart.
    expect(byKey(analyseStep({ candidate: [w({ ms: 5 })], control: [w({ ms: 4.5 })], drift: [] }), "latency-p95")!.state).toBe("pass");
  });

  it("fails on a drift verdict of the candidate", () => {
    const a = analyseStep({ candidate: [w({})], control: [w({})], drift: [{ monitor: "brightness", drifted: true, statistic: 0.31, threshold: 0.2 }] });
    expect(byKey(a, "drift")!.state).toBe("fail");
    expect(byKey(a, "drift")!.reason).toContain("brightness (0.310 > 0.200)");
  });

  it("a night-time recall regression blocks even when the average is fine", () => {
    // Day: 1800/2000 vs 1780/2000. Night: 40/60 (Wilson 0.540..0.773) vs 57/60 (0.863..0.983):
    // delta -0.283, hi = -0.283 + sqrt(0.106^2 + 0.087^2) ≈ -0.146 < 0, a real drop.
    // All: 1840/2060 = 0.893 vs 1837/2060 = 0.892, unchanged.
    const day = { timeOfDay: "day" };
    const night = { timeOfDay: "night" };
    const a = analyseStep({
      candidate: [w({ slice: day, outcomes: { fcw: { tp: 1800, fp: 10, fn: 200 } } }), w({ slice: night, outcomes: { fcw: { tp: 40, fp: 0, fn: 20 } } })],
      control: [w({ slice: day, outcomes: { fcw: { tp: 1780, fp: 10, fn: 220 } } }), w({ slice: night, outcomes: { fcw: { tp: 57, fp: 0, fn: 3 } } })],
      drift: [],
    });
    expect(a.checks.find((c) => c.key === "recall" && c.slice === "all")!.state).toBe("pass");
    expect(a.checks.find((c) => c.key === "recall" && c.slice === "timeOfDay=day")!.state).toBe("pass");
    const n = a.checks.find((c) => c.key === "recall" && c.slice === "timeOfDay=night")!;
    expect(n.state).toBe("fail");
    expect(n.interval!.hi).toBeCloseTo(-0.146, 2);
    expect(a.verdict).toBe("fail");
  });

  it("a small recall dip whose interval crosses zero is not a regression", () => {
    const a = analyseStep({
      candidate: [w({ slice: { timeOfDay: "night" }, outcomes: { fcw: { tp: 52, fp: 0, fn: 8 } } })],
      control: [w({ slice: { timeOfDay: "night" }, outcomes: { fcw: { tp: 55, fp: 0, fn: 5 } } })],
      drift: [],
    });
    expect(a.checks.filter((c) => c.key === "recall").every((c) => c.state === "pass")).toBe(true);
    expect(a.verdict).toBe("pass");
  });

  it("fails a jump in events per 1,000 driving hours in one slice", () => {
    // Candidate 30 events in 100 h (10 windows of 10 h), control 90 in 900 h: the case computed above.
    const cand = Array.from({ length: 10 }, () => w({ hours: 10, slice: { region: "eu" }, outcomes: { fcw: { tp: 0, fp: 3, fn: 0 } } }));
    const ctrl = Array.from({ length: 9 }, () => w({ hours: 100, slice: { region: "eu" }, outcomes: { fcw: { tp: 0, fp: 10, fn: 0 } } }));
    const a = analyseStep({ candidate: cand, control: ctrl, drift: [] });
    const c = byKey(a, "event-rate", "region=eu")!;
    expect(c.state).toBe("fail");
    expect(c.candidate).toBeCloseTo(300, 6);
    expect(c.control).toBeCloseTo(100, 6);
  });
});
