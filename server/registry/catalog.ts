// The registry read as MLflow's store reads it (the MLflow door shapes these rows into its JSON):
// versions with their aliases, models with their newest version per status, and search with
// MLflow's filter and order grammar, each in a fixed number of queries. Only models not deleted
// through MLflow are searched.
import { and, asc, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { modelAliases, models, modelVersions, users } from "@/db/schema";
import { Invalid, NotFound } from "@/server/errors";
import { compareSql, parseEntityFilter } from "@/server/experiments/filter";
import { liveModel, type ModelRow } from "./lookup";

export type VersionWithAliases = { model: ModelRow; version: typeof modelVersions.$inferSelect; createdBy: string | null; aliases: string[] };
export type ModelSummary = { model: ModelRow; owner: string; latest: VersionWithAliases[]; aliases: { alias: string; version: number }[] };

/** Versions matching `where`, with their aliases, in two queries. */
export async function versionsWithAliases(
  db: Db,
  where: SQL | undefined,
  opts: { order?: SQL[]; limit?: number; offset?: number } = {},
): Promise<VersionWithAliases[]> {
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
        .where(
          inArray(
            modelAliases.versionId,
            rows.map((r) => r.version.id),
          ),
        )
        .orderBy(asc(modelAliases.alias))
    : [];
  return rows.map((r) => ({ ...r, aliases: aliasRows.filter((a) => a.versionId === r.version.id).map((a) => a.alias) }));
}

/** One version of a model with its aliases; NOT_FOUND in MLflow's words. */
export async function versionWithAliases(db: Db, model: ModelRow, number: number): Promise<VersionWithAliases> {
  const [v] = await versionsWithAliases(db, and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)));
  if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${number})`);
  return v;
}

/** Models with their owner, aliases and newest version per status (MLflow's latest_versions). */
export async function modelSummaries(db: Db, rows: ModelRow[]): Promise<ModelSummary[]> {
  if (!rows.length) return [];
  const ids = rows.map((m) => m.id);
  const latest = await db
    .selectDistinctOn([modelVersions.modelId, modelVersions.status], { id: modelVersions.id, modelId: modelVersions.modelId })
    .from(modelVersions)
    .where(inArray(modelVersions.modelId, ids))
    .orderBy(modelVersions.modelId, modelVersions.status, desc(modelVersions.number));
  const [latestRows, aliasRows, owners] = await Promise.all([
    latest.length
      ? versionsWithAliases(
          db,
          inArray(
            modelVersions.id,
            latest.map((l) => l.id),
          ),
        )
      : Promise.resolve([]),
    db
      .select({ modelId: modelAliases.modelId, alias: modelAliases.alias, version: modelVersions.number })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(inArray(modelAliases.modelId, ids))
      .orderBy(asc(modelAliases.alias)),
    db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(
        inArray(
          users.id,
          rows.map((m) => m.createdBy).filter((x): x is string => Boolean(x)),
        ),
      ),
  ]);
  return rows.map((m) => ({
    model: m,
    owner: owners.find((o) => o.id === m.createdBy)?.email ?? "",
    latest: latestRows.filter((v) => v.model.name === m.name).sort((a, b) => a.version.number - b.version.number),
    aliases: aliasRows.filter((a) => a.modelId === m.id).map((a) => ({ alias: a.alias, version: a.version })),
  }));
}

// Shapes only: the MLflow door has already checked the filter's and page's limits with MLflow's messages.
const ZLiveSearch = z.strictObject({
  filter: z.string().optional(),
  orderBy: z.array(z.string()).default([]),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** MLflow's store orders names byte by byte (upper case first), whatever the database's collation. */
const nameInByteOrder = sql`${models.name} collate "C"`;

/** Live models matching MLflow's filter (`name`, `tags.<key>`) in MLflow's order_by, one page. */
export async function searchLiveModels(db: Db, input: unknown): Promise<ModelRow[]> {
  const q = ZLiveSearch.parse(input);
  const where: SQL[] = [liveModel()];
  for (const c of parseEntityFilter(q.filter, { name: "string" })) {
    where.push(
      c.kind === "tag"
        ? compareSql(sql`(${models.tags} ->> ${c.key})`, c.op, c.value)
        : or(compareSql(sql`${models.name}`, c.op, c.value), compareSql(sql`${models.slug}`, c.op, c.value))!,
    );
  }
  const order = q.orderBy.map((clause) => {
    const m = /^\s*(name|timestamp|last_updated_timestamp)\s*(asc|desc)?\s*$/i.exec(clause);
    if (!m) throw new Invalid(`Invalid order_by clause '${clause}': use name, timestamp or last_updated_timestamp, then ASC or DESC`);
    const col = m[1].toLowerCase() === "name" ? nameInByteOrder : models.updatedAt;
    return m[2]?.toLowerCase() === "desc" ? desc(col) : asc(col);
  });
  return db
    .select()
    .from(models)
    .where(and(...where))
    .orderBy(...order, asc(nameInByteOrder), asc(models.id))
    .limit(q.limit)
    .offset(q.offset);
}

/** Versions of live models matching MLflow's filter (name, run_id, source_path, version_number, tags), one page. */
export async function searchLiveVersions(db: Db, input: unknown): Promise<VersionWithAliases[]> {
  const q = ZLiveSearch.parse(input);
  const where: SQL[] = [liveModel()];
  for (const c of parseEntityFilter(q.filter, { name: "string", run_id: "string", source_path: "string", version_number: "number" })) {
    if (c.kind === "tag") where.push(compareSql(sql`(${modelVersions.tags} ->> ${c.key})`, c.op, c.value));
    else if (c.key === "name") where.push(or(compareSql(sql`${models.name}`, c.op, c.value), compareSql(sql`${models.slug}`, c.op, c.value))!);
    else if (c.key === "run_id") where.push(compareSql(sql`(${modelVersions.lineage} ->> 'sourceRunId')`, c.op, c.value));
    else if (c.key === "source_path")
      where.push(compareSql(sql`coalesce(${modelVersions.lineage} ->> 'sourceUri', ${modelVersions.artifactUri})`, c.op, c.value));
    else where.push(compareSql(sql`${modelVersions.number}`, c.op, c.value));
  }
  return versionsWithAliases(db, and(...where), { limit: q.limit, offset: q.offset });
}

/** Where a version's bytes are: held (sha256) or an external URI; NOT_FOUND in MLflow's words. */
export async function versionStorage(db: Db, model: ModelRow, number: number): Promise<{ uri: string | null; sha: string | null }> {
  const [v] = await db
    .select({ uri: modelVersions.artifactUri, sha: modelVersions.artifactSha256 })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)));
  if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${number})`);
  return v;
}
