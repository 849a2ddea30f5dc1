// Sweeps in the command palette: the newest parent runs that have trials, as "Sweeps" entries.
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { runs, runTags } from "@/db/schema";
import { registerPaletteSource } from "@/server/palette";
import { PARENT_TAG } from "./service";

const parent = alias(runs, "parent");

registerPaletteSource(async (db) =>
  (
    await db
      .select({ runId: parent.runId, runName: parent.runName, experimentId: parent.experimentId, trials: sql<number>`count(*)::int` })
      .from(runTags)
      .innerJoin(parent, eq(parent.runId, runTags.value))
      .where(and(eq(runTags.key, PARENT_TAG), eq(parent.lifecycleStage, "active")))
      .groupBy(parent.runId, parent.runName, parent.experimentId, parent.startTime)
      .orderBy(desc(parent.startTime))
      .limit(50)
  ).map((p) => ({
    href: `/experiments/${p.experimentId}/sweeps/${p.runId}`,
    label: `${p.runName || p.runId.slice(0, 8)} · sweep of ${p.trials} trials`,
    group: "Sweeps",
  })),
);
