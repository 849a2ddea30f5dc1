// MLflow's model-registry subset mapped onto the Sentinel registry: a registered model is a model
// (found by its display name or its slug), a version is a version, and `runs:/` sources record lineage.
import { and, asc, desc, eq, inArray, notExists, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/auth/roles";
import { mlflowArtifactFiles, mlflowDeletedModels, modelAliases, models, modelVersions, runs, users } from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { writeAudit } from "@/server/audit/service";
import { env } from "@/server/env";
import { Conflict, DomainError, Invalid, NotFound } from "@/server/errors";
import { VERSION_STATUSES, ZSlug, type TLineage } from "@/server/registry/schemas";
import { createModel, deleteAlias, registerVersion, resolveAlias, setAlias, updateModel, updateVersion } from "@/server/registry/service";
import { compareSql, parseEntityFilter } from "./filter";
import type { Args, Endpoint, HandlerArgs } from "./mlflow";
import { decodePageToken, encodePageToken, ZOffsetToken } from "./page-token";
import { proxiedRootOf } from "./mlflow-artifacts";
import { isLocalSource, isModelsUri, parseModelsUri, validateModelVersionSource } from "./mlflow-source";
import { getRun } from "./service";

type VersionStatus = (typeof VERSION_STATUSES)[number];
/** Sentinel's version status shown as MLflow's (deprecated but still read) stage. */
const STAGE_OF: Record<VersionStatus, string> = { draft: "None", candidate: "Staging", approved: "Production", archived: "Archived" };
const STATUS_OF: Record<string, VersionStatus> = { none: "draft", staging: "candidate", production: "approved", archived: "archived" };

export type ModelRow = typeof models.$inferSelect;

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

/** Models not deleted through MLflow: the MLflow view shows only these (Sentinel keeps the others). */
export const liveModel = () => notExists(sql`(select 1 from ${mlflowDeletedModels} where ${mlflowDeletedModels.modelId} = ${models.id})`);

/** By display name first, then by slug, so Sentinel-made models are reachable from MLflow too. */
async function modelByName(db: Db, name: string): Promise<ModelRow> {
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

function versionNumber(args: Args): number {
  const v = args.required("version");
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new Invalid(`Model version must be a positive integer, got '${v}'`);
  return Number(v);
}

/**
 * The registry's update schemas default a missing `tags` to {} (zod 4 applies the default inside
 * optional), so a partial update would wipe the tags: every update here sends the current ones.
 */
async function updateModelKeepingTags(db: Db, actor: HandlerArgs["actor"], model: ModelRow, patch: { name?: string; description?: string; tags?: Record<string, string> }) {
  return updateModel(db, actor, model.slug, { tags: model.tags, ...patch });
}

async function updateVersionKeepingTags(db: Db, actor: HandlerArgs["actor"], model: ModelRow, number: number, patch: { description?: string; status?: VersionStatus; tags?: Record<string, string> }) {
  const [v] = await db
    .select({ tags: modelVersions.tags })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)));
  if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${number})`);
  return updateVersion(db, actor, model.slug, number, { tags: v.tags, ...patch });
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

// ---------------------------------------------------------------- reads in MLflow's shapes

type VersionJson = ReturnType<typeof toVersionJson>;

function toVersionJson(r: { model: ModelRow; version: typeof modelVersions.$inferSelect; createdBy: string | null }, aliases: string[]) {
  const lineage = (r.version.lineage ?? {}) as TLineage;
  return {
    name: r.model.name,
    version: String(r.version.number),
    creation_timestamp: r.version.createdAt.getTime(),
    last_updated_timestamp: r.version.updatedAt.getTime(),
    user_id: r.createdBy ?? "",
    current_stage: STAGE_OF[r.version.status],
    description: r.version.description,
    source: lineage.sourceUri ?? r.version.artifactUri ?? `models:/${r.model.slug}/${r.version.number}`,
    run_id: lineage.sourceRunId ?? "",
    run_link: "",
    // Sentinel registers synchronously: a version exists only once it is complete.
    status: "READY",
    tags: tagList(r.version.tags),
    aliases,
  };
}

/** Versions matching `where`, with their aliases, in two queries. */
async function versionsJson(db: Db, where: SQL | undefined, opts: { order?: SQL[]; limit?: number; offset?: number } = {}): Promise<VersionJson[]> {
  const rows = await db
    .select({ model: models, version: modelVersions, createdBy: users.email })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .leftJoin(users, eq(users.id, modelVersions.createdBy))
    .where(where)
    .orderBy(...(opts.order ?? [asc(models.name), desc(modelVersions.number)]))
    .limit(opts.limit ?? 1000)
    .offset(opts.offset ?? 0);
  const aliasRows = rows.length
    ? await db
        .select({ versionId: modelAliases.versionId, alias: modelAliases.alias })
        .from(modelAliases)
        .where(inArray(modelAliases.versionId, rows.map((r) => r.version.id)))
        .orderBy(asc(modelAliases.alias))
    : [];
  return rows.map((r) => toVersionJson(r, aliasRows.filter((a) => a.versionId === r.version.id).map((a) => a.alias)));
}

async function versionJson(db: Db, model: ModelRow, number: number): Promise<VersionJson> {
  const [v] = await versionsJson(db, and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)));
  if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${number})`);
  return v;
}

