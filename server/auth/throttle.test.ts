// Sign-in throttling against the real database: per-account lock, per-address lock, delays, the
// audit trail, unlocks, and a burst of parallel guesses that must not all get through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, like, sql } from "drizzle-orm";
import { auditLog, signInThrottles } from "@/db/schema";
import { setupTestEnv, TEST_PASSWORD, type TestEnv } from "@/server/test-utils";
import { createUser } from "./users";
import { attemptSignIn, delayFor, EXPIRE_BATCH, listThrottles, THROTTLE_RETENTION_MS, unlockSignIn, type ThrottleConfig } from "./throttle";

let t: TestEnv;
const cfg: ThrottleConfig = { maxFailures: 3, addressMaxFailures: 6, lockMs: 60_000, delayBaseMs: 100, delayMaxMs: 1000 };
const waits: number[] = [];
const noWait = async (ms: number) => {
  waits.push(ms);
};

beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

async function user(email: string) {
  return createUser(t.db, t.actors.admin, { email, role: "engineer", password: TEST_PASSWORD });
}
const attempt = (email: string, password: string, address: string | null = "198.51.100.1") => attemptSignIn(t.db, { email, password, address }, cfg, noWait);

describe("delayFor", () => {
  it("doubles from the base after each failure and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 40].map((f) => delayFor(f, cfg))).toEqual([0, 100, 200, 400, 800, 1000, 1000]);
  });
});

describe("attemptSignIn", () => {
  it("locks an account after the configured failures and refuses even the right password while locked", async () => {
    await user("locked@test.local");
    waits.length = 0;
    for (let i = 0; i < cfg.maxFailures; i++)
      expect(await attempt("locked@test.local", "wrong password", `198.51.100.${10 + i}`)).toEqual({ ok: false, reason: "invalid" });
    expect(waits).toEqual([0, 100, 200]);
    const refused = await attempt("LOCKED@test.local", TEST_PASSWORD, "198.51.100.99");
    expect(refused).toMatchObject({ ok: false, reason: "locked" });
    const actions = await t.db.select().from(auditLog).where(eq(auditLog.entityId, "locked@test.local"));
    expect(actions.filter((a) => a.action === "auth.sign_in_failed")).toHaveLength(cfg.maxFailures + 1);
    expect(actions.filter((a) => a.action === "auth.lock")).toHaveLength(1);
    expect(actions.at(-1)?.after).toMatchObject({ reason: "account_locked" });
  });

  it("forgives the count after the right password, and an admin unlock is audited", async () => {
    await user("forgiven@test.local");
    await attempt("forgiven@test.local", "wrong password");
    expect(await attempt("forgiven@test.local", TEST_PASSWORD)).toMatchObject({ ok: true });
    const [row] = await t.db
      .select()
      .from(signInThrottles)
      .where(and(eq(signInThrottles.kind, "account"), eq(signInThrottles.key, "forgiven@test.local")));
    expect(row.failures).toBe(0);

    for (let i = 0; i < cfg.maxFailures; i++) await attempt("forgiven@test.local", "wrong password", `198.51.100.${30 + i}`);
    expect((await listThrottles(t.db)).find((r) => r.key === "forgiven@test.local")).toMatchObject({ locked: true, failures: cfg.maxFailures });
    await expect(t.caller("engineer").admin.unlockSignIn({ kind: "account", key: "forgiven@test.local" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await t.caller("admin").admin.unlockSignIn({ kind: "account", key: "Forgiven@test.local" });
    expect(await attempt("forgiven@test.local", TEST_PASSWORD, "198.51.100.40")).toMatchObject({ ok: true });
    const [unlock] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.unlock"), eq(auditLog.entityId, "forgiven@test.local")));
    expect(unlock.actorUserId).toBe(t.actors.admin.userId);
    expect(unlock.before).toMatchObject({ failures: cfg.maxFailures });
    await expect(unlockSignIn(t.db, t.actors.admin, { kind: "account", key: "nobody-here@test.local" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("locks an address that sprays many accounts, whatever the account", async () => {
    const address = "203.0.113.50";
    for (let i = 0; i < cfg.addressMaxFailures; i++) await attempt(`spray${i}@test.local`, "wrong password", address);
    expect(await attempt("engineer@test.local", TEST_PASSWORD, address)).toMatchObject({ ok: false, reason: "locked" });
    expect(await attempt("engineer@test.local", TEST_PASSWORD, "203.0.113.51")).toMatchObject({ ok: true });
    const [lock] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "auth.lock"), eq(auditLog.entityType, "address"), eq(auditLog.entityId, address)));
    expect(lock.after).toMatchObject({ failures: cfg.addressMaxFailures });
  });

  it("throttles unknown emails like real ones, so a lock reveals nothing", async () => {
    for (let i = 0; i < cfg.maxFailures; i++) await attempt("ghost@test.local", "whatever", `198.51.100.${60 + i}`);
    expect(await attempt("ghost@test.local", "whatever", "198.51.100.70")).toMatchObject({ ok: false, reason: "locked" });
  });

  it("lets at most the configured number of parallel guesses reach the password check", async () => {
    await user("burst@test.local");
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt("burst@test.local", `guess ${i} wrong`, `198.51.100.${100 + i}`)));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(cfg.maxFailures);
    expect(results.filter((r) => !r.ok && r.reason === "locked")).toHaveLength(12 - cfg.maxFailures);
    const failed = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, "burst@test.local"), like(auditLog.action, "auth.%")));
    expect(failed.length).toBeGreaterThan(0);
  });
});

describe("expiry of old rows", () => {
  it("deletes rows whose failures are past retention, a bounded batch per failed attempt, never a live lock or a recent row", async () => {
    const old = new Date(Date.now() - THROTTLE_RETENTION_MS - 60_000);
    const stale = Array.from({ length: EXPIRE_BATCH + 50 }, (_, i) => ({
      kind: "account",
      key: `sprayed-${i}@nowhere.test`,
      failures: 1,
      lastFailureAt: old,
      updatedAt: old,
    }));
    await t.db.insert(signInThrottles).values(stale);
    // Still locked although its last write is old: an admin-visible lock is never expired early.
    await t.db.insert(signInThrottles).values({
      kind: "account",
      key: "stale-but-locked@nowhere.test",
      failures: 9,
      lastFailureAt: old,
      lockedUntil: new Date(Date.now() + 3_600_000),
      updatedAt: old,
    });
    await t.db.insert(signInThrottles).values({ kind: "address", key: "203.0.113.200", failures: 2, lastFailureAt: new Date(), updatedAt: new Date() });
    const left = async () =>
      Number(
        (
          await t.db
            .select({ n: sql<number>`count(*)` })
            .from(signInThrottles)
            .where(like(signInThrottles.key, "sprayed-%"))
        )[0].n,
      );
    expect(await left()).toBe(EXPIRE_BATCH + 50);
    await attempt("someone-new@nowhere.test", "wrong", "203.0.113.201");
    expect(await left()).toBe(50);
    await attempt("someone-new@nowhere.test", "wrong", "203.0.113.201");
    expect(await left()).toBe(0);
    const kept = await t.db
      .select({ key: signInThrottles.key })
      .from(signInThrottles)
      .where(sql`${signInThrottles.key} in ('stale-but-locked@nowhere.test', '203.0.113.200', 'someone-new@nowhere.test')`);
    expect(kept.map((k) => k.key).sort()).toEqual(["203.0.113.200", "someone-new@nowhere.test", "stale-but-locked@nowhere.test"]);
  });
});
