import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

const auditCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0].n;

describe("procedures by role", () => {
  it("refuses anonymous callers", async () => {
    await expect(t.caller(null).home.overview()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses a viewer's admin mutation and writes no audit row", async () => {
    const before = await auditCount();
    await expect(t.caller("viewer").admin.changeRole({ userId: t.actors.viewer.userId, role: "admin" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(t.caller("engineer").admin.createUser({ email: "x@test.local", role: "admin", password: "0123456789ab" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await auditCount()).toBe(before);
  });

  it("lets an admin list users and maps domain errors to tRPC codes", async () => {
    expect((await t.caller("admin").admin.users()).map((u) => u.email)).toContain("viewer@test.local");
    await expect(t.caller("admin").admin.changeRole({ userId: "00000000-0000-4000-8000-000000000000", role: "viewer" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(t.caller("admin").admin.createUser({ email: "viewer@test.local", role: "viewer", password: "0123456789ab" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("gives every signed-in role the home overview, identity events only to admins", async () => {
    const o = await t.caller("viewer").home.overview();
    expect(o.counts.find((c) => c.label === "Users")?.value).toBe(3);
    expect(o.recent.some((r) => r.entityType === "user")).toBe(false);
    const a = await t.caller("admin").home.overview();
    expect(a.recent.some((r) => r.entityType === "user")).toBe(true);
  });
});
