// Model registry services: models, versions (uploaded ONNX or external URI), aliases, integrity.
import { and, asc, count, desc, eq, ilike, inArray, max, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { artifacts, mlflowDeletedModels, modelAliases, models, modelVersions, users } from "@/db/schema";
import { noteArtifactSeen, recordIntegrityCheck } from "@/server/artifacts/health";
import type { ArtifactStore, Integrity, StagedFile } from "@/server/artifacts/store";
import { logger } from "@/server/log";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Invalid, NotFound, PreconditionFailed, Unavailable } from "@/server/errors";
import { liveModel, modelBySlug, slugFromName, type ModelRow } from "./lookup";
import { parseOnnxFile, type OnnxSummary } from "./onnx";
import { ZAlias, ZSlug, ZCreateModel, ZListModels, ZUpdateModel, ZUpdateVersion, ZVersionMetadata, type TVersionMetadata, ZCreateModelNamed } from "./schemas";
import { contractFromSummary, diffSignatures, prefillManifest, signatureOf, type SignatureChange } from "./signature";

export type { ModelRow };

export type VersionRow = typeof modelVersions.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;
export type BreakingChange = { againstVersion: number; changes: SignatureChange[] } | null;

export async function createModel(db: Db, actor: Actor, input: unknown): Promise<ModelRow> {
  const data = ZCreateModel.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(models)
      .values({ ...data, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict(`A model with slug ${data.slug} already exists`);
    await writeAudit(tx, actor, { action: "model.create", entityType: "model", entityId: row.slug, after: row });
    return row;
  });
}

/**
 * Creates a model under a display name (MLflow's registered-model create, the run page's "new model"):
 * refused when a live model has that name or slug; the slug is derived and made unique. The checks and
 * the insert share one transaction, under a lock on the name, so two creates of one name cannot both pass.
 */
export async function createModelNamed(db: Db, actor: Actor, raw: unknown): Promise<ModelRow> {
  const input = ZCreateModelNamed.parse(raw);
  const { name } = input;
  const tags = input.tags ?? {};
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`model-name:${name}`}))`);
    const [taken] = await tx
      .select({ id: models.id })
      .from(models)
      .where(and(or(eq(models.name, name), eq(models.slug, name)), liveModel()));
    if (taken) throw new Conflict(`Registered Model (name=${name}) already exists.`);
    const base = slugFromName(name);
    let slug = base;
    for (let i = 2; (await tx.select({ id: models.id }).from(models).where(eq(models.slug, slug))).length; i++) slug = `${base}-${i}`;
    ZSlug.parse(slug);
    return createModel(tx, actor, { slug, name, team: tags.team || "mlflow", task: "other", description: input.description ?? "", tags });
  });
}

/** Renames a model's display name, refused when another live model has that name or slug; checked in the update's transaction. */
export async function renameModel(db: Db, actor: Actor, slug: string, newName: string): Promise<ModelRow> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`model-name:${newName}`}))`);
    const model = await modelBySlug(tx, slug);
    const [clash] = await tx
      .select({ id: models.id })
      .from(models)
      .where(and(or(eq(models.name, newName), eq(models.slug, newName)), liveModel()));
    if (clash && clash.id !== model.id) throw new Conflict(`Registered Model (name=${newName}) already exists.`);
    return updateModel(tx, actor, slug, { name: newName });
  });
}

/** The model row, locked for the rest of the transaction (tag read-modify-write, archiving). */
async function lockedModel(tx: Db, slug: string): Promise<ModelRow> {
  const model = await modelBySlug(tx, slug);
  await tx.execute(sql`select 1 from ${models} where ${models.id} = ${model.id} for update`);
  return await modelBySlug(tx, slug);
}

/** Sets one tag of a model, keeping the others: read, change and write under a row lock, audited as an update. */
export async function setModelTag(db: Db, actor: Actor, slug: string, key: string, value: string): Promise<ModelRow> {
  return db.transaction(async (tx) => {
    const model = await lockedModel(tx, slug);
    return updateModel(tx, actor, slug, { tags: { ...model.tags, [key]: value } });
  });
}

