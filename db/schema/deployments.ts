// Deployments: environments, targets (cloud and edge fleets with devices), deployments with a rollout, their timeline, approvals, runbooks.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { apiTokens, users } from "./identity";
import { models, modelVersions } from "./registry";

/** What a target can run: the side of the compatibility contract the target holds. */
export type TargetRuntime = { onnxRuntime: string; maxOpset: number };
/** Injected at run time beside the artifact, never baked in; validated against the version's manifest. */
export type RuntimeConfig = { thresholds?: Record<string, number>; batchSize?: number; featureFlags?: Record<string, boolean> };
/** How one rollout step behaves once it has baked: advance by itself or wait for a person; on a failed analysis pause or roll back. */
export type StepPolicy = { bakeMinutes: number; mode: "auto" | "manual"; onFail: "pause" | "rollback" };

export const environments = pgTable("environments", {
  /** dev, staging, production. */
  key: text().primaryKey(),
  name: text().notNull(),
  /** Order on pages: dev 0, staging 1, production 2. */
  rank: integer().notNull(),
  /** Production: promotions need gates and an admin. */
  protected: boolean().notNull().default(false),
});

export const targetKindEnum = pgEnum("target_kind", ["cloud-online", "cloud-batch", "edge-fleet"]);

export const deploymentTargets = pgTable(
  "deployment_targets",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    name: text().notNull(),
    kind: targetKindEnum().notNull(),
    environment: text()
      .notNull()
      .references(() => environments.key),
    description: text().notNull().default(""),
    runtime: jsonb().$type<TargetRuntime>().notNull(),
    /** Cloud targets: the hardware class they run on (e.g. cloud-cpu). Fleets: from their devices. */
    hardwareClass: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("deployment_targets_environment_idx").on(t.environment), index("deployment_targets_kind_idx").on(t.kind)],
);

/** Vehicle camera devices of an edge fleet; cohorts are their (hardware class, firmware, region) groups. */
export const devices = pgTable(
  "devices",
  {
    id: text().primaryKey(),
    targetId: uuid()
      .notNull()
      .references(() => deploymentTargets.id, { onDelete: "cascade" }),
    hardwareClass: text().notNull(),
    firmware: text().notNull(),
    region: text().notNull(),
    /** bucketOf(id) in [0, 10,000), stored so rollout counts are an index range scan (server/deployments/cohort.ts). */
    bucket: integer().notNull(),
    /** The device's own credential (an API token bound to it): it speaks for this device and no other. */
    tokenId: uuid().references(() => apiTokens.id),
    lastSeenAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("devices_target_idx").on(t.targetId, t.hardwareClass, t.firmware, t.region),
    index("devices_target_bucket_idx").on(t.targetId, t.bucket),
    index("devices_token_idx").on(t.tokenId),
  ],
);

export const deploymentStateEnum = pgEnum("deployment_state", ["idle", "canary", "paused"]);

