// Ownership facts other areas read from the catalog, kept apart from the catalog service so they import nothing heavy.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { catalogEntities } from "@/db/schema";

/** The on-call rotation the catalog gives a model (its owning team's), or null. */
export async function owningRotationId(db: Db, modelId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: catalogEntities.rotationId })
    .from(catalogEntities)
    .where(and(eq(catalogEntities.kind, "model"), eq(catalogEntities.refId, modelId)))
    .limit(1);
  return row?.id ?? null;
}
