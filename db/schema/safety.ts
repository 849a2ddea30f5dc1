// Safety review: evaluation results per model version and dataset, reviewer permissions, sign-offs.
import { doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { models, modelVersions } from "./registry";

/** Permissions an admin grants to any user, beside their role (e.g. a viewer PM who signs off releases). */
export const userPermissions = pgTable(
  "user_permissions",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    permission: text().notNull(),
    grantedBy: uuid().references(() => users.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.permission] }), index("user_permissions_permission_idx").on(t.permission)],
);

/** Counts at one score threshold of a sweep. */
export type SweepPoint = { threshold: number; tp: number; fp: number; fn: number };
/** A score-threshold sweep for one event type on the whole dataset: thresholds ascending. */
export type EvaluationSweep = { eventType: string; points: SweepPoint[] };
/** A classifier's confusion matrix: rows are the true class, columns the predicted class. */
export type ConfusionMatrix = { name: string; labels: string[]; matrix: number[][] };
/** A frame from the frame library the model got wrong: a false positive or a miss. */
export type EvaluationExample = { eventType: string; frameId: string; outcome: "fp" | "fn"; box?: { x: number; y: number; w: number; h: number } };

/** One posted evaluation run: a version evaluated on a dataset. Rates are computed on read, never stored. */
export const evaluations = pgTable(
  "evaluations",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    datasetName: text().notNull(),
    datasetVersion: text().notNull().default(""),
    /** Where the numbers came from: an evaluation job, the playground, the demo seed. */
    source: text().notNull().default("api"),
    notes: text().notNull().default(""),
    /** Optional extras, read whole with the evaluation; validated on the way in (server/safety/schemas.ts). */
    sweeps: jsonb().$type<EvaluationSweep[]>().notNull().default([]),
    confusionMatrices: jsonb().$type<ConfusionMatrix[]>().notNull().default([]),
    examples: jsonb().$type<EvaluationExample[]>().notNull().default([]),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("evaluations_version_idx").on(t.versionId, t.datasetName, t.createdAt),
    index("evaluations_model_idx").on(t.modelId),
    index("evaluations_created_by_idx").on(t.createdBy),
  ],
);

/** Confusion counts per event type and slice; dimension "all" with value "all" is the whole dataset. */
export const evaluationResults = pgTable(
  "evaluation_results",
  {
    id: uuid().primaryKey().defaultRandom(),
    evaluationId: uuid()
      .notNull()
      .references(() => evaluations.id, { onDelete: "cascade" }),
    eventType: text().notNull(),
    sliceDimension: text().notNull(),
    sliceValue: text().notNull(),
    tp: integer().notNull(),
    fp: integer().notNull(),
    fn: integer().notNull(),
    tn: integer(),
    drivingHours: doublePrecision(),
  },
  (t) => [index("evaluation_results_eval_idx").on(t.evaluationId, t.eventType), index("evaluation_results_event_idx").on(t.eventType)],
);

export const signOffDecisionEnum = pgEnum("signoff_decision", ["approve", "reject"]);

/** Release sign-offs: append-only; a newer row for the same version supersedes the older one. */
export const safetySignOffs = pgTable(
  "safety_signoffs",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    decision: signOffDecisionEnum().notNull(),
    comment: text().notNull(),
    reviewerId: uuid()
      .notNull()
      .references(() => users.id),
    /** The comparison the reviewer saw, frozen. */
    snapshot: jsonb().notNull(),
    supersedesId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Withdrawn by its reviewer (or an admin) before any promotion used it; a withdrawn sign-off is in force for nothing. */
    withdrawnAt: timestamp({ withTimezone: true }),
    withdrawnBy: uuid().references(() => users.id),
    /** The first promotion or canary step that passed the sign-off gate with this row; from then on it cannot be withdrawn. */
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("safety_signoffs_version_idx").on(t.versionId, t.createdAt),
    index("safety_signoffs_model_idx").on(t.modelId),
    index("safety_signoffs_reviewer_idx").on(t.reviewerId),
  ],
);
