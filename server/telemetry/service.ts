// Telemetry ingest: validates, deduplicates by idempotency key, enforces lateness, stores summaries.
import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray, or } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions, telemetryIdempotencyKeys, telemetrySummaries } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { deviceFleet, tallyDeviceWrite } from "@/server/deployments/device-auth";
import { Conflict, Forbidden, Invalid } from "@/server/errors";
import { ZIngest, type TSummaryParsed } from "./schemas";

/** Windows ending longer ago than this are refused: drift and SLO results for that time are already out. */
export const MAX_LATENESS_MS = 6 * 3600_000;
/** Windows may start at most this far in the future (device clock skew). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type IngestOptions = {
  now?: Date;
  /** Backfills (demo seed, imports) pass a larger limit; devices get MAX_LATENESS_MS. */
  maxLatenessMs?: number;
};

export type IngestResult = { accepted: number; duplicates: number; ids: string[] };

function canonical(s: TSummaryParsed): string {
  const { idempotencyKey: _key, ...rest } = s;
  return JSON.stringify(rest, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * Stores a batch of summaries, all or nothing. A summary whose idempotency key is already stored
 * with the same content is a retry and is skipped (counted in `duplicates`); the same key with
 * different content is a conflict. Late, future or unregistered-version windows refuse the batch.
 */
export async function ingestSummaries(db: Db, actor: Actor, input: unknown, opts: IngestOptions = {}): Promise<IngestResult> {
  const { summaries } = ZIngest.parse(input);
  const now = (opts.now ?? new Date()).getTime();
  const maxLateness = opts.maxLatenessMs ?? MAX_LATENESS_MS;
  const keys = new Set<string>();
  summaries.forEach((s, i) => {
    const end = s.windowStart.getTime() + s.windowSeconds * 1000;
    if (end < now - maxLateness) {
      throw new Invalid(
        `summaries.${i}: the window ending ${new Date(end).toISOString()} is later than the ${maxLateness / 3600_000} h lateness limit; windows must arrive within ${maxLateness / 3600_000} h of their end`,
        { index: i, code: "TOO_LATE" },
      );
    }
    if (s.windowStart.getTime() > now + MAX_CLOCK_SKEW_MS)
      throw new Invalid(`summaries.${i}: the window starts in the future (${s.windowStart.toISOString()}); check the device clock`, {
        index: i,
        code: "IN_FUTURE",
      });
    if (keys.has(s.idempotencyKey)) throw new Invalid(`summaries.${i}: idempotency key ${s.idempotencyKey} appears twice in this batch`);
    keys.add(s.idempotencyKey);
  });

  // A device credential speaks for its own device: every window tagged with its fleet, and with its id if it names one.
  if (actor.deviceId) {
    const fleet = await deviceFleet(db, actor.deviceId);
    summaries.forEach((s, i) => {
      if (s.slice.device !== undefined && s.slice.device !== actor.deviceId)
        throw new Forbidden(`summaries.${i}: this credential belongs to device ${actor.deviceId}, not ${s.slice.device}`);
      if (s.slice.fleet !== fleet)
        throw new Forbidden(
          `summaries.${i}: device ${actor.deviceId} sends telemetry for its own fleet only; tag it with slice.fleet = ${JSON.stringify(fleet)}`,
        );
    });
  }

  // Every (model, version) must be registered; one query for the whole batch.
  const pairs = [...new Map(summaries.map((s) => [`${s.model}/${s.version}`, s])).values()];
  const found = await db
    .select({ slug: models.slug, modelId: models.id, number: modelVersions.number })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(or(...pairs.map((p) => and(eq(models.slug, p.model), eq(modelVersions.number, p.version)))));
  const modelIdOf = new Map(found.map((f) => [`${f.slug}/${f.number}`, f.modelId]));
  for (const p of pairs)
    if (!modelIdOf.has(`${p.model}/${p.version}`)) throw new Invalid(`Model ${p.model} has no version ${p.version}; register it before sending telemetry`);

  // Ids are chosen here so a key's row can name its summary before the summary is stored.
  const rows = summaries.map((s) => ({
    id: randomUUID(),
    idempotencyKey: s.idempotencyKey,
    contentHash: createHash("sha256").update(canonical(s)).digest("hex"),
    modelId: modelIdOf.get(`${s.model}/${s.version}`)!,
    version: s.version,
    target: s.target,
    cohort: s.cohort,
    slice: s.slice,
    windowStart: s.windowStart,
    windowSeconds: s.windowSeconds,
    requests: s.requests,
    errors: s.errors,
    latency: s.latencyMs.counts,
    features: s.features,
    predictions: s.predictions,
    outcomes: s.outcomes ?? null,
    receivedBy: actor.userId,
    tokenId: actor.tokenId ?? null,
  }));

  // Keys live in telemetry_idempotency_keys (one row per key across every month): summaries are
  // partitioned by month, and a partitioned table cannot hold a unique index without the month in it.
  const k = telemetryIdempotencyKeys;
  return db.transaction(async (tx) => {
    const selectKeys = (keyList: string[]) => tx.select({ key: k.key, hash: k.contentHash, id: k.summaryId }).from(k).where(inArray(k.key, keyList));
    const existing = await selectKeys([...keys]);
    const seen = new Map(existing.map((e) => [e.key, e]));
    for (const r of rows) {
      const e = seen.get(r.idempotencyKey);
      if (e && e.hash !== r.contentHash) throw new Conflict(`Idempotency key ${r.idempotencyKey} was already used for a different summary`);
    }
    const fresh = rows.filter((r) => !seen.has(r.idempotencyKey));
    const inserted: { id: string; key: string }[] = [];
    // A concurrent retry can win the race between the check and the claim: on conflict it is a duplicate.
    for (let i = 0; i < fresh.length; i += 200) {
      const chunk = fresh.slice(i, i + 200);
      const claimed = await tx
        .insert(k)
        .values(chunk.map((r) => ({ key: r.idempotencyKey, contentHash: r.contentHash, summaryId: r.id, windowStart: r.windowStart })))
        .onConflictDoNothing({ target: k.key })
        .returning({ id: k.summaryId, key: k.key });
      const claimedKeys = new Set(claimed.map((c) => c.key));
      const won = chunk.filter((r) => claimedKeys.has(r.idempotencyKey));
      if (won.length) await tx.insert(telemetrySummaries).values(won);
      inserted.push(...claimed);
    }
    // A concurrent post of a key can win between the check and the claim (the key's primary key made this
    // one wait for it, then skip): compare with what it stored, as for a key stored before.
    const insertedKeys = new Set(inserted.map((r) => r.key));
    const lost = fresh.filter((r) => !insertedKeys.has(r.idempotencyKey));
    if (lost.length) {
      const winners = await selectKeys(lost.map((r) => r.idempotencyKey));
      const winnerOf = new Map(winners.map((w) => [w.key, w]));
      for (const r of lost) {
        if (winnerOf.get(r.idempotencyKey)?.hash !== r.contentHash)
          throw new Conflict(`Idempotency key ${r.idempotencyKey} was already used for a different summary`);
      }
      existing.push(...winners);
    }
    const idOf = new Map([...existing.map((e) => [e.key, e.id] as const), ...inserted.map((r) => [r.key, r.id] as const)]);
    if (inserted.length && actor.deviceId) await tallyDeviceWrite(tx, actor, actor.deviceId, "telemetry");
    else if (inserted.length) {
      const windows = fresh.map((r) => r.windowStart.getTime());
      await writeAudit(tx, actor, {
        action: "telemetry.ingest",
        entityType: "telemetry",
        entityId: [...new Set(summaries.map((s) => s.model))].sort().join(","),
        after: {
          accepted: inserted.length,
          duplicates: rows.length - inserted.length,
          from: new Date(Math.min(...windows)),
          to: new Date(Math.max(...windows)),
        },
      });
    }
    return { accepted: inserted.length, duplicates: rows.length - inserted.length, ids: rows.map((r) => idOf.get(r.idempotencyKey) ?? "") };
  });
}
