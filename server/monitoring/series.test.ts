import { describe, expect, it } from "vitest";
import { nextAlertState, displayState } from "./alert-state";
import { chooseStep, downsampleMax, overlayRows, resolveRange, withGaps } from "./series";

describe("chart shaping", () => {
  it("picks a step that keeps each preset under 300 points", () => {
    expect(chooseStep(3600_000)).toBe(5 * 60_000);
    expect(chooseStep(24 * 3600_000)).toBe(5 * 60_000);
    expect(chooseStep(7 * 86_400_000)).toBe(3600_000);
    expect(chooseStep(30 * 86_400_000)).toBe(3 * 3600_000);
    for (const ms of [3600_000, 6 * 3600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000]) expect(ms / chooseStep(ms)).toBeLessThanOrEqual(300);
  });

  it("resolves a preset against an end time, aligned to the step", () => {
    const r = resolveRange("24h", new Date("2026-03-01T12:03:00Z"));
    expect(r.to.toISOString()).toBe("2026-03-01T12:05:00.000Z");
    expect(r.from.toISOString()).toBe("2026-02-28T12:05:00.000Z");
  });

  it("downsamples to at most N points keeping spikes", () => {
    const pts = Array.from({ length: 10_000 }, (_, i) => ({ t: i, value: i === 5000 ? 99 : Math.sin(i) }));
    const out = downsampleMax(pts, 300);
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.some((p) => p.value === 99)).toBe(true);
    expect(downsampleMax(pts.slice(0, 10), 300)).toHaveLength(10);
  });

  it("overlays histograms as shares", () => {
    expect(overlayRows(["a", "b"], [10, 30], [1, 1])).toEqual([
      { label: "a", reference: 0.25, current: 0.5 },
      { label: "b", reference: 0.75, current: 0.5 },
    ]);
  });
});

describe("alert lifecycle", () => {
  const t = (min: number) => new Date(Date.UTC(2026, 2, 1, 12, min));
  it("opens pending, fires after the hold time, resolves when the condition clears", () => {
    expect(nextAlertState(null, false, t(0), 60 * 60_000)).toEqual({ action: "none" });
    expect(nextAlertState(null, true, t(0), 60 * 60_000)).toEqual({ action: "open", state: "pending" });
    expect(nextAlertState(null, true, t(0), 0)).toEqual({ action: "open", state: "firing" });
    const pending = { state: "pending" as const, startedAt: t(0) };
    expect(nextAlertState(pending, true, t(30), 60 * 60_000)).toEqual({ action: "update", state: "pending", becameFiring: false });
    expect(nextAlertState(pending, true, t(60), 60 * 60_000)).toEqual({ action: "update", state: "firing", becameFiring: true });
    expect(nextAlertState(pending, false, t(30), 60 * 60_000)).toEqual({ action: "resolve" });
    expect(nextAlertState({ state: "firing", startedAt: t(0) }, true, t(90), 0)).toEqual({ action: "update", state: "firing", becameFiring: false });
    expect(nextAlertState({ state: "firing", startedAt: t(0) }, false, t(90), 0)).toEqual({ action: "resolve" });
  });

  it("shows an open alert as silenced until the silence expires", () => {
    expect(displayState({ state: "firing", silencedUntil: t(30) }, t(10))).toBe("silenced");
    expect(displayState({ state: "firing", silencedUntil: t(30) }, t(31))).toBe("firing");
    expect(displayState({ state: "resolved", silencedUntil: t(30) }, t(10))).toBe("resolved");
  });
});

describe("withGaps", () => {
  const H = 3600_000;
  it("breaks the line after a gap longer than twice the spacing, and only there", () => {
    const pts = [0, 1, 2, 16, 17].map((h) => ({ t: h * H, value: 1 as number | null }));
    const out = withGaps(pts, H, (t) => ({ t, value: null }));
    expect(out.map((p) => [p.t / H, p.value])).toEqual([
      [0, 1],
      [1, 1],
      [2, 1],
      [3, null],
      [16, 1],
      [17, 1],
    ]);
    expect(withGaps(pts.slice(0, 3), H, (t) => ({ t, value: null }))).toHaveLength(3);
  });
});