/** Deletes one tag of a model (NOT_FOUND when it has none by that key), under a row lock, audited. */
export async function deleteModelTag(db: Db, actor: Actor, slug: string, key: string): Promise<ModelRow> {
  return db.transaction(async (tx) => {
    const model = await lockedModel(tx, slug);
    if (!(key in model.tags)) throw new NotFound(`Tag ${key} of registered model ${model.name}`);
    return updateModel(tx, actor, slug, { tags: Object.fromEntries(Object.entries(model.tags).filter(([k]) => k !== key)) });
  });
}

export async function updateModel(db: Db, actor: Actor, slug: string, input: unknown): Promise<ModelRow> {
  const patch = ZUpdateModel.parse(input);
  return db.transaction(async (tx) => {
    const before = await modelBySlug(tx, slug);
    const [after] = await tx
      .update(models)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(models.id, before.id))
      .returning();
    await writeAudit(tx, actor, { action: "model.update", entityType: "model", entityId: slug, before, after });
    return after;
  });
}

export async function listModels(db: Db, input: unknown = {}) {
  const q = ZListModels.parse(input);
  const where: SQL[] = [];
  if (q.q) {
    const like = `%${q.q.replace(/[%_\\]/g, "\\$&")}%`;
    where.push(or(ilike(models.slug, like), ilike(models.name, like), ilike(models.description, like), sql`${models.tags}::text ilike ${like}`)!);
  }
  if (q.team) where.push(eq(models.team, q.team));
  if (q.task) where.push(eq(models.task, q.task));
  if (q.tag) where.push(sql`${models.tags} ? ${q.tag}`);
  if (q.alias) where.push(sql`exists (select 1 from ${modelAliases} where ${modelAliases.modelId} = ${models.id} and ${modelAliases.alias} = ${q.alias})`);
  if (q.status)
    where.push(sql`exists (select 1 from ${modelVersions} where ${modelVersions.modelId} = ${models.id} and ${modelVersions.status} = ${q.status})`);
  const filter = where.length ? and(...where) : undefined;
  // Qualified by hand: drizzle leaves columns unqualified inside select-list subqueries.
  const versionCount = sql<number>`(select count(*)::int from "model_versions" mv where mv."model_id" = "models"."id")`;
  const latest = sql<number | null>`(select max(mv."number") from "model_versions" mv where mv."model_id" = "models"."id")`;
  const order =
    q.sort === "name" ? [asc(models.slug)] : q.sort === "versions" ? [desc(versionCount), asc(models.slug)] : [desc(models.updatedAt), asc(models.slug)];
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: models.id,
        slug: models.slug,
        name: models.name,
        team: models.team,
        task: models.task,
        description: models.description,
        tags: models.tags,
        updatedAt: models.updatedAt,
        versionCount,
        latestVersion: latest,
      })
      .from(models)
      .where(filter)
      .orderBy(...order)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(models).where(filter),
  ]);
  const aliasRows = rows.length
    ? await db
        .select({ modelId: modelAliases.modelId, alias: modelAliases.alias, version: modelVersions.number })
        .from(modelAliases)
        .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
        .where(
          inArray(
            modelAliases.modelId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const items = rows.map(({ id, ...r }) => ({ ...r, aliases: aliasRows.filter((a) => a.modelId === id).map(({ alias, version }) => ({ alias, version })) }));
  return { items, total, page: q.page, pageSize: q.pageSize };
}

async function aliasesOfModel(db: Db, modelId: string) {
  return db
    .select({ alias: modelAliases.alias, version: modelVersions.number, updatedAt: modelAliases.updatedAt })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(eq(modelAliases.modelId, modelId))
    .orderBy(asc(modelAliases.alias));
}

export async function getModel(db: Db, slug: string) {
  const model = await modelBySlug(db, slug);
  const [versions, aliases] = await Promise.all([
    db
      .select({
        number: modelVersions.number,
        status: modelVersions.status,
        description: modelVersions.description,
        createdAt: modelVersions.createdAt,
        createdBy: users.email,
        artifactSha256: modelVersions.artifactSha256,
        artifactUri: modelVersions.artifactUri,
        sizeBytes: artifacts.sizeBytes,
        integrity: artifacts.integrity,
        metrics: modelVersions.metrics,
        breakingChange: modelVersions.breakingChange,
      })
      .from(modelVersions)
      .leftJoin(users, eq(users.id, modelVersions.createdBy))
      .leftJoin(artifacts, eq(artifacts.sha256, modelVersions.artifactSha256))
      .where(eq(modelVersions.modelId, model.id))
      .orderBy(desc(modelVersions.number))
      .limit(500),
    aliasesOfModel(db, model.id),
  ]);
  return { model, versions, aliases };
}

export type VersionView = Awaited<ReturnType<typeof getVersion>>;

export async function getVersion(db: Db, slug: string, number: number) {
  const model = await modelBySlug(db, slug);
  if (!Number.isInteger(number) || number < 1) throw new NotFound(`Version ${number} of ${slug}`);
  const [row] = await db
    .select({ version: modelVersions, artifact: artifacts, createdBy: users.email })
    .from(modelVersions)
    .leftJoin(artifacts, eq(artifacts.sha256, modelVersions.artifactSha256))
    .leftJoin(users, eq(users.id, modelVersions.createdBy))
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)));
  if (!row) throw new NotFound(`Version ${number} of ${slug}`);
  const aliases = (await aliasesOfModel(db, model.id)).filter((a) => a.version === number).map((a) => a.alias);
  const parent = row.version.parentVersionId
    ? ((await db.select({ number: modelVersions.number }).from(modelVersions).where(eq(modelVersions.id, row.version.parentVersionId)))[0]?.number ?? null)
    : null;
  return { model, version: row.version, artifact: row.artifact, createdBy: row.createdBy, aliases, parentVersion: parent };
}

