// Models and their versions in the command palette.
import { desc, eq } from "drizzle-orm";
import { models, modelVersions } from "@/db/schema";
import { registerPaletteSource } from "@/server/palette";

registerPaletteSource(async (db) => {
  const [ms, vs] = await Promise.all([
    db.select({ slug: models.slug, name: models.name }).from(models).orderBy(desc(models.updatedAt)).limit(200),
    db
      .select({ slug: models.slug, name: models.name, number: modelVersions.number })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .orderBy(desc(modelVersions.createdAt))
      .limit(200),
  ]);
  return [
    ...ms.map((m) => ({ href: `/models/${m.slug}`, label: `${m.name} (${m.slug})`, group: "Models" })),
    ...vs.map((v) => ({ href: `/models/${v.slug}/versions/${v.number}`, label: `${v.name} v${v.number}`, group: "Versions" })),
  ];
});
