// MLflow's model-registry subset mapped onto the Sentinel registry: a registered model is a model
// (found by its display name or its slug), a version is a version, and `runs:/` sources record lineage.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelAliases, models, modelVersions, users } from "@/db/schema";
import { Invalid, NotFound } from "@/server/errors";
import { liveModel, modelByName, type ModelRow } from "@/server/registry/lookup";
import { registerVersionFromRun } from "@/server/registry/from-run";
import { type TLineage } from "@/server/registry/schemas";
import {
  archiveModel,
  archiveVersion,
  createModelNamed,
  deleteAlias,
  deleteModelTag,
  deleteVersionTag,
  renameModel,
  resolveAlias,
  setAlias,
  setModelTag,
  setVersionTag,
  updateModel,
  updateVersion,
} from "@/server/registry/service";
import { STAGE_OF, STATUS_OF } from "@/server/registry/source";
import { compareSql, parseEntityFilter } from "@/server/experiments/filter";
import { decodePageToken, encodePageToken, ZOffsetToken } from "@/server/experiments/page-token";
import type { Args, Endpoint, HandlerArgs } from "./wire";

function versionNumber(args: Args): number {
  const v = args.required("version");
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new Invalid(`Model version must be a positive integer, got '${v}'`);
  return Number(v);
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

async function createRegisteredModelHandler({ db, actor, args }: HandlerArgs) {
  const name = args.required("name");
  const tags = Object.fromEntries(args.keyValues("tags").map((t) => [t.key, t.value]));
  return registeredModelJson(db, await createModelNamed(db, actor, { name, description: args.str("description"), tags }));
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

async function createModelVersion({ db, actor, args }: HandlerArgs) {
  const name = args.required("name");
  const { model, number } = await registerVersionFromRun(db, actor, () => modelByName(db, name), {
    source: args.required("source"),
    runId: args.str("run_id"),
    description: args.str("description"),
    tags: Object.fromEntries(args.keyValues("tags").map((t) => [t.key, t.value])),
  });
  return { model_version: await versionJson(db, model, number) };
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
      return registeredModelJson(db, await updateModel(db, actor, model.slug, { description: args.str("description") ?? "" }));
    },
  },
  "POST registered-models/rename": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return registeredModelJson(db, await renameModel(db, actor, model.slug, args.required("new_name")));
    },
  },
  "DELETE registered-models/delete": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      // Gone for MLflow (get answers RESOURCE_DOES_NOT_EXIST, the name is free); kept, archived, in Sentinel.
      return ok(archiveModel(db, actor, (await modelByName(db, args.required("name"))).slug));
    },
  },
  "POST registered-models/set-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(setModelTag(db, actor, model.slug, args.required("key"), args.raw("value") as string));
    },
  },
  "DELETE registered-models/delete-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(deleteModelTag(db, actor, model.slug, args.required("key")));
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
      await versionJson(db, model, n); // a missing version answers in MLflow's words
      await updateVersion(db, actor, model.slug, n, { description: args.str("description") ?? "" });
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
      await versionJson(db, model, n);
      await updateVersion(db, actor, model.slug, n, { status });
      return { model_version: await versionJson(db, model, n) };
    },
  },
  "DELETE model-versions/delete": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => ok(archiveVersion(db, actor, (await modelByName(db, args.required("name"))).slug, versionNumber(args))),
  },
  "POST model-versions/set-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(setVersionTag(db, actor, model.slug, versionNumber(args), args.required("key"), args.raw("value") as string));
    },
  },
  "DELETE model-versions/delete-tag": {
    scope: "models:write",
    handler: async ({ db, actor, args }) => {
      const model = await modelByName(db, args.required("name"));
      return ok(deleteVersionTag(db, actor, model.slug, versionNumber(args), args.required("key")));
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
