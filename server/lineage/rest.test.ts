// The lineage REST door through the real route handlers with API tokens: auth, scopes, 400, 404, the graph, OpenLineage.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as impactRoute from "@/app/api/v1/lineage/impact/route";
import * as openLineageRoute from "@/app/api/v1/lineage/openlineage/route";
import * as lineageRoute from "@/app/api/v1/lineage/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { seedLineageChain } from "./test-fixture";

let t: TestEnv;
let c: Awaited<ReturnType<typeof seedLineageChain>>;
let reader = "";
let wrongScope = "";

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  c = await seedLineageChain(t.db);
  reader = (await createToken(t.db, t.actors.viewer, { name: "lineage", scopes: ["models:read", "runs:read"] })).token;
  wrongScope = (await createToken(t.db, t.actors.viewer, { name: "pager", scopes: ["incidents:read"] })).token;
});
afterAll(() => t.close());

const ctx = { params: Promise.resolve({}) };
const get = (p: string, token?: string) => new Request(`http://portal.test${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("GET /api/v1/lineage", () => {
  it("answers the graph around a run with labelled edges", async () => {
    const res = await lineageRoute.GET(get(`/api/v1/lineage?entity=run:${c.trainRun}&depth=2`, reader), ctx);
    expect(res.status).toBe(200);
    const g = (await res.json()) as { nodes: { id: string; href: string }[]; edges: { from: string; to: string; label: string }[] };
    expect(g.edges).toContainEqual({ from: `dataset:${c.dataset.id}`, to: `run:${c.trainRun}`, label: "trained on" });
    expect(g.edges).toContainEqual({ from: `version:${c.v1.id}`, to: `version:${c.v2.id}`, label: "derived from" });
    expect(g.nodes.find((n) => n.id === `version:${c.v1.id}`)?.href).toBe(`/models/${c.model.slug}/versions/1`);
  });

  it("refuses a bad token (401) and a token without the scope (403)", async () => {
    expect((await lineageRoute.GET(get(`/api/v1/lineage?entity=run:${c.trainRun}`, "snt_not-a-token"), ctx)).status).toBe(401);
    const res = await lineageRoute.GET(get(`/api/v1/lineage?entity=run:${c.trainRun}`, wrongScope), ctx);
    expect(res.status).toBe(403);
  });

  it("a bad entity or depth is 400 saying what is expected; an unknown one is 404", async () => {
    const bad = await lineageRoute.GET(get(`/api/v1/lineage?entity=model:fcw`, reader), ctx);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("kind one of dataset, run, version");
    expect((await lineageRoute.GET(get(`/api/v1/lineage?entity=run:${c.trainRun}&depth=12`, reader), ctx)).status).toBe(400);
    expect((await lineageRoute.GET(get(`/api/v1/lineage?entity=run:${c.trainRun}&extra=1`, reader), ctx)).status).toBe(400);
    expect((await lineageRoute.GET(get(`/api/v1/lineage?entity=incident:${crypto.randomUUID()}`, reader), ctx)).status).toBe(404);
  });

  it("impact from the dataset names the target and counts its devices", async () => {
    const res = await impactRoute.GET(get(`/api/v1/lineage/impact?entity=dataset:${c.dataset.id}`, reader), ctx);
    expect(res.status).toBe(200);
    const i = (await res.json()) as { targets: { label: string }[]; devices: number };
    expect(i.targets.map((x) => x.label)).toEqual(["EU fleet a"]);
    expect(i.devices).toBe(4);
  });

  it("is in the OpenAPI document with its scope", async () => {
    const doc = (await openapiRoute.GET().json()) as { paths: Record<string, Record<string, { "x-required-scope"?: string }>> };
    expect(doc.paths["/api/v1/lineage"].get["x-required-scope"]).toBe("models:read");
    expect(doc.paths["/api/v1/lineage/openlineage"].get["x-required-scope"]).toBe("runs:read");
  });
});

describe("GET /api/v1/lineage/openlineage", () => {
  it("answers a RunEvent with the run's dataset as input and its registered version as output", async () => {
    const res = await openLineageRoute.GET(get(`/api/v1/lineage/openlineage?run=${c.trainRun}`, reader), ctx);
    expect(res.status).toBe(200);
    const e = (await res.json()) as Record<string, unknown>;
    expect(e).toMatchObject({
      eventType: "COMPLETE",
      run: { runId: `${c.trainRun.slice(0, 8)}-${c.trainRun.slice(8, 12)}-${c.trainRun.slice(12, 16)}-${c.trainRun.slice(16, 20)}-${c.trainRun.slice(20)}` },
      job: { namespace: "sentinel", name: "lineage-a" },
      inputs: [{ namespace: "s3://data", name: "night-drives", facets: { version: { datasetVersion: "d1g3st00" } } }],
      outputs: [{ namespace: "sentinel", name: `models/${c.model.slug}`, facets: { version: { datasetVersion: "1" } } }],
      schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    });
    expect(new Date(String(e.eventTime)).toISOString()).toBe(e.eventTime);
    const facet = (e.inputs as { facets: { version: Record<string, string> } }[])[0].facets.version;
    expect(facet._schemaURL).toMatch(/DatasetVersionDatasetFacet\.json/);
    expect(facet._producer).toBe(e.producer);
  });

  it("an unknown run is 404, a malformed one 400", async () => {
    expect((await openLineageRoute.GET(get(`/api/v1/lineage/openlineage?run=${"0".repeat(32)}`, reader), ctx)).status).toBe(404);
    expect((await openLineageRoute.GET(get(`/api/v1/lineage/openlineage?run=nope`, reader), ctx)).status).toBe(400);
  });
});
