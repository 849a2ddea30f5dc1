// Cost: daily cost records in integer micro-dollars, CSV imports, budgets, and usage counts for unit costs.
import { bigint, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { models } from "./registry";

export const resourceKindEnum = pgEnum("cost_resource_kind", [
  "gpu_hours",
  "cpu_hours",
  "memory",
  "storage",
  "network_egress",
  "llm_tokens",
  "device_bandwidth",
  "other",
]);

export const costImports = pgTable(
  "cost_imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** "csv", "api" or "demo". */
    source: text().notNull(),
    fileName: text(),
    rowCount: integer().notNull(),
    skippedCount: integer().notNull().default(0),
    billedMicros: bigint({ mode: "number" }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("cost_imports_created_idx").on(t.createdAt)],
);

export const costRecords = pgTable(
  "cost_records",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Idempotency key: a hash of the row's identifying fields; the same row imported twice is kept once. */
    rowKey: text().notNull(),
    day: date({ mode: "string" }).notNull(),
    modelId: uuid().references(() => models.id, { onDelete: "set null" }),
    version: integer(),
    environment: text().notNull(),
    deployment: text(),
    resourceKind: resourceKindEnum().notNull(),
    billedMicros: bigint({ mode: "number" }).notNull(),
    effectiveMicros: bigint({ mode: "number" }).notNull(),
    currency: text().notNull().default("USD"),
    serviceName: text().notNull().default(""),
    resourceId: text().notNull().default(""),
    tags: jsonb().$type<Record<string, string>>().notNull().default({}),
    importId: uuid().references(() => costImports.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("cost_records_row_key_unique").on(t.rowKey),
    index("cost_records_day_idx").on(t.day),
    index("cost_records_model_day_idx").on(t.modelId, t.day),
    index("cost_records_import_idx").on(t.importId),
    index("cost_records_kind_idx").on(t.resourceKind),
  ],
);

export const budgetScopeEnum = pgEnum("budget_scope", ["team", "model"]);

export const budgets = pgTable(
  "budgets",
  {
    id: uuid().primaryKey().defaultRandom(),
    scope: budgetScopeEnum().notNull(),
    /** Team slug or model slug. */
    scopeKey: text().notNull(),
    /** First day of the month (UTC). */
    month: date({ mode: "string" }).notNull(),
    amountMicros: bigint({ mode: "number" }).notNull(),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("budgets_scope_month_unique").on(t.scope, t.scopeKey, t.month), index("budgets_month_idx").on(t.month)],
);

/** Inference counts per day and model version, for cost per 1,000 inferences ("demo" until telemetry posts real ones). */
export const usageCounts = pgTable(
  "usage_counts",
  {
    day: date({ mode: "string" }).notNull(),
    modelId: uuid()
      .notNull()
      .references(() => models.id, { onDelete: "cascade" }),
    version: integer().notNull(),
    inferences: bigint({ mode: "number" }).notNull(),
    source: text().notNull(),
  },
  (t) => [uniqueIndex("usage_counts_unique").on(t.day, t.modelId, t.version, t.source), index("usage_counts_model_idx").on(t.modelId, t.day)],
);