/** The shape REST, devices and the MLflow mapping return for a version. */
export function versionResource(v: VersionView, baseUrl = "") {
  const { model, version, artifact } = v;
  const onnx = (artifact?.onnx ?? null) as OnnxSummary | null;
  const downloadUrl = artifact ? `${baseUrl}/api/v1/models/${model.slug}/versions/${version.number}/artifact` : null;
  return {
    model: model.slug,
    version: version.number,
    status: version.status,
    description: version.description,
    tags: version.tags,
    aliases: v.aliases,
    createdAt: version.createdAt,
    createdBy: v.createdBy,
    artifact: artifact
      ? {
          held: true as const,
          sha256: artifact.sha256,
          size: artifact.sizeBytes,
          mediaType: artifact.mediaType,
          fileName: version.fileName,
          integrity: artifact.integrity,
          integrityCheckedAt: artifact.integrityCheckedAt,
          downloadUrl,
        }
      : { held: false as const, uri: version.artifactUri },
    sha256: artifact?.sha256 ?? null,
    onnx: onnx && {
      irVersion: onnx.irVersion,
      opsetImports: onnx.opsetImports,
      producerName: onnx.producerName,
      producerVersion: onnx.producerVersion,
      inputs: onnx.inputs,
      outputs: onnx.outputs,
      parameterCount: onnx.parameterCount,
      // Summaries stored before this field existed lack it.
      constantParameterCount: onnx.constantParameterCount ?? 0,
      initializerCount: onnx.initializerCount,
      nodeCount: onnx.nodeCount,
      operatorHistogram: onnx.operatorHistogram,
      metadataProps: onnx.metadataProps,
      usesExternalData: onnx.usesExternalData,
    },
    manifest: version.manifest,
    contract: version.contract,
    lineage: version.lineage,
    parentVersion: v.parentVersion,
    breakingChange: version.breakingChange as BreakingChange,
    metrics: version.metrics,
    modelCard: version.modelCard,
  };
}

export type UploadedArtifact = { staged: StagedFile; fileName?: string; mediaType?: string };

/**
 * Registers a new version: with uploaded bytes (parsed as ONNX; refused with a clear message and
 * nothing stored when it is not one) or with an external artifact URI.
 */
