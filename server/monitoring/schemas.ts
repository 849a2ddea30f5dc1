// Monitoring input schemas: monitors, SLOs, alert actions and page filters; shared by tRPC, REST and forms.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";

/** What raises alerts; webhook filters and automated responses choose among the same kinds. "external": sent by Prometheus Alertmanager. */
export const ALERT_KINDS = ["drift", "slo", "freshness", "threshold", "cost", "external"] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const DRIFT_METHOD_CHOICES = ["auto", "ks", "chisquare", "wasserstein", "jensenshannon", "psi"] as const;
export const RANGE_CHOICES = ["1h", "6h", "24h", "7d", "30d"] as const;
export const ALERT_STATES = ["open", "firing", "pending", "silenced", "resolved", "all"] as const;
export const HEALTH_FILTERS = ["all", "drifting", "alerting", "stale", "burning"] as const;

const ZName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/);

export const ZCreateMonitor = z
  .strictObject({
    model: ZSlug,
    version: z.number().int().positive(),
    source: z.enum(["feature", "prediction"]),
    name: ZName,
    method: z.enum(DRIFT_METHOD_CHOICES).default("auto"),
    threshold: z.number().positive().max(1000).nullish(),
    windowMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(60),
    cohort: ZName.nullish(),
    /** Only summaries whose slice holds all of these (e.g. { timeOfDay: "night" }): a monitor per slice that matters. */
    slice: z
      .record(ZName, ZName)
      .refine((r) => Object.keys(r).length <= 4, "At most 4 slice keys")
      .default({}),
    severity: z.enum(["ticket", "warning", "page"]).default("warning"),
    referenceFrom: z.coerce.date(),
    referenceTo: z.coerce.date(),
  })
  .refine((m) => m.referenceTo > m.referenceFrom, { path: ["referenceTo"], message: "The reference window must end after it starts" });
export type TCreateMonitor = z.input<typeof ZCreateMonitor>;

export const ZCreateSlo = z.strictObject({
  model: ZSlug,
  target: z.enum(["device", "cloud-online", "cloud-batch"]),
  kind: z.enum(["availability", "latency", "freshness"]),
  objective: z.number().gt(0.5).lt(1),
  windowDays: z.number().int().min(1).max(90).default(30),
  latencyThresholdMs: z.number().positive().max(100_000).nullish(),
  maxAgeMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60)
    .nullish(),
});
export type TCreateSlo = z.input<typeof ZCreateSlo>;

export const ZAlertId = z.strictObject({ alertId: z.uuid() });
export const ZSilenceAlert = z.strictObject({
  alertId: z.uuid(),
  reason: z.string().trim().min(3, "Say why, so the next person on call knows").max(500),
  /** Minutes from now; at most a week. */
  minutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60),
});
export type TSilenceAlert = z.input<typeof ZSilenceAlert>;

export const ZListAlerts = z.strictObject({
  state: z.enum(ALERT_STATES).default("open"),
  model: ZSlug.optional(),
  limit: z.number().int().min(1).max(200).default(100),
});

export const ZOverviewFilters = z.strictObject({
  q: z.string().max(100).optional(),
  team: z.string().max(64).optional(),
  health: z.enum(HEALTH_FILTERS).default("all"),
});

export const THRESHOLD_METRICS = ["requests", "error_rate", "latency_p50", "latency_p95", "latency_p99"] as const;
export type ThresholdMetric = (typeof THRESHOLD_METRICS)[number];
export const THRESHOLD_METRIC_INFO: Record<ThresholdMetric, { label: string; unit: "" | "%" | "ms" }> = {
  requests: { label: "requests per window", unit: "" },
  error_rate: { label: "error rate", unit: "%" },
  latency_p50: { label: "latency p50", unit: "ms" },
  latency_p95: { label: "latency p95", unit: "ms" },
  latency_p99: { label: "latency p99", unit: "ms" },
};

/** A threshold metric's value as people read it: error rates (fractions) in percent, latencies in ms. */
export function formatThresholdValue(metric: string, v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "no data";
  const unit = THRESHOLD_METRIC_INFO[metric as ThresholdMetric]?.unit ?? "";
  if (unit === "%") return `${(v * 100).toPrecision(3)}%`;
  if (unit === "ms") return `${Number(v.toPrecision(4))} ms`;
  return String(Math.round(v * 100) / 100);
}
export const THRESHOLD_SEVERITIES = ["ticket", "warning", "page"] as const;

export const ZCreateThresholdRule = z
  .strictObject({
    model: ZSlug,
    metric: z.enum(THRESHOLD_METRICS),
    op: z.enum(["above", "below"]),
    value: z.number().nonnegative("The threshold cannot be negative").max(1e9),
    windowMinutes: z
      .number()
      .int()
      .min(5)
      .max(24 * 60)
      .default(10),
    forMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60)
      .default(0),
    severity: z.enum(THRESHOLD_SEVERITIES).default("warning"),
    target: z.enum(["device", "cloud-online", "cloud-batch"]).nullish(),
    cohort: ZName.nullish(),
  })
  .refine((r) => r.metric !== "error_rate" || r.value <= 1, { path: ["value"], message: "An error rate is a fraction between 0 and 1 (0.02 is 2%)" })
  .refine((r) => r.windowMinutes % 5 === 0, { path: ["windowMinutes"], message: "Telemetry comes in 5-minute windows: use a multiple of 5" });
export type TCreateThresholdRule = z.input<typeof ZCreateThresholdRule>;
export const ZThresholdRuleId = z.strictObject({ ruleId: z.uuid() });

export const ZEvaluateModel = z.strictObject({ model: ZSlug });

export const ZModelMonitoring = z.strictObject({
  slug: ZSlug,
  range: z.enum(RANGE_CHOICES).default("24h"),
  /** End of the range (deep links to a past incident); default now. */
  to: z.coerce.date().optional(),
  feature: z.string().max(64).optional(),
  /** The series an alert links to: version (default: production), prediction or feature, cohort and slice (`timeOfDay:night`). */
  version: z.coerce.number().int().positive().optional(),
  source: z.enum(["feature", "prediction"]).optional(),
  cohort: ZName.optional(),
  slice: z.string().max(300).optional(),
});
