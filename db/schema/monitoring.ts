// Monitoring: pre-aggregated telemetry windows, drift monitors and their evaluations, SLOs, alerts.
import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiTokens, users } from "./identity";
import { models } from "./registry";

/** A numeric histogram (edges ascending, counts one fewer) or category counts; what devices send per feature. */
export type NumericSummary = { kind: "numeric"; edges: number[]; counts: number[] };
export type CategoricalSummary = { kind: "categorical"; counts: Record<string, number> };
export type FeatureSummary = NumericSummary | CategoricalSummary;
export type OutcomeCounts = { tp: number; fp: number; fn: number };

/** Partitioned by month of `windowStart` (see db/migrations/0028_partition_by_month.sql), so the key includes it. */
export const telemetrySummaries = pgTable(
  "telemetry_summaries",
  {
    id: uuid().notNull().defaultRandom(),
    /** Chosen by the sender; a retried post with the same key is not counted twice (telemetry_idempotency_keys holds it once). */
    idempotencyKey: text().notNull(),
    /** sha256 of the canonical summary, so reusing a key for different numbers is refused. */
    contentHash: text().notNull(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    /** Where it runs: device, cloud-online, cloud-batch. */
    target: text().notNull(),
    cohort: text().notNull(),
    slice: jsonb().$type<Record<string, string>>().notNull().default({}),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowSeconds: integer().notNull(),
    requests: integer().notNull(),
    errors: integer().notNull(),
    /** Counts per fixed log-spaced latency bucket (server/telemetry/histogram.ts), overflow last. */
    latency: jsonb().$type<number[]>().notNull(),
    features: jsonb().$type<Record<string, FeatureSummary>>().notNull().default({}),
    predictions: jsonb().$type<Record<string, FeatureSummary>>().notNull().default({}),
    outcomes: jsonb().$type<Record<string, OutcomeCounts>>(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    receivedBy: uuid().references(() => users.id),
    tokenId: uuid().references(() => apiTokens.id),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.windowStart] }),
    index("telemetry_summaries_model_window_idx").on(t.modelId, t.windowStart),
    index("telemetry_summaries_window_idx").on(t.windowStart),
    index("telemetry_summaries_cohort_idx").on(t.modelId, t.cohort, t.windowStart),
  ],
);

/**
 * One row per idempotency key ever stored, across every month: a partitioned table's unique index must
 * include the partition key, so the global "a key is stored once" lives here, written in the same
 * transaction as the summary. Rows past the telemetry retention are deleted with their partition.
 */
export const telemetryIdempotencyKeys = pgTable(
  "telemetry_idempotency_keys",
  {
    key: text().primaryKey(),
    contentHash: text().notNull(),
    summaryId: uuid().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("telemetry_idempotency_keys_window_idx").on(t.windowStart)],
);

export const driftMethodEnum = pgEnum("drift_method", ["auto", "ks", "chisquare", "wasserstein", "jensenshannon", "psi"]);

export const driftMonitors = pgTable(
  "drift_monitors",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    /** "feature" or "prediction", then its name in the summaries. */
    source: text().notNull(),
    name: text().notNull(),
    method: driftMethodEnum().notNull().default("auto"),
    /** Overrides the method's default threshold when set. */
    threshold: doublePrecision(),
    /** Evaluation window length. */
    windowMinutes: integer().notNull().default(60),
    /** Restrict to one device cohort; null means all cohorts. */
    cohort: text(),
    /** Restrict to summaries whose slice contains all of these (e.g. timeOfDay=night); empty means every slice. */
    slice: jsonb().$type<Record<string, string>>().notNull().default({}),
    /** Severity of the alert the monitor raises (ticket, warning, page). */
    severity: text().notNull().default("warning"),
    referenceFrom: timestamp({ withTimezone: true }).notNull(),
    referenceTo: timestamp({ withTimezone: true }).notNull(),
    /** The merged reference distribution, frozen when the monitor is created. */
    reference: jsonb().$type<FeatureSummary>().notNull(),
    referenceCount: integer().notNull(),
    enabled: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("drift_monitors_model_idx").on(t.modelId, t.version),
    uniqueIndex("drift_monitors_subject_unique").on(t.modelId, t.version, t.source, t.name, sql`coalesce(${t.cohort}, '')`, t.slice),
  ],
);

