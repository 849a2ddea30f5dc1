// What the playground needs from the registry and the frame library, shaped for the browser.
import { desc, eq, notInArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { artifacts, modelAliases, models, modelVersions, sampleFrames } from "@/db/schema";
import type { OnnxSummary } from "@/server/registry/onnx";
import { ZManifest } from "@/server/registry/schemas";
import { getVersion, resolveAlias, type VersionView } from "@/server/registry/service";
import { evalSuiteOf } from "@/server/safety/evaluation-run";
import { whyNotOnFrames, whyNotRunnable } from "@/lib/playground/interpret";
import { comparisonBaseline } from "@/lib/variants";
import type { OcrPipeline, PlaygroundFrame, PlaygroundModel } from "@/components/playground/types";

export function toPlaygroundModel(v: VersionView): { model: PlaygroundModel | null; reason: string | null } {
  const manifest = ZManifest.safeParse(v.version.manifest);
  const onnx = v.artifact?.onnx as OnnxSummary | null | undefined;
  const reason = whyNotRunnable({
    artifact: v.artifact ? { held: true, integrity: v.artifact.integrity } : { held: false },
    manifest: manifest.success ? manifest.data : null,
    inputs: onnx?.inputs ?? [],
  });
  if (reason || !v.artifact || !manifest.success) return { model: null, reason: reason ?? "This version cannot run" };
  return {
    reason: null,
    model: {
      key: `${v.model.slug}@${v.version.number}`,
      slug: v.model.slug,
      version: v.version.number,
      name: v.model.name,
      sha256: v.artifact.sha256,
      sizeBytes: v.artifact.sizeBytes,
      downloadUrl: `/api/v1/models/${v.model.slug}/versions/${v.version.number}/artifact`,
      manifest: manifest.data,
      aliases: v.aliases,
    },
  };
}

async function productionOf(db: Db, slug: string): Promise<PlaygroundModel | null> {
  try {
    return toPlaygroundModel(await resolveAlias(db, slug, "production")).model;
  } catch {
    return null;
  }
}

export async function playgroundFor(db: Db, slug: string, number: number) {
  const view = await getVersion(db, slug, number);
  const { model, reason } = toPlaygroundModel(view);
  const baseline = comparisonBaseline({ parentVersion: view.parentVersion, tags: view.version.tags ?? {} });
  const against = baseline.kind === "parent" ? toPlaygroundModel(await getVersion(db, slug, baseline.version)).model : await productionOf(db, slug);
  const champion = against && model && against.key !== model.key ? against : null;
  let pipeline: OcrPipeline | null = null;
  if (model?.manifest.postprocess.kind === "db-text") {
    const recognizer = await productionOf(db, "ocr-text-recognizer");
    if (recognizer) pipeline = { recognizer, classifier: await productionOf(db, "ocr-direction-classifier") };
  }
  // A crop model is never fed the library's whole road frames: only an image the person uploads (a crop).
  const cropsOnly = whyNotOnFrames(model?.manifest ?? null);
  // The model's own evaluation frames come first, so the frame picked by default is one it was made for (the FCW
  // detector opens on a dashcam frame, not on the newest cabin crop in the library).
  const frames = cropsOnly ? [] : await playgroundFrames(db, evalSuiteOf(slug)?.tag);
  return { view, model, reason, champion, championRole: baseline.kind, pipeline, cropsOnly, frames };
}

/** The library's newest frames; with `firstTag`, the frames carrying it before the others. */
export async function playgroundFrames(db: Db, firstTag?: string): Promise<PlaygroundFrame[]> {
  const rows = await db
    .select()
    .from(sampleFrames)
    .orderBy(...(firstTag ? [desc(sql`${sampleFrames.tags} @> array[${firstTag}]::text[]`)] : []), desc(sampleFrames.createdAt), sampleFrames.name)
    .limit(300);
  return rows.map((f) => ({
    id: f.id,
    name: f.name,
    width: f.width,
    height: f.height,
    tags: f.tags,
    groundTruth: f.groundTruth ?? null,
    url: `/api/v1/frames/${f.id}/image`,
  }));
}

/** Every live version, newest first, with the reason when one cannot run here (no file held, crops only...); one query. */
export async function playgroundCatalogue(db: Db) {
  const rows = await db
    .select({
      slug: models.slug,
      name: models.name,
      task: models.task,
      number: modelVersions.number,
      status: modelVersions.status,
      manifest: modelVersions.manifest,
      integrity: artifacts.integrity,
      onnx: artifacts.onnx,
    })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .leftJoin(artifacts, eq(artifacts.sha256, modelVersions.artifactSha256))
    .where(notInArray(modelVersions.status, ["archived"]))
    .orderBy(models.slug, desc(modelVersions.number))
    .limit(500);
  const aliases = await db
    .select({ slug: models.slug, alias: modelAliases.alias, number: modelVersions.number })
    .from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId));
  return rows.map(({ manifest, integrity, onnx, ...r }) => {
    const parsed = ZManifest.safeParse(manifest);
    const reason = whyNotRunnable({
      artifact: integrity === null ? { held: false } : { held: true, integrity },
      manifest: parsed.success ? parsed.data : null,
      inputs: (onnx as OnnxSummary | null)?.inputs ?? [],
    });
    const cropsOnly = reason ? null : whyNotOnFrames(parsed.success ? parsed.data : null);
    return { ...r, reason, cropsOnly, aliases: aliases.filter((a) => a.slug === r.slug && a.number === r.number).map((a) => a.alias) };
  });
}
