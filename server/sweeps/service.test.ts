// Sweeps through the real doors (tRPC caller, REST handler) on a migrated database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as sweepRoute from "@/app/api/v1/sweeps/[id]/route";
import { mulberry32 } from "@/lib/prng";
import { provideDatabase } from "@/server/db";
import { demoSweepParent, demoSweepTrials } from "@/server/demo/ray-tune-sweep";
import { createExperiment, importRuns, type ImportRun } from "@/server/experiments/service";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { tagSweepId } from "./service";

let t: TestEnv;
let experimentId: string;
let parentId: string;
let lonelyId: string;
let plainId: string;

const viewer = () => t.caller("viewer");

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  const eng = t.actors.engineer;
  experimentId = String((await createExperiment(t.db, eng, { name: "sweep-tests" })).id);
  [parentId] = await importRuns(t.db, eng, experimentId, [demoSweepParent(50)]);
  await importRuns(t.db, eng, experimentId, demoSweepTrials(parentId, 50));
  // A parent with no children yet, a run that belongs to nothing, and three runs grouped by a plain `sweep` tag.
  [lonelyId, plainId] = await importRuns(t.db, eng, experimentId, [
    { runName: "tune-not-started", status: "RUNNING", startTime: 1 },
    { runName: "one-off", status: "FINISHED", startTime: 2 },
  ]);
  await importRuns(
    t.db,
    eng,
    experimentId,
    [0.1, 0.2, 0.3].map((d, i) => ({
      runName: `grid-${i}`,
      status: "FINISHED",
      startTime: 10 + i,
      params: { depth: String(i + 2) },
      tags: { sweep: "depth grid" },
      metrics: [{ key: "val_loss", steps: [0], values: [d], timestamps: [10] }],
    })),
  );
});
afterAll(async () => {
  await t.close();
});

