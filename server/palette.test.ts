import { afterAll, beforeAll, describe, expect, it } from "vitest";
import "@/server/palette-areas";
import { createExperiment, createRun } from "@/server/experiments/service";
import { declareIncident } from "@/server/incidents/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

describe("the command palette's search", () => {
  it("finds runs by a fragment of their name and by the start of their id, through the tRPC door", async () => {
    const e = await createExperiment(t.db, t.actors.engineer, { name: "palette-sweep" });
    const a = await createRun(t.db, t.actors.engineer, { experimentId: String(e.id), runName: "trial-lr0.01-seed7" });
    const b = await createRun(t.db, t.actors.engineer, { experimentId: String(e.id), runName: "trial-lr0.10-seed8" });
    const viewer = t.caller("viewer");
    const byName = await viewer.home.search({ q: "lr0.01" });
    expect(byName.filter((r) => r.group === "Runs").map((r) => r.href)).toEqual([`/experiments/${e.id}/runs/${a.info.runId}`]);
    expect(byName[0].label).toContain("palette-sweep");
    const byId = await viewer.home.search({ q: b.info.runId.slice(0, 10).toUpperCase() });
    expect(byId.map((r) => r.href)).toContain(`/experiments/${e.id}/runs/${b.info.runId}`);
    // Pattern characters are literal: "%%" matches no run rather than every run.
    expect((await viewer.home.search({ q: "%%" })).filter((r) => r.group === "Runs")).toEqual([]);
  });

  it("finds any incident by number or title, and refuses a one-character or anonymous search", async () => {
    const i = await declareIncident(t.db, t.actors.engineer, { title: "Palette findable outage", severity: "sev3" });
    const viewer = t.caller("viewer");
    expect((await viewer.home.search({ q: `INC-${i.number}` })).map((r) => r.href)).toContain(`/incidents/${i.id}`);
    expect((await viewer.home.search({ q: "findable out" })).map((r) => r.label)).toContainEqual(expect.stringContaining("Palette findable outage"));
    await expect(viewer.home.search({ q: "x" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(t.caller(null).home.search({ q: "trial" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
