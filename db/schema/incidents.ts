// Incidents (status, commander, timeline entries, postmortem), runbook versions, and on-call rotations with overrides.
import { bigserial, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { runbooks } from "./deployments";
import { users } from "./identity";
import { alerts } from "./monitoring";
import { models } from "./registry";

export const incidentSeverityEnum = pgEnum("incident_severity", ["sev1", "sev2", "sev3", "sev4"]);
export const incidentStatusEnum = pgEnum("incident_status", ["investigating", "identified", "mitigated", "resolved"]);

/** Blameless postmortem, filled in after (or during) the incident. */
export type Postmortem = {
  summary: string;
  impact: string;
  rootCause: string;
  wentWell: string;
  actionItems: { text: string; owner: string; due: string; done: boolean }[];
};

export const incidents = pgTable(
  "incidents",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Short human number for "INC-42". */
    number: bigserial({ mode: "number" }).notNull().unique(),
    title: text().notNull(),
    severity: incidentSeverityEnum().notNull(),
    status: incidentStatusEnum().notNull().default("investigating"),
    description: text().notNull().default(""),
    modelId: uuid().references(() => models.id, { onDelete: "set null" }),
    /** The alert it was declared from, if any. */
    alertId: uuid().references(() => alerts.id, { onDelete: "set null" }),
    /** Versions and deployments affected, pre-filled from the model's deployments at declaration. */
    versions: jsonb().$type<number[]>().notNull().default([]),
    deploymentIds: jsonb().$type<string[]>().notNull().default([]),
    /** The alert's evidence at declaration, frozen. */
    evidence: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    commanderId: uuid().references(() => users.id),
    /** Who handed command over (null: the declarer took it, or the system gave it to the rotation). */
    commanderAssignedBy: uuid().references(() => users.id),
    /** The authority command was handed over with (server/incidents/policy.ts): null means no deployment rights. */
    commanderGrant: text().$type<"admin" | "on-call" | "rotation">(),
    runbookId: uuid().references(() => runbooks.id, { onDelete: "set null" }),
    declaredBy: uuid().references(() => users.id),
    /** When the problem started: the alert's firing time, else the declaration. TTA and TTM count from here. */
    startedAt: timestamp({ withTimezone: true }).notNull(),
    declaredAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp({ withTimezone: true }),
    mitigatedAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    postmortem: jsonb().$type<Postmortem>(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("incidents_status_idx").on(t.status, t.declaredAt),
    index("incidents_model_idx").on(t.modelId, t.declaredAt),
    index("incidents_severity_idx").on(t.severity),
    index("incidents_alert_idx").on(t.alertId),
    index("incidents_commander_idx").on(t.commanderId),
    index("incidents_commander_assigned_by_idx").on(t.commanderAssignedBy),
    index("incidents_runbook_idx").on(t.runbookId),
  ],
);

/** What people and the portal wrote on the incident; events from other areas are merged in at read time. */
export const incidentEntries = pgTable(
  "incident_entries",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    incidentId: uuid()
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id),
    actorLabel: text().notNull(),
    /** declare, note, status, severity, commander, acknowledge, checklist, action, notified, postmortem. */
    kind: text().notNull(),
    text: text().notNull(),
    detail: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("incident_entries_incident_idx").on(t.incidentId, t.at), index("incident_entries_actor_idx").on(t.actorUserId)],
);

/** Every save of a runbook; the newest is mirrored in runbooks.body. */
export const runbookVersions = pgTable(
  "runbook_versions",
  {
    id: uuid().primaryKey().defaultRandom(),
    runbookId: uuid()
      .notNull()
      .references(() => runbooks.id, { onDelete: "cascade" }),
    number: integer().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    /** What this save changed, in the author's words. */
    message: text().notNull().default(""),
    authorId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("runbook_versions_number_unique").on(t.runbookId, t.number), index("runbook_versions_author_idx").on(t.authorId)],
);

/** A weekly rotation: members take turns, handing over every `periodDays` from `startsAt`. */
export const oncallRotations = pgTable("oncall_rotations", {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull().unique(),
  /** The service or team it covers, e.g. "camera fleet" or "cloud serving". */
  service: text().notNull(),
  /** User ids in rotation order. */
  members: jsonb().$type<string[]>().notNull(),
  startsAt: timestamp({ withTimezone: true }).notNull(),
  periodDays: integer().notNull().default(7),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Someone covers a rotation for a while (holiday swaps); the newest override wins. */
export const oncallOverrides = pgTable(
  "oncall_overrides",
  {
    id: uuid().primaryKey().defaultRandom(),
    rotationId: uuid()
      .notNull()
      .references(() => oncallRotations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    reason: text().notNull().default(""),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("oncall_overrides_rotation_idx").on(t.rotationId, t.startsAt), index("oncall_overrides_user_idx").on(t.userId)],
);
