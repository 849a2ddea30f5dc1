// Experiments in the command palette up front; runs (too many to list) found by name or by the start of their id.
import { and, desc, eq, ilike, like, or } from "drizzle-orm";
import { experiments, runs } from "@/db/schema";
import { containsPattern, registerPaletteSearch, registerPaletteSource } from "@/server/palette";

registerPaletteSource(async (db) =>
  (
    await db
      .select({ id: experiments.id, name: experiments.name })
      .from(experiments)
      .where(eq(experiments.lifecycleStage, "active"))
      .orderBy(desc(experiments.updatedAt))
      .limit(100)
  ).map((e) => ({
    href: `/experiments/${e.id}`,
    label: e.name,
    group: "Experiments",
  })),
);

registerPaletteSearch(async (db, q, limit) => {
  const idPrefix = /^[0-9a-f]{4,32}$/i.test(q) ? like(runs.runId, `${q.toLowerCase()}%`) : undefined;
  const rows = await db
    .select({ runId: runs.runId, runName: runs.runName, experimentId: runs.experimentId, experiment: experiments.name })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(and(eq(runs.lifecycleStage, "active"), idPrefix ? or(idPrefix, ilike(runs.runName, containsPattern(q))) : ilike(runs.runName, containsPattern(q))))
    .orderBy(desc(runs.startTime))
    .limit(limit);
  return rows.map((r) => ({
    href: `/experiments/${r.experimentId}/runs/${r.runId}`,
    label: `${r.runName || "(unnamed run)"} · run ${r.runId.slice(0, 8)} in ${r.experiment}`,
    group: "Runs",
  }));
});
