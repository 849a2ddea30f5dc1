// "Make an int8 variant" with the static method, through the REST and tRPC doors, on the real database and store with
// the real FCW v2 detector: calibrated on frames from the frame library, registered as a draft derived from v1 with the
// method, tag, frame count and range method in its card and tags; bad input is a 400 that writes nothing; a viewer is
// refused. Then the comparison with its parent, as for a weight-only variant.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, like } from "drizzle-orm";
import { auditLog, modelVersions } from "@/db/schema";
import { insertMissingFrames } from "@/db/seed/frames";
import { seedFcwEvalFrames } from "@/db/seed/fcw";
import * as int8Route from "@/app/api/v1/models/[slug]/versions/[n]/int8-variant/route";
import { artifactStore as store } from "@/server/artifacts";
import { suggestedCalibrationTag } from "@/lib/variants";
import { FCW_SETS, generateFcwFrames } from "@/server/demo/fcw-frames";
import { FCW_CONTRACT, FCW_MANIFEST, fcwModelFile } from "@/server/demo/fcw-model";
import { provideDatabase } from "@/server/db";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { createModel, getVersion, registerVersion } from "./service";
import { compareWithParent } from "./variant-comparison";

let t: TestEnv;
const slug = "forward-collision-warning";
let writer: string;
let reader: string;

const post = (token: string, n: string, body?: unknown) =>
  int8Route.POST(
    new Request(`http://portal.test/api/v1/models/${slug}/versions/${n}/int8-variant`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
    { params: Promise.resolve({ slug, n }) },
  );
const versionCount = async () => (await t.db.select({ id: modelVersions.id }).from(modelVersions)).length;
const variantAudits = async () =>
  t.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, "model_version.create"), like(auditLog.entityId, `${slug}/%`)));

beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  await insertMissingFrames(t.db, store, null, await generateFcwFrames("train", 16));
  await seedFcwEvalFrames(t.db, store, 24);
  await createModel(t.db, t.actors.engineer, { slug, name: "Forward collision warning", team: "perception", task: "detection" });
  const staged = await store.stage(fs.createReadStream(fcwModelFile(2)), 1 << 30);
  await registerVersion(
    t.db,
    store,
    t.actors.engineer,
    slug,
    { description: "v2", manifest: FCW_MANIFEST, contract: FCW_CONTRACT, modelCard: "Trained on fcw-train-v1." },
    { staged, fileName: "fcw-v2.onnx" },
  );
  writer = (await createToken(t.db, t.actors.engineer, { name: "ci", scopes: ["models:read", "models:write"] })).token;
  reader = (await createToken(t.db, t.actors.viewer, { name: "pm", scopes: ["models:read"] })).token;
}, 300_000);
afterAll(async () => {
  await t?.close();
});

