// The service catalog: models, serving targets, fleets, datasets and runbooks with an owner team, an on-call rotation,
// links, a lifecycle and dependencies. One row per catalogued entity; the entity itself stays in its own area's table.
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { teams, users } from "./identity";
import { oncallRotations } from "./incidents";

export const catalogKindEnum = pgEnum("catalog_kind", ["model", "serving-target", "fleet", "dataset", "runbook"]);
export const catalogLifecycleEnum = pgEnum("catalog_lifecycle", ["experimental", "production", "deprecated"]);

export type CatalogLink = { title: string; url: string };
/** Another catalog entity by kind and name, or a runtime the entity needs ("onnxruntime 1.20"). */
export type CatalogDependency = { kind: "model" | "serving-target" | "fleet" | "dataset" | "runbook"; name: string } | { runtime: string };

export const catalogEntities = pgTable(
  "catalog_entities",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: catalogKindEnum().notNull(),
    /** The entity's name in the catalog and in Backstage (a model or target slug, a dataset name, a runbook slug). */
    name: text().notNull(),
    /** The underlying row: models.id, deployment_targets.id, mlflow_datasets.id (newest of that name) or runbooks.id. */
    refId: text().notNull(),
    title: text().notNull(),
    ownerTeamId: uuid()
      .notNull()
      .references(() => teams.id),
    rotationId: uuid().references(() => oncallRotations.id, { onDelete: "set null" }),
    links: jsonb().$type<CatalogLink[]>().notNull().default([]),
    lifecycle: catalogLifecycleEnum().notNull().default("experimental"),
    dependencies: jsonb().$type<CatalogDependency[]>().notNull().default([]),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("catalog_entities_kind_name_unique").on(t.kind, t.name),
    uniqueIndex("catalog_entities_kind_ref_unique").on(t.kind, t.refId),
    index("catalog_entities_owner_idx").on(t.ownerTeamId),
    index("catalog_entities_rotation_idx").on(t.rotationId),
    index("catalog_entities_lifecycle_idx").on(t.lifecycle),
  ],
);
