// The exact series a drift alert is about (model, version, cohort, slice, monitor, window), its shareable link,
// and every alert's evidence in words; pure, so alerts, incidents, the home card and the monitoring pages say the same.

export type SeriesSource = "feature" | "prediction";

/** One drift series: what a monitor watches, optionally at one evaluation window. */
export type DriftSeries = {
  model: string;
  version: number;
  cohort: string | null;
  slice: Record<string, string>;
  source: SeriesSource;
  feature: string;
  windowMinutes: number;
  /** The evaluation window that fired (alerts), or none (a monitor in general). */
  windowStart?: Date | null;
  windowEnd?: Date | null;
};

/** How slice keys the devices send read in a sentence; unknown keys read as "key value". */
const SLICE_PHRASES: Record<string, (v: string) => string> = {
  timeOfDay: (v) => (v === "night" ? "at night" : v === "day" ? "by day" : `at ${v}`),
  region: (v) => `in region ${v}`,
  deviceClass: (v) => `on ${v} cameras`,
  weather: (v) => `in ${v} weather`,
  fleet: (v) => `in fleet ${v}`,
};

export const SLICE_KEY_LABELS: Record<string, string> = {
  cohort: "cohort",
  deviceClass: "camera",
  region: "region",
  timeOfDay: "time of day",
  weather: "weather",
  fleet: "fleet",
};

export function sliceWords(slice: Record<string, string>): string {
  return Object.keys(slice)
    .sort()
    .map((k) => (SLICE_PHRASES[k] ?? ((v: string) => `${SLICE_KEY_LABELS[k] ?? k} ${v}`))(slice[k]))
    .join(", ");
}

/** "canary devices at night" */
export function scopeWords(s: Pick<DriftSeries, "cohort" | "slice">): string {
  const where = sliceWords(s.slice);
  return `${s.cohort ? `${s.cohort} devices` : "all devices"}${where ? ` ${where}` : ""}`;
}

/** "forward-collision-warning v3, canary devices at night" */
export function seriesName(s: Pick<DriftSeries, "model" | "version" | "cohort" | "slice">): string {
  return `${s.model} v${s.version}, ${scopeWords(s)}`;
}

export const featureWords = (s: Pick<DriftSeries, "source" | "feature">) => (s.source === "prediction" ? `predicted ${s.feature}` : s.feature);
const capital = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** The title a drift monitor's alert carries: "Brightness drift on forward-collision-warning v3, canary devices at night". */
export function driftAlertTitle(s: Pick<DriftSeries, "model" | "version" | "cohort" | "slice" | "source" | "feature">): string {
  return `${capital(featureWords(s))} drift on ${seriesName(s)}`;
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);
const day = (d: Date) => d.toISOString().slice(0, 10);

/** "02:00 to 03:00 UTC on 2026-12-06" */
export function windowWords(start: Date, end: Date): string {
  return `${hhmm(start)} to ${hhmm(end)} UTC on ${day(start)}`;
}

/** The heading of a series on the monitoring page: what, whose, and how it is windowed. */
export function seriesHeading(s: DriftSeries): { title: string; window: string } {
  const window = `${s.windowMinutes}-minute windows`;
  return {
    title: `${capital(featureWords(s))} of ${seriesName(s)}`,
    window: s.windowStart && s.windowEnd ? `${window}; newest window ${windowWords(s.windowStart, s.windowEnd)}` : window,
  };
}

/** `timeOfDay:night,region:eu`, keys sorted, so equal slices give equal links. */
export function formatSliceParam(slice: Record<string, string>): string {
  return Object.keys(slice)
    .sort()
    .map((k) => `${k}:${slice[k]}`)
    .join(",");
}

/** The inverse of formatSliceParam; null when malformed (the page then ignores it). */
export function parseSliceParam(raw: string | undefined | null): Record<string, string> | null {
  if (!raw) return {};
  const out: Record<string, string> = {};
  for (const part of raw.split(",")) {
    const m = /^([A-Za-z0-9_.-]{1,64}):([A-Za-z0-9_.:-]{1,64})$/.exec(part);
    if (!m) return null;
    out[m[1]] = m[2];
  }
  return out;
}

/** Parameters of /monitoring/<model> that select the series (and pin the range to the window that fired). */
export function seriesQuery(s: DriftSeries): Record<string, string> {
  const q: Record<string, string> = { version: String(s.version), feature: s.feature };
  if (s.source === "prediction") q.source = "prediction";
  if (s.cohort) q.cohort = s.cohort;
  if (Object.keys(s.slice).length) q.slice = formatSliceParam(s.slice);
  if (s.windowEnd) {
    q.range = "24h";
    q.to = s.windowEnd.toISOString();
  }
  return q;
}

