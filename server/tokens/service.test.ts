import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditLog } from "@/db/schema";
import { setUserActive } from "@/server/auth/users";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { actorHasScope, authenticateToken, createToken, revokeToken } from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

describe("API tokens", () => {
  it("creates a token shown once, stored hashed, that authenticates as its owner with its scopes", async () => {
    const created = await createToken(t.db, t.actors.engineer, { name: "ci", scopes: ["models:write", "runs:read"] });
    expect(created.token).toMatch(/^snt_[\w-]{40,}$/);
    const actor = await authenticateToken(t.db, created.token);
    expect(actor).toMatchObject({ userId: t.actors.engineer.userId, role: "engineer", tokenId: created.id });
    expect(actor!.scopes).toEqual(["models:write", "runs:read"]);
    expect(actorHasScope(actor!, "models:write")).toBe(true);
    expect(actorHasScope(actor!, "deploy:write")).toBe(false);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, created.id));
    expect(audit.map((a) => a.action)).toEqual(["token.create"]);
    expect(JSON.stringify(audit[0].after)).not.toContain(created.token);
  });

  it("never lets a token exceed its owner's role", async () => {
    await expect(createToken(t.db, t.actors.viewer, { name: "x", scopes: ["models:write"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const read = await createToken(t.db, t.actors.viewer, { name: "read", scopes: ["models:read"] });
    expect(read.scopes).toEqual(["models:read"]);
  });

  it("does not let a token mint scopes it does not hold", async () => {
    const narrow = await createToken(t.db, t.actors.engineer, { name: "narrow", scopes: ["runs:read"] });
    const asToken = (await authenticateToken(t.db, narrow.token))!;
    await expect(createToken(t.db, asToken, { name: "wider", scopes: ["models:write"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("rejects revoked, expired, unknown tokens and tokens of deactivated users", async () => {
    const a = await createToken(t.db, t.actors.engineer, { name: "to-revoke", scopes: ["runs:read"] });
    await revokeToken(t.db, t.actors.engineer, { tokenId: a.id });
    expect(await authenticateToken(t.db, a.token)).toBeNull();
    expect(await authenticateToken(t.db, "snt_" + "x".repeat(43))).toBeNull();
    expect(await authenticateToken(t.db, "nope")).toBeNull();

    const b = await createToken(t.db, t.actors.admin, { name: "short", scopes: ["runs:read"], expiresAt: new Date(Date.now() + 60_000) });
    expect(await authenticateToken(t.db, b.token)).not.toBeNull();

    const c = await createToken(t.db, t.actors.admin, { name: "of-viewer", scopes: ["runs:read"] }, t.actors.viewer.userId);
    await setUserActive(t.db, t.actors.admin, { userId: t.actors.viewer.userId, active: false });
    expect(await authenticateToken(t.db, c.token)).toBeNull();
    await setUserActive(t.db, t.actors.admin, { userId: t.actors.viewer.userId, active: true });
    expect(await authenticateToken(t.db, c.token)).not.toBeNull();
  });

  it("refuses an expiry in the past and unknown scopes", async () => {
    await expect(createToken(t.db, t.actors.engineer, { name: "old", scopes: ["runs:read"], expiresAt: new Date(Date.now() - 1000) })).rejects.toThrow(
      /future/,
    );
    await expect(createToken(t.db, t.actors.engineer, { name: "bad", scopes: ["root:all" as "runs:read"] })).rejects.toThrow();
  });

  it("treats another user's token as not found unless the actor is an admin", async () => {
    const mine = await createToken(t.db, t.actors.engineer, { name: "mine", scopes: ["runs:read"] });
    await expect(revokeToken(t.db, t.actors.viewer, { tokenId: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await authenticateToken(t.db, mine.token))?.tokenId).toBe(mine.id);
    const revoked = await revokeToken(t.db, t.actors.admin, { tokenId: mine.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
  });
});
