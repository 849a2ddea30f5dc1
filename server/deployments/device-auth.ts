// Device credentials: an API token bound to one device, who may write for a device, and the hourly
// aggregate audit of what devices write with their own credentials.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiTokens, deploymentTargets, devices, deviceWriteTallies, users } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { roleAtLeast, type Actor, type Scope } from "@/server/auth/roles";
import { Forbidden, NotFound, PreconditionFailed } from "@/server/errors";
import { actorHasScope, forgetCachedTokens, mintTokenSecret } from "@/server/tokens/service";
import { ZDeviceId } from "./schemas";

/** What a device credential may do: read its manifest, post its own telemetry, report (always allowed for itself). */
export const DEVICE_SCOPES: Scope[] = ["deploy:read", "telemetry:write"];

/** Why `actor` may not act for device `deviceId`, or null. A device credential speaks for its own device only. */
export function deviceRefusal(actor: Actor, deviceId: string): string | null {
  if (actor.deviceId && actor.deviceId !== deviceId) return `This credential belongs to device ${actor.deviceId}; it cannot act for device ${deviceId}`;
  return null;
}

/** Writing for a device (reports): the device's own credential, or `devices:write` (engineers' tools). */
export function assertDeviceWrite(actor: Actor, deviceId: string): void {
  const refusal = deviceRefusal(actor, deviceId);
  if (refusal) throw new Forbidden(refusal);
  if (actor.deviceId === deviceId) return;
  if (!actorHasScope(actor, "devices:write")) {
    throw new Forbidden(`Reports for device ${deviceId} need its own device credential or the devices:write scope (engineers)`);
  }
}

/**
 * Mints a credential for one device and binds it; a credential it had before is revoked. The token is
 * owned by the engineer who issued it (a token never exceeds its owner) and carries the device id
 * through the binding. Returns the secret once.
 */
export async function issueDeviceCredential(db: Db, actor: Actor, deviceId: string) {
  if (!roleAtLeast(actor.role, "engineer")) throw new Forbidden("Issuing a device credential needs an engineer");
  if (actor.deviceId) throw new Forbidden("A device credential cannot issue credentials");
  const id = ZDeviceId.safeParse(deviceId);
  const out = await db.transaction(async (tx) => {
    const [device] = id.success ? await tx.select().from(devices).where(eq(devices.id, id.data)).for("update") : [];
    if (!device) throw new NotFound(`Device ${deviceId}`);
    const [owner] = await tx.select({ active: users.active }).from(users).where(eq(users.id, actor.userId));
    if (!owner?.active) throw new PreconditionFailed("The issuing user is deactivated");
    const now = new Date();
    let replaced: string | null = null;
    if (device.tokenId) {
      const [old] = await tx
        .update(apiTokens)
        .set({ revokedAt: now })
        .where(and(eq(apiTokens.id, device.tokenId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      replaced = old?.id ?? null;
    }
    const { secret, prefix, tokenHash } = mintTokenSecret();
    const [token] = await tx
      .insert(apiTokens)
      .values({ userId: actor.userId, name: `device ${device.id}`, prefix, tokenHash, scopes: DEVICE_SCOPES, expiresAt: null })
      .returning({ id: apiTokens.id, prefix: apiTokens.prefix, scopes: apiTokens.scopes, createdAt: apiTokens.createdAt });
    await tx.update(devices).set({ tokenId: token.id }).where(eq(devices.id, device.id));
    await writeAudit(tx, actor, {
      action: "device.credential",
      entityType: "device",
      entityId: device.id,
      after: { tokenId: token.id, prefix, scopes: DEVICE_SCOPES, revokedTokenId: replaced },
    });
    return { deviceId: device.id, tokenId: token.id, prefix, scopes: DEVICE_SCOPES, token: secret };
  });
  // The replaced token is revoked: drop cached token answers at once.
  forgetCachedTokens();
  return out;
}

/** The fleet (target slug) a device belongs to. */
export async function deviceFleet(db: Db, deviceId: string): Promise<string | null> {
  const [row] = await db
    .select({ slug: deploymentTargets.slug })
    .from(devices)
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, devices.targetId))
    .where(eq(devices.id, deviceId));
  return row?.slug ?? null;
}

/**
 * Counts one write made with a device's own credential, inside the write's transaction. The first
 * write of a device-hour adds one audit row; later ones only bump the tally, so a device that reports
 * every minute leaves 24 audit rows a day, each backed by the hour's counts.
 */
export async function tallyDeviceWrite(tx: Db, actor: Actor, deviceId: string, kind: "reports" | "telemetry", now = new Date()): Promise<void> {
  const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const [row] = await tx
    .insert(deviceWriteTallies)
    .values({ deviceId, hour, reports: kind === "reports" ? 1 : 0, telemetry: kind === "telemetry" ? 1 : 0, lastAt: now })
    .onConflictDoUpdate({
      target: [deviceWriteTallies.deviceId, deviceWriteTallies.hour],
      set: { [kind]: sql`${deviceWriteTallies[kind]} + 1`, lastAt: now },
    })
    .returning({ reports: deviceWriteTallies.reports, telemetry: deviceWriteTallies.telemetry });
  if (row.reports + row.telemetry === 1) {
    await writeAudit(tx, actor, {
      action: "device.writes",
      entityType: "device",
      entityId: deviceId,
      after: { hour: hour.toISOString(), first: kind, tally: "device_write_tallies" },
    });
  }
}