export function seriesHref(s: DriftSeries): string {
  return `/monitoring/${s.model}?${new URLSearchParams(seriesQuery(s))}`;
}

const asDate = (v: unknown) => (typeof v === "string" || v instanceof Date ? new Date(v) : null);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The series a drift alert's evidence names (recorded by the evaluator); null for alerts without one. */
export function seriesFromEvidence(a: { kind: string; model: string | null; evidence: Record<string, unknown> }): DriftSeries | null {
  const e = a.evidence;
  if (a.kind !== "drift" || !a.model || typeof e.version !== "number" || typeof e.feature !== "string") return null;
  const slice: Record<string, string> = {};
  if (isRecord(e.slice)) for (const [k, v] of Object.entries(e.slice)) slice[k] = String(v);
  const start = asDate(e.windowStart);
  const end = asDate(e.windowEnd);
  return {
    model: a.model,
    version: e.version,
    cohort: typeof e.cohort === "string" ? e.cohort : null,
    slice,
    source: e.source === "prediction" ? "prediction" : "feature",
    feature: e.feature,
    windowMinutes: typeof e.windowMinutes === "number" ? e.windowMinutes : start && end ? Math.round((end.getTime() - start.getTime()) / 60_000) : 60,
    windowStart: start && !Number.isNaN(start.getTime()) ? start : null,
    windowEnd: end && !Number.isNaN(end.getTime()) ? end : null,
  };
}

// ---- Numbers in words ----

export const METHOD_WORDS: Record<string, string> = {
  ks: "Kolmogorov-Smirnov p-value",
  chisquare: "chi-square p-value",
  wasserstein: "Wasserstein distance (normed)",
  jensenshannon: "Jensen-Shannon distance",
  psi: "PSI",
};
const P_VALUE_METHODS = new Set(["ks", "chisquare"]);

export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "no value";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 10_000 || (a >= 1000 && Number.isInteger(v))
    ? Math.round(v).toLocaleString("en-US")
    : a < 0.001
      ? v.toExponential(1)
      : Number(v.toPrecision(3)).toString();
}
const count = (v: unknown) => Math.round(Number(v)).toLocaleString("en-US");

/** "PSI 0.31" or "Kolmogorov-Smirnov p-value 0.0012": the number the verdict uses. */
export function driftStatisticWords(method: string, statistic: number, pValue: number | null): string {
  return `${METHOD_WORDS[method] ?? method} ${formatNumber(pValue ?? statistic)}`;
}

/** A drift verdict in a short phrase for tables: "drifting (brightness PSI 0.31 at night)". */
export function driftVerdictWords(x: {
  drifted: boolean;
  method: string;
  statistic: number;
  pValue: number | null;
  feature: string;
  slice: Record<string, string>;
}): string {
  const where = sliceWords(x.slice);
  return `${x.drifted ? "drifting" : "stable"} (${x.feature} ${driftStatisticWords(x.method, x.statistic, x.pValue)}${where ? ` ${where}` : ""})`;
}

/** Evidence keys other senders use, in words. */
const KEY_WORDS: Record<string, string> = {
  psi: "PSI",
  pValue: "p-value",
  currentCount: "values in the current window",
  referenceCount: "values in the reference",
  windowMinutes: "window (minutes)",
};
const humanKey = (k: string) =>
  KEY_WORDS[k] ??
  k
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .toLowerCase();

function valueWords(v: unknown): string {
  if (typeof v === "number") return formatNumber(v);
  if (typeof v === "string") return /^\d{4}-\d{2}-\d{2}T/.test(v) ? `${v.slice(0, 16).replace("T", " ")} UTC` : v;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return `${v.length} item${v.length === 1 ? "" : "s"}`;
  if (isRecord(v))
    return Object.entries(v)
      .map(([k, x]) => `${humanKey(k)} ${valueWords(x)}`)
      .join(", ");
  return String(v);
}

