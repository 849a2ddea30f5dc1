// Registering a model version from a run's source (`runs:/`, `mlflow-artifacts:/`, `models:/`, a
// URI): MLflow's create-model-version semantics on the Sentinel registry, shared by every door.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { mlflowArtifactFiles, modelAliases, modelVersions } from "@/db/schema";
import { versionMetricsOf } from "@/lib/version-metrics";
import { artifactStore } from "@/server/artifacts";
import type { Actor } from "@/server/auth/roles";
import { env } from "@/server/env";
import { DomainError, Invalid, NotFound } from "@/server/errors";
import { proxiedRootOf } from "@/server/experiments/artifacts";
import { findRunRef, getRun } from "@/server/experiments/service";
import { modelByName, type ModelRow } from "./lookup";
import { registerVersion } from "./service";
import { isLocalSource, isModelsUri, parseModelsUri, STATUS_OF, validateModelVersionSource } from "./source";

/** Where a version's bytes are said to be when no copy is held: the URI as given, a local path as file://. */
function artifactUriFor(source: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(source) ? source : `file://${source}`;
}

/**
 * The ONNX file a `runs:/` or `mlflow-artifacts:/` source names, when this portal holds it: the file
 * itself, or the single .onnx file directly inside the named directory (how MLflow's onnx flavor saves).
 */
async function heldOnnxFile(db: Db, source: string, run: { artifactUri: string } | null) {
  let dir: string | null = null;
  const runsUri = /^runs:\/[0-9a-f]{32}\/?(.*)$/i.exec(source);
  if (runsUri && run) {
    const root = proxiedRootOf(run.artifactUri);
    if (root !== null) dir = [root, runsUri[1].replace(/\/+$/, "")].filter(Boolean).join("/");
  } else if (source.startsWith("mlflow-artifacts:")) {
    dir = proxiedRootOf(source.replace(/\/+$/, ""));
  }
  if (dir === null) return null;
  const [exact] = await db.select().from(mlflowArtifactFiles).where(eq(mlflowArtifactFiles.path, dir));
  if (exact) return exact.path.endsWith(".onnx") ? exact : null;
  const inside = await db
    .select()
    .from(mlflowArtifactFiles)
    .where(
      sql`${mlflowArtifactFiles.path} like ${`${dir.replace(/[\\%_]/g, (c) => `\\${c}`)}/%.onnx`} and position('/' in substr(${mlflowArtifactFiles.path}, ${sql.raw(String(dir.length + 2))})) = 0`,
    )
    .limit(2);
  return inside.length === 1 ? inside[0] : null;
}

/**
 * The version a `models:/` source names, as MLflow's store resolves it when creating a version from
 * one: the new version's storage is the named version's (here: its held bytes, or its URI). MLflow
 * 2.12.2's server resolves only `models:/<name>/<number>` and answers 500 for a stage, `latest` or an
 * alias (it passes no version to its look-up); Sentinel resolves those as MLflow's client resolves
 * models:/ URIs everywhere else: the newest version in that stage, the newest version, the alias.
 */
async function resolveModelsSource(db: Db, source: string): Promise<{ sha256: string | null; uri: string | null; fileName: string | null }> {
  const ref = parseModelsUri(source);
  const unable = (why: string) => new Invalid(`Unable to fetch model from model URI source artifact location '${source}'.Error: ${why}`);
  let number: number;
  let model: ModelRow;
  try {
    model = await modelByName(db, ref.name);
  } catch (e) {
    if (!(e instanceof NotFound)) throw e;
    if (ref.version !== undefined) throw unable(`Model Version (name=${ref.name}, version=${Number(ref.version)}) not found`);
    throw unable(`Registered Model with name=${ref.name} not found`);
  }
  if (ref.version !== undefined) {
    number = Number(ref.version);
  } else if (ref.alias !== undefined) {
    const [a] = await db
      .select({ n: modelVersions.number })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, ref.alias)));
    if (!a) throw unable(`Registered model alias ${ref.alias} not found.`);
    number = a.n;
  } else {
    const status = ref.stage === undefined ? undefined : STATUS_OF[ref.stage.toLowerCase()];
    if (ref.stage !== undefined && !status)
      throw unable(`Invalid Model Version stage: ${ref.stage}. Value must be one of None, Staging, Production, Archived.`);
    const [latest] = await db
      .select({ n: modelVersions.number })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), status ? eq(modelVersions.status, status) : undefined))
      .orderBy(desc(modelVersions.number))
      .limit(1);
    if (!latest) throw unable(`No versions of model with name '${ref.name}'${ref.stage === undefined ? "" : ` and stage '${ref.stage}'`} found`);
    number = latest.n;
  }
  const [v] = await db
    .select({ sha256: modelVersions.artifactSha256, uri: modelVersions.artifactUri, fileName: modelVersions.fileName })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)));
  if (!v) throw unable(`Model Version (name=${ref.name}, version=${number}) not found`);
  return v;
}