export async function registerVersion(
  db: Db,
  store: ArtifactStore,
  actor: Actor,
  slug: string,
  metadata: TVersionMetadata | unknown,
  upload?: UploadedArtifact,
) {
  let model: ModelRow;
  let meta: ReturnType<typeof ZVersionMetadata.parse>;
  try {
    meta = ZVersionMetadata.parse(metadata);
    model = await modelBySlug(db, slug);
    if (upload && meta.artifactUri) throw new Invalid("Send either a file or an artifactUri, not both");
    if (!upload && !meta.artifactUri) throw new Invalid("Send the ONNX file in the `file` part, or an artifactUri for an external artifact");
  } catch (e) {
    if (upload) await store.discard(upload.staged);
    throw e;
  }
  let summary: OnnxSummary | null = null;
  if (upload) {
    if (upload.staged.size === 0) {
      await store.discard(upload.staged);
      throw new Invalid("The file is empty");
    }
    try {
      summary = await parseOnnxFile(upload.staged.tmpPath);
    } catch (e) {
      await store.discard(upload.staged);
      throw e;
    }
    await store.commit(upload.staged);
  }
  const number = await db.transaction(async (tx) => {
    // Lock the model row so concurrent registrations get consecutive numbers, never the same one.
    await tx.execute(sql`select 1 from ${models} where ${models.id} = ${model.id} for update`);
    const [{ n }] = await tx
      .select({ n: max(modelVersions.number) })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id));
    const next = (n ?? 0) + 1;
    if (upload && summary) {
      await tx
        .insert(artifacts)
        .values({
          sha256: upload.staged.sha256,
          sizeBytes: upload.staged.size,
          mediaType: "application/octet-stream",
          onnx: summary,
          integrity: "ok",
          integrityCheckedAt: new Date(),
        })
        .onConflictDoNothing();
    }
    let parentVersionId: string | null = null;
    if (meta.parentVersion) {
      const [p] = await tx
        .select({ id: modelVersions.id })
        .from(modelVersions)
        .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, meta.parentVersion)));
      if (!p) throw new Invalid(`Parent version ${meta.parentVersion} does not exist in ${slug}`);
      parentVersionId = p.id;
    }
    const breakingChange = summary ? await breakingChangeAgainstProduction(tx, model.id, summary) : null;
    // A new version with the same signature as the latest one keeps its manifest and contract.
    const inherited = summary ? await compatiblePredecessor(tx, model.id, summary) : null;
    const manifest = meta.manifest ?? inherited?.manifest ?? (summary ? prefillManifest(summary, model.task) : null);
    const contract = meta.contract ?? inherited?.contract ?? (summary ? contractFromSummary(summary) : null);
    const [row] = await tx
      .insert(modelVersions)
      .values({
        modelId: model.id,
        number: next,
        description: meta.description,
        tags: meta.tags,
        status: meta.status,
        createdBy: actor.userId,
        artifactSha256: upload?.staged.sha256 ?? null,
        artifactUri: meta.artifactUri ?? null,
        fileName: upload ? safeFileName(upload.fileName, `${slug}-v${next}.onnx`) : null,
        lineage: meta.lineage,
        parentVersionId,
        modelCard: meta.modelCard ?? "",
        manifest,
        contract,
        breakingChange,
        metrics: meta.metrics,
      })
      .returning();
    await tx.update(models).set({ updatedAt: new Date() }).where(eq(models.id, model.id));
    await writeAudit(tx, actor, { action: "model_version.create", entityType: "model_version", entityId: `${slug}/${next}`, after: row });
    return next;
  });
  return getVersion(db, slug, number);
}

async function breakingChangeAgainstProduction(db: Db, modelId: string, summary: OnnxSummary): Promise<BreakingChange> {
  const [prod] = await db
    .select({ number: modelVersions.number, onnx: artifacts.onnx })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .leftJoin(artifacts, eq(artifacts.sha256, modelVersions.artifactSha256))
    .where(and(eq(modelAliases.modelId, modelId), eq(modelAliases.alias, "production")));
  if (!prod?.onnx) return null;
  const changes = diffSignatures(signatureOf(prod.onnx as OnnxSummary), signatureOf(summary));
  return changes.length ? { againstVersion: prod.number, changes } : null;
}