/** Partitioned by month of `windowStart` (see db/migrations/0028_partition_by_month.sql), so the key includes it. */
export const driftEvaluations = pgTable(
  "drift_evaluations",
  {
    id: uuid().notNull().defaultRandom(),
    monitorId: uuid()
      .notNull()
      .references(() => driftMonitors.id, { onDelete: "cascade" }),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    method: text().notNull(),
    statistic: doublePrecision().notNull(),
    pValue: doublePrecision(),
    threshold: doublePrecision().notNull(),
    drifted: boolean().notNull(),
    /** Population stability index alongside the chosen method, for binned data. */
    psi: doublePrecision(),
    referenceCount: integer().notNull(),
    currentCount: integer().notNull(),
    reference: jsonb().$type<FeatureSummary>().notNull(),
    current: jsonb().$type<FeatureSummary>().notNull(),
    evaluatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.windowStart] }),
    uniqueIndex("drift_evaluations_monitor_window_unique").on(t.monitorId, t.windowStart),
    index("drift_evaluations_window_idx").on(t.windowStart),
  ],
);

export const sloKindEnum = pgEnum("slo_kind", ["availability", "latency", "freshness"]);

export const slos = pgTable(
  "slos",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** Deployment target the SLO covers (device, cloud-online, ...). */
    target: text().notNull(),
    kind: sloKindEnum().notNull(),
    /** e.g. 0.999 */
    objective: doublePrecision().notNull(),
    windowDays: integer().notNull().default(30),
    /** Latency SLO: requests under this many milliseconds are good. */
    latencyThresholdMs: doublePrecision(),
    /** Freshness SLO: telemetry older than this is stale. */
    maxAgeMinutes: integer(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("slos_model_target_kind_unique").on(t.modelId, t.target, t.kind)],
);

/** A threshold on a serving series of a model (server/monitoring/thresholds.ts). */
export const thresholdRules = pgTable(
  "threshold_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** requests, error_rate (a fraction), latency_p50 / p95 / p99 (milliseconds). */
    metric: text().notNull(),
    /** "above" or "below". */
    op: text().notNull(),
    value: doublePrecision().notNull(),
    /** The series is measured per window of this length. */
    windowMinutes: integer().notNull().default(10),
    /** How long the breach must last before the alert fires. */
    forMinutes: integer().notNull().default(0),
    severity: text().notNull().default("warning"),
    /** Restrict to one deployment target (device, cloud-online, cloud-batch) or cohort; null means all. */
    target: text(),
    cohort: text(),
    enabled: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("threshold_rules_model_idx").on(t.modelId)],
);

export const alertStateEnum = pgEnum("alert_state", ["pending", "firing", "resolved"]);

export const alerts = pgTable(
  "alerts",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The rule that raised it, e.g. drift:<monitor id> or slo:<slo id>:page. */
    ruleKey: text().notNull(),
    /** What it is about, e.g. camera-health/3/brightness. */
    subject: text().notNull(),
    kind: text().notNull(),
    severity: text().notNull(),
    modelId: uuid().references(() => models.id, { onDelete: "cascade" }),
    title: text().notNull(),
    state: alertStateEnum().notNull().default("pending"),
    /** The numbers (and distributions) that made it fire, latest evaluation. */
    evidence: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    firingAt: timestamp({ withTimezone: true }),
    lastEvaluatedAt: timestamp({ withTimezone: true }).notNull(),
    resolvedAt: timestamp({ withTimezone: true }),
    acknowledgedBy: uuid().references(() => users.id),
    acknowledgedAt: timestamp({ withTimezone: true }),
    silencedBy: uuid().references(() => users.id),
    silencedUntil: timestamp({ withTimezone: true }),
    silenceReason: text(),
    /** Who raised it: "sentinel" (its own evaluations) or "alertmanager" (a Prometheus Alertmanager webhook). */
    source: text().notNull().default("sentinel"),
    /** The sender's identity for the alert (Alertmanager's fingerprint), so a re-sent notification updates it. */
    externalFingerprint: text(),
    /** The sender's labels, kept as sent (e.g. alertname, severity, model, instance). */
    labels: jsonb().$type<Record<string, string>>().notNull().default({}),
  },
  (t) => [
    // Dedup: at most one open alert per rule and subject.
    uniqueIndex("alerts_open_rule_subject_unique")
      .on(t.ruleKey, t.subject)
      .where(sql`${t.state} <> 'resolved'`),
    index("alerts_state_idx").on(t.state, t.startedAt),
    index("alerts_model_idx").on(t.modelId),
    index("alerts_source_fingerprint_idx").on(t.source, t.externalFingerprint),
  ],
);
