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
  const deps = await db
    .select({ d: deployments, slug: models.slug })
    .from(deployments)
    .innerJoin(models, eq(models.id, deployments.modelId))
    .where(eq(deployments.targetId, target.id))
    .orderBy(models.slug);
  const versionNumbers = new Map(
    (
      await db
        .select({ id: modelVersions.id, number: modelVersions.number })
        .from(modelVersions)
        .innerJoin(deployments, eq(deployments.modelId, modelVersions.modelId))
        .where(eq(deployments.targetId, target.id))
    ).map((v) => [v.id, v.number]),
  );
  const out = [];
  for (const { d, slug } of deps) {
    const onCandidate = d.state !== "idle" && d.candidateVersionId !== null && inRollout(device.bucket, percentOf(d));
    const versionId = onCandidate ? d.candidateVersionId! : d.stableVersionId;
    const r = versionResource(await getVersion(db, slug, versionNumbers.get(versionId)!), baseUrl);
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
