// Models in the command palette.
import { desc } from "drizzle-orm";
import { models } from "@/db/schema";
import { registerPaletteSource } from "@/server/palette";

registerPaletteSource(async (db) =>
  (await db.select({ slug: models.slug, name: models.name }).from(models).orderBy(desc(models.updatedAt)).limit(200)).map((m) => ({
    href: `/models/${m.slug}`,
    label: `${m.name} (${m.slug})`,
    group: "Models",
  })),
);