const THRESHOLD_WORDS: Record<string, { label: string; unit: "" | "%" | "ms" }> = {
  requests: { label: "requests per window", unit: "" },
  error_rate: { label: "error rate", unit: "%" },
  latency_p50: { label: "latency p50", unit: "ms" },
  latency_p95: { label: "latency p95", unit: "ms" },
  latency_p99: { label: "latency p99", unit: "ms" },
};
function metricValue(metric: string, v: unknown): string {
  if (v === null || v === undefined || Number.isNaN(Number(v))) return "no data";
  const n = Number(v);
  const unit = THRESHOLD_WORDS[metric]?.unit ?? "";
  return unit === "%" ? `${Number((n * 100).toPrecision(3))}%` : unit === "ms" ? `${Number(n.toPrecision(4))} ms` : formatNumber(n);
}

/**
 * An alert's evidence as sentences a person reads at 3 a.m.: numbers with their units and what they are
 * measured against, never the field names the evaluator stored.
 */
export function evidenceWords(a: { kind: string; model: string | null; evidence: Record<string, unknown> }): string[] {
  const e = a.evidence;
  if (a.kind === "drift" && typeof e.statistic === "number") {
    const method = String(e.method ?? "");
    const pValue = typeof e.pValue === "number" ? e.pValue : null;
    const lines = [
      `${driftStatisticWords(method, e.statistic, pValue)} against a threshold of ${formatNumber(Number(e.threshold))} (${P_VALUE_METHODS.has(method) ? "drift at or below it" : "drift at or above it"})`,
    ];
    const start = asDate(e.windowStart);
    const end = asDate(e.windowEnd);
    const when = start && end && !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()) ? ` (${windowWords(start, end)})` : "";
    if (e.currentCount != null) lines.push(`${count(e.currentCount)} frames in the current window${when} against ${count(e.referenceCount)} in the reference`);
    const s = seriesFromEvidence(a);
    if (s) lines.push(`Series: ${featureWords(s)} of ${seriesName(s)}, ${s.windowMinutes}-minute windows`);
    return lines;
  }
  if (a.kind === "slo" && e.budgetRemaining !== undefined) {
    const rules = Array.isArray(e.rules) ? (e.rules as { name: string; longBurn: number; shortBurn: number; factor?: number; firing: boolean }[]) : [];
    const firing = rules.filter((r) => r.firing);
    const remaining = Number(e.budgetRemaining);
    return [
      `${Number((remaining * 100).toFixed(Math.abs(remaining) < 0.1 ? 1 : 0))}% of the error budget left${e.target ? ` on ${String(e.target)}` : ""}`,
      firing.length
        ? firing
            .map(
              (r) =>
                `${r.name} rule: spending the budget ${r.longBurn.toFixed(1)}× as fast as allowed over its long window, ${r.shortBurn.toFixed(1)}× over its short one${r.factor ? ` (limit ${r.factor}×)` : ""}`,
            )
            .join("; ")
        : "Burn back under every rule's limit",
    ];
  }
  if (a.kind === "threshold" && e.metric !== undefined) {
    const metric = String(e.metric);
    const label = THRESHOLD_WORDS[metric]?.label ?? humanKey(metric);
    return [
      `${capital(label)} ${metricValue(metric, e.value)}, ${String(e.op) === "below" ? "below" : "above"} the threshold of ${metricValue(metric, e.threshold)}, over ${String(e.windowMinutes)}-minute windows`,
    ];
  }
  if (a.kind === "freshness" && Array.isArray(e.cohorts)) {
    const cohorts = e.cohorts as { cohort: string; ageMinutes: number; stale: boolean }[];
    const stale = cohorts.filter((c) => c.stale);
    return [
      stale.length
        ? `${stale.map((c) => `${c.cohort} silent for ${count(c.ageMinutes)} min`).join(", ")} (at most ${String(e.maxAgeMinutes)} min allowed)`
        : `All cohorts reporting (at most ${String(e.maxAgeMinutes)} min allowed)`,
    ];
  }
  if (a.kind === "cost" && typeof e.summary === "string") return [e.summary];
  // Anything else (Alertmanager annotations, hand-made alerts): label each value in words.
  return Object.entries(e)
    .filter(([k, v]) => k !== "demo" && v !== null && v !== undefined && !(isRecord(v) && "kind" in v))
    .slice(0, 8)
    .map(([k, v]) => `${capital(humanKey(k))}: ${valueWords(v)}`);
}

/** What every page shows of an alert's evidence: sentences, and for drift the link to the exact series that fired. */
export function alertEvidenceView(a: { kind: string; model: string | null; evidence: Record<string, unknown> }) {
  const series = seriesFromEvidence(a);
  return {
    evidenceText: evidenceWords(a),
    series: series ? { name: `${featureWords(series)} of ${seriesName(series)}`, href: seriesHref(series) } : null,
  };
}