describe("static int8 variants", () => {
  it("suggests FCW's calibration frames (the training set's first scenes), never its evaluation frames", () => {
    expect(suggestedCalibrationTag(slug)).toBe(FCW_SETS.calib.tag);
    expect(suggestedCalibrationTag(slug)).not.toBe(FCW_SETS.eval.tag);
    expect(suggestedCalibrationTag("ocr-det")).toBeNull();
  });

  it("refuses bad input with a 400 that says what to do, and writes nothing", async () => {
    const before = { versions: await versionCount(), audits: (await variantAudits()).length };
    const unknownTag = await post(writer, "1", { method: "static", calibrationTag: "no-such-tag" });
    expect(unknownTag.status).toBe(400);
    expect((await unknownTag.json()).detail).toMatch(/No frames in the frame library carry the tag "no-such-tag"; tag some representative frames/);
    expect((await post(writer, "1", { method: "static" })).status).toBe(400);
    expect((await post(writer, "1", { method: "static", calibrationTag: "fcw-train-v1", calibrationFrames: 100_000 })).status).toBe(400);
    expect((await post(writer, "1", { method: "weight-only", calibrationTag: "fcw-train-v1" })).status).toBe(400);
    expect((await post(writer, "1", { method: "dynamic-ish" })).status).toBe(400);
    expect((await post(writer, "1", { method: "static", calibrationTag: "Not A Tag!" })).status).toBe(400);
    expect(await versionCount()).toBe(before.versions);
    expect(await variantAudits()).toHaveLength(before.audits);
  });

  it("is for engineers: a viewer's token and a viewer's tRPC call are refused, nothing written", async () => {
    const before = await versionCount();
    expect((await post(reader, "1", { method: "static", calibrationTag: "fcw-train-v1" })).status).toBe(403);
    expect(await codeOf(t.caller("viewer").registry.makeInt8Variant({ slug, version: 1, method: "static", calibrationTag: "fcw-train-v1" }))).toBe("FORBIDDEN");
    expect(await versionCount()).toBe(before);
  });

  it("calibrates on the tagged frames and registers a draft derived from v1, with the method in its card and tags", async () => {
    const res = await post(writer, "1", { method: "static", calibrationTag: "fcw-train-v1", calibrationFrames: 12 });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toMatchObject({ model: slug, version: 2, status: "draft" });
    const v = await getVersion(t.db, slug, 2);
    expect(v.parentVersion).toBe(1);
    expect(v.version.status).toBe("draft");
    expect(v.version.tags).toMatchObject({
      quantization: "int8-static",
      "quantization.granularity": "per-channel",
      "quantization.calibration_tag": "fcw-train-v1",
      "quantization.calibration_frames": "12",
      "quantization.range": "min/max",
      "derived.from": "v1",
    });
    expect(v.version.fileName).toBe("fcw-v2-int8.onnx");
    expect(v.version.modelCard).toMatch(/int8 static \(QDQ\)/);
    expect(v.version.modelCard).toMatch(/Calibration: 12 frames tagged fcw-train-v1, preprocessed by this version's manifest; activation ranges by min\/max/);
    expect(v.version.modelCard).toContain("Trained on fcw-train-v1.");
    expect(v.version.modelCard).not.toMatch(/not independent/);
    const parent = await getVersion(t.db, slug, 1);
    expect(v.artifact!.sizeBytes / parent.artifact!.sizeBytes).toBeLessThan(0.4);
    expect(v.version.manifest).toEqual(parent.version.manifest);
    const audit = await variantAudits();
    expect(audit.find((a) => a.entityId === `${slug}/2`)?.after).toMatchObject({ tags: { quantization: "int8-static" } });
  }, 180_000);

  it("says in the card when it was calibrated on its own evaluation frames", async () => {
    const v = await t.caller("engineer").registry.makeInt8Variant({ slug, version: 1, method: "static", calibrationTag: "fcw-eval-v1", calibrationFrames: 4 });
    expect(v.tags).toMatchObject({ "quantization.calibration_tag": "fcw-eval-v1", "quantization.calibration_frames": "4" });
    expect((await getVersion(t.db, slug, v.version)).version.modelCard).toMatch(/Calibrated on fcw-eval-v1, the frames it is evaluated on/);
  }, 180_000);

  it("compares with its parent like a weight-only variant: boxes agree, safety metrics for both", async () => {
    const r = await compareWithParent(t.db, store, t.actors.engineer, { slug, version: 2 });
    if (r.state !== "done") throw new Error(`expected done, got ${r.state}`);
    const c = r.result;
    console.log(
      `static int8 FCW v2: size ${(c.variant.sizeBytes / c.parent.sizeBytes).toFixed(3)}x, load ${c.parent.loadMs.toFixed(1)} -> ${c.variant.loadMs.toFixed(1)} ms, ` +
        `p50 ${c.parent.p50Ms.toFixed(2)} -> ${c.variant.p50Ms.toFixed(2)} ms, p95 ${c.parent.p95Ms.toFixed(2)} -> ${c.variant.p95Ms.toFixed(2)} ms, ` +
        `max abs ${c.maxAbsError.toExponential(2)}, boxes ${c.boxAgreement?.matched}/${c.boxAgreement?.total}, ` +
        c.variant.safety!.map((s, i) => `${s.eventType} recall ${c.parent.safety![i].recall?.value.toFixed(3)} -> ${s.recall?.value.toFixed(3)}`).join(", "),
    );
    expect(c.timedRuns).toBe(24);
    expect(c.boxAgreement!.total).toBeGreaterThan(10);
    expect(c.boxAgreement!.value).toBeGreaterThan(0.85);
    expect(c.variant.safety).toHaveLength(2);
  }, 300_000);
});
