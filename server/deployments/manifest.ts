// The OTA manifest a device polls: which version of each model it should run, where to fetch it, and its runtime config.
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deployments, deploymentTargets, devices, models, modelVersions } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { Forbidden, NotFound } from "@/server/errors";
import { getVersion, versionResource } from "@/server/registry/service";
import { inRollout } from "./cohort";
import { deviceRefusal } from "./device-auth";
import { ZDeviceId } from "./schemas";
import { percentOf } from "./state-machine";

export type DeviceManifest = Awaited<ReturnType<typeof deviceManifest>>;

/**
 * The desired state of one device: readable with deploy:read (people, tools) and by the device's own
 * credential; another device's credential is refused.
 */
export async function deviceManifest(db: Db, actor: Actor, deviceId: string, baseUrl = "") {
  const id = ZDeviceId.safeParse(deviceId);
  const [row] = id.success
    ? await db
        .select({ device: devices, target: deploymentTargets })
        .from(devices)
        .innerJoin(deploymentTargets, eq(deploymentTargets.id, devices.targetId))
        .where(eq(devices.id, id.data))
    : [];
  const refusal = deviceRefusal(actor, id.success ? id.data : deviceId);
  if (refusal) throw new Forbidden(refusal);
  if (!row) throw new NotFound(`Device ${deviceId}`);
  const { device, target } = row;
  const out = [];
  for (const { d, slug, stable, candidate } of await targetPart(db, target.id, baseUrl)) {
    const onCandidate = d.state !== "idle" && candidate !== null && inRollout(device.bucket, percentOf(d));
    const r = onCandidate ? candidate : stable;
    out.push({
      model: slug,
      deployment: d.id,
      channel: onCandidate ? ("candidate" as const) : ("stable" as const),
      version: r.version,
      artifact: r.artifact.held
        ? { url: r.artifact.downloadUrl, sha256: r.artifact.sha256, size: r.artifact.size, mediaType: r.artifact.mediaType }
        : { url: r.artifact.uri, sha256: null, size: null, mediaType: null },
      manifest: r.manifest,
      runtimeConfig: (onCandidate ? d.candidateConfig : d.stableConfig) ?? {},
    });
  }
  return {
    device: { id: device.id, fleet: target.slug, hardwareClass: device.hardwareClass, firmware: device.firmware, region: device.region, bucket: device.bucket },
    models: out,
  };
}

// Devices poll every few minutes and almost always get a 304. The part of the answer shared by the whole fleet (each
// deployment with its stable and candidate versions resolved) is kept per target and re-used while the target's
// deployment ids and revisions are unchanged, which one small query checks on every poll: a rollout step made on any
// replica is seen by the next poll. Every deployment change bumps its revision; what a revision does not cover
// (version metadata, an artifact's presence) is re-read after MANIFEST_CACHE_MS. On globalThis, so every route bundle
// shares one cache.
export const MANIFEST_CACHE_MS = 10_000;
type Resolved = ReturnType<typeof versionResource>;
type TargetPart = { d: typeof deployments.$inferSelect; slug: string; stable: Resolved; candidate: Resolved | null }[];
type ManifestCache = Map<string, { key: string; at: number; part: TargetPart }>;
const targetCache: ManifestCache = ((globalThis as { __sentinelManifestCache?: ManifestCache }).__sentinelManifestCache ??= new Map());

async function targetPart(db: Db, targetId: string, baseUrl: string): Promise<TargetPart> {
  const revisions = await db
    .select({ id: deployments.id, revision: deployments.revision })
    .from(deployments)
    .where(eq(deployments.targetId, targetId))
    .orderBy(deployments.id);
  const key = `${baseUrl} ${revisions.map((r) => `${r.id}:${r.revision}`).join(",")}`;
  const hit = targetCache.get(targetId);
  if (hit && hit.key === key && Date.now() - hit.at < MANIFEST_CACHE_MS) return hit.part;
  const deps = await db
    .select({ d: deployments, slug: models.slug })
    .from(deployments)
    .innerJoin(models, eq(models.id, deployments.modelId))
    .where(eq(deployments.targetId, targetId))
    .orderBy(models.slug);
  const versionNumbers = new Map(
    (
      await db
        .select({ id: modelVersions.id, number: modelVersions.number })
        .from(modelVersions)
        .innerJoin(deployments, eq(deployments.modelId, modelVersions.modelId))
        .where(eq(deployments.targetId, targetId))
    ).map((v) => [v.id, v.number]),
  );
  const resolve = async (slug: string, versionId: string) => versionResource(await getVersion(db, slug, versionNumbers.get(versionId)!), baseUrl);
  const part: TargetPart = [];
  for (const { d, slug } of deps) {
    part.push({ d, slug, stable: await resolve(slug, d.stableVersionId), candidate: d.candidateVersionId ? await resolve(slug, d.candidateVersionId) : null });
  }
  // Keyed by what was read before the deployments: a change in between makes the next poll read again.
  if (targetCache.size > 1000) targetCache.clear();
  targetCache.set(targetId, { key, at: Date.now(), part });
  return part;
}

/** A strong ETag over the manifest body: unchanged desired state, unchanged tag. */
export function manifestEtag(body: unknown): string {
  return `"${createHash("sha256").update(JSON.stringify(body)).digest("hex").slice(0, 32)}"`;
}

/** True when If-None-Match names the current tag (or is *). */
export function notModified(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const v = t.trim().replace(/^W\//, "");
    return v === etag || v === "*";
  });
}
