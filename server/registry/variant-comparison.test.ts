// "Compare with parent" on the real database and store, with the real FCW v2 detector and its int8 variant: measured
// on the pinned evaluation frames, stored once, the variant's safety evaluation recorded, refused to viewers. It uses the
// process's artifact store (under vitest's throwaway DATA_DIR) because the tRPC door reads through it.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, evaluations, variantComparisons } from "@/db/schema";
import { seedFcwEvalFrames } from "@/db/seed/fcw";
import { artifactStore as store } from "@/server/artifacts";
import { FCW_CONTRACT, FCW_MANIFEST, fcwModelFile } from "@/server/demo/fcw-model";
import * as comparisonRoute from "@/app/api/v1/models/[slug]/versions/[n]/comparison/route";
import * as int8Route from "@/app/api/v1/models/[slug]/versions/[n]/int8-variant/route";
import { provideDatabase } from "@/server/db";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { createModel, registerVersion } from "./service";
import { compareWithParent, COMPARISON_METHOD, getVariantComparison } from "./variant-comparison";
import { makeInt8Variant } from "./variants";

let t: TestEnv;
const slug = "forward-collision-warning";

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  // A third of the pinned set keeps the test quick; the comparison runs on whatever frames carry the tag.
  await seedFcwEvalFrames(t.db, store, 32);
  await createModel(t.db, t.actors.engineer, { slug, name: "Forward collision warning", team: "perception", task: "detection" });
  const staged = await store.stage(fs.createReadStream(fcwModelFile(2)), 1 << 30);
  await registerVersion(
    t.db,
    store,
    t.actors.engineer,
    slug,
    { description: "v2", manifest: FCW_MANIFEST, contract: FCW_CONTRACT },
    { staged, fileName: "fcw-v2.onnx" },
  );
  await makeInt8Variant(t.db, store, t.actors.engineer, { slug, version: 1 });
}, 300_000);
afterAll(async () => {
  await t?.close();
});

