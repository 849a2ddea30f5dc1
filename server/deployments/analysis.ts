// Canary analysis, pure: the candidate's telemetry (canary cohort) against the stable version's (control
// cohort) over one bake window. A check fails only when the data say the difference is real (Wilson
// intervals from server/safety/metrics.ts), so a thin canary cannot fail a release on noise alone.
import { addCounts, LATENCY_BUCKETS, latencyQuantile } from "@/server/telemetry/histogram";
import { differenceInterval, proportion, verdict as rateVerdict, wilson, type Proportion } from "@/server/safety/metrics";

export type AnalysisWindow = {
  requests: number;
  errors: number;
  /** Latency bucket counts (server/telemetry/histogram.ts). */
  latency: readonly number[];
  /** One device (or gateway) for this long: the driving time the window covers. */
  windowSeconds: number;
  slice: Record<string, string>;
  outcomes: Record<string, { tp: number; fp: number; fn: number }> | null;
};
export type DriftFact = { monitor: string; drifted: boolean; statistic: number; threshold: number };

export const ANALYSIS_LIMITS = {
  /** Fewer requests than this on either side: not enough to judge, the step waits. */
  minRequests: 200,
  /** The error rate fails when (candidate - control) is above this much for sure (0.1 percentage points). */
  errorMargin: 0.001,
  /** p95 may grow this much (ratio) and by at least minLatencyMs before it fails. */
  latencyRatio: 1.2,
  minLatencyMs: 1,
  /** Events per 1,000 driving hours "jump" when they are at least this many times control's, for sure. */
  eventRateJump: 1.5,
} as const;

export type CheckState = "pass" | "fail" | "none";
export type Check = {
  key: "traffic" | "error-rate" | "latency-p95" | "drift" | "event-rate" | "recall";
  label: string;
  /** "all", or one slice value such as timeOfDay=night. */
  slice: string;
  eventType?: string;
  state: CheckState;
  candidate: number | null;
  control: number | null;
  /** The interval the decision rests on, when there is one. */
  interval?: { lo: number; hi: number } | null;
  reason: string;
};
export type Verdict = "pass" | "fail" | "inconclusive";
export type Analysis = {
  verdict: Verdict;
  checks: Check[];
  canary: { requests: number; hours: number };
  control: { requests: number; hours: number };
};

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const fix = (x: number, d = 1) => x.toFixed(d);

function sliceGroups(windows: readonly AnalysisWindow[]): string[] {
  const keys = new Set<string>();
  for (const w of windows) for (const [k, v] of Object.entries(w.slice)) keys.add(`${k}=${v}`);
  return ["all", ...[...keys].sort()];
}
function inSlice(w: AnalysisWindow, slice: string): boolean {
  if (slice === "all") return true;
  const i = slice.indexOf("=");
  return w.slice[slice.slice(0, i)] === slice.slice(i + 1);
}
const hoursOf = (ws: readonly AnalysisWindow[]) => ws.reduce((a, w) => a + w.windowSeconds, 0) / 3600;

/**
 * Did the event rate per 1,000 driving hours jump? Given n events in total, under "candidate rate =
 * jump x control rate" the candidate's share of them would be p0 = jump·hc / (jump·hc + hb); the jump
 * is real when the Wilson interval of the observed share lies wholly above p0.
 */
export function eventRateJump(
  candidate: { events: number; hours: number },
  control: { events: number; hours: number },
  jump: number = ANALYSIS_LIMITS.eventRateJump,
) {
  const n = candidate.events + control.events;
  if (n === 0 || candidate.hours <= 0 || control.hours <= 0) return null;
  const p0 = (jump * candidate.hours) / (jump * candidate.hours + control.hours);
  const share = wilson(candidate.events, n);
  return { jumped: share.lo > p0, p0, share, candidateRate: (candidate.events / candidate.hours) * 1000, controlRate: (control.events / control.hours) * 1000 };
}

