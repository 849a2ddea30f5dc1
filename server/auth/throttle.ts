// Sign-in throttling per account and per client address: a delay that doubles with each failure and
// a temporary lock after too many, counted in the database so every replica sees the same attempts.
import { and, desc, eq, gt, isNotNull, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { queryRows, type Db } from "@/db/client";
import { signInThrottles } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import { env } from "@/server/env";
import { NotFound } from "@/server/errors";
import type { Actor } from "./roles";
import { ZUnlockSignIn } from "./schemas";
import { verifyCredentials, type PublicUser } from "./users";

export type ThrottleConfig = {
  /** Failures of one account before it is locked. */
  maxFailures: number;
  /** Failures from one address (any account) before the address is locked. */
  addressMaxFailures: number;
  /** Lock duration; failures older than this are forgotten. */
  lockMs: number;
  delayBaseMs: number;
  delayMaxMs: number;
};

export function throttleConfigFromEnv(): ThrottleConfig {
  return {
    maxFailures: env.SIGNIN_MAX_FAILURES,
    addressMaxFailures: env.SIGNIN_ADDRESS_MAX_FAILURES,
    lockMs: env.SIGNIN_LOCK_MINUTES * 60_000,
    delayBaseMs: env.SIGNIN_DELAY_BASE_MS,
    delayMaxMs: env.SIGNIN_DELAY_MAX_MS,
  };
}

/** Delay before checking a password after `failures` recent failures: 0, base, 2·base, 4·base… capped. */
export function delayFor(failures: number, cfg: Pick<ThrottleConfig, "delayBaseMs" | "delayMaxMs">): number {
  if (failures <= 0) return 0;
  return Math.min(cfg.delayMaxMs, cfg.delayBaseMs * 2 ** Math.min(failures - 1, 30));
}

export type SignInAttempt = { email: string; password: string; address: string | null };
export type SignInResult = { ok: true; user: PublicUser } | { ok: false; reason: "invalid" | "inactive" } | { ok: false; reason: "locked"; lockedUntil: Date };

type Kind = "account" | "address";

type Counted = { failures: number; lockedUntil: Date | null };

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v : new Date(String(v));
}

/**
 * Counts one failure for (kind, key) unless it is locked right now, locking it when the count
 * reaches `max`. One statement, so concurrent attempts on any replica each take their own number.
 * Returns null when it was already locked (nothing counted).
 */
async function countFailure(db: Db, kind: Kind, key: string, max: number, lockMs: number): Promise<Counted | null> {
  const lock = sql`(${lockMs}::double precision * interval '1 millisecond')`;
  // A lock that has run out, or a last failure older than the window, starts the count again.
  const next = sql`case when t.locked_until is not null and t.locked_until <= now() then 1
    when t.last_failure_at is null or t.last_failure_at < now() - ${lock} then 1
    else t.failures + 1 end`;
  const rows = await queryRows(
    db,
    sql`insert into sign_in_throttles as t (kind, key, failures, last_failure_at, locked_until, updated_at)
      values (${kind}, ${key}, 1, now(), case when 1 >= ${max}::int then now() + ${lock} else null end, now())
      on conflict (kind, key) do update set
        failures = ${next},
        last_failure_at = now(),
        locked_until = case when ${next} >= ${max}::int then now() + ${lock} else null end,
        updated_at = now()
      where t.locked_until is null or t.locked_until <= now()
      returning t.failures as failures, t.locked_until as locked_until`,
  );
  if (!rows.length) return null;
  return { failures: Number(rows[0].failures), lockedUntil: toDate(rows[0].locked_until) };
}

async function currentState(db: Db, kind: Kind, key: string, lockMs: number): Promise<Counted & { locked: boolean }> {
  const [row] = await db
    .select()
    .from(signInThrottles)
    .where(and(eq(signInThrottles.kind, kind), eq(signInThrottles.key, key)));
  const now = Date.now();
  if (!row) return { failures: 0, lockedUntil: null, locked: false };
  const locked = Boolean(row.lockedUntil && row.lockedUntil.getTime() > now);
  const recent = row.lastFailureAt && row.lastFailureAt.getTime() > now - lockMs && !(row.lockedUntil && !locked);
  return { failures: locked || recent ? row.failures : 0, lockedUntil: row.lockedUntil, locked };
}

/** How long a row outlives its last failure: the lock window, but at least the day the admins' list shows. */
export const THROTTLE_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Rows deleted per failed attempt at most, so one sign-in never pays for a long backlog. */
export const EXPIRE_BATCH = 100;

/**
 * Deletes rows nothing reads any more: last written before the retention and not locked now. Sprayed unknown emails
 * would otherwise leave a row each forever. Runs on the write path, a bounded batch at a time; replicas skip rows
 * another one is deleting.
 */