async function compatiblePredecessor(db: Db, modelId: string, summary: OnnxSummary) {
  const [prev] = await db
    .select({ manifest: modelVersions.manifest, contract: modelVersions.contract, onnx: artifacts.onnx })
    .from(modelVersions)
    .innerJoin(artifacts, eq(artifacts.sha256, modelVersions.artifactSha256))
    .where(eq(modelVersions.modelId, modelId))
    .orderBy(desc(modelVersions.number))
    .limit(1);
  if (!prev?.onnx || diffSignatures(signatureOf(prev.onnx as OnnxSummary), signatureOf(summary)).length) return null;
  return { manifest: prev.manifest, contract: prev.contract };
}

/** A display/download name: the base name only, printable ASCII, no path, no leading dots. */
export function safeFileName(name: string | undefined, fallback: string): string {
  const base = (name ?? "").split(/[\\/]/).pop() ?? "";
  const clean = base
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w.\- ]+/g, "_")
    .replace(/^[.\s_]+/, "")
    .slice(0, 120);
  return clean && /\.[A-Za-z0-9]+$/.test(clean) ? clean : fallback;
}

export async function updateVersion(db: Db, actor: Actor, slug: string, number: number, input: unknown) {
  const patch = ZUpdateVersion.parse(input);
  await db.transaction(async (tx) => {
    const { version: before } = await getVersion(tx, slug, number);
    const [after] = await tx
      .update(modelVersions)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(modelVersions.id, before.id))
      .returning();
    await writeAudit(tx, actor, { action: "model_version.update", entityType: "model_version", entityId: `${slug}/${number}`, before, after });
  });
  return getVersion(db, slug, number);
}

/** A version's row, locked for the rest of the transaction; NOT_FOUND names the model as MLflow does. */
async function lockedVersion(tx: Db, model: ModelRow, number: number) {
  const [v] = await tx
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.number, number)))
    .for("update");
  if (!v) throw new NotFound(`Model Version (name=${model.name}, version=${number})`);
  return v;
}

/** Sets one tag of a version, keeping the others, under a row lock; audited as a version update. */
export async function setVersionTag(db: Db, actor: Actor, slug: string, number: number, key: string, value: string) {
  return db.transaction(async (tx) => {
    const v = await lockedVersion(tx, await modelBySlug(tx, slug), number);
    return updateVersion(tx, actor, slug, number, { tags: { ...v.tags, [key]: value } });
  });
}

/** Deletes one tag of a version (NOT_FOUND when it has none by that key), under a row lock, audited. */
export async function deleteVersionTag(db: Db, actor: Actor, slug: string, number: number, key: string) {
  return db.transaction(async (tx) => {
    const model = await modelBySlug(tx, slug);
    const v = await lockedVersion(tx, model, number);
    if (!(key in v.tags)) throw new NotFound(`Tag ${key} of model version ${model.name}/${number}`);
    return updateVersion(tx, actor, slug, number, { tags: Object.fromEntries(Object.entries(v.tags).filter(([k]) => k !== key)) });
  });
}

/** Archives a version and removes its aliases (the registry keeps history), in one transaction. */
export async function archiveVersion(db: Db, actor: Actor, slug: string, number: number): Promise<void> {
  await db.transaction(async (tx) => archiveVersionIn(tx, actor, await modelBySlug(tx, slug), number));
}

async function archiveVersionIn(tx: Db, actor: Actor, model: ModelRow, number: number) {
  const v = await lockedVersion(tx, model, number);
  const aliases = await tx.select({ alias: modelAliases.alias }).from(modelAliases).where(eq(modelAliases.versionId, v.id)).orderBy(asc(modelAliases.alias));
  for (const { alias } of aliases) await deleteAlias(tx, actor, model.slug, alias);
  if (v.status !== "archived") await updateVersion(tx, actor, model.slug, number, { status: "archived" });
}

/**
 * MLflow's registered-model delete: every version archived and unaliased, and the model gone for
 * MLflow (its name free again) but kept in Sentinel, all in one transaction with its audit row.
 */
