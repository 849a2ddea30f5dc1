// The demo catalog: every demo model, serving target, fleet, dataset and runbook is catalogued with an owner.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { catalogEntities, deploymentTargets, mlflowDatasets, models, runbooks } from "@/db/schema";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { runbookName } from "@/server/catalog/names";
import { listCatalog, teamPage } from "@/server/catalog/service";

let database: Database;

beforeAll(async () => {
  database = await createSeededTestDatabase();
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
});

describe("demo catalog", () => {
  it("catalogues every demo model, target, fleet, dataset and runbook with an owner, links and a lifecycle", async () => {
    const db = database.db;
    const entries = await db.select().from(catalogEntities);
    const names = (kind: string) =>
      entries
        .filter((e) => e.kind === kind)
        .map((e) => e.name)
        .sort();
    expect(names("model")).toEqual((await db.select({ s: models.slug }).from(models)).map((m) => m.s).sort());
    const targets = await db.select().from(deploymentTargets);
    expect(names("fleet")).toEqual(
      targets
        .filter((t) => t.kind === "edge-fleet")
        .map((t) => t.slug)
        .sort(),
    );
    expect(names("serving-target")).toEqual(
      targets
        .filter((t) => t.kind !== "edge-fleet")
        .map((t) => t.slug)
        .sort(),
    );
    const datasets = [...new Set((await db.select({ n: mlflowDatasets.name }).from(mlflowDatasets)).map((d) => d.n))].sort();
    expect(datasets).toContain("fcw-train-v1");
    expect(names("dataset")).toEqual(datasets);
    expect(names("runbook")).toEqual([...new Set((await db.select({ t: runbooks.title }).from(runbooks)).map((r) => runbookName(r.t)))].sort());
    for (const e of entries) expect(e.links.length, `${e.kind}/${e.name}`).toBeGreaterThan(0);
    expect(entries.filter((e) => e.kind === "model").every((e) => e.rotationId)).toBe(true);
    expect(entries.find((e) => e.name === "eu-dashcam-v2")?.lifecycle).toBe("deprecated");
    const fcw = entries.find((e) => e.kind === "model" && e.name === "forward-collision-warning")!;
    expect(fcw.dependencies).toContainEqual({ kind: "dataset", name: "fcw-train-v1" });
  });

  it("gives every model a scorecard, and the team page lists the team's models with who is on call and its cost", async () => {
    const { entries } = await listCatalog(database.db, { kind: "model" });
    expect(entries.every((e) => e.scorecard?.total === 6)).toBe(true);
    const page = await teamPage(database.db, { slug: "perception" });
    expect(page.entries.map((e) => e.name)).toContain("forward-collision-warning");
    expect(page.oncall.map((r) => r.rotation)).toContain("Camera fleet models");
    expect(page.cost.budget?.budgetMicros).toBe(14_500_000_000);
  });
});
