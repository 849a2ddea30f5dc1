// Device credentials through the REST door: a credential is bound to one device; reports, telemetry and
// manifests refuse any other id; people with deploy:read still read manifests; device writes are
// audited once per device and hour.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as credentialsRoute from "@/app/api/v1/devices/[id]/credentials/route";
import * as manifestRoute from "@/app/api/v1/devices/[id]/manifest/route";
import * as reportsRoute from "@/app/api/v1/devices/[id]/reports/route";
import * as targetDevicesRoute from "@/app/api/v1/targets/[slug]/devices/route";
import * as summariesRoute from "@/app/api/v1/telemetry/summaries/route";
import { auditLog, deployments, deploymentTargets, devices, deviceWriteTallies, environments, modelVersions } from "@/db/schema";
import { artifactStore } from "@/server/artifacts";
import { provideDatabase } from "@/server/db";
import { createModel, registerVersion } from "@/server/registry/service";
import { followManifests, type Transport } from "@/server/demo/follow";
import { deviceWindow } from "@/server/demo/rollout-sim";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { bucketOf } from "./cohort";

let t: TestEnv;
const tok: Record<string, string> = {};
let n = 0;
const report = (running = 1) => ({ reportId: `report-${Date.now()}-${++n}`, models: [{ model: "dev-model", running }] });
const ctx = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
function req(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  return new Request(`http://portal.test${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
}
const postReport = (token: string, id: string, body: unknown = report()) =>
  reportsRoute.POST(req("POST", `/api/v1/devices/${id}/reports`, token, body), ctx({ id }));
const getManifest = (token: string, id: string, headers: Record<string, string> = {}) =>
  manifestRoute.GET(req("GET", `/api/v1/devices/${id}/manifest`, token, undefined, headers), ctx({ id }));
const issue = (token: string, id: string) => credentialsRoute.POST(req("POST", `/api/v1/devices/${id}/credentials`, token), ctx({ id }));
const window = (id: string, fleet: string | undefined, i: number) =>
  deviceWindow({
    model: "dev-model",
    version: 1,
    device: { id, region: "eu", hardwareClass: "dashcam-gen3" },
    windowStart: new Date(Date.now() - 120_000),
    windowIndex: i,
    windowSeconds: 60,
    fleet,
  });
const postTelemetry = (token: string, summaries: unknown[]) => summariesRoute.POST(req("POST", "/api/v1/telemetry/summaries", token, { summaries }), ctx({}));

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const eng = t.actors.engineer;
  await createModel(t.db, eng, { slug: "dev-model", name: "Device model", team: "perception", task: "classification" });
  await registerVersion(t.db, artifactStore, eng, "dev-model", { status: "approved", artifactUri: "s3://bucket/dev/1.onnx" });
  await t.db.insert(environments).values({ key: "staging", name: "Staging", rank: 1, protected: false });
  const [fleet] = await t.db
    .insert(deploymentTargets)
    .values({ slug: "dev-fleet", name: "Dev fleet", kind: "edge-fleet", environment: "staging", runtime: { onnxRuntime: "1.17", maxOpset: 17 } })
    .returning();
  await t.db
    .insert(devices)
    .values(["cam-a", "cam-b"].map((id) => ({ id, targetId: fleet.id, hardwareClass: "dashcam-gen3", firmware: "3.4.1", region: "eu", bucket: bucketOf(id) })));
  const [v1] = await t.db.select().from(modelVersions);
  await t.db.insert(deployments).values({ targetId: fleet.id, modelId: v1.modelId, stableVersionId: v1.id });
  tok.engRead = (await createToken(t.db, eng, { name: "eng-read", scopes: ["deploy:read"] })).token;
  tok.viewerRead = (await createToken(t.db, t.actors.viewer, { name: "viewer-read", scopes: ["deploy:read"] })).token;
  tok.tool = (await createToken(t.db, eng, { name: "fleet-tool", scopes: ["deploy:read", "devices:write"] })).token;
});
afterAll(async () => {
  await t.close();
});

describe("device credentials", () => {
  it("refuses a device report from a token that holds only deploy:read (hole 10)", async () => {
    for (const token of [tok.engRead, tok.viewerRead]) {
      const res = await postReport(token, "cam-a");
      expect(res.status).toBe(403);
      expect((await res.json()).detail).toMatch(/own device credential or the devices:write scope/);
    }
    expect(await t.db.select().from(auditLog).where(eq(auditLog.entityType, "device"))).toEqual([]);
  });

  it("mints a credential bound to one device; it reports, reads and sends telemetry for that device only", async () => {
    expect((await issue(tok.engRead, "cam-a")).status).toBe(403);
    const issued = await issue(tok.tool, "cam-a");
    expect(issued.status).toBe(201);
    const cred = (await issued.json()) as { token: string; deviceId: string; scopes: string[] };
    expect(cred).toMatchObject({ deviceId: "cam-a", scopes: ["deploy:read", "telemetry:write"] });
    tok.camA = cred.token;

    expect((await postReport(tok.camA, "cam-a")).status).toBe(201);
    const other = await postReport(tok.camA, "cam-b");
    expect(other.status).toBe(403);
    expect((await other.json()).detail).toMatch(/belongs to device cam-a/);
    expect((await getManifest(tok.camA, "cam-a")).status).toBe(200);
    expect((await getManifest(tok.camA, "cam-b")).status).toBe(403);

    // Telemetry: only windows tagged with its own fleet, and never in another device's name.
    expect((await postTelemetry(tok.camA, [window("cam-a", undefined, 1)])).status).toBe(403);
    expect((await postTelemetry(tok.camA, [window("cam-a", "other-fleet", 2)])).status).toBe(403);
    expect((await postTelemetry(tok.camA, [{ ...window("cam-a", "dev-fleet", 3), slice: { fleet: "dev-fleet", device: "cam-b" } }])).status).toBe(403);
    expect((await postTelemetry(tok.camA, [window("cam-a", "dev-fleet", 4)])).status).toBe(201);
    // Nor can it mint credentials.
    expect((await issue(tok.camA, "cam-a")).status).toBe(403);
  });

  it("still lets a person with deploy:read read a device manifest, with 304 on an unchanged ETag", async () => {
    const first = await getManifest(tok.engRead, "cam-a");
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag")!;
    expect((await getManifest(tok.engRead, "cam-a", { "if-none-match": etag })).status).toBe(304);
    expect((await getManifest(tok.viewerRead, "cam-b")).status).toBe(200);
  });

  it("audits a device's own writes once per device and hour with a tally, and a tool's report as one row", async () => {
    // Two reports and one telemetry batch so far this hour (possibly across an hour boundary: at most two rows).
    expect((await postReport(tok.camA, "cam-a")).status).toBe(201);
    const rows = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "device.writes"), eq(auditLog.entityId, "cam-a")));
    const tallies = await t.db.select().from(deviceWriteTallies).where(eq(deviceWriteTallies.deviceId, "cam-a"));
    expect(rows.length).toBe(tallies.length);
    expect(tallies.reduce((a, x) => a + x.reports, 0)).toBe(2);
    expect(tallies.reduce((a, x) => a + x.telemetry, 0)).toBe(1);

    const before = (await t.db.select().from(auditLog)).length;
    expect((await postReport(tok.tool, "cam-b")).status).toBe(201);
    const after = await t.db.select().from(auditLog);
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ action: "device.report", entityId: "cam-b" });
  });

  it("revokes the previous credential when a new one is minted", async () => {
    const again = (await (await issue(tok.tool, "cam-a")).json()) as { token: string };
    expect((await postReport(tok.camA, "cam-a")).status).toBe(401);
    expect((await postReport(again.token, "cam-a")).status).toBe(201);
  });

  it("runs the fleet simulator with one credential per device, minted by an operator's devices:write token", async () => {
    const auth = (h: Record<string, string>) => h.authorization?.replace(/^Bearer /, "") ?? tok.tool;
    const http: Transport = {
      async get(p, headers = {}) {
        const device = /^\/api\/v1\/devices\/([^/]+)\/manifest$/.exec(p)?.[1];
        const { authorization: _a, ...rest } = headers;
        const res = device
          ? await manifestRoute.GET(req("GET", p, auth(headers), undefined, rest), ctx({ id: device }))
          : await targetDevicesRoute.GET(req("GET", p, tok.tool), ctx({ slug: p.split("/")[4] }));
        return { status: res.status, etag: res.headers.get("etag"), body: res.status === 304 ? null : await res.json() };
      },
      async post(p, body, headers = {}) {
        const [, , , area, id, what] = p.split("/");
        const r = req("POST", p, auth(headers), body);
        const res =
          area === "telemetry"
            ? await summariesRoute.POST(r, ctx({}))
            : what === "credentials"
              ? await credentialsRoute.POST(r, ctx({ id }))
              : await reportsRoute.POST(r, ctx({ id }));
        return { status: res.status, body: await res.json() };
      },
    };
    const result = await followManifests(http, { fleet: "dev-fleet", model: "dev-model", rounds: 2, checkInEvery: 1, deviceCredentials: true });
    expect(result).toMatchObject({ reports: 2, running: { 1: 2 } });
    expect(result.windows).toBe(4);
    // Each device's reports were written with its own credential: tallied, not audited one by one.
    const tallies = await t.db.select().from(deviceWriteTallies).where(eq(deviceWriteTallies.deviceId, "cam-b"));
    expect(tallies.reduce((a, x) => a + x.telemetry, 0)).toBe(2);
  });
});
