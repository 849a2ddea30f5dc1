// Incident command and the production rollback rule, through the REST door and the tRPC caller: declaring an incident by
// hand must not grant its declarer production rollback; command handed over by the on-call engineer or an admin does.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as incidentRoute from "@/app/api/v1/incidents/[id]/route";
import * as mitigationsRoute from "@/app/api/v1/incidents/[id]/mitigations/route";
import * as incidentsRoute from "@/app/api/v1/incidents/route";
import { auditLog, deployments, deploymentTargets, environments, incidentEntries, incidents, modelVersions, oncallRotations } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import type { Actor } from "@/server/auth/roles";
import { createUser } from "@/server/auth/users";
import { provideDatabase } from "@/server/db";
import { myCommand } from "@/server/incidents/policy";
import { createModel, registerVersion } from "@/server/registry/service";
import { createCaller } from "@/server/routers/_app";
import { setupTestEnv, TEST_PASSWORD, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

let t: TestEnv;
let bystander: Actor;
let other: Actor;
const tokens = { bystander: "", other: "", oncall: "", admin: "" };
let deploymentId = "";
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-incident-command-"));

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  const model = await createModel(t.db, eng, { slug: "seatbelt", name: "Seatbelt", team: "perception", task: "classification" });
  for (const n of [1, 2]) await registerVersion(t.db, store, eng, "seatbelt", { status: "approved", artifactUri: `s3://bucket/seatbelt/${n}.onnx` });
  await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "us-fleet", name: "US-fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const vs = await t.db.select().from(modelVersions).orderBy(modelVersions.number);
  // v2 is stable in production and v1 ran before it: a rollback goes to v1.
  const [d] = await t.db.insert(deployments).values({ targetId: fleet.id, modelId: model.id, stableVersionId: vs[1].id }).returning();
  deploymentId = d.id;
  // engineer@test.local is on call for the perception team; the others are engineers who are not.
  await t.db
    .insert(oncallRotations)
    .values({ name: "Perception", service: "perception", members: [eng.userId], startsAt: new Date(Date.now() - 86_400_000), periodDays: 7 });
  const b = await createUser(t.db, null, { email: "bystander@test.local", role: "engineer", password: TEST_PASSWORD });
  bystander = { userId: b.id, email: b.email, role: "engineer", requestId: "test-bystander" };
  const o = await createUser(t.db, null, { email: "other@test.local", role: "engineer", password: TEST_PASSWORD });
  other = { userId: o.id, email: o.email, role: "engineer", requestId: "test-other" };
  const scopes: ["incidents:read", "incidents:write"] = ["incidents:read", "incidents:write"];
  tokens.bystander = (await createToken(t.db, bystander, { name: "bystander", scopes })).token;
  tokens.other = (await createToken(t.db, other, { name: "other", scopes })).token;
  tokens.oncall = (await createToken(t.db, eng, { name: "pager", scopes })).token;
  tokens.admin = (await createToken(t.db, t.actors.admin, { name: "admin", scopes })).token;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const call = (method: string, p: string, token: string, body?: unknown) =>
  new Request(`http://portal.test${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
type Answer = { id: string; commander: string | null; detail?: string; summary?: string };
const declare = async (token: string, body: unknown) => {
  const res = await incidentsRoute.POST(call("POST", "/api/v1/incidents", token, body), ctx());
  return { status: res.status, body: (await res.json()) as Answer };
};
const patch = async (token: string, id: string, body: unknown) => {
  const res = await incidentRoute.PATCH(call("PATCH", `/api/v1/incidents/${id}`, token, body), ctx({ id }));
  return { status: res.status, body: (await res.json()) as Answer };
};
const mitigate = async (token: string, id: string, body: unknown) => {
  const res = await mitigationsRoute.POST(call("POST", `/api/v1/incidents/${id}/mitigations`, token, body), ctx({ id }));
  return { status: res.status, body: (await res.json()) as Answer };
};
const as = (a: Actor) => createCaller({ db: t.db, actor: a, requestId: "test" });

describe("incident command and production rollback", () => {
  let incidentId = "";

  it("an engineer who is not on call declares by hand, takes command, and is still refused the production rollback with the reason", async () => {
    const declared = await declare(tokens.bystander, { title: "Seatbelt false alarms", severity: "sev2", model: "seatbelt" });
    expect(declared.status).toBe(201);
    expect(declared.body.commander).toBe("bystander@test.local");
    incidentId = declared.body.id;
    // Naming oneself commander again over PATCH changes nothing either.
    expect((await patch(tokens.bystander, incidentId, { commander: "bystander@test.local" })).status).toBe(200);
    const refused = await mitigate(tokens.bystander, incidentId, { deployment: deploymentId, action: "rollback", reason: "False alarms since v2" });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toMatch(/Production rollbacks need the engineer on call for this model's team \(on call now: engineer@test\.local\)/);
    expect(refused.body.detail).toMatch(/assigned by an admin or the on-call engineer/);
    expect(
      await t.db
        .select()
        .from(incidentEntries)
        .where(and(eq(incidentEntries.incidentId, incidentId), eq(incidentEntries.kind, "action"))),
    ).toHaveLength(0);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.rollback"))).toHaveLength(0);
  });

  it("the same through tRPC: refused, and the incident page's decision says so in words", async () => {
    const d = await t.caller("viewer").deployments.get({ id: deploymentId });
    expect(d.policy.commanders).not.toContain(bystander.userId);
    const err = await as(bystander)
      .incidents.mitigate({
        id: incidentId,
        deploymentId,
        action: "rollback",
        version: 1,
        revision: d.revision,
        idempotencyKey: "command-test-0001",
        reason: "False alarms",
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("FORBIDDEN");
    const inc = await as(bystander).incidents.get({ id: incidentId });
    const mine = myCommand(bystander, inc.command);
    expect(mine?.allowed).toBe(false);
    expect(mine?.reason).toMatch(/does not carry production rollback/);
  });

  it("another engineer who is not on call cannot take command from a commander who holds rollback rights", async () => {
    // The on-call engineer hands command to the bystander: that command carries the rights, and records who gave it.
    expect((await patch(tokens.oncall, incidentId, { commander: "bystander@test.local" })).status).toBe(200);
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, incidentId));
    expect(row).toMatchObject({ commanderId: bystander.userId, commanderAssignedBy: t.actors.engineer.userId, commanderGrant: "on-call" });
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "incident.commander"), eq(auditLog.entityId, incidentId), eq(auditLog.actorUserId, t.actors.engineer.userId)));
    expect(audit.after).toMatchObject({ commanderId: bystander.userId, grant: "on-call" });
    const strip = await patch(tokens.other, incidentId, { commander: "other@test.local" });
    expect(strip.status).toBe(403);
    expect(strip.body.detail).toMatch(/only an admin, the on-call engineer or the commander/);
  });

  it("a commander assigned by the on-call engineer may roll back production, with a reason", async () => {
    const inc = await as(bystander).incidents.get({ id: incidentId });
    expect(myCommand(bystander, inc.command)?.allowed).toBe(true);
    const done = await mitigate(tokens.bystander, incidentId, { deployment: deploymentId, action: "rollback", reason: "False alarms since v2" });
    expect(done.status).toBe(201);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.rollback"));
    expect(audit.actorUserId).toBe(bystander.userId);
    expect(audit.after).toMatchObject({ authority: "commander" });
  });

  it("a viewer cannot declare or take command", async () => {
    const err = await t
      .caller("viewer")
      .incidents.declare({ title: "Viewer declares", severity: "sev3" })
      .catch((e: unknown) => e);
    expect((err as TRPCError).code).toBe("FORBIDDEN");
    expect((err as TRPCError).message).toMatch(/needs the engineer role/);
  });
});