async function registeredModelsJson(db: Db, rows: ModelRow[]) {
  if (!rows.length) return [];
  const ids = rows.map((m) => m.id);
  // The newest version per stage, as MLflow's latest_versions.
  const latest = await db
    .selectDistinctOn([modelVersions.modelId, modelVersions.status], { id: modelVersions.id, modelId: modelVersions.modelId })
    .from(modelVersions)
    .where(inArray(modelVersions.modelId, ids))
    .orderBy(modelVersions.modelId, modelVersions.status, desc(modelVersions.number));
  const [latestJson, aliasRows, owners] = await Promise.all([
    latest.length ? versionsJson(db, inArray(modelVersions.id, latest.map((l) => l.id))) : Promise.resolve([]),
    db
      .select({ modelId: modelAliases.modelId, alias: modelAliases.alias, version: modelVersions.number })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(inArray(modelAliases.modelId, ids))
      .orderBy(asc(modelAliases.alias)),
    db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, rows.map((m) => m.createdBy).filter((x): x is string => Boolean(x)))),
  ]);
  return rows.map((m) => ({
    name: m.name,
    creation_timestamp: m.createdAt.getTime(),
    last_updated_timestamp: m.updatedAt.getTime(),
    user_id: owners.find((o) => o.id === m.createdBy)?.email ?? "",
    description: m.description,
    latest_versions: latestJson.filter((v) => v.name === m.name).sort((a, b) => Number(a.version) - Number(b.version)),
    tags: tagList(m.tags),
    aliases: aliasRows.filter((a) => a.modelId === m.id).map((a) => ({ alias: a.alias, version: String(a.version) })),
  }));
}

async function registeredModelJson(db: Db, model: ModelRow) {
  return { registered_model: (await registeredModelsJson(db, [model]))[0] };
}

// ---------------------------------------------------------------- handlers

/**
 * Creates a registered model under an MLflow name (the slug is derived and made unique); refused
 * with MLflow's RESOURCE_ALREADY_EXISTS when a live model has that name or slug. Used by the MLflow
 * door and by the run page's "Register as model version" with a new name.
 */
export async function createRegisteredModel(db: Db, actor: Actor, input: { name: string; description?: string; tags?: Record<string, string> }): Promise<ModelRow> {
  const { name } = input;
  const tags = input.tags ?? {};
  const [taken] = await db
    .select({ id: models.id })
    .from(models)
    .where(and(or(eq(models.name, name), eq(models.slug, name)), liveModel()));
  if (taken) throw new Conflict(`Registered Model (name=${name}) already exists.`);
  const base = slugFromName(name);
  let slug = base;
  for (let i = 2; (await db.select({ id: models.id }).from(models).where(eq(models.slug, slug))).length; i++) slug = `${base}-${i}`;
  ZSlug.parse(slug);
  return createModel(db, actor, { slug, name, team: tags.team || "mlflow", task: "other", description: input.description ?? "", tags });
}

async function createRegisteredModelHandler({ db, actor, args }: HandlerArgs) {
  const name = args.required("name");
  const tags = Object.fromEntries(args.keyValues("tags").map((t) => [t.key, t.value]));
  return registeredModelJson(db, await createRegisteredModel(db, actor, { name, description: args.str("description"), tags }));
}

/** MLflow's store orders names byte by byte (upper case first), whatever the database's collation. */
const nameInByteOrder = sql`${models.name} collate "C"`;

