// The one lookup of a model by slug that every area shares: a slug that is not even well-formed is
// "not there" (NOT_FOUND), like an unknown one, so a probe learns nothing and no query runs on junk.
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models } from "@/db/schema";
import { NotFound } from "@/server/errors";
import { ZSlug } from "./schemas";

export type ModelRow = typeof models.$inferSelect;

export async function modelBySlug(db: Db, slug: string): Promise<ModelRow> {
  const parsed = ZSlug.safeParse(slug);
  const [m] = parsed.success ? await db.select().from(models).where(eq(models.slug, parsed.data)) : [];
  if (!m) throw new NotFound(`Model ${slug}`);
  return m;
}
