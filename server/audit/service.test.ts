import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { listAudit, writeAudit } from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
  for (let i = 0; i < 7; i++) {
    await writeAudit(t.db, t.actors.engineer, { action: "thing.create", entityType: "thing", entityId: `t${i}`, after: { i, password: "hunter2" } });
  }
});
afterAll(async () => {
  await t.close();
});

describe("audit log", () => {
  it("is append-only: the database refuses updates and deletes", async () => {
    // drizzle wraps the database error; the trigger's message is in the cause.
    const reason = (e: unknown) => String((e as { cause?: Error }).cause?.message ?? e);
    expect(
      reason(
        await t.db
          .update(auditLog)
          .set({ action: "tampered" })
          .catch((e) => e),
      ),
    ).toMatch(/append-only/);
    expect(reason(await t.db.delete(auditLog).catch((e) => e))).toMatch(/append-only/);
    const [{ n }] = await t.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(sql`${auditLog.action} = 'tampered'`);
    expect(n).toBe(0);
  });

  it("redacts secrets", async () => {
    const page = await listAudit(t.db, { action: "thing.create", limit: 1 });
    expect(page.items[0].after).toEqual({ i: 6, password: "[redacted]" });
  });

  it("filters and pages newest first with a keyset cursor", async () => {
    const first = await listAudit(t.db, { entityType: "thing", limit: 3 });
    expect(first.items.map((r) => r.entityId)).toEqual(["t6", "t5", "t4"]);
    const second = await listAudit(t.db, { entityType: "thing", limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.entityId)).toEqual(["t3", "t2", "t1"]);
    const last = await listAudit(t.db, { entityType: "thing", limit: 3, cursor: second.nextCursor! });
    expect(last.items.map((r) => r.entityId)).toEqual(["t0"]);
    expect(last.nextCursor).toBeNull();
    expect((await listAudit(t.db, { actor: "engineer@", action: "thing.*" })).items).toHaveLength(7);
    expect((await listAudit(t.db, { actor: "viewer@", action: "thing.*" })).items).toHaveLength(0);
  });
});
