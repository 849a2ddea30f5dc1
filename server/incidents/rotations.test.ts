import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { onCallNow } from "./oncall";
import { addOverride, createRotation, listRotations } from "./rotations";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

describe("on-call rotations", () => {
  it("admins create rotations, engineers add overrides that win while they last; viewers cannot be on call", async () => {
    const { admin, engineer, viewer } = t.actors;
    const now = new Date();
    await expect(createRotation(t.db, engineer, { name: "Fleet", service: "camera fleet", members: [engineer.userId], startsAt: now })).rejects.toThrow(
      /admin/,
    );
    await expect(createRotation(t.db, admin, { name: "Fleet", service: "camera fleet", members: [viewer.userId], startsAt: now })).rejects.toThrow(
      /engineers or admins/,
    );
    const r = await createRotation(t.db, admin, {
      name: "Fleet",
      service: "camera fleet",
      members: [engineer.userId, admin.userId],
      startsAt: new Date(now.getTime() - 60_000),
    });
    expect((await onCallNow(t.db, now))[0]).toMatchObject({ rotation: "Fleet", email: "engineer@test.local", override: false });
    await expect(
      addOverride(t.db, viewer, { rotationId: r.id, userId: admin.userId, startsAt: now, endsAt: new Date(now.getTime() + 3_600_000) }),
    ).rejects.toThrow(/engineer/);
    await expect(addOverride(t.db, engineer, { rotationId: r.id, userId: admin.userId, startsAt: now, endsAt: now })).rejects.toThrow(/end after/);
    await addOverride(t.db, engineer, {
      rotationId: r.id,
      userId: admin.userId,
      startsAt: new Date(now.getTime() - 1000),
      endsAt: new Date(now.getTime() + 3_600_000),
      reason: "swap",
    });
    expect((await onCallNow(t.db, now))[0]).toMatchObject({ email: "admin@test.local", override: true });
    expect((await onCallNow(t.db, new Date(now.getTime() + 2 * 3_600_000)))[0].email).toBe("engineer@test.local");
    const [view] = await listRotations(t.db, now);
    expect(view.members).toEqual(["engineer@test.local", "admin@test.local"]);
    expect(view.overrides.map((o) => o.reason)).toEqual(["swap"]);
    const audit = await t.db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, r.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["oncall.override", "oncall.rotation.create"]);
  });
});
