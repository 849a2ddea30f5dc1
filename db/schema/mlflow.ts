// What the MLflow door keeps beyond runs and metrics: proxied artifact files (path → content-addressed
// bytes), datasets and run inputs, and registered models deleted through MLflow (kept inside Sentinel).
import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { experiments, runs } from "./experiments";
import { apiTokens, users } from "./identity";
import { models } from "./registry";

/**
 * One row per file under the proxied artifact root (`mlflow-artifacts:/`). `path` is relative to that
 * root, e.g. "3/<run id>/artifacts/model/model.onnx"; the bytes live in the artifact store by sha256.
 * Directories are implied by the paths; nothing is kept on local disk but the content-addressed blobs.
 */
export const mlflowArtifactFiles = pgTable(
  "mlflow_artifact_files",
  {
    path: text().primaryKey(),
    /** The run whose artifact root holds the file, when the path is `<experiment>/<run>/artifacts/...`. */
    runId: text().references(() => runs.runId, { onDelete: "cascade" }),
    sha256: text().notNull(),
    sizeBytes: bigint({ mode: "number" }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdByToken: uuid().references(() => apiTokens.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // Listing a directory is a prefix scan: text_pattern_ops serves LIKE 'prefix/%' under any collation.
  (t) => [
    index("mlflow_artifact_files_path_prefix_idx").on(t.path.op("text_pattern_ops")),
    index("mlflow_artifact_files_run_idx").on(t.runId),
    index("mlflow_artifact_files_sha_idx").on(t.sha256),
  ],
);

/** MLflow datasets: per experiment, unique by name and digest (as MLflow's store keys them). */
export const mlflowDatasets = pgTable(
  "mlflow_datasets",
  {
    id: uuid().primaryKey().defaultRandom(),
    experimentId: bigint({ mode: "number" })
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    name: text().notNull(),
    digest: text().notNull(),
    sourceType: text().notNull(),
    source: text().notNull(),
    schema: text(),
    profile: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("mlflow_datasets_experiment_name_digest_unique").on(t.experimentId, t.name, t.digest)],
);

/** A dataset used by a run, with the input's tags (e.g. mlflow.data.context = training). */
export const mlflowRunInputs = pgTable(
  "mlflow_run_inputs",
  {
    runId: text()
      .notNull()
      .references(() => runs.runId, { onDelete: "cascade" }),
    datasetId: uuid()
      .notNull()
      .references(() => mlflowDatasets.id, { onDelete: "cascade" }),
    tags: jsonb().$type<{ key: string; value: string }[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.datasetId] }), index("mlflow_run_inputs_dataset_idx").on(t.datasetId)],
);

/**
 * Registered models deleted through MLflow: the MLflow view treats them as gone (and their name as
 * free), while Sentinel keeps the model, its archived versions and the audit trail.
 */
export const mlflowDeletedModels = pgTable("mlflow_deleted_models", {
  modelId: uuid()
    .primaryKey()
    .references(() => models.id, { onDelete: "cascade" }),
  name: text().notNull(),
  deletedBy: uuid().references(() => users.id),
  deletedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
