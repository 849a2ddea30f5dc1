// The one lookup of a model by slug that every area shares: a slug that is not even well-formed is
// "not there" (NOT_FOUND), like an unknown one, so a probe learns nothing and no query runs on junk;
// and the MLflow door's look-up by name, which sees only models not deleted through MLflow.
import { and, asc, eq, notExists, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mlflowDeletedModels, models } from "@/db/schema";
import { Invalid, NotFound } from "@/server/errors";
import { ZSlug } from "./schemas";

export type ModelRow = typeof models.$inferSelect;

export async function modelBySlug(db: Db, slug: string): Promise<ModelRow> {
  const parsed = ZSlug.safeParse(slug);
  const [m] = parsed.success ? await db.select().from(models).where(eq(models.slug, parsed.data)) : [];
  if (!m) throw new NotFound(`Model ${slug}`);
  return m;
}

/** Models not deleted through MLflow: the MLflow view shows only these (Sentinel keeps the others). */
export const liveModel = () => notExists(sql`(select 1 from ${mlflowDeletedModels} where ${mlflowDeletedModels.modelId} = ${models.id})`);

/**
 * A live model by its MLflow name: by display name first, then by slug, so Sentinel-made models are
 * reachable from MLflow too.
 */
export async function modelByName(db: Db, name: string): Promise<ModelRow> {
  if (!name) throw new Invalid("Missing value for required parameter 'name'");
  const [row] = await db
    .select()
    .from(models)
    .where(and(or(eq(models.name, name), eq(models.slug, name)), liveModel()))
    .orderBy(sql`(${models.name} = ${name}) desc`, asc(models.createdAt))
    .limit(1);
  if (!row) throw new NotFound(`Registered Model with name=${name}`);
  return row;
}

/** A slug for an MLflow name ("Lane Detector v2" → "lane-detector-v2"); the name stays the display name. */
export function slugFromName(name: string): string {
  let s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 56)
    .replace(/-+$/, "");
  if (s.length < 2) s = s ? `${s}-model` : "model";
  return s;
}

/** A model by slug that has not been deleted through MLflow (what the run page may register into). */
export async function liveModelBySlug(db: Db, slug: string): Promise<ModelRow> {
  const parsed = ZSlug.safeParse(slug);
  const [m] = parsed.success
    ? await db
        .select()
        .from(models)
        .where(and(eq(models.slug, parsed.data), liveModel()))
    : [];
  if (!m) throw new NotFound(`Model ${slug}`);
  return m;
}