async function searchRegisteredModels({ db, args }: HandlerArgs) {
  const where: SQL[] = [liveModel()];
  for (const c of parseEntityFilter(args.str("filter"), { name: "string" })) {
    where.push(c.kind === "tag" ? compareSql(sql`(${models.tags} ->> ${c.key})`, c.op, c.value) : or(compareSql(sql`${models.name}`, c.op, c.value), compareSql(sql`${models.slug}`, c.op, c.value))!);
  }
  const order = args.strings("order_by").map((clause) => {
    const m = /^\s*(name|timestamp|last_updated_timestamp)\s*(asc|desc)?\s*$/i.exec(clause);
    if (!m) throw new Invalid(`Invalid order_by clause '${clause}': use name, timestamp or last_updated_timestamp, then ASC or DESC`);
    const col = m[1].toLowerCase() === "name" ? nameInByteOrder : models.updatedAt;
    return m[2]?.toLowerCase() === "desc" ? desc(col) : asc(col);
  });
  const maxResults = args.int("max_results") ?? 100;
  if (maxResults < 1 || maxResults > 1000) throw new Invalid(`max_results must be between 1 and 1000, got ${maxResults}`);
  const offset = decodePageToken(args.str("page_token"), ZOffsetToken)?.o ?? 0;
  const rows = await db
    .select()
    .from(models)
    .where(and(...where))
    .orderBy(...order, asc(nameInByteOrder), asc(models.id))
    .limit(maxResults + 1)
    .offset(offset);
  const page = rows.slice(0, maxResults);
  return { registered_models: await registeredModelsJson(db, page), ...(rows.length > maxResults ? { next_page_token: encodePageToken({ o: offset + maxResults }) } : {}) };
}

async function searchModelVersions({ db, args }: HandlerArgs) {
  const where: SQL[] = [liveModel()];
  for (const c of parseEntityFilter(args.str("filter"), { name: "string", run_id: "string", source_path: "string", version_number: "number" })) {
    if (c.kind === "tag") where.push(compareSql(sql`(${modelVersions.tags} ->> ${c.key})`, c.op, c.value));
    else if (c.key === "name") where.push(or(compareSql(sql`${models.name}`, c.op, c.value), compareSql(sql`${models.slug}`, c.op, c.value))!);
    else if (c.key === "run_id") where.push(compareSql(sql`(${modelVersions.lineage} ->> 'sourceRunId')`, c.op, c.value));
    else if (c.key === "source_path") where.push(compareSql(sql`coalesce(${modelVersions.lineage} ->> 'sourceUri', ${modelVersions.artifactUri})`, c.op, c.value));
    else where.push(compareSql(sql`${modelVersions.number}`, c.op, c.value));
  }
  const maxResults = args.int("max_results") ?? 10_000;
  if (maxResults < 1 || maxResults > 200_000) throw new Invalid(`max_results must be between 1 and 200000, got ${maxResults}`);
  const offset = decodePageToken(args.str("page_token"), ZOffsetToken)?.o ?? 0;
  const found = await versionsJson(db, and(...where), { limit: maxResults + 1, offset });
  return { model_versions: found.slice(0, maxResults), ...(found.length > maxResults ? { next_page_token: encodePageToken({ o: offset + maxResults }) } : {}) };
}

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
    .where(sql`${mlflowArtifactFiles.path} like ${`${dir.replace(/[\\%_]/g, (c) => `\\${c}`)}/%.onnx`} and position('/' in substr(${mlflowArtifactFiles.path}, ${sql.raw(String(dir.length + 2))})) = 0`)
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
    if (ref.stage !== undefined && !status) throw unable(`Invalid Model Version stage: ${ref.stage}. Value must be one of None, Staging, Production, Archived.`);
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

export type VersionFromSource = { source: string; runId?: string; description?: string; tags?: Record<string, string> };

/**
 * MLflow's create-model-version on the Sentinel registry, the one copy of "register from a source":
 * checks the source (before the model, as MLflow does), records the run as lineage (external when
 * this portal does not track it), and copies the ONNX bytes into the registry when the portal holds
 * them. `model` finds (or, for the run page's new name, creates) the model once the source passed.
 */