export function analyseStep(
  input: { candidate: readonly AnalysisWindow[]; control: readonly AnalysisWindow[]; drift: readonly DriftFact[] },
  limits = ANALYSIS_LIMITS,
): Analysis {
  const { candidate: cw, control: bw } = input;
  const checks: Check[] = [];
  const sum = (ws: readonly AnalysisWindow[], f: (w: AnalysisWindow) => number) => ws.reduce((a, w) => a + f(w), 0);
  const cReq = sum(cw, (w) => w.requests);
  const bReq = sum(bw, (w) => w.requests);
  const enough = cReq >= limits.minRequests && bReq >= limits.minRequests;
  checks.push({
    key: "traffic",
    label: "Telemetry",
    slice: "all",
    state: enough ? "pass" : "none",
    candidate: cReq,
    control: bReq,
    reason: enough
      ? `${cReq.toLocaleString("en-US")} canary and ${bReq.toLocaleString("en-US")} control requests`
      : `Not enough telemetry yet: ${cReq} canary and ${bReq} control requests, ${limits.minRequests} each needed`,
  });

  const cErr = proportion(
    sum(cw, (w) => w.errors),
    cReq,
  );
  const bErr = proportion(
    sum(bw, (w) => w.errors),
    bReq,
  );
  if (cErr && bErr) {
    const d = differenceInterval(cErr, bErr);
    const fail = d.lo > limits.errorMargin;
    checks.push({
      key: "error-rate",
      label: "Error rate",
      slice: "all",
      state: fail ? "fail" : "pass",
      candidate: cErr.value,
      control: bErr.value,
      interval: { lo: d.lo, hi: d.hi },
      reason: `${pct(cErr.value)} vs ${pct(bErr.value)} on control; the difference is ${pct(d.lo)} to ${pct(d.hi)}${fail ? `, surely above ${pct(limits.errorMargin)}` : ""}`,
    });
  } else
    checks.push({
      key: "error-rate",
      label: "Error rate",
      slice: "all",
      state: "none",
      candidate: cErr?.value ?? null,
      control: bErr?.value ?? null,
      reason: "No requests on one side",
    });

  const merged = (ws: readonly AnalysisWindow[]) => ws.reduce((acc, w) => addCounts(acc, w.latency), new Array<number>(LATENCY_BUCKETS).fill(0));
  const cP95 = latencyQuantile(merged(cw), 0.95);
  const bP95 = latencyQuantile(merged(bw), 0.95);
  if (cP95 !== null && bP95 !== null) {
    const fail = cP95 > bP95 * limits.latencyRatio && cP95 - bP95 >= limits.minLatencyMs;
    checks.push({
      key: "latency-p95",
      label: "Latency p95",
      slice: "all",
      state: fail ? "fail" : "pass",
      candidate: cP95,
      control: bP95,
      reason: `${fix(cP95)} ms vs ${fix(bP95)} ms on control${fail ? `, more than ${limits.latencyRatio}x` : ""}`,
    });
  } else
    checks.push({
      key: "latency-p95",
      label: "Latency p95",
      slice: "all",
      state: "none",
      candidate: cP95,
      control: bP95,
      reason: "No latency samples on one side",
    });

  const drifted = input.drift.filter((d) => d.drifted);
  checks.push({
    key: "drift",
    label: "Drift",
    slice: "all",
    state: !input.drift.length ? "none" : drifted.length ? "fail" : "pass",
    candidate: drifted.length,
    control: null,
    reason: !input.drift.length
      ? "No drift evaluation of the candidate in the window"
      : drifted.length
        ? `Drift on ${drifted.map((d) => `${d.monitor} (${fix(d.statistic, 3)} > ${fix(d.threshold, 3)})`).join(", ")}`
        : `${input.drift.length} drift evaluation${input.drift.length > 1 ? "s" : ""}, none drifted`,
  });

  // Safety, per slice: only windows that carry outcomes count, and their driving hours.
  const cOut = cw.filter((w) => w.outcomes);
  const bOut = bw.filter((w) => w.outcomes);
  const eventTypes = [...new Set([...cOut, ...bOut].flatMap((w) => Object.keys(w.outcomes!)))].sort();
  for (const slice of sliceGroups([...cOut, ...bOut])) {
    const cs = cOut.filter((w) => inSlice(w, slice));
    const bs = bOut.filter((w) => inSlice(w, slice));
    const events = (ws: AnalysisWindow[]) => sum(ws, (w) => Object.values(w.outcomes!).reduce((a, o) => a + o.tp + o.fp, 0));
    const j = eventRateJump({ events: events(cs), hours: hoursOf(cs) }, { events: events(bs), hours: hoursOf(bs) }, limits.eventRateJump);
    if (j) {
      checks.push({
        key: "event-rate",
        label: "Events per 1,000 driving hours",
        slice,
        state: j.jumped ? "fail" : "pass",
        candidate: j.candidateRate,
        control: j.controlRate,
        interval: j.share,
        reason: `${fix(j.candidateRate)} vs ${fix(j.controlRate)} on control${j.jumped ? `: surely more than ${limits.eventRateJump}x` : ""}`,
      });
    }
    for (const et of eventTypes) {
      const recallOf = (ws: AnalysisWindow[]): Proportion | null => {
        const tp = sum(ws, (w) => w.outcomes![et]?.tp ?? 0);
        return proportion(tp, tp + sum(ws, (w) => w.outcomes![et]?.fn ?? 0));
      };
      const c = recallOf(cs);
      const b = recallOf(bs);
      const v = rateVerdict(c, b);
      if (v.verdict === "unknown") continue;
      checks.push({
        key: "recall",
        label: `Recall: ${et}`,
        slice,
        eventType: et,
        state: v.verdict === "regressed" ? "fail" : "pass",
        candidate: c!.value,
        control: b!.value,
        interval: v.delta ? { lo: v.delta.lo, hi: v.delta.hi } : null,
        reason: `${pct(c!.value)} (${c!.successes}/${c!.n}) vs ${pct(b!.value)} (${b!.successes}/${b!.n}) on control; difference ${pct(v.delta!.lo)} to ${pct(v.delta!.hi)}${v.verdict === "regressed" ? ": a real drop" : ""}`,
      });
    }
  }

  const verdict: Verdict = checks.some((c) => c.state === "fail") ? "fail" : enough ? "pass" : "inconclusive";
  return { verdict, checks, canary: { requests: cReq, hours: hoursOf(cw) }, control: { requests: bReq, hours: hoursOf(bw) } };
}
