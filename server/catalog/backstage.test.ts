// Backstage catalog-info.yaml through the tRPC door on the real database: export, import back, edits, refusals.
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { auditLog, deploymentTargets, environments, oncallRotations, teams } from "@/db/schema";
import { createModel } from "@/server/registry/service";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
const audits = async () => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.entityType, "catalog_entity")))[0].n;
const snapshot = async () => (await t.caller("viewer").catalog.list()).entries.filter((e) => e.catalogued).map(({ updatedAt: _u, ...e }) => e);

beforeAll(async () => {
  t = await setupTestEnv();
  await t.db.insert(teams).values([
    { slug: "vision", name: "Vision" },
    { slug: "infra", name: "Infra" },
  ]);
  await t.db
    .insert(oncallRotations)
    .values({ name: "Vision on-call", service: "vision", members: [t.actors.engineer.userId], startsAt: new Date("2026-01-05T00:00:00Z") });
  await t.db.insert(environments).values({ key: "production", name: "Production", rank: 2, protected: true });
  await t.db
    .insert(deploymentTargets)
    .values({ slug: "bt-fleet", name: "BT fleet", kind: "edge-fleet", environment: "production", runtime: { onnxRuntime: "1.20", maxOpset: 17 } });
  await createModel(t.db, t.actors.admin, { slug: "bt-model", name: "BT model", team: "vision", task: "detection" });
  const admin = t.caller("admin");
  await admin.catalog.update({
    kind: "fleet",
    name: "bt-fleet",
    owner: "infra",
    rotation: null,
    links: [],
    lifecycle: "production",
    dependencies: [{ runtime: "onnxruntime 1.20" }],
  });
  await admin.catalog.update({
    kind: "model",
    name: "bt-model",
    owner: "vision",
    rotation: "Vision on-call",
    links: [
      { title: "Repository", url: "https://git.example.com/bt" },
      { title: "Dashboard", url: "https://grafana.example.com/d/bt" },
    ],
    lifecycle: "experimental",
    dependencies: [{ runtime: "onnxruntime 1.20" }, { kind: "fleet", name: "bt-fleet" }],
  });
});
afterAll(async () => {
  await t.close();
});

describe("Backstage export and import", () => {
  it("exports Backstage entities: a model as an ml-model Component, a fleet as a Resource, with owner, lifecycle, links and dependsOn", async () => {
    const yaml = await t.caller("viewer").catalog.exportBackstage();
    const docs = parseAllDocuments(yaml as string).map((d) => (Array.isArray(d) ? null : d.toJS()));
    expect(docs).toHaveLength(2);
    const model = docs.find((d) => d.metadata.name === "bt-model");
    expect(model).toMatchObject({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: {
        annotations: { "sentinel.dev/kind": "model", "sentinel.dev/oncall-rotation": "Vision on-call", "sentinel.dev/runtimes": "onnxruntime 1.20" },
      },
      spec: { type: "ml-model", owner: "vision", lifecycle: "experimental", dependsOn: ["resource:default/bt-fleet"] },
    });
    expect(model.metadata.links).toEqual([
      { url: "https://git.example.com/bt", title: "Repository" },
      { url: "https://grafana.example.com/d/bt", title: "Dashboard" },
    ]);
    expect(docs.find((d) => d.metadata.name === "bt-fleet")).toMatchObject({ kind: "Resource", spec: { type: "fleet", owner: "infra" } });
  });

  it("round-trips: importing the export changes nothing; an edited field changes exactly that field", async () => {
    const before = await snapshot();
    const yaml = (await t.caller("viewer").catalog.exportBackstage()) as string;
    const n = await audits();
    const same = await t.caller("admin").catalog.importBackstage({ yaml });
    expect(same).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toBe(n);

    const edited = yaml.replace("lifecycle: experimental", "lifecycle: production");
    expect(edited).not.toBe(yaml);
    const r = await t.caller("engineer").catalog.importBackstage({ yaml: edited });
    expect(r.changes.filter((c) => c.action !== "unchanged")).toEqual([{ kind: "model", name: "bt-model", action: "updated", fields: ["lifecycle"] }]);
    expect(await audits()).toBe(n + 1);
    const after = await snapshot();
    expect(after.find((e) => e.name === "bt-model")?.lifecycle).toBe("production");
    expect(after.map((e) => ({ ...e, lifecycle: null }))).toEqual(before.map((e) => ({ ...e, lifecycle: null })));
  });

  it("refuses unknown owners by name, bad links and foreign kinds, and applies nothing from a file with one bad document", async () => {
    const before = await snapshot();
    const n = await audits();
    const yaml = (await t.caller("viewer").catalog.exportBackstage()) as string;
    const strange = yaml.replace("owner: infra", "owner: group:default/ghosts").replace("lifecycle: experimental", "lifecycle: deprecated");
    await expect(t.caller("admin").catalog.importBackstage({ yaml: strange })).rejects.toThrow(
      /Unknown owner team: group:default\/ghosts on fleet\/bt-fleet\. Known teams: .*infra.*vision/,
    );
    await expect(t.caller("admin").catalog.importBackstage({ yaml: yaml.replace("https://git.example.com/bt", "javascript:alert(1)") })).rejects.toThrow(
      /links\.0\.url: A link URL must be an http or https address/,
    );
    await expect(
      t.caller("admin").catalog.importBackstage({ yaml: yaml.replace("type: fleet", "type: website").replace("sentinel.dev/kind: fleet", "x: y") }),
    ).rejects.toThrow(/Resource of type "website" is not something Sentinel catalogs/);
    await expect(t.caller("admin").catalog.importBackstage({ yaml: "apiVersion: [" })).rejects.toThrow(/not valid YAML/);
    expect(await snapshot()).toEqual(before);
    expect(await audits()).toBe(n);
  });

  it("holds an engineer to their own teams in an import too", async () => {
    const yaml = (await t.caller("viewer").catalog.exportBackstage({ kind: "fleet", name: "bt-fleet" })) as string;
    expect(await codeOf(t.caller("engineer").catalog.importBackstage({ yaml: yaml.replace("lifecycle: production", "lifecycle: deprecated") }))).toBe(
      "FORBIDDEN",
    );
    expect(await codeOf(t.caller("viewer").catalog.importBackstage({ yaml }))).toBe("FORBIDDEN");
  });
});