export async function archiveModel(db: Db, actor: Actor, slug: string): Promise<void> {
  await db.transaction(async (tx) => {
    const model = await lockedModel(tx, slug);
    const numbers = await tx
      .select({ n: modelVersions.number })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, model.id))
      .orderBy(asc(modelVersions.number));
    for (const { n } of numbers) await archiveVersionIn(tx, actor, model, n);
    await tx.insert(mlflowDeletedModels).values({ modelId: model.id, name: model.name, deletedBy: actor.userId }).onConflictDoNothing();
    await writeAudit(tx, actor, {
      action: "model.mlflow_delete",
      entityType: "model",
      entityId: model.slug,
      before: { name: model.name, versions: numbers.length },
    });
  });
}

/** The versions a run produced (their lineage names it), for the run page. */
export async function versionsFromRun(db: Db, runId: string) {
  return db
    .select({ model: models.slug, modelName: models.name, version: modelVersions.number, status: modelVersions.status })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(sql`${modelVersions.lineage} ->> 'sourceRunId' = ${runId}`)
    .orderBy(asc(models.slug), asc(modelVersions.number))
    .limit(100);
}

export async function setAlias(db: Db, actor: Actor, slug: string, aliasName: string, number: number) {
  const alias = ZAlias.parse(aliasName);
  return db.transaction(async (tx) => {
    const { model, version } = await getVersion(tx, slug, number);
    if (version.status === "archived") throw new PreconditionFailed(`Version ${number} is archived; restore it before pointing ${alias} at it`);
    const [prev] = await tx
      .select({ version: modelVersions.number })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)));
    await tx
      .insert(modelAliases)
      .values({ modelId: model.id, alias, versionId: version.id, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: [modelAliases.modelId, modelAliases.alias],
        set: { versionId: version.id, updatedBy: actor.userId, updatedAt: new Date() },
      });
    await writeAudit(tx, actor, {
      action: "alias.set",
      entityType: "model_alias",
      entityId: `${slug}@${alias}`,
      before: prev ?? null,
      after: { version: number },
    });
    return { model: slug, alias, version: number, previousVersion: prev?.version ?? null };
  });
}

export async function deleteAlias(db: Db, actor: Actor, slug: string, aliasName: string) {
  const alias = ZAlias.parse(aliasName);
  return db.transaction(async (tx) => {
    const model = await modelBySlug(tx, slug);
    const [gone] = await tx
      .delete(modelAliases)
      .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias)))
      .returning();
    if (!gone) throw new NotFound(`Alias ${alias} of ${slug}`);
    await writeAudit(tx, actor, { action: "alias.delete", entityType: "model_alias", entityId: `${slug}@${alias}`, before: gone });
    return { model: slug, alias, deleted: true };
  });
}

export async function resolveAlias(db: Db, slug: string, aliasName: string) {
  const alias = ZAlias.safeParse(aliasName);
  const model = await modelBySlug(db, slug);
  if (!alias.success) throw new NotFound(`Alias ${aliasName} of ${slug}`);
  const [row] = await db
    .select({ number: modelVersions.number })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(eq(modelAliases.modelId, model.id), eq(modelAliases.alias, alias.data)));
  if (!row) throw new NotFound(`Alias ${alias.data} of ${slug}`);
  return getVersion(db, slug, row.number);
}

/** Writes a check's result into the shared row (audited when it changed, or when a person asked). */
async function recordIntegrity(db: Db, actor: Actor | null, sha256: string, result: Integrity) {
  await db.transaction(async (tx) => {
    const [before] = await tx.select({ integrity: artifacts.integrity }).from(artifacts).where(eq(artifacts.sha256, sha256));
    if (!before) throw new NotFound("Artifact");
    await tx.update(artifacts).set({ integrity: result, integrityCheckedAt: new Date() }).where(eq(artifacts.sha256, sha256));
    if (before.integrity !== result || actor) {
      await writeAudit(tx, actor, { action: "artifact.verify", entityType: "artifact", entityId: sha256, before, after: { integrity: result } });
    }
  });
}