export async function registerVersionFromSource(db: Db, actor: Actor, model: () => Promise<ModelRow>, input: VersionFromSource) {
  const { source } = input;
  const runId = input.runId || undefined;
  // MLflow checks the source before the model; a local source with a run_id looks the run up (404 if unknown).
  const [runRow] = runId ? await db.select({ runId: runs.runId, artifactUri: runs.artifactUri }).from(runs).where(eq(runs.runId, runId)) : [];
  if (runId && !runRow && isLocalSource(source)) throw new NotFound(`Run with id=${runId}`);
  validateModelVersionSource(source, runId, runRow ?? null);
  const referenced = isModelsUri(source) ? await resolveModelsSource(db, source) : null;
  const target = await model();
  const sourceRunId = runId ?? /^runs:\/([0-9a-f]{32})(\/|$)/i.exec(source)?.[1];
  let runMetrics: Record<string, number> = {};
  let external = false;
  const sourceRun = sourceRunId ? (runRow?.runId === sourceRunId ? runRow : (await db.select({ runId: runs.runId, artifactUri: runs.artifactUri }).from(runs).where(eq(runs.runId, sourceRunId)))[0]) : undefined;
  if (sourceRunId && sourceRun) {
    const run = await getRun(db, sourceRunId);
    runMetrics = Object.fromEntries(run.data.metrics.filter((m) => Number.isFinite(m.value)).slice(0, 200).map((m) => [m.key.slice(0, 200), m.value]));
  } else if (sourceRunId) {
    // MLflow keeps run_id as a plain string: a run this portal does not track is recorded as external.
    external = true;
  }
  const metadata = {
    description: input.description ?? "",
    tags: input.tags ?? {},
    lineage: { ...(sourceRunId ? { sourceRunId: sourceRunId.slice(0, 200) } : {}), ...(external ? { externalRun: true } : {}), sourceUri: source.slice(0, 2000) },
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
  const held = await heldOnnxFile(db, source, sourceRun ?? null);
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

async function createModelVersion({ db, actor, args }: HandlerArgs) {
  const name = args.required("name");
  const { model, number } = await registerVersionFromSource(db, actor, () => modelByName(db, name), {
    source: args.required("source"),
    runId: args.str("run_id"),
    description: args.str("description"),
    tags: Object.fromEntries(args.keyValues("tags").map((t) => [t.key, t.value])),
  });
  return { model_version: await versionJson(db, model, number) };
}

/** Registry "delete": Sentinel keeps history, so versions are archived and lose their aliases. */
async function archiveVersion(db: Db, actor: HandlerArgs["actor"], model: ModelRow, number: number) {
  const v = await versionJson(db, model, number);
  for (const alias of v.aliases) await deleteAlias(db, actor, model.slug, alias);
  if (v.current_stage !== "Archived") await updateVersionKeepingTags(db, actor, model, number, { status: "archived" });
}

const ok = async (p: Promise<unknown>) => {
  await p;
  return {};
};

export const registryHandlers: Record<string, Endpoint> = {
  "POST registered-models/create": { scope: "models:write", handler: createRegisteredModelHandler },
  "GET registered-models/get": { scope: "models:read", handler: async ({ db, args }) => registeredModelJson(db, await modelByName(db, args.required("name"))) },
  "GET registered-models/search": { scope: "models:read", handler: searchRegisteredModels },
  "PATCH registered-models/update": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return registeredModelJson(db, await updateModelKeepingTags(db, actor, model, { description: args.str("description") ?? "" }));
    },
  },
  "POST registered-models/rename": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const newName = args.required("new_name");
      const [clash] = await db
        .select({ id: models.id })
        .from(models)
        .where(and(or(eq(models.name, newName), eq(models.slug, newName)), liveModel()));
      if (clash && clash.id !== model.id) throw new Conflict(`Registered Model (name=${newName}) already exists.`);
      return registeredModelJson(db, await updateModelKeepingTags(db, actor, model, { name: newName }));
    },
  },
  "DELETE registered-models/delete": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const numbers = await db.select({ n: modelVersions.number }).from(modelVersions).where(eq(modelVersions.modelId, model.id));
      for (const { n } of numbers) await archiveVersion(db, actor, model, n);
      // Gone for MLflow (get answers RESOURCE_DOES_NOT_EXIST, the name is free); kept, archived, in Sentinel.
      await db.transaction(async (tx) => {
        await tx.insert(mlflowDeletedModels).values({ modelId: model.id, name: model.name, deletedBy: actor.userId }).onConflictDoNothing();
        await writeAudit(tx, actor, { action: "model.mlflow_delete", entityType: "model", entityId: model.slug, before: { name: model.name, versions: numbers.length } });
      });
      return {};
    },
  },
  "POST registered-models/set-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(updateModelKeepingTags(db, actor, model, { tags: { ...model.tags, [args.required("key")]: args.raw("value") as string } }));
    },
  },
  "DELETE registered-models/delete-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const key = args.required("key");
      if (!(key in model.tags)) throw new NotFound(`Tag ${key} of registered model ${model.name}`);
      const rest = Object.fromEntries(Object.entries(model.tags).filter(([k]) => k !== key));
      return ok(updateModelKeepingTags(db, actor, model, { tags: rest }));
    },
  },
  "POST registered-models/alias": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(setAlias(db, actor, model.slug, args.required("alias"), versionNumber(args)));
    },
  },
  "GET registered-models/alias": {
    scope: "models:read",
    handler: async ({ db, args }) => {
      const model = await modelByName(db, args.required("name"));
      const v = await resolveAlias(db, model.slug, args.required("alias"));
      return { model_version: await versionJson(db, model, v.version.number) };
    },
  },
  "DELETE registered-models/alias": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(deleteAlias(db, actor, model.slug, args.required("alias")));
    },
  },
  "POST registered-models/get-latest-versions": { scope: "models:read", handler: (a) => latestVersions(a) },
  "GET registered-models/get-latest-versions": { scope: "models:read", handler: (a) => latestVersions(a) },
  "POST model-versions/create": { scope: "models:write", handler: createModelVersion },
  "GET model-versions/get": {
    scope: "models:read",
    handler: async ({ db, args }) => ({ model_version: await versionJson(db, await modelByName(db, args.required("name")), versionNumber(args)) }),
  },
  "GET model-versions/search": { scope: "models:read", handler: searchModelVersions },
  "PATCH model-versions/update": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const n = versionNumber(args);
      await updateVersionKeepingTags(db, actor, model, n, { description: args.str("description") ?? "" });
      return { model_version: await versionJson(db, model, n) };
    },
  },
  "POST model-versions/transition-stage": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const n = versionNumber(args);
      const stage = args.required("stage");
      const status = STATUS_OF[stage.toLowerCase()];
      if (!status) throw new Invalid(`Invalid stage '${stage}': use None, Staging, Production or Archived`);
      await updateVersionKeepingTags(db, actor, model, n, { status });
      return { model_version: await versionJson(db, model, n) };
    },
  },
  "DELETE model-versions/delete": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => ok(archiveVersion(db, actor, await modelByName(db, args.required("name")), versionNumber(args))),
  },
  "POST model-versions/set-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const n = versionNumber(args);
      const [v] = await db.select({ tags: modelVersions.tags }).from(modelVersions).where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, n)));
      if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${n})`);
      return ok(updateVersion(db, actor, model.slug, n, { tags: { ...v.tags, [args.required("key")]: args.raw("value") as string } }));
    },
  },
  "DELETE model-versions/delete-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      const n = versionNumber(args);
      const key = args.required("key");
      const [v] = await db.select({ tags: modelVersions.tags }).from(modelVersions).where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, n)));
      if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${n})`);
      if (!(key in v.tags)) throw new NotFound(`Tag ${key} of model version ${model.name}/${n}`);
      return ok(updateVersion(db, actor, model.slug, n, { tags: Object.fromEntries(Object.entries(v.tags).filter(([k]) => k !== key)) }));
    },
  },
  "GET model-versions/get-download-uri": {
    scope: "models:read",
    handler: async ({ db, args, req }) => {
      const model = await modelByName(db, args.required("name"));
      const n = versionNumber(args);
      const [v] = await db
        .select({ uri: modelVersions.artifactUri, sha: modelVersions.artifactSha256 })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, n)));
      if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${n})`);
      return { artifact_uri: v.sha ? `${new URL(req.url).origin}/api/v1/models/${model.slug}/versions/${n}/artifact` : (v.uri ?? "") };
    },
  },
};

async function latestVersions({ db, args }: HandlerArgs) {
  const model = await modelByName(db, args.required("name"));
  const stages = args.strings("stages");
  const statuses = stages.map((s) => {
    const st = STATUS_OF[s.toLowerCase()];
    if (!st) throw new Invalid(`Invalid stage '${s}': use None, Staging, Production or Archived`);
    return st;
  });
  const all = (await registeredModelsJson(db, [model]))[0].latest_versions;
  return { model_versions: statuses.length ? all.filter((v) => statuses.some((s) => STAGE_OF[s] === v.current_stage)) : all };
}