const ZVersionFromRun = z.strictObject({
  source: z.string(),
  runId: z.string().optional(),
  description: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
});

/**
 * The one "register a version from a run's source", behind MLflow's create-model-version and the run
 * page's "Register as model version": checks the source (before the model, as MLflow does), records
 * the run as lineage (external when this portal does not track it) with its latest metrics under
 * `versionMetricsOf`'s rule, and copies the ONNX bytes into the registry when the portal holds them.
 * `model` finds (or, for the run page's new name, creates) the model once the source passed.
 */
export async function registerVersionFromRun(db: Db, actor: Actor, model: () => Promise<ModelRow>, raw: unknown) {
  const input = ZVersionFromRun.parse(raw);
  const { source } = input;
  const runId = input.runId || undefined;
  // MLflow checks the source before the model; a local source with a run_id looks the run up (404 if unknown).
  const runRow = runId ? await findRunRef(db, runId) : null;
  if (runId && !runRow && isLocalSource(source)) throw new NotFound(`Run with id=${runId}`);
  validateModelVersionSource(source, runId, runRow);
  const referenced = isModelsUri(source) ? await resolveModelsSource(db, source) : null;
  const target = await model();
  const sourceRunId = runId ?? /^runs:\/([0-9a-f]{32})(\/|$)/i.exec(source)?.[1];
  let runMetrics: Record<string, number> = {};
  let external = false;
  const sourceRun = sourceRunId ? (runRow?.runId === sourceRunId ? runRow : await findRunRef(db, sourceRunId)) : null;
  if (sourceRunId && sourceRun) {
    const run = await getRun(db, sourceRunId);
    runMetrics = versionMetricsOf(run.data.metrics);
  } else if (sourceRunId) {
    // MLflow keeps run_id as a plain string: a run this portal does not track is recorded as external.
    external = true;
  }
  const metadata = {
    description: input.description ?? "",
    tags: input.tags ?? {},
    lineage: {
      ...(sourceRunId ? { sourceRunId: sourceRunId.slice(0, 200) } : {}),
      ...(external ? { externalRun: true } : {}),
      sourceUri: source.slice(0, 2000),
    },
    metrics: runMetrics,
  };
  if (referenced) {
    // models:/ shares the named version's storage: its held bytes, or the URI it points at.
    if (referenced.sha256) {
      const staged = await artifactStore.stage(await artifactStore.openRead(referenced.sha256), env.MAX_ARTIFACT_BYTES);
      const v = await registerVersion(db, artifactStore, actor, target.slug, metadata, { staged, fileName: referenced.fileName ?? undefined });
      return { model: target, number: v.version.number };
    }
    const v = await registerVersion(db, artifactStore, actor, target.slug, { ...metadata, artifactUri: referenced.uri ?? source });
    return { model: target, number: v.version.number };
  }
  // Copy the ONNX bytes into the registry when the portal holds them, so the playground can run the version.
  const held = await heldOnnxFile(db, source, sourceRun);
  if (held) {
    const staged = await artifactStore.stage(await artifactStore.openRead(held.sha256), env.MAX_ARTIFACT_BYTES);
    try {
      const v = await registerVersion(db, artifactStore, actor, target.slug, metadata, { staged, fileName: held.path.split("/").pop() });
      return { model: target, number: v.version.number };
    } catch (e) {
      // Not a readable ONNX file: fall back to referencing the source, as MLflow does.
      if (!(e instanceof DomainError && e.code === "INVALID")) throw e;
    }
  }
  const v = await registerVersion(db, artifactStore, actor, target.slug, { ...metadata, artifactUri: artifactUriFor(source) });
  return { model: target, number: v.version.number };
}
