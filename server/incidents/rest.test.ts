// The incidents REST door through the real route handlers with API tokens: declare, list, patch, mitigate.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as incidentRoute from "@/app/api/v1/incidents/[id]/route";
import * as mitigationsRoute from "@/app/api/v1/incidents/[id]/mitigations/route";
import * as incidentsRoute from "@/app/api/v1/incidents/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { auditLog, deployments, deploymentTargets, environments, incidentEntries, incidents, modelVersions } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { createUser } from "@/server/auth/users";
import { provideDatabase } from "@/server/db";
import { createModel, registerVersion } from "@/server/registry/service";
import { setupTestEnv, TEST_PASSWORD, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

let t: TestEnv;
let engineer: string;
let admin: string;
let viewer: string;
let bystander: string;
let deploymentId = "";
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-incidents-rest-"));

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const store = new LocalArtifactStore(root);
  const eng = t.actors.engineer;
  const model = await createModel(t.db, eng, { slug: "camera-health", name: "Camera health", team: "perception", task: "classification" });
  for (const n of [1, 2]) await registerVersion(t.db, store, eng, "camera-health", { status: "approved", artifactUri: `s3://bucket/cam/${n}.onnx` });
  await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "eu-fleet", name: "EU-fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  const vs = await t.db.select().from(modelVersions).orderBy(modelVersions.number);
  // v2 is stable and v1 ran before it, so a rollback goes to v1.
  const [d] = await t.db.insert(deployments).values({ targetId: fleet.id, modelId: model.id, stableVersionId: vs[1].id }).returning();
  deploymentId = d.id;
  engineer = (await createToken(t.db, eng, { name: "pager", scopes: ["incidents:read", "incidents:write"] })).token;
  admin = (await createToken(t.db, t.actors.admin, { name: "admin-bot", scopes: ["incidents:read", "incidents:write"] })).token;
  viewer = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["incidents:read"] })).token;
  // An engineer who is neither on call nor in command of the incident: the rollback rule refuses them.
  const other = await createUser(t.db, null, { email: "bystander@test.local", role: "engineer", password: TEST_PASSWORD });
  bystander = (await createToken(t.db, { userId: other.id, email: other.email, role: "engineer" }, { name: "bystander", scopes: ["incidents:write"] })).token;
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const call = (method: string, p: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://portal.test${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

type Incident = {
  id: string;
  title: string;
  severity: string;
  status: string;
  model: string | null;
  commander: string | null;
  deploymentIds: string[];
  ttmMs: number | null;
};
const declare = async (token: string, body: unknown) => {
  const res = await incidentsRoute.POST(call("POST", "/api/v1/incidents", token, body), ctx());
  return { status: res.status, body: (await res.json()) as Incident & { detail?: string } };
};
const patch = async (token: string, id: string, body: unknown) => {
  const res = await incidentRoute.PATCH(call("PATCH", `/api/v1/incidents/${id}`, token, body), ctx({ id }));
  return { status: res.status, body: (await res.json()) as Incident & { detail?: string } };
};
const mitigate = async (token: string, id: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await mitigationsRoute.POST(call("POST", `/api/v1/incidents/${id}/mitigations`, token, body, headers), ctx({ id }));
  return { status: res.status, body: (await res.json()) as { replayed?: boolean; summary?: string; detail?: string; incident?: Incident } };
};
const entries = (id: string) => t.db.select().from(incidentEntries).where(eq(incidentEntries.incidentId, id));

describe("incidents REST", () => {
  it("declares an incident with a severity in any case, attached to the model, and lists it", async () => {
    const res = await declare(engineer, { title: "Camera health latency above SLO", severity: "SEV2", model: "camera-health" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: "Camera health latency above SLO",
      severity: "sev2",
      status: "investigating",
      model: "camera-health",
      commander: "engineer@test.local",
    });
    expect(res.body.deploymentIds).toEqual([deploymentId]);
    const listed = (await (await incidentsRoute.GET(call("GET", "/api/v1/incidents?severity=Sev2", viewer), ctx())).json()) as { items: Incident[] };
    expect(listed.items.map((i) => i.id)).toContain(res.body.id);
    const one = await incidentRoute.GET(call("GET", `/api/v1/incidents/${res.body.id}`, viewer), ctx({ id: res.body.id }));
    expect(((await one.json()) as Incident).title).toBe("Camera health latency above SLO");
  });

  it("answers 400 for a bad body and declares nothing", async () => {
    const before = (await t.db.select().from(incidents)).length;
    expect((await declare(engineer, { title: "Bad severity", severity: "sev5" })).status).toBe(400);
    expect((await declare(engineer, { title: "x", severity: "sev3" })).status).toBe(400);
    expect((await declare(engineer, { title: "Unknown field", severity: "sev3", owner: "me" })).status).toBe(400);
    const unknownModel = await declare(engineer, { title: "Unknown model", severity: "sev3", model: "no-such-model" });
    expect(unknownModel.status).toBe(400);
    expect(unknownModel.body.detail).toContain("no-such-model");
    expect((await incidentsRoute.GET(call("GET", "/api/v1/incidents?status=sleeping", viewer), ctx())).status).toBe(400);
    expect((await t.db.select().from(incidents)).length).toBe(before);
  });

  it("refuses viewers and tokens without the scope", async () => {
    expect((await declare(viewer, { title: "Viewer tries", severity: "sev3" })).status).toBe(403);
    const readOnly = (await createToken(t.db, t.actors.engineer, { name: "ro", scopes: ["incidents:read"] })).token;
    expect((await declare(readOnly, { title: "Read-only token tries", severity: "sev3" })).status).toBe(403);
    const other = (await createToken(t.db, t.actors.engineer, { name: "alerts", scopes: ["alerts:read"] })).token;
    expect((await incidentsRoute.GET(call("GET", "/api/v1/incidents", other), ctx())).status).toBe(403);
  });

  it("patches status, commander and a note in one go, each on the timeline", async () => {
    const { body: inc } = await declare(engineer, { title: "Patch me", severity: "sev3" });
    const res = await patch(engineer, inc.id, { status: "Identified", commander: "admin@test.local", note: "Night cohort only" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "identified", commander: "admin@test.local" });
    const kinds = (await entries(inc.id)).map((e) => `${e.kind}:${e.text}`);
    expect(kinds).toEqual(
      expect.arrayContaining(["commander:admin@test.local is now the incident commander", "status:Status investigating → identified: Night cohort only"]),
    );
    const noted = await patch(engineer, inc.id, { note: "Rolled the dice" });
    expect(noted.status).toBe(200);
    expect((await entries(inc.id)).some((e) => e.kind === "note" && e.text === "Rolled the dice")).toBe(true);
  });

  it("changes nothing when one part of a patch is refused", async () => {
    const { body: inc } = await declare(engineer, { title: "All or nothing", severity: "sev3" });
    const before = (await entries(inc.id)).length;
    const viewerAsCommander = await patch(engineer, inc.id, { status: "identified", commander: "viewer@test.local" });
    expect(viewerAsCommander.status).toBe(400);
    expect((await patch(engineer, inc.id, { severity: "sev1", commander: "nobody@test.local" })).status).toBe(400);
    const [row] = await t.db.select().from(incidents).where(eq(incidents.id, inc.id));
    expect(row).toMatchObject({ status: "investigating", severity: "sev3" });
    expect((await entries(inc.id)).length).toBe(before);
    expect((await patch(engineer, inc.id, {})).status).toBe(400);
    expect((await patch(viewer, inc.id, { note: "viewer note" })).status).toBe(403);
    expect((await patch(engineer, "not-a-uuid", { note: "where" })).status).toBe(404);
  });

  it("refuses a mitigation when the rollback rule says no, and records nothing", async () => {
    const { body: inc } = await declare(engineer, { title: "Roll back camera health", severity: "sev2", model: "camera-health" });
    const auditBefore = (await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.rollback"))).length;
    const refused = await mitigate(bystander, inc.id, { deployment: deploymentId, action: "rollback", reason: "Latency is up since v2" });
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBeTruthy();
    expect((await mitigate(engineer, inc.id, { deployment: deploymentId, action: "rollback" })).status).toBe(400);
    expect((await mitigate(engineer, inc.id, { deployment: deploymentId, action: "promote", reason: "why not" })).status).toBe(400);
    expect((await entries(inc.id)).some((e) => e.kind === "action")).toBe(false);
    expect((await t.db.select().from(auditLog).where(eq(auditLog.action, "deployment.rollback"))).length).toBe(auditBefore);
  });

  it("rolls back through the same service as the button, with the reason on the timeline; a retry with the same key is answered once", async () => {
    const { body: inc } = await declare(admin, { title: "Admin rolls back", severity: "sev2", model: "camera-health" });
    const res = await mitigate(
      admin,
      inc.id,
      { deployment: deploymentId, action: "rollback", reason: "p95 doubled after v2" },
      { "idempotency-key": "rest-retry-0001" },
    );
    expect(res.status).toBe(201);
    expect(res.body.replayed).toBe(false);
    const again = await mitigate(
      admin,
      inc.id,
      { deployment: deploymentId, action: "rollback", reason: "p95 doubled after v2" },
      { "idempotency-key": "rest-retry-0001" },
    );
    expect(again.status).toBe(200);
    expect(again.body.replayed).toBe(true);
    const actions = (await entries(inc.id)).filter((e) => e.kind === "action");
    expect(actions).toHaveLength(1);
    expect(actions[0].text).toContain("p95 doubled after v2");
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "deployment.rollback"), eq(auditLog.entityId, deploymentId)));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorUserId).toBe(t.actors.admin.userId);
  });

  it("is in the OpenAPI document with its scopes", async () => {
    const doc = (await openapiRoute.GET().json()) as { paths: Record<string, Record<string, { "x-required-scope"?: string }>> };
    expect(doc.paths["/api/v1/incidents"].get["x-required-scope"]).toBe("incidents:read");
    expect(doc.paths["/api/v1/incidents"].post["x-required-scope"]).toBe("incidents:write");
    expect(doc.paths["/api/v1/incidents/{id}"].patch["x-required-scope"]).toBe("incidents:write");
    expect(doc.paths["/api/v1/incidents/{id}/mitigations"].post["x-required-scope"]).toBe("incidents:write");
  });
});