/** One model on one target: the stable version, and a candidate while a rollout is in flight. */
export const deployments = pgTable(
  "deployments",
  {
    id: uuid().primaryKey().defaultRandom(),
    targetId: uuid()
      .notNull()
      .references(() => deploymentTargets.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    stableVersionId: uuid()
      .notNull()
      .references(() => modelVersions.id),
    stableConfig: jsonb().$type<RuntimeConfig>().notNull().default({}),
    candidateVersionId: uuid().references(() => modelVersions.id),
    candidateConfig: jsonb().$type<RuntimeConfig>(),
    state: deploymentStateEnum().notNull().default("idle"),
    /** Percent of devices (or traffic) per step, ascending, ending at 100. */
    plan: jsonb().$type<number[]>().notNull().default([1, 5, 25, 50, 100]),
    /** Per step of plan (same length): bake time, auto or manual advance, pause or roll back on a failed analysis. */
    stepPolicies: jsonb().$type<StepPolicy[]>().notNull().default([]),
    /** Index into plan while a rollout is in flight. */
    step: integer().notNull().default(0),
    /** When the current step began (canary start, advance, resume): the bake window starts here. */
    stepStartedAt: timestamp({ withTimezone: true }),
    /** Optimistic concurrency: every change bumps it; a change naming an older one is refused. */
    revision: integer().notNull().default(1),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("deployments_target_model_unique").on(t.targetId, t.modelId),
    index("deployments_model_idx").on(t.modelId),
    index("deployments_state_idx").on(t.state),
    index("deployments_stable_version_idx").on(t.stableVersionId),
    index("deployments_candidate_version_idx").on(t.candidateVersionId),
  ],
);

/** The deployment's timeline: every action, refusal-free (refusals go to the audit log). */
export const deploymentEvents = pgTable(
  "deployment_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id),
    actorLabel: text().notNull(),
    /** create, promote, canary.start, advance, pause, resume, abort, rollback, complete, approve, override. */
    kind: text().notNull(),
    fromVersion: integer(),
    toVersion: integer(),
    /** The plain-words effect shown in the confirmation. */
    summary: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    /** A repeated request with the same key returns the first result and changes nothing. */
    idempotencyKey: text(),
    revision: integer().notNull(),
  },
  (t) => [
    index("deployment_events_deployment_idx").on(t.deploymentId, t.at),
    uniqueIndex("deployment_events_idempotency_unique")
      .on(t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);

/** One analysis of a rollout step: canary (candidate) against control (stable) over the bake window, with the decision taken. */
export const deploymentAnalyses = pgTable(
  "deployment_analyses",
  {
    id: uuid().primaryKey().defaultRandom(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    /** The deployment revision analysed; the scheduler analyses each revision once. */
    revision: integer().notNull(),
    step: integer().notNull(),
    percent: doublePrecision().notNull(),
    candidateVersion: integer().notNull(),
    stableVersion: integer().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    windowEnd: timestamp({ withTimezone: true }).notNull(),
    /** pass, fail, or inconclusive (not enough telemetry yet). */
    verdict: text().notNull(),
    /** advanced, completed, ready (manual plan), paused, rolled-back, waiting (bake not over), none. */
    decision: text().notNull(),
    checks: jsonb().$type<unknown[]>().notNull(),
    requestedBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("deployment_analyses_deployment_idx").on(t.deploymentId, t.createdAt),
    index("deployment_analyses_revision_idx").on(t.deploymentId, t.revision),
  ],
);

/** What a device said it runs per model: the last report wins; failures name the version that failed. */
export const deviceModelStates = pgTable(
  "device_model_states",
  {
    deviceId: text()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** The version it runs now (null before its first successful activation). */
    runningVersion: integer(),
    /** running, download-failed, activation-failed. */
    status: text().notNull(),
    failedVersion: integer(),
    error: text(),
    reportedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.modelId] }), index("device_model_states_model_idx").on(t.modelId, t.runningVersion)],
);

/** Report ids already taken, so a replayed report is recognised and changes nothing. */
export const deviceReports = pgTable(
  "device_reports",
  {
    deviceId: text()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    reportId: text().notNull(),
    /** sha256 of the report body: the same id with other content is refused. */
    contentHash: text().notNull(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.reportId] }), index("device_reports_received_idx").on(t.receivedAt)],
);

/**
 * Writes made with a device's own credential, counted per device and hour: the audit log gets one row
 * for the first write of each device-hour (a fleet reporting every minute would drown it otherwise),
 * and this tally holds how many writes that hour saw.
 */
export const deviceWriteTallies = pgTable(
  "device_write_tallies",
  {
    deviceId: text()
      .notNull()
      .references(() => devices.id, { onDelete: "cascade" }),
    hour: timestamp({ withTimezone: true }).notNull(),
    reports: integer().notNull().default(0),
    telemetry: integer().notNull().default(0),
    lastAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.hour] })],
);

/** Four-eyes approvals of a version for a deployment, by an admin who did not author it. */
export const deploymentApprovals = pgTable(
  "deployment_approvals",
  {
    id: uuid().primaryKey().defaultRandom(),
    deploymentId: uuid()
      .notNull()
      .references(() => deployments.id, { onDelete: "cascade" }),
    versionId: uuid()
      .notNull()
      .references(() => modelVersions.id, { onDelete: "cascade" }),
    approvedBy: uuid()
      .notNull()
      .references(() => users.id),
    comment: text().notNull().default(""),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when a promotion or canary start passed the four-eyes gate with this approval; from then on it cannot be withdrawn. */
    usedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("deployment_approvals_unique").on(t.deploymentId, t.versionId, t.approvedBy), index("deployment_approvals_version_idx").on(t.versionId)],
);

/** What a runbook applies to; an incident's runbook is the one whose links match it best (server/runbooks/match.ts). */
export type RunbookLinks = { alertKinds: string[]; rulePrefixes: string[]; models: string[]; services: string[] };

/** On-call runbooks: the document; `body` mirrors its newest version (runbook_versions in incidents.ts holds every save). */
export const runbooks = pgTable(
  "runbooks",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The model it was first written for; links.models is what matching reads. */
    modelId: uuid().references(() => models.id, { onDelete: "set null" }),
    title: text().notNull(),
    body: text().notNull(),
    links: jsonb().$type<RunbookLinks>().notNull().default({ alertKinds: [], rulePrefixes: [], models: [], services: [] }),
    /** Number of the newest version. */
    version: integer().notNull().default(1),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("runbooks_model_idx").on(t.modelId), index("runbooks_updated_idx").on(t.updatedAt)],
);