async function expireOldRows(db: Db, lockMs: number): Promise<void> {
  const keep = sql`(${Math.max(lockMs, THROTTLE_RETENTION_MS)}::double precision * interval '1 millisecond')`;
  await db.execute(sql`delete from sign_in_throttles where (kind, key) in (
    select kind, key from sign_in_throttles
    where updated_at < now() - ${keep} and (locked_until is null or locked_until <= now())
    limit ${EXPIRE_BATCH} for update skip locked)`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Checks a password under throttling. The account's attempt is counted before the password is
 * checked (and forgiven on success), so a burst of parallel guesses cannot all slip in before the
 * first failure is written. Unknown emails are throttled like real ones, so a lock reveals nothing.
 */
export async function attemptSignIn(
  db: Db,
  attempt: SignInAttempt,
  cfg: ThrottleConfig = throttleConfigFromEnv(),
  wait: (ms: number) => Promise<void> = sleep,
): Promise<SignInResult> {
  const account = attempt.email.trim().toLowerCase();
  const address = attempt.address;
  const failed = async (into: Db, reason: string, extra: Record<string, unknown> = {}) =>
    writeAudit(into, null, { action: "auth.sign_in_failed", entityType: "account", entityId: account, after: { address, reason, ...extra } });

  const byAddress = address ? await currentState(db, "address", address, cfg.lockMs) : null;
  if (byAddress?.locked && byAddress.lockedUntil) {
    await failed(db, "address_locked", { lockedUntil: byAddress.lockedUntil });
    return { ok: false, reason: "locked", lockedUntil: byAddress.lockedUntil };
  }

  const claimed = await countFailure(db, "account", account, cfg.maxFailures, cfg.lockMs);
  await expireOldRows(db, cfg.lockMs);
  if (!claimed) {
    const state = await currentState(db, "account", account, cfg.lockMs);
    const lockedUntil = state.lockedUntil ?? new Date(Date.now() + cfg.lockMs);
    await failed(db, "account_locked", { lockedUntil });
    return { ok: false, reason: "locked", lockedUntil };
  }

  // Only the account's own failures slow it down: an office behind one address should not wait for
  // a colleague's typos. The address has its own, higher lock threshold against spraying.
  await wait(delayFor(claimed.failures - 1, cfg));

  const checked = await verifyCredentials(db, account, attempt.password);
  if (checked.ok || checked.reason === "inactive") {
    // The right password forgives this account's count (the address keeps its own).
    await db
      .update(signInThrottles)
      .set({ failures: 0, lastFailureAt: null, lockedUntil: null, updatedAt: new Date() })
      .where(and(eq(signInThrottles.kind, "account"), eq(signInThrottles.key, account)));
    return checked;
  }

  await db.transaction(async (tx) => {
    await failed(tx, "invalid", { failures: claimed.failures });
    if (claimed.lockedUntil) {
      await writeAudit(tx, null, {
        action: "auth.lock",
        entityType: "account",
        entityId: account,
        after: { failures: claimed.failures, lockedUntil: claimed.lockedUntil, address },
      });
    }
    if (address) {
      const counted = await countFailure(tx, "address", address, cfg.addressMaxFailures, cfg.lockMs);
      if (counted?.lockedUntil) {
        await writeAudit(tx, null, {
          action: "auth.lock",
          entityType: "address",
          entityId: address,
          after: { failures: counted.failures, lockedUntil: counted.lockedUntil, lastAccount: account },
        });
      }
    }
  });
  return { ok: false, reason: "invalid" };
}

export type ThrottleView = { kind: Kind; key: string; failures: number; lastFailureAt: Date | null; lockedUntil: Date | null; locked: boolean };

/** For admins: accounts and addresses locked now or with failures in the last day, locked first. */
export async function listThrottles(db: Db): Promise<ThrottleView[]> {
  const since = new Date(Date.now() - 24 * 60 * 60 * 1000);
  const rows = await db
    .select()
    .from(signInThrottles)
    .where(
      or(
        gt(signInThrottles.lockedUntil, sql`now()`),
        and(isNotNull(signInThrottles.lastFailureAt), gt(signInThrottles.lastFailureAt, since), gt(signInThrottles.failures, 0)),
      ),
    )
    .orderBy(desc(signInThrottles.lockedUntil), desc(signInThrottles.lastFailureAt))
    .limit(500);
  const now = Date.now();
  return rows.map((r) => ({
    kind: r.kind === "address" ? "address" : "account",
    key: r.key,
    failures: r.failures,
    lastFailureAt: r.lastFailureAt,
    lockedUntil: r.lockedUntil,
    locked: Boolean(r.lockedUntil && r.lockedUntil.getTime() > now),
  }));
}

/** An admin lifts a lock (or clears the failures) of an account or an address. */
export async function unlockSignIn(db: Db, actor: Actor, input: z.input<typeof ZUnlockSignIn>): Promise<ThrottleView> {
  const { kind, key } = ZUnlockSignIn.parse(input);
  const normalised = kind === "account" ? key.toLowerCase() : key;
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(signInThrottles)
      .where(and(eq(signInThrottles.kind, kind), eq(signInThrottles.key, normalised)))
      .for("update");
    if (!before) throw new NotFound(kind === "account" ? "Sign-in lock for this account" : "Sign-in lock for this address");
    const [after] = await tx
      .update(signInThrottles)
      .set({ failures: 0, lastFailureAt: null, lockedUntil: null, updatedAt: new Date() })
      .where(and(eq(signInThrottles.kind, kind), eq(signInThrottles.key, normalised)))
      .returning();
    await writeAudit(tx, actor, {
      action: "auth.unlock",
      entityType: kind,
      entityId: normalised,
      before: { failures: before.failures, lockedUntil: before.lockedUntil, lastFailureAt: before.lastFailureAt },
      after: { failures: 0, lockedUntil: null },
    });
    return { kind, key: after.key, failures: 0, lastFailureAt: null, lockedUntil: null, locked: false };
  });
}
