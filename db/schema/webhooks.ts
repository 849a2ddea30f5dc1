// Alert routing: outgoing webhook targets, the private-address allow-list, deliveries with their
// attempts, and automated responses (per-model rules and what each did on an alert).
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { alerts } from "./monitoring";
import { models } from "./registry";

/** slack: Slack-compatible {text, blocks}; generic: our JSON; retrain: the training-pipeline request. */
export const webhookFormatEnum = pgEnum("webhook_format", ["slack", "generic", "retrain"]);

export const webhookTargets = pgTable(
  "webhook_targets",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    url: text().notNull(),
    format: webhookFormatEnum().notNull(),
    /** Signing secret. Kept retrievable (the server signs with it) but returned only once, at creation or rotation. */
    secret: text().notNull(),
    enabled: boolean().notNull().default(true),
    /** Filters for alert notifications; null / empty means any. */
    modelId: uuid().references(() => models.id, { onDelete: "cascade" }),
    minSeverity: text(),
    kinds: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("webhook_targets_name_unique").on(sql`lower(${t.name})`), index("webhook_targets_model_idx").on(t.modelId)],
);

/** Hosts or CIDR ranges that a target may resolve to even though they are private, loopback or link-local. */
export const webhookAllowlist = pgTable(
  "webhook_allowlist",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** A host name (exact, lower case) or an IP range in CIDR notation (a bare address is a /32 or /128). */
    entry: text().notNull(),
    note: text().notNull().default(""),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("webhook_allowlist_entry_unique").on(t.entry)],
);

export const deliveryStateEnum = pgEnum("webhook_delivery_state", ["pending", "succeeded", "failed"]);

/** One message to one target; the outbox the delivery worker drains (rows written in the alert's transaction). */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Null once the target is deleted; the log and the alert keep the name it had. */
    targetId: uuid().references(() => webhookTargets.id, { onDelete: "set null" }),
    targetName: text().notNull(),
    alertId: uuid().references(() => alerts.id, { onDelete: "cascade" }),
    /** alert.firing, alert.resolved, test, retrain. */
    event: text().notNull(),
    /** The body, rendered when enqueued so every retry sends the same bytes' content. */
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    state: deliveryStateEnum().notNull().default("pending"),
    attempts: integer().notNull().default(0),
    /** While a worker holds the delivery: the lease's end. Otherwise when it is next due. */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Fencing token of the current claim: each claim sets a new one, and a sender records its attempt
     * only while the row still carries its token (a claim that lapsed and was taken over records nothing).
     */
    claimToken: uuid(),
    lastStatus: integer(),
    lastError: text(),
    lastDurationMs: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.state, t.nextAttemptAt),
    index("webhook_deliveries_alert_idx").on(t.alertId),
    index("webhook_deliveries_target_idx").on(t.targetId, t.createdAt),
    index("webhook_deliveries_created_idx").on(t.createdAt),
  ],
);

export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    deliveryId: uuid()
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    statusCode: integer(),
    error: text(),
    durationMs: integer().notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.at)],
);

/** Which automated responses run when an alert of a kind fires for a model; engineers edit them. */
export const alertResponseRules = pgTable(
  "alert_response_rules",
  {
    id: uuid().primaryKey().defaultRandom(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    /** drift, slo, freshness. */
    alertKind: text().notNull(),
    /** A key of RESPONDERS in server/webhooks/responses.ts. */
    response: text().notNull(),
    /** retrain: { targetId, lookbackDays }. */
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    enabled: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("alert_response_rules_unique").on(t.modelId, t.alertKind, t.response)],
);

export const responseStateEnum = pgEnum("alert_response_state", ["pending", "done", "skipped", "failed"]);

/** What an automated response did on one alert: at most one per alert and response (idempotent). */
export const alertResponses = pgTable(
  "alert_responses",
  {
    id: uuid().primaryKey().defaultRandom(),
    alertId: uuid()
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    ruleId: uuid().references(() => alertResponseRules.id, { onDelete: "set null" }),
    response: text().notNull(),
    config: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    state: responseStateEnum().notNull().default("pending"),
    outcome: text().notNull().default(""),
    /** Where to look: the paused deployment, the retrain delivery. */
    link: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("alert_responses_alert_response_unique").on(t.alertId, t.response), index("alert_responses_pending_idx").on(t.state, t.createdAt)],
);
