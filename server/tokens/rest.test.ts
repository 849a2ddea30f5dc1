// The tokens REST door (/api/v1/tokens) attacked with tokens, through the real route handlers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import * as tokenRoute from "@/app/api/v1/tokens/[id]/route";
import * as tokensRoute from "@/app/api/v1/tokens/route";
import * as meRoute from "@/app/api/v1/me/route";
import { apiTokens, auditLog } from "@/db/schema";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
});
afterAll(async () => {
  await t.close();
});

const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const call = (method: string, path: string, token: string, body?: unknown) =>
  new Request(`http://portal.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const me = (token: string) => meRoute.GET(call("GET", "/api/v1/me", token), ctx());
const mint = async (parent: string, body: Record<string, unknown>) => tokensRoute.POST(call("POST", "/api/v1/tokens", parent, body), ctx());
const revoke = (token: string, id: string) => tokenRoute.DELETE(call("DELETE", `/api/v1/tokens/${id}`, token), ctx({ id }));

describe("tokens REST", () => {
  it("refuses to revoke another user's token with an admin's token that holds only models:read", async () => {
    const victim = await createToken(t.db, t.actors.engineer, { name: "victim", scopes: ["runs:read"] });
    const narrow = await createToken(t.db, t.actors.admin, { name: "narrow", scopes: ["models:read"] });
    const res = await revoke(narrow.token, victim.id);
    expect(res.status).toBe(403);
    expect((await me(victim.token)).status).toBe(200);
  });

  it("lets a tokens:write token revoke only its owner's tokens; others' need the admin scope", async () => {
    const victim = await createToken(t.db, t.actors.engineer, { name: "victim2", scopes: ["runs:read"] });
    const writer = await createToken(t.db, t.actors.admin, { name: "writer", scopes: ["tokens:write"] });
    expect((await revoke(writer.token, victim.id)).status).toBe(404);
    expect((await me(victim.token)).status).toBe(200);
    const own = await createToken(t.db, t.actors.admin, { name: "own", scopes: ["runs:read"] });
    expect((await revoke(writer.token, own.id)).status).toBe(200);
    const admin = await createToken(t.db, t.actors.admin, { name: "admin", scopes: ["admin"] });
    expect((await revoke(admin.token, victim.id)).status).toBe(200);
    expect((await me(victim.token)).status).toBe(401);
  });

  it("refuses to mint without tokens:write", async () => {
    const narrow = await createToken(t.db, t.actors.engineer, { name: "n", scopes: ["runs:read"] });
    const res = await mint(narrow.token, { name: "child", scopes: ["runs:read"] });
    expect(res.status).toBe(403);
  });

  it("caps a child's expiry at its parent's and refuses the child once the parent has expired", async () => {
    const parentExpiry = new Date(Date.now() + 1500);
    const parent = await createToken(t.db, t.actors.engineer, { name: "short", scopes: ["tokens:write", "runs:read"], expiresAt: parentExpiry });
    const never = await mint(parent.token, { name: "forever", scopes: ["runs:read"], expiresAt: null });
    expect(never.status).toBe(400);
    const beyond = await mint(parent.token, { name: "later", scopes: ["runs:read"], expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(beyond.status).toBe(400);
    const res = await mint(parent.token, { name: "child", scopes: ["runs:read"] });
    expect(res.status).toBe(201);
    const child = (await res.json()) as { id: string; token: string; expiresAt: string; parentTokenId: string };
    expect(new Date(child.expiresAt).getTime()).toBeLessThanOrEqual(parentExpiry.getTime());
    expect(child.parentTokenId).toBe(parent.id);
    expect((await me(child.token)).status).toBe(200);
    await expect.poll(async () => (await me(child.token)).status, { timeout: 5000, interval: 200 }).toBe(401);
  });

  it("gives tokens made over REST a 90-day expiry by default", async () => {
    const parent = await createToken(t.db, t.actors.engineer, { name: "p90", scopes: ["tokens:write", "runs:read"], expiresAt: null }, undefined, {
      allowNoExpiry: true,
    });
    const res = await mint(parent.token, { name: "c90", scopes: ["runs:read"] });
    const child = (await res.json()) as { expiresAt: string };
    const days = (new Date(child.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
  });

  it("revokes what a token minted, transitively, with an audit row for each", async () => {
    const root = await createToken(t.db, t.actors.engineer, { name: "root", scopes: ["tokens:write", "runs:read"] });
    const child = (await (await mint(root.token, { name: "child", scopes: ["tokens:write", "runs:read"] })).json()) as { id: string; token: string };
    const grandchild = (await (await mint(child.token, { name: "grandchild", scopes: ["runs:read"] })).json()) as { id: string; token: string };
    expect((await me(grandchild.token)).status).toBe(200);
    expect((await revoke(root.token, root.id)).status).toBe(200);
    expect((await me(child.token)).status).toBe(401);
    expect((await me(grandchild.token)).status).toBe(401);
    const rows = await t.db
      .select({ id: apiTokens.id, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(inArray(apiTokens.id, [child.id, grandchild.id]));
    expect(rows.every((r) => r.revokedAt)).toBe(true);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "token.revoke"));
    expect(audit.map((a) => a.entityId)).toEqual(expect.arrayContaining([root.id, child.id, grandchild.id]));
  });

  it("refuses a child whose parent was revoked even if the child row was missed", async () => {
    const root = await createToken(t.db, t.actors.engineer, { name: "root2", scopes: ["tokens:write", "runs:read"] });
    const child = (await (await mint(root.token, { name: "child2", scopes: ["runs:read"] })).json()) as { token: string };
    // Simulate a revocation written without the cascade (an old row, a manual fix): lineage still decides.
    await t.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.id, root.id));
    expect((await me(child.token)).status).toBe(401);
  });
});
