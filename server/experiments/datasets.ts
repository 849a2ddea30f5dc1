// MLflow datasets and run inputs: a dataset belongs to an experiment and is keyed by name and digest;
// a run records which datasets it used, with input tags such as mlflow.data.context = "training".
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { mlflowDatasets, mlflowRunInputs, runs } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Invalid, NotFound } from "@/server/errors";

export const DATASET_CONTEXT_TAG = "mlflow.data.context";

// MLflow's field limits and messages ("Dataset name exceeds the maximum length of 500").
const field = (what: string, max: number) =>
  z
    .string({ error: (i) => (i.input === undefined || i.input === null ? `${what} cannot be None` : `${what} must be a string`) })
    .max(max, `${what} exceeds the maximum length of ${max}`);

export const ZDatasetInput = z.object({
  dataset: z.object(
    {
      name: field("Dataset name", 500),
      digest: field("Dataset digest", 36),
      source_type: field("Dataset source_type", 65535),
      source: field("Dataset source", 65535),
      schema: field("Dataset schema", 65535).nullish(),
      profile: field("Dataset profile", 16777215).nullish(),
    },
    { error: "Dataset cannot be None" },
  ),
  tags: z
    .array(z.object({ key: field("InputTag key", 255), value: field("InputTag value", 500) }, { error: "InputTag cannot be None" }))
    .nullish()
    .transform((t) => t ?? []),
});
export const ZLogInputs = z.object({ runId: z.string().min(1), datasets: z.array(ZDatasetInput).max(1000, "A request may log at most 1000 datasets") });
export type TLogInputs = z.input<typeof ZLogInputs>;

export type DatasetInputView = {
  tags: { key: string; value: string }[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema?: string; profile?: string };
};

/** Records the datasets a run used; a dataset already logged to the run keeps its first input tags, as MLflow does. */
export async function logInputs(db: Db, actor: Actor, input: unknown): Promise<void> {
  const parsed = ZLogInputs.safeParse(input);
  if (!parsed.success) throw new Invalid(parsed.error.issues[0].message);
  const data = parsed.data;
  await db.transaction(async (tx) => {
    const [run] = await tx.select().from(runs).where(eq(runs.runId, data.runId)).for("update");
    if (!run) throw new NotFound(`Run with id=${data.runId}`);
    if (run.lifecycleStage !== "active") throw new Invalid(`The run ${run.runId} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
    const unique = [...new Map(data.datasets.map((d) => [`${d.dataset.name}\u0000${d.dataset.digest}`, d])).values()];
    const logged: string[] = [];
    for (const d of unique) {
      const ds = d.dataset;
      await tx
        .insert(mlflowDatasets)
        .values({
          experimentId: run.experimentId,
          name: ds.name,
          digest: ds.digest,
          sourceType: ds.source_type,
          source: ds.source,
          schema: ds.schema ?? null,
          profile: ds.profile ?? null,
        })
        .onConflictDoNothing();
      const [row] = await tx
        .select({ id: mlflowDatasets.id })
        .from(mlflowDatasets)
        .where(and(eq(mlflowDatasets.experimentId, run.experimentId), eq(mlflowDatasets.name, ds.name), eq(mlflowDatasets.digest, ds.digest)));
      const inserted = await tx
        .insert(mlflowRunInputs)
        .values({ runId: run.runId, datasetId: row.id, tags: d.tags })
        .onConflictDoNothing()
        .returning({ id: mlflowRunInputs.datasetId });
      if (inserted.length) logged.push(`${ds.name}@${ds.digest}`);
    }
    if (logged.length) await writeAudit(tx, actor, { action: "run.log_inputs", entityType: "run", entityId: run.runId, after: { datasets: logged } });
  });
}

/** Dataset inputs per run, in MLflow's shape, for runs/get and runs/search (one query). */
export async function runInputs(db: Db, runIds: string[]): Promise<Map<string, DatasetInputView[]>> {
  const out = new Map<string, DatasetInputView[]>(runIds.map((id) => [id, []]));
  if (!runIds.length) return out;
  const rows = await db
    .select({ runId: mlflowRunInputs.runId, tags: mlflowRunInputs.tags, d: mlflowDatasets })
    .from(mlflowRunInputs)
    .innerJoin(mlflowDatasets, eq(mlflowDatasets.id, mlflowRunInputs.datasetId))
    .where(inArray(mlflowRunInputs.runId, runIds))
    .orderBy(mlflowRunInputs.createdAt, mlflowDatasets.name);
  for (const r of rows) {
    out.get(r.runId)?.push({
      tags: r.tags,
      dataset: {
        name: r.d.name,
        digest: r.d.digest,
        source_type: r.d.sourceType,
        source: r.d.source,
        ...(r.d.schema !== null ? { schema: r.d.schema } : {}),
        ...(r.d.profile !== null ? { profile: r.d.profile } : {}),
      },
    });
  }
  return out;
}

/** MLflow's dataset summaries for up to 20 experiments: one per dataset and context, at most 1000. */
export async function searchDatasets(db: Db, experimentIds: unknown) {
  const ids = Array.isArray(experimentIds) ? experimentIds : [];
  if (!ids.length) throw new Invalid("SearchDatasets request must specify at least one experiment_id.");
  if (ids.length > 20) throw new Invalid(`SearchDatasets request cannot specify more than 20 experiment_ids. Received ${ids.length} experiment_ids.`);
  const numeric = ids
    .map(String)
    .filter((id) => /^\d{1,18}$/.test(id))
    .map(Number);
  if (!numeric.length) return [];
  const rows = await db
    .select({ experimentId: mlflowDatasets.experimentId, name: mlflowDatasets.name, digest: mlflowDatasets.digest, tags: mlflowRunInputs.tags })
    .from(mlflowDatasets)
    .innerJoin(mlflowRunInputs, eq(mlflowRunInputs.datasetId, mlflowDatasets.id))
    .where(inArray(mlflowDatasets.experimentId, numeric))
    .limit(10_000);
  const seen = new Map<string, { experiment_id: string; name: string; digest: string; context?: string }>();
  for (const r of rows) {
    const context = r.tags.find((t) => t.key === DATASET_CONTEXT_TAG)?.value;
    const key = [r.experimentId, r.name, r.digest, context ?? ""].join("\u0000");
    if (!seen.has(key)) seen.set(key, { experiment_id: String(r.experimentId), name: r.name, digest: r.digest, ...(context !== undefined ? { context } : {}) });
    if (seen.size >= 1000) break;
  }
  return [...seen.values()];
}
