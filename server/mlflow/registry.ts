// MLflow's model-registry subset mapped onto the Sentinel registry: a registered model is a model
// (found by its display name or its slug), a version is a version, and `runs:/` sources record lineage.
import type { Db } from "@/db/client";
import { Invalid } from "@/server/errors";
import { decodePageToken, encodePageToken, ZOffsetToken } from "@/server/experiments/page-token";
import { modelSummaries, searchLiveModels, searchLiveVersions, versionStorage, versionWithAliases, type VersionWithAliases } from "@/server/registry/catalog";
import { modelByName, type ModelRow } from "@/server/registry/lookup";
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
import type { Args, Endpoint, HandlerArgs } from "./wire";

function versionNumber(args: Args): number {
  const v = args.required("version");
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1) throw new Invalid(`Model version must be a positive integer, got '${v}'`);
  return Number(v);
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => ({ key, value }));

// ---------------------------------------------------------------- reads in MLflow's shapes

type VersionJson = ReturnType<typeof versionJsonOf>;

function versionJsonOf({ model, version, createdBy, aliases }: VersionWithAliases) {
  const lineage = (version.lineage ?? {}) as TLineage;
  return {
    name: model.name,
    version: String(version.number),
    creation_timestamp: version.createdAt.getTime(),
    last_updated_timestamp: version.updatedAt.getTime(),
    user_id: createdBy ?? "",
    current_stage: STAGE_OF[version.status],
    description: version.description,
    source: lineage.sourceUri ?? version.artifactUri ?? `models:/${model.slug}/${version.number}`,
    run_id: lineage.sourceRunId ?? "",
    run_link: "",
    // Sentinel registers synchronously: a version exists only once it is complete.
    status: "READY",
    tags: tagList(version.tags),
    aliases,
  };
}

async function versionJson(db: Db, model: ModelRow, number: number): Promise<VersionJson> {
  return versionJsonOf(await versionWithAliases(db, model, number));
}

async function registeredModelsJson(db: Db, rows: ModelRow[]) {
  return (await modelSummaries(db, rows)).map(({ model: m, owner, latest, aliases }) => ({
    name: m.name,
    creation_timestamp: m.createdAt.getTime(),
    last_updated_timestamp: m.updatedAt.getTime(),
    user_id: owner,
    description: m.description,
    latest_versions: latest.map(versionJsonOf),
    tags: tagList(m.tags),
    aliases: aliases.map((a) => ({ alias: a.alias, version: String(a.version) })),
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

async function searchRegisteredModels({ db, args }: HandlerArgs) {
  const filter = args.str("filter");
  const orderBy = args.strings("order_by");
  const maxResults = args.int("max_results") ?? 100;
  if (maxResults < 1 || maxResults > 1000) throw new Invalid(`max_results must be between 1 and 1000, got ${maxResults}`);
  const offset = decodePageToken(args.str("page_token"), ZOffsetToken)?.o ?? 0;
  const rows = await searchLiveModels(db, { filter, orderBy, limit: maxResults + 1, offset });
  const page = rows.slice(0, maxResults);
  return {
    registered_models: await registeredModelsJson(db, page),
    ...(rows.length > maxResults ? { next_page_token: encodePageToken({ o: offset + maxResults }) } : {}),
  };
}

async function searchModelVersions({ db, args }: HandlerArgs) {
  const filter = args.str("filter");
  const maxResults = args.int("max_results") ?? 10_000;
  if (maxResults < 1 || maxResults > 200_000) throw new Invalid(`max_results must be between 1 and 200000, got ${maxResults}`);
  const offset = decodePageToken(args.str("page_token"), ZOffsetToken)?.o ?? 0;
  const found = (await searchLiveVersions(db, { filter, limit: maxResults + 1, offset })).map(versionJsonOf);
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
      const v = await versionStorage(db, model, n);
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
