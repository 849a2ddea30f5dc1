import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { setupTestEnv, TEST_PASSWORD, type TestEnv } from "@/server/test-utils";
import { changeRole, createUser, setUserActive, verifyCredentials } from "./users";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

describe("users", () => {
  it("verifies the right password and refuses wrong or unknown ones alike", async () => {
    const ok = await verifyCredentials(t.db, "ENGINEER@test.local", TEST_PASSWORD);
    expect(ok.ok && ok.user.role).toBe("engineer");
    expect(await verifyCredentials(t.db, "engineer@test.local", "wrong password!")).toEqual({ ok: false, reason: "invalid" });
    expect(await verifyCredentials(t.db, "nobody@test.local", TEST_PASSWORD)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses a deactivated user", async () => {
    const u = await createUser(t.db, t.actors.admin, { email: "leaver@test.local", role: "engineer", password: TEST_PASSWORD });
    await setUserActive(t.db, t.actors.admin, { userId: u.id, active: false });
    expect(await verifyCredentials(t.db, "leaver@test.local", TEST_PASSWORD)).toEqual({ ok: false, reason: "inactive" });
  });

  it("refuses duplicate emails regardless of case and short passwords", async () => {
    await expect(createUser(t.db, t.actors.admin, { email: "Viewer@Test.local", role: "viewer", password: TEST_PASSWORD })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(createUser(t.db, t.actors.admin, { email: "short@test.local", role: "viewer", password: "short" })).rejects.toThrow(/10 characters/);
  });

  it("changes a role with before and after in the audit log", async () => {
    const u = await createUser(t.db, t.actors.admin, { email: "pm@test.local", role: "viewer", password: TEST_PASSWORD });
    await changeRole(t.db, t.actors.admin, { userId: u.id, role: "engineer" });
    const [row] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, u.id), eq(auditLog.action, "user.change_role")));
    expect(row.actorUserId).toBe(t.actors.admin.userId);
    expect(row.before).toMatchObject({ role: "viewer" });
    expect(row.after).toMatchObject({ role: "engineer" });
    expect(row.requestId).toBe("test-admin");
    expect(JSON.stringify(row)).not.toContain("argon2");
  });

  it("does not let an admin demote or deactivate themselves", async () => {
    await expect(changeRole(t.db, t.actors.admin, { userId: t.actors.admin.userId, role: "viewer" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(setUserActive(t.db, t.actors.admin, { userId: t.actors.admin.userId, active: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
