// Server-side sessions against the real database: live checks, sign-out, sign out everywhere,
// ending one session, deactivation, and the audit rows each leaves.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createCaller } from "@/server/routers/_app";
import { endSessionOnSignOut, isSessionLive, startSession } from "./sessions";
import { setUserActive } from "./users";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

const HOUR = 3_600_000;
const start = (role: "viewer" | "engineer" | "admin", maxAgeMs = HOUR) =>
  startSession(
    t.db,
    { id: t.actors[role].userId, email: t.actors[role].email, role },
    { method: "credentials", userAgent: "vitest", address: "127.0.0.1", maxAgeMs },
  );
const callerIn = (role: "viewer" | "engineer" | "admin", sessionId: string) =>
  createCaller({ db: t.db, actor: { ...t.actors[role], sessionId }, requestId: "test" });

describe("sessions", () => {
  it("starts with an audit row and ends on sign-out, once", async () => {
    const s = await start("viewer");
    expect(await isSessionLive(t.db, s.id, t.actors.viewer.userId)).toBe(true);
    // Someone else's user id with this session id is not a live session.
    expect(await isSessionLive(t.db, s.id, t.actors.admin.userId)).toBe(false);
    await endSessionOnSignOut(t.db, s.id, t.actors.viewer.userId);
    await endSessionOnSignOut(t.db, s.id, t.actors.viewer.userId);
    expect(await isSessionLive(t.db, s.id, t.actors.viewer.userId)).toBe(false);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.entityId, s.id));
    expect(rows.map((r) => r.action)).toEqual(["user.sign_in", "user.sign_out"]);
  });

  it("expires at its absolute end", async () => {
    const s = await start("viewer", -1);
    expect(await isSessionLive(t.db, s.id, t.actors.viewer.userId)).toBe(false);
  });

  it("lists only the user's own open sessions and marks the current one", async () => {
    const a = await start("engineer");
    const b = await start("engineer");
    await start("viewer");
    const list = await callerIn("engineer", a.id).sessions.mine();
    expect(list.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(list.find((s) => s.id === a.id)?.current).toBe(true);
    expect(list.find((s) => s.id === b.id)?.current).toBe(false);
  });

  it("ends one own session, and treats another user's session as not found", async () => {
    const mine = await start("engineer");
    const theirs = await start("viewer");
    await expect(callerIn("engineer", mine.id).sessions.end({ sessionId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await isSessionLive(t.db, theirs.id, t.actors.viewer.userId)).toBe(true);
    await callerIn("engineer", mine.id).sessions.end({ sessionId: mine.id });
    expect(await isSessionLive(t.db, mine.id, t.actors.engineer.userId)).toBe(false);
    await expect(callerIn("engineer", mine.id).sessions.end({ sessionId: "not-a-uuid" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("signs out everywhere with one audit row", async () => {
    const a = await start("admin");
    const b = await start("admin");
    const r = await callerIn("admin", a.id).sessions.endAll();
    expect(r.ended).toBeGreaterThanOrEqual(2);
    for (const s of [a, b]) expect(await isSessionLive(t.db, s.id, t.actors.admin.userId)).toBe(false);
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "session.end_all"), eq(auditLog.entityId, t.actors.admin.userId)));
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toEqual({ ended: r.ended });
  });

  it("deactivation ends the user's sessions and says how many in its audit row", async () => {
    const s = await start("viewer");
    await setUserActive(t.db, t.actors.admin, { userId: t.actors.viewer.userId, active: false });
    expect(await isSessionLive(t.db, s.id, t.actors.viewer.userId)).toBe(false);
    await setUserActive(t.db, t.actors.admin, { userId: t.actors.viewer.userId, active: true });
    // Reactivation does not bring an ended session back.
    expect(await isSessionLive(t.db, s.id, t.actors.viewer.userId)).toBe(false);
    const [row] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "user.deactivate"), eq(auditLog.entityId, t.actors.viewer.userId)));
    expect((row.after as { sessionsEnded: number }).sessionsEnded).toBeGreaterThanOrEqual(1);
  });
});
