// Experiment tracking (MLflow-compatible): experiments, runs, params, tags, metric history and latest values.
import { bigint, bigserial, doublePrecision, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { apiTokens, users } from "./identity";

export const lifecycleStageEnum = pgEnum("lifecycle_stage", ["active", "deleted"]);
export const runStatusEnum = pgEnum("run_status", ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]);

/** Ids are a sequence starting at 1; the migration inserts the "Default" experiment with id 0, as MLflow's server does. */
export const experiments = pgTable(
  "experiments",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    name: text().notNull(),
    artifactLocation: text().notNull().default(""),
    lifecycleStage: lifecycleStageEnum().notNull().default("active"),
    createdBy: uuid().references(() => users.id),
    createdByToken: uuid().references(() => apiTokens.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("experiments_name_unique").on(t.name),
    index("experiments_lifecycle_idx").on(t.lifecycleStage),
    index("experiments_updated_idx").on(t.updatedAt),
    index("experiments_created_by_idx").on(t.createdBy),
    index("experiments_created_by_token_idx").on(t.createdByToken),
  ],
);

export const experimentTags = pgTable(
  "experiment_tags",
  {
    experimentId: bigint({ mode: "number" })
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] }), index("experiment_tags_key_idx").on(t.key)],
);

export const runs = pgTable(
  "runs",
  {
    /** 32 lowercase hex characters, like MLflow's run_uuid. */
    runId: text().primaryKey(),
    experimentId: bigint({ mode: "number" })
      .notNull()
      .references(() => experiments.id),
    runName: text().notNull().default(""),
    /** MLflow's free-text user_id as the client sent it (OS user or "unknown"). */
    userId: text().notNull().default(""),
    status: runStatusEnum().notNull().default("RUNNING"),
    /** Milliseconds since the epoch, as MLflow clients send them. */
    startTime: bigint({ mode: "number" }).notNull(),
    endTime: bigint({ mode: "number" }),
    lifecycleStage: lifecycleStageEnum().notNull().default("active"),
    artifactUri: text().notNull().default(""),
    createdBy: uuid().references(() => users.id),
    createdByToken: uuid().references(() => apiTokens.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // In runs/search's default order (start_time desc, run_id): the scan stops at the page's last run even when the
    // planner's statistics are stale (right after a sweep logged its runs), instead of sorting the whole experiment.
    index("runs_experiment_order_idx").on(t.experimentId, t.lifecycleStage, t.startTime.desc().nullsFirst(), t.runId),
    index("runs_status_idx").on(t.status),
    index("runs_name_idx").on(t.runName),
    index("runs_start_time_idx").on(t.startTime),
    index("runs_end_time_idx").on(t.endTime),
    index("runs_user_idx").on(t.userId),
    index("runs_created_by_idx").on(t.createdBy),
    index("runs_created_by_token_idx").on(t.createdByToken),
  ],
);

/** Immutable once logged (same key with another value is refused). */
export const params = pgTable(
  "params",
  {
    runId: text()
      .notNull()
      .references(() => runs.runId, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  // Values reach 6000 characters, past a b-tree entry's limit: the key index plus the run lookup serve filters.
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("params_key_idx").on(t.key)],
);

export const runTags = pgTable(
  "run_tags",
  {
    runId: text()
      .notNull()
      .references(() => runs.runId, { onDelete: "cascade" }),
    key: text().notNull(),
    value: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("run_tags_key_idx").on(t.key)],
);

/**
 * Append-only history: the largest table. Read in pages and pre-aggregated for charts, never whole.
 * Partitioned by month of `timestamp` (epoch ms) in db/migrations/0028_partition_by_month.sql, so the key
 * includes it; server/partitions creates months ahead and drops the ones past retention.
 */
export const metrics = pgTable(
  "metrics",
  {
    id: bigserial({ mode: "number" }).notNull(),
    /** Checked per statement by a trigger, not per row by a foreign key (migration 0031_metrics_run_check). */
    runId: text().notNull(),
    key: text().notNull(),
    /** Double precision keeps NaN, +Infinity and -Infinity. */
    value: doublePrecision().notNull(),
    timestamp: bigint({ mode: "number" }).notNull(),
    step: bigint({ mode: "number" }).notNull().default(0),
  },
  // Matches the history order (step, timestamp, id) so keyset pages and chart ranges read the index in order.
  (t) => [primaryKey({ columns: [t.id, t.timestamp] }), index("metrics_run_key_step_idx").on(t.runId, t.key, t.step, t.timestamp, t.id)],
);

/** The latest value per run and key (highest step, then timestamp), kept in the same transaction as `metrics`. */
export const latestMetrics = pgTable(
  "latest_metrics",
  {
    runId: text()
      .notNull()
      .references(() => runs.runId, { onDelete: "cascade" }),
    key: text().notNull(),
    value: doublePrecision().notNull(),
    timestamp: bigint({ mode: "number" }).notNull(),
    step: bigint({ mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] }), index("latest_metrics_key_value_idx").on(t.key, t.value)],
);

/** Id of the experiment MLflow's server creates at start and puts runs without an experiment in. */
export const DEFAULT_EXPERIMENT_ID = 0;