describe("sweeps", () => {
  it("groups a parent's children into a sweep, opens on the objective the parent declares, and finds lr the most important", async () => {
    const s = await viewer().sweeps.get({ experimentId, sweepId: parentId });
    expect(s.sweep).toMatchObject({ kind: "parent", label: "tune-seatbelt-asha", parent: { runId: parentId } });
    expect(s.trialCount).toBe(50);
    expect(s.statusCounts).toEqual([
      { status: "FINISHED", trials: 49 },
      { status: "FAILED", trials: 1 },
    ]);
    expect(s.withObjective).toBe(49);
    expect(s.objective).toEqual({ key: "val_accuracy", direction: "max", source: "sweep" });
    expect(s.paramKeys.sort()).toEqual(["batch_size", "dropout", "lr", "optimizer", "weight_decay"]);
    expect(s.constantParams).toEqual({ epochs_max: "12" });
    expect(s.importance.method.name).toMatch(/ω²/);
    expect(s.importance.items[0].param).toBe("lr");
    expect(s.importance.items[0].share).toBeGreaterThan(0.5);
    // Top k is ordered best first and the best-so-far curve ends at the best value.
    expect(s.top).toHaveLength(10);
    const values = s.top.map((r) => r.value);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(s.best?.value).toBe(values[0]);
    expect(s.curve.at(-1)?.best).toBe(values[0]);
    expect(s.curve.every((p, i) => i === 0 || p.best >= s.curve[i - 1].best)).toBe(true);
    expect(s.parallel?.axes.at(-1)?.key).toBe("val_accuracy");
    expect(s.parallel?.lines).toHaveLength(49);
  });

  it("follows the objective and direction it is asked for", async () => {
    const s = await viewer().sweeps.get({ experimentId, sweepId: parentId, objective: "val_loss", direction: "min", k: 5 });
    expect(s.objective).toEqual({ key: "val_loss", direction: "min", source: "url" });
    expect(s.top.map((r) => r.value)).toEqual([...s.top.map((r) => r.value)].sort((a, b) => a - b));
    expect(s.top).toHaveLength(5);
    const worst = await viewer().sweeps.get({ experimentId, sweepId: parentId, objective: "val_loss", direction: "max", k: 5 });
    expect(worst.top[0].value).toBeGreaterThan(s.top[0].value);
    // An objective no trial logged falls back to the declared one and says which was missing.
    const unknown = await viewer().sweeps.get({ experimentId, sweepId: parentId, objective: "no_such_metric" });
    expect(unknown.objective?.key).toBe("val_accuracy");
    expect(unknown.objectiveMissing).toBe("no_such_metric");
  });

  it("shows a parent without children as an empty sweep, and refuses runs that are no sweep's parent in this experiment", async () => {
    const empty = await viewer().sweeps.get({ experimentId, sweepId: lonelyId });
    expect(empty).toMatchObject({ trialCount: 0, objective: null, best: null, top: [], parallel: null });
    expect(await codeOf(viewer().sweeps.get({ experimentId: "0", sweepId: parentId }))).toBe("NOT_FOUND");
    expect(await codeOf(viewer().sweeps.get({ experimentId, sweepId: "0".repeat(32) }))).toBe("NOT_FOUND");
    expect(await codeOf(viewer().sweeps.get({ experimentId, sweepId: "tag-bm8tc3VjaA" }))).toBe("NOT_FOUND");
    expect(await codeOf(viewer().sweeps.get({ experimentId, sweepId: "../etc" }))).toBe("BAD_REQUEST");
  });

  it("groups runs by a plain sweep tag, with a loss minimised by default", async () => {
    const id = tagSweepId("depth grid");
    const s = await viewer().sweeps.get({ experimentId, sweepId: id });
    expect(s.sweep).toMatchObject({ kind: "tag", label: "depth grid", parent: null });
    expect(s.objective).toEqual({ key: "val_loss", direction: "min", source: "default" });
    expect(s.top.map((r) => r.params.depth)).toEqual(["2", "3", "4"]);
  });

  it("lists an experiment's sweeps and tells a run which sweep it belongs to", async () => {
    const list = await viewer().sweeps.list({ experimentId });
    expect(list).toEqual([
      { sweepId: parentId, kind: "parent", label: "tune-seatbelt-asha", trials: 50 },
      { sweepId: tagSweepId("depth grid"), kind: "tag", label: "depth grid", trials: 3 },
    ]);
    expect(await viewer().sweeps.forRun({ runId: parentId })).toMatchObject({ role: "parent", sweepId: parentId, trials: 50, experimentId });
    const s = await viewer().sweeps.get({ experimentId, sweepId: parentId });
    expect(await viewer().sweeps.forRun({ runId: s.top[0].runId })).toMatchObject({ role: "trial", sweepId: parentId, label: "tune-seatbelt-asha" });
    expect(await viewer().sweeps.forRun({ runId: plainId })).toBeNull();
    expect(await codeOf(viewer().sweeps.forRun({ runId: "f".repeat(32) }))).toBe("NOT_FOUND");
  });

  it("answers the same sweep over REST with a runs:read token, and refuses a bad direction with 400", async () => {
    const token = (await createToken(t.db, t.actors.viewer, { name: "notebook", scopes: ["runs:read"] })).token;
    const get = (q: string, id = parentId) =>
      sweepRoute.GET(new Request(`http://portal.test/api/v1/sweeps/${id}${q}`, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({ id }),
      });
    const ok = await get("?objective=val_loss&direction=min&k=3");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { objective: { key: string }; top: unknown[]; importance: { items: { param: string }[] } };
    expect(body.objective.key).toBe("val_loss");
    expect(body.top).toHaveLength(3);
    expect((await get("?direction=sideways")).status).toBe(400);
    // A tag group needs its experiment: tag values are unique only within one.
    expect((await get("", tagSweepId("depth grid"))).status).toBe(400);
    expect((await get(`?experimentId=${experimentId}`, tagSweepId("depth grid"))).status).toBe(200);
  });

  it("serves a 2,000-trial sweep in one call (the time is printed, not asserted)", async () => {
    const eng = t.actors.engineer;
    const big = String((await createExperiment(t.db, eng, { name: "sweep-scale" })).id);
    const [parent] = await importRuns(t.db, eng, big, [{ runName: "big-sweep", status: "FINISHED", startTime: 0 }]);
    const rng = mulberry32(2000);
    const trials: ImportRun[] = Array.from({ length: 2000 }, (_, i) => {
      const lr = 10 ** (-5 + 4 * rng());
      const p = {
        lr: String(lr),
        batch_size: String([16, 32, 64, 128][i % 4]),
        dropout: String(rng() * 0.5),
        weight_decay: String(10 ** (-6 + 4 * rng())),
        warmup: String(Math.floor(rng() * 1000)),
        optimizer: rng() < 0.5 ? "adamw" : "sgd",
      };
      const v = 0.95 - 0.04 * (Math.log10(lr) + 3) ** 2 + 0.01 * rng();
      return {
        runName: `trial-${i}`,
        status: "FINISHED",
        startTime: 1000 + i,
        params: p,
        tags: { "mlflow.parentRunId": parent },
        metrics: [{ key: "val_accuracy", steps: [0], values: [v], timestamps: [1000 + i] }],
      };
    });
    await importRuns(t.db, eng, big, trials);
    const started = performance.now();
    const s = await viewer().sweeps.get({ experimentId: big, sweepId: parent, direction: "max" });
    const ms = performance.now() - started;
    const payload = JSON.stringify(s).length;
    console.log(
      `sweeps.get over 2,000 trials: ${ms.toFixed(0)} ms, ${(payload / 1024).toFixed(0)} KiB of JSON, ${s.parallel?.lines.length} parallel lines, ${s.curve.length} curve points`,
    );
    expect(s.trialCount).toBe(2000);
    expect(s.importance.items[0].param).toBe("lr");
    // What the browser draws stays bounded however many trials there are.
    expect(s.parallel?.lines.length).toBeLessThanOrEqual(600);
    expect(s.parallel?.omitted).toBe(2000 - (s.parallel?.lines.length ?? 0));
    expect(s.curve.length).toBeLessThanOrEqual(400 + 50);
  });
});

describe("sweeps in the command palette", () => {
  it("lists a parent run with trials as a sweep", async () => {
    await import("@/server/palette-areas");
    const { paletteEntities } = await import("@/server/palette");
    const sweeps = (await paletteEntities(t.db)).filter((e) => e.group === "Sweeps");
    expect(sweeps).toContainEqual({
      href: `/experiments/${experimentId}/sweeps/${parentId}`,
      label: "tune-seatbelt-asha · sweep of 50 trials",
      group: "Sweeps",
    });
    expect(sweeps.some((e) => e.href.endsWith(lonelyId))).toBe(false);
  });
});
