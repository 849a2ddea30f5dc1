// The run → dataset part of lineage as an OpenLineage RunEvent (spec 2-0-2), for Marquez and other consumers:
// inputs are the MLflow datasets the run logged, outputs the model versions registered from it.
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { experiments, mlflowDatasets, mlflowRunInputs, models, modelVersions, runs } from "@/db/schema";
import { NotFound } from "@/server/errors";
import { ZOpenLineageQuery } from "./schemas";

const RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
const VERSION_FACET_SCHEMA = "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet";
/** Who produced the metadata: a URI naming this exporter (the spec wants a URI, not necessarily a fetchable one). */
export const OPENLINEAGE_PRODUCER = "https://sentinel.internal/lineage/openlineage";
export const OPENLINEAGE_NAMESPACE = "sentinel";
/** More inputs than this and the event would be a dump, not lineage. */
const MAX_DATASETS = 500;

const EVENT_TYPE = { SCHEDULED: "START", RUNNING: "RUNNING", FINISHED: "COMPLETE", FAILED: "FAIL", KILLED: "ABORT" } as const;

export type OpenLineageDataset = { namespace: string; name: string; facets?: Record<string, Record<string, unknown>> };
export type OpenLineageRunEvent = {
  eventType: (typeof EVENT_TYPE)[keyof typeof EVENT_TYPE];
  eventTime: string;
  run: { runId: string };
  job: { namespace: string; name: string };
  inputs: OpenLineageDataset[];
  outputs: OpenLineageDataset[];
  producer: string;
  schemaURL: string;
};

/** OpenLineage run ids are UUIDs; an MLflow run id is the same 128 bits without the dashes. */
const asUuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/** The spec's naming: s3://bucket/key is namespace s3://bucket and name key; file:///p is namespace file and name /p. */
export function datasetName(source: string, fallbackName: string): { namespace: string; name: string } {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?/i.exec(source);
  const scheme = m?.[1].toLowerCase();
  const path = m?.[3] ?? "";
  if (scheme === "file" && path) return { namespace: "file", name: path };
  if (m && scheme && m[2] && path.replace(/^\/+/, "")) return { namespace: `${scheme}://${m[2]}`, name: path.replace(/^\/+/, "") };
  return { namespace: OPENLINEAGE_NAMESPACE, name: fallbackName };
}

export async function runOpenLineageEvent(db: Db, input: unknown): Promise<OpenLineageRunEvent> {
  const p = ZOpenLineageQuery.parse(input);
  const runId = p.run.toLowerCase();
  const [run] = await db
    .select({ status: runs.status, startTime: runs.startTime, endTime: runs.endTime, experiment: experiments.name })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(eq(runs.runId, runId));
  if (!run) throw new NotFound(`Run ${runId}`);
  const inputs = await db
    .select({ name: mlflowDatasets.name, digest: mlflowDatasets.digest, source: mlflowDatasets.source })
    .from(mlflowRunInputs)
    .innerJoin(mlflowDatasets, eq(mlflowDatasets.id, mlflowRunInputs.datasetId))
    .where(eq(mlflowRunInputs.runId, runId))
    .orderBy(asc(mlflowDatasets.name))
    .limit(MAX_DATASETS);
  const outputs = await db
    .select({ slug: models.slug, number: modelVersions.number })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(sql`(${modelVersions.lineage} ->> 'sourceRunId') = ${runId}`)
    .orderBy(asc(models.slug), asc(modelVersions.number))
    .limit(MAX_DATASETS);
  const version = (v: string) => ({ version: { _producer: OPENLINEAGE_PRODUCER, _schemaURL: VERSION_FACET_SCHEMA, datasetVersion: v } });
  const eventType = EVENT_TYPE[run.status];
  const at = eventType === "COMPLETE" || eventType === "FAIL" || eventType === "ABORT" ? (run.endTime ?? run.startTime) : run.startTime;
  return {
    eventType,
    eventTime: new Date(at).toISOString(),
    run: { runId: asUuid(runId) },
    job: { namespace: OPENLINEAGE_NAMESPACE, name: run.experiment },
    inputs: inputs.map((d) => ({ ...datasetName(d.source, d.name), facets: version(d.digest) })),
    outputs: outputs.map((o) => ({ namespace: OPENLINEAGE_NAMESPACE, name: `models/${o.slug}`, facets: version(String(o.number)) })),
    producer: OPENLINEAGE_PRODUCER,
    schemaURL: RUN_EVENT_SCHEMA,
  };
}
