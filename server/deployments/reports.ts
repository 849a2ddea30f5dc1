// Device reports: the version each model runs on a device, and download or activation failures. A report
// id is taken once: the same report again is answered as a replay and changes nothing.
import { createHash } from "node:crypto";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { deployments, deviceModelStates, deviceReports, devices, models } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { writeAudit } from "@/server/audit/service";
import { Conflict, Invalid, NotFound } from "@/server/errors";
import { assertDeviceWrite, tallyDeviceWrite } from "./device-auth";
import { BUCKETS } from "./cohort";
import { ZDeviceId, ZDeviceReport } from "./schemas";

export type ReportResult = { reportId: string; deviceId: string; replayed: boolean; accepted: number; detail: string };

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x,
  );
}

export async function recordDeviceReport(db: Db, actor: Actor, deviceId: string, input: unknown, now = new Date()): Promise<ReportResult> {
  const id = ZDeviceId.safeParse(deviceId);
  const [device] = id.success ? await db.select().from(devices).where(eq(devices.id, id.data)) : [];
  if (!device) throw new NotFound(`Device ${deviceId}`);
  // Reports change what the rollout page shows: the device's own credential, or devices:write (tools, support).
  assertDeviceWrite(actor, device.id);
  const r = ZDeviceReport.parse(input);
  const hash = createHash("sha256").update(canonical(r)).digest("hex");
  const at = r.at ?? now;

  return db.transaction(async (tx) => {
    const [taken] = await tx.insert(deviceReports).values({ deviceId: device.id, reportId: r.reportId, contentHash: hash }).onConflictDoNothing().returning();
    if (!taken) {
      const [first] = await tx
        .select()
        .from(deviceReports)
        .where(and(eq(deviceReports.deviceId, device.id), eq(deviceReports.reportId, r.reportId)));
      if (first && first.contentHash !== hash) throw new Conflict(`Report ${r.reportId} was already received with different content; send a new report id`);
      return {
        reportId: r.reportId,
        deviceId: device.id,
        replayed: true,
        accepted: 0,
        detail: `Report ${r.reportId} was already received at ${first?.receivedAt.toISOString()}; nothing changed`,
      };
    }
    const slugs = [...new Set(r.models.map((m) => m.model))];
    const deployed = await tx
      .select({ id: models.id, slug: models.slug })
      .from(deployments)
      .innerJoin(models, eq(models.id, deployments.modelId))
      .where(and(eq(deployments.targetId, device.targetId), inArray(models.slug, slugs)));
    const idOf = new Map(deployed.map((m) => [m.slug, m.id]));
    for (const s of slugs) if (!idOf.has(s)) throw new Invalid(`Model ${s} is not deployed to device ${device.id}'s fleet`);
    for (const m of r.models) {
      const values = {
        deviceId: device.id,
        modelId: idOf.get(m.model)!,
        runningVersion: m.running,
        status: m.failure ? `${m.failure.stage}-failed` : "running",
        failedVersion: m.failure?.version ?? null,
        error: m.failure?.message ?? null,
        reportedAt: at,
      };
      // An older report arriving late does not overwrite a newer one.
      await tx
        .insert(deviceModelStates)
        .values(values)
        .onConflictDoUpdate({
          target: [deviceModelStates.deviceId, deviceModelStates.modelId],
          set: values,
          setWhere: sql`${deviceModelStates.reportedAt} <= ${at.toISOString()}`,
        });
    }
    await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, device.id));
    // The device's own writes are audited per device and hour; anyone else's report is a mutation like any other.
    if (actor.deviceId === device.id) await tallyDeviceWrite(tx, actor, device.id, "reports", now);
    else await writeAudit(tx, actor, { action: "device.report", entityType: "device", entityId: device.id, after: { reportId: r.reportId, models: r.models } });
    return {
      reportId: r.reportId,
      deviceId: device.id,
      replayed: false,
      accepted: r.models.length,
      detail: `Recorded ${r.models.length} model state${r.models.length === 1 ? "" : "s"}`,
    };
  });
}

export type FleetVersions = {
  byVersion: { version: number; devices: number }[];
  upToDate: number;
  pending: number;
  failed: number;
  unreported: number;
  total: number;
};

/** Where the fleet stands for one deployment: devices per running version, and against each device's desired version. */
export async function fleetVersions(
  db: Db,
  d: { targetId: string; modelId: string; stable: number; candidate: number | null; percent: number },
): Promise<FleetVersions> {
  const threshold = d.candidate === null ? 0 : Math.round(d.percent * (BUCKETS / 100));
  const desired = sql<number>`case when ${devices.bucket} < ${threshold} then ${d.candidate ?? d.stable}::int else ${d.stable}::int end`;
  const rows = await db
    .select({
      desired,
      running: deviceModelStates.runningVersion,
      status: deviceModelStates.status,
      failedVersion: deviceModelStates.failedVersion,
      n: count(),
    })
    .from(devices)
    .leftJoin(deviceModelStates, and(eq(deviceModelStates.deviceId, devices.id), eq(deviceModelStates.modelId, d.modelId)))
    .where(eq(devices.targetId, d.targetId))
    .groupBy(sql`1`, deviceModelStates.runningVersion, deviceModelStates.status, deviceModelStates.failedVersion);
  const out: FleetVersions = { byVersion: [], upToDate: 0, pending: 0, failed: 0, unreported: 0, total: 0 };
  const per = new Map<number, number>();
  for (const r of rows) {
    const want = Number(r.desired);
    out.total += r.n;
    if (r.status === null) out.unreported += r.n;
    else if (r.status !== "running" && r.failedVersion === want) out.failed += r.n;
    else if (r.running === want) out.upToDate += r.n;
    else out.pending += r.n;
    if (r.running !== null) per.set(r.running, (per.get(r.running) ?? 0) + r.n);
  }
  out.byVersion = [...per].map(([version, n]) => ({ version, devices: n })).sort((a, b) => b.version - a.version);
  return out;
}
