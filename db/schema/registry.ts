// Model registry: models, versions, aliases, and content-addressed artifacts with parsed ONNX metadata.
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";

export const modelTaskEnum = pgEnum("model_task", [
  "classification",
  "detection",
  "text-detection",
  "text-recognition",
  "segmentation",
  "regression",
  "llm",
  "other",
]);
export const versionStatusEnum = pgEnum("version_status", ["draft", "candidate", "approved", "archived"]);
export const integrityEnum = pgEnum("artifact_integrity", ["unverified", "ok", "mismatch", "missing"]);

export const artifacts = pgTable("artifacts", {
  sha256: text().primaryKey(),
  sizeBytes: bigint({ mode: "number" }).notNull(),
  mediaType: text().notNull(),
  /** Parsed ONNX summary (OnnxSummary) or null for non-ONNX artifacts. */
  onnx: jsonb(),
  integrity: integrityEnum().notNull().default("ok"),
  integrityCheckedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const models = pgTable(
  "models",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    team: text().notNull(),
    task: modelTaskEnum().notNull(),
    description: text().notNull().default(""),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("models_team_idx").on(t.team), index("models_task_idx").on(t.task), index("models_updated_idx").on(t.updatedAt)],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    description: text().notNull().default(""),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    status: versionStatusEnum().notNull().default("draft"),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    artifactSha256: text().references(() => artifacts.sha256),
    /** Set when no bytes are held: s3://, gs://, runs:/... */
    artifactUri: text(),
    fileName: text(),
    lineage: jsonb().notNull().default({}),
    parentVersionId: uuid(),
    modelCard: text().notNull().default(""),
    manifest: jsonb(),
    contract: jsonb(),
    /** Signature difference against the production version at creation, or null. */
    breakingChange: jsonb(),
    metrics: jsonb().$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    uniqueIndex("model_versions_model_number_unique").on(t.modelId, t.number),
    index("model_versions_status_idx").on(t.status),
    index("model_versions_artifact_idx").on(t.artifactSha256),
    index("model_versions_created_idx").on(t.createdAt),
    // Lineage walks: the versions a run produced, and the variants derived from a version.
    index("model_versions_source_run_idx").on(sql`(${t.lineage} ->> 'sourceRunId')`),
    index("model_versions_parent_idx").on(t.parentVersionId),
  ],
);

export const modelAliases = pgTable(
  "model_aliases",
  {
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    alias: text().notNull(),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.modelId, t.alias] }), index("model_aliases_version_idx").on(t.versionId)],
);

/**
 * A variant measured beside its parent (server/registry/variant-comparison.ts): computed once per variant, parent file
 * and method, then read by every replica. `running` rows are the claim that keeps two replicas from computing at once.
 */
export const variantComparisons = pgTable(
  "variant_comparisons",
  {
    id: uuid().primaryKey().defaultRandom(),
    variantVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    parentSha256: text().notNull(),
    method: text().notNull(),
    status: text().$type<"running" | "done" | "failed">().notNull(),
    result: jsonb(),
    error: text(),
    startedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
    createdBy: uuid().references(() => users.id),
  },
  (t) => [
    uniqueIndex("variant_comparisons_key_unique").on(t.variantVersionId, t.parentSha256, t.method),
    index("variant_comparisons_created_by_idx").on(t.createdBy),
  ],
);