describe("variant vs parent", () => {
  it("is not compared yet, and a viewer may not start it", async () => {
    expect(await getVariantComparison(t.db, t.actors.engineer, { slug, version: 2 })).toEqual({ state: "none", blocked: null });
    const asViewer = await getVariantComparison(t.db, t.actors.viewer, { slug, version: 2 });
    expect(asViewer.blocked).toMatch(/ask an engineer/);
    expect(await codeOf(t.caller("viewer").registry.compareWithParent({ slug, version: 2 }))).toBe("FORBIDDEN");
    await expect(compareWithParent(t.db, store, t.actors.viewer, { slug, version: 2 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await t.db.select().from(variantComparisons)).toHaveLength(0);
  });

  it("refuses a version without a parent and bad input, storing nothing", async () => {
    await expect(compareWithParent(t.db, store, t.actors.engineer, { slug, version: 1 })).rejects.toThrow(/no parent to compare with/);
    await expect(compareWithParent(t.db, store, t.actors.engineer, { slug, version: "2" })).rejects.toThrow();
    expect(await t.db.select().from(variantComparisons)).toHaveLength(0);
  });

  it("measures both on the evaluation frames, records the variant's evaluation, and reuses the stored result", async () => {
    const first = await t.caller("engineer").registry.compareWithParent({ slug, version: 2 });
    expect(first.reused).toBe(false);
    if (first.state !== "done") throw new Error(`expected done, got ${first.state}`);
    const r = first.result;
    console.log(
      `int8 FCW v2: size ${(r.variant.sizeBytes / r.parent.sizeBytes).toFixed(3)}x, load ${r.parent.loadMs.toFixed(1)} -> ${r.variant.loadMs.toFixed(1)} ms, ` +
        `p50 ${r.parent.p50Ms.toFixed(2)} -> ${r.variant.p50Ms.toFixed(2)} ms, p95 ${r.parent.p95Ms.toFixed(2)} -> ${r.variant.p95Ms.toFixed(2)} ms, ` +
        `max abs ${r.maxAbsError.toExponential(2)}, boxes ${r.boxAgreement?.matched}/${r.boxAgreement?.total}, ` +
        r.variant.safety!.map((s, i) => `${s.eventType} recall ${r.parent.safety![i].recall?.value.toFixed(3)} -> ${s.recall?.value.toFixed(3)}`).join(", "),
    );
    expect(r.method).toBe(COMPARISON_METHOD);
    expect(r.timedRuns).toBe(32);
    expect(r.variant.sizeBytes / r.parent.sizeBytes).toBeLessThan(0.5);
    expect(r.parent.p95Ms).toBeGreaterThanOrEqual(r.parent.p50Ms);
    expect(r.maxAbsError).toBeGreaterThan(0);
    expect(r.boxAgreement!.total).toBeGreaterThan(0);
    expect(r.boxAgreement!.value).toBeGreaterThanOrEqual(0);
    expect(r.boxAgreement!.value).toBeLessThanOrEqual(1);
    for (const side of [r.parent, r.variant]) {
      expect(side.safety!.map((s) => s.eventType).sort()).toEqual(["forward-collision-warning", "pedestrian-warning"]);
      for (const s of side.safety!) {
        expect(s.recall!.lo).toBeLessThanOrEqual(s.recall!.value);
        expect(s.recall!.hi).toBeGreaterThanOrEqual(s.recall!.value);
        expect(s.recall!.hi - s.recall!.lo).toBeGreaterThan(0);
      }
    }
    // The variant's evaluation is recorded like any version's, so the safety pages and the release review see it.
    const posted = await t.db.select().from(evaluations).where(eq(evaluations.id, r.variant.evaluationId!));
    expect(posted).toHaveLength(1);
    expect(posted[0].datasetName).toBe("fcw-eval-v1");
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, `${slug}/2`), eq(auditLog.action, "variant_comparison.create")));
    expect(audit).toHaveLength(1);

    const again = await compareWithParent(t.db, store, t.actors.admin, { slug, version: 2 });
    expect(again.reused).toBe(true);
    expect(again).toMatchObject({ state: "done", result: { computedAt: r.computedAt } });
    expect(await t.db.select().from(variantComparisons)).toHaveLength(1);
    expect(await t.db.select().from(evaluations).where(eq(evaluations.datasetName, "fcw-eval-v1"))).toHaveLength(2);
    const read = await t.caller("viewer").registry.variantComparison({ slug, version: 2 });
    expect(read).toMatchObject({ state: "done", result: { computedAt: r.computedAt } });
  }, 300_000);

  it("tells a second caller that the comparison is running instead of computing it twice", async () => {
    const [row] = await t.db.select().from(variantComparisons);
    await t.db.update(variantComparisons).set({ status: "running", result: null }).where(eq(variantComparisons.id, row.id));
    await expect(compareWithParent(t.db, store, t.actors.engineer, { slug, version: 2 })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await getVariantComparison(t.db, t.actors.viewer, { slug, version: 2 })).toMatchObject({ state: "running" });
  });

  it("has a REST door: the comparison reads with models:read, writes need models:write, a bad version number is a 400", async () => {
    const reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["models:read"] })).token;
    const req = (method: string, n: string, token: string) =>
      new Request(`http://portal.test/api/v1/models/${slug}/versions/${n}/comparison`, { method, headers: { authorization: `Bearer ${token}` } });
    const ctx = (n: string) => ({ params: Promise.resolve({ slug, n }) });
    const read = await comparisonRoute.GET(req("GET", "2", reader), ctx("2"));
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ state: "running", blocked: expect.stringMatching(/ask an engineer/) });
    expect((await comparisonRoute.POST(req("POST", "2", reader), ctx("2"))).status).toBe(403);
    expect((await int8Route.POST(req("POST", "1", reader), ctx("1"))).status).toBe(403);
    expect((await comparisonRoute.GET(req("GET", "two", reader), ctx("two"))).status).toBe(400);
  });
});
