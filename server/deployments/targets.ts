// Deployment targets: the devices of an edge fleet, for simulators and support tools.
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deploymentTargets, devices } from "@/db/schema";
import { NotFound } from "@/server/errors";
import { ZSlug } from "@/server/registry/schemas";

export const MAX_LISTED_DEVICES = 10_000;

export async function targetDevices(db: Db, slug: string) {
  const s = ZSlug.safeParse(slug);
  const [target] = s.success ? await db.select({ id: deploymentTargets.id, slug: deploymentTargets.slug, kind: deploymentTargets.kind }).from(deploymentTargets).where(eq(deploymentTargets.slug, s.data)) : [];
  if (!target) throw new NotFound(`Target ${slug}`);
  const rows = await db
    .select({ id: devices.id, hardwareClass: devices.hardwareClass, firmware: devices.firmware, region: devices.region, bucket: devices.bucket, lastSeenAt: devices.lastSeenAt })
    .from(devices)
    .where(eq(devices.targetId, target.id))
    .orderBy(asc(devices.id))
    .limit(MAX_LISTED_DEVICES);
  return { target: target.slug, kind: target.kind, devices: rows };
}