/** A local store lacking a file says something about this replica, not about the artifact (see verifyAllArtifacts). */
const unseenByThisReplica = (store: ArtifactStore, result: Integrity) => result === "missing" && !store.shared;

/**
 * Re-hashes a version's stored file and records the result (`actor` null for an unattended check). A replica
 * whose own directory lacks the file refuses (503) and records nothing: every other replica may hold it.
 */
export async function verifyArtifact(db: Db, store: ArtifactStore, actor: Actor | null, sha256: string) {
  const result = await store.verify(sha256);
  noteArtifactSeen(sha256, !unseenByThisReplica(store, result));
  if (unseenByThisReplica(store, result)) {
    logger.warn({ sha256 }, "integrity check: this replica cannot see the artifact's file; check that every replica uses the same artifact store");
    throw new Unavailable(
      "This replica cannot see the stored file in its own artifact directory, so nothing was recorded; every replica must use the same artifact store (ARTIFACT_STORE_URL)",
    );
  }
  await recordIntegrity(db, actor, sha256, result);
  return result;
}

/**
 * The periodic check. A file this replica cannot see in its own directory is this replica's problem (another
 * replica may hold it): it is logged, counted as `unseen` in this replica's health and metrics, and the shared
 * row is left alone, so one replica with the wrong ARTIFACT_DIR cannot make every replica refuse its files.
 * On a shared store (a bucket every replica reads) "missing" is a fact for everyone and is recorded, as are
 * changed bytes.
 */
export async function verifyAllArtifacts(db: Db, store: ArtifactStore) {
  const rows = await db.select({ sha256: artifacts.sha256 }).from(artifacts);
  const out = { ok: 0, mismatch: 0, missing: 0, unseen: 0 };
  const unseen: string[] = [];
  for (const r of rows) {
    const result = await store.verify(r.sha256);
    if (unseenByThisReplica(store, result)) {
      unseen.push(r.sha256);
      logger.warn({ sha256: r.sha256 }, "integrity check: this replica cannot see the artifact's file; check that every replica uses the same artifact store");
      continue;
    }
    await recordIntegrity(db, null, r.sha256, result);
    out[result]++;
  }
  out.unseen = unseen.length;
  recordIntegrityCheck(store.kind, unseen);
  return out;
}

/** Refuses to hand out bytes that no longer match their hash. */
export function assertDownloadable(v: VersionView): ArtifactRow {
  if (!v.artifact) throw new PreconditionFailed(`Version ${v.version.number} of ${v.model.slug} holds no file; its artifact is at ${v.version.artifactUri}`);
  if (v.artifact.integrity === "mismatch" || v.artifact.integrity === "missing") {
    throw new PreconditionFailed(`The stored file failed its integrity check (${v.artifact.integrity}); it cannot be downloaded or deployed`);
  }
  return v.artifact;
}

export async function compareVersions(db: Db, slug: string, a: number, b: number) {
  const [va, vb] = await Promise.all([getVersion(db, slug, a), getVersion(db, slug, b)]);
  const ra = versionResource(va);
  const rb = versionResource(vb);
  const signatureChanges = ra.onnx && rb.onnx ? diffSignatures(signatureOf(ra.onnx), signatureOf(rb.onnx)) : [];
  const ops = [...new Set([...Object.keys(ra.onnx?.operatorHistogram ?? {}), ...Object.keys(rb.onnx?.operatorHistogram ?? {})])].sort();
  const operators = ops.map((op) => ({ op, a: ra.onnx?.operatorHistogram[op] ?? 0, b: rb.onnx?.operatorHistogram[op] ?? 0 }));
  const metricKeys = [...new Set([...Object.keys(ra.metrics), ...Object.keys(rb.metrics)])].sort();
  return { a: ra, b: rb, signatureChanges, operators, metrics: metricKeys.map((k) => ({ key: k, a: ra.metrics[k] ?? null, b: rb.metrics[k] ?? null })) };
}

export async function registryCounts(db: Db) {
  const [[m], [v]] = await Promise.all([db.select({ n: count() }).from(models), db.select({ n: count() }).from(modelVersions)]);
  return { models: m.n, versions: v.n };
}
