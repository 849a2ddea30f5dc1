// The playground in real Chromium: the browser's onnxruntime-web outputs and preprocessing match
// onnxruntime-node and the server-side preprocessing; models without weights say why they cannot run;
// a challenger is compared with production on the same frame.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as ortNode from "onnxruntime-node";
import sharp from "sharp";
import { preprocess } from "@/lib/playground/preprocess";
import type { TManifest } from "@/server/registry/schemas";
import { expect, expectHydrated, runOnFrame, test } from "./fixtures";

type Wire = { data: number[]; dims: number[] };

/** A deterministic test image: gradients and dark bars, no fonts involved. */
async function testImage(): Promise<string> {
  const w = 320,
    h = 180;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const bar = y > 70 && y < 110 && x > 60 && x < 260 && (x >> 3) % 2 === 0;
      px[i] = bar ? 0 : (x * 255) / w;
      px[i + 1] = bar ? 0 : (y * 255) / h;
      px[i + 2] = bar ? 0 : 200;
    }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-pg-")), "frame.png");
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

for (const slug of ["camera-health", "ocr-direction-classifier", "ocr-text-recognizer", "ocr-text-detector"]) {
  test(`${slug}: browser outputs and preprocessing equal onnxruntime-node and the server's`, async ({ signedInPage, apiAs }) => {
    test.setTimeout(180_000);
    const api = await apiAs("engineer");
    const res = await api.get(`/api/v1/models/${slug}/aliases/production`);
    expect(res.status()).toBe(200);
    const v = (await res.json()) as { version: number; manifest: TManifest; downloadUrl: string; sha256: string };
    const modelBytes = await (await api.get(v.downloadUrl)).body();

    const image = await testImage();
    const page = await signedInPage("engineer");
    const resp = await page.goto(`/models/${slug}/versions/${v.version}/playground?parity=1`);
    expect(resp?.headers()["cross-origin-embedder-policy"]).toBe("require-corp");
    const run = page.getByRole("button", { name: "Run model" });
    await expectHydrated(run);
    await page.getByLabel("Timed runs").selectOption("1");
    await page.getByLabel("Your own image").setInputFiles(image);
    await run.click();
    await expect(page.getByText(/Latency over/)).toBeVisible({ timeout: 120_000 });
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

    const browser = (await page.evaluate(() => {
      const p = (
        window as unknown as {
          __sentinelParity: { input: { data: Float32Array; dims: number[] }; outputs: Record<string, { data: Float32Array; dims: number[] }> };
        }
      ).__sentinelParity;
      const wire = (t: { data: Float32Array; dims: number[] }) => ({ data: Array.from(t.data), dims: t.dims });
      return { input: wire(p.input), outputs: Object.fromEntries(Object.entries(p.outputs).map(([k, t]) => [k, wire(t)])) };
    })) as { input: Wire; outputs: Record<string, Wire> };

    // Preprocessing: the server decodes the same PNG with sharp and runs the same pure function.
    const { data, info } = await sharp(image).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const server = preprocess({ data: new Uint8ClampedArray(data), width: info.width, height: info.height }, v.manifest.input);
    expect(browser.input.dims).toEqual(server.dims);
    expect(maxAbsDiff(browser.input.data, server.data)).toBeLessThanOrEqual(1 / 255);

    // Inference: onnxruntime-node on the browser's own input tensor.
    const session = await ortNode.InferenceSession.create(modelBytes);
    const out = await session.run({ [session.inputNames[0]]: new ortNode.Tensor("float32", Float32Array.from(browser.input.data), browser.input.dims) });
    for (const [name, t] of Object.entries(out)) {
      expect(browser.outputs[name].dims).toEqual([...t.dims]);
      const diff = maxAbsDiff(browser.outputs[name].data, t.data as Float32Array);
      console.log(`${slug} ${name}: max |web - native| = ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-4);
    }
    await session.release();
  });
}

test("a version without weights says why it cannot run; a crop model is not fed whole frames", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/models/distracted-driving/versions/1/playground");
  await expect(page.getByTestId("not-runnable")).toHaveText(/No file is held for this version/);
  await expect(page.getByRole("button", { name: "Run model" })).toHaveCount(0);
  await page.goto("/playground");
  await expect(page.getByRole("link", { name: "Open in playground" }).first()).toBeVisible();
  // The list names the versions that cannot run, with why, instead of leaving them out.
  await expect(page.getByRole("row").filter({ hasText: "distracted-driving" }).first()).toContainText("No file is held for this version");
  // A crop model is offered, but never with the library's whole road frames.
  await expect(page.getByRole("row").filter({ hasText: "ocr-direction-classifier" })).toContainText("Crops only");
  await page.goto("/models/ocr-direction-classifier/versions/1/playground");
  await expect(page.getByTestId("crops-only")).toContainText("reads crops");
  await expect(page.getByText("No frames", { exact: true })).toBeVisible();
});

test("a challenger is compared with production on the same frame", async ({ signedInPage, apiAs }) => {
  test.setTimeout(120_000);
  const api = await apiAs("engineer");
  const prod = (await (await api.get("/api/v1/models/camera-health/aliases/production")).json()) as { version: number; downloadUrl: string };
  const bytes = await (await api.get(prod.downloadUrl)).body();
  const created = await api.post("/api/v1/models/camera-health/versions", {
    multipart: {
      file: { name: "camera-health.onnx", mimeType: "application/octet-stream", buffer: bytes },
      metadata: JSON.stringify({ description: "e2e challenger", status: "candidate" }),
    },
  });
  expect(created.status()).toBe(201);
  const challenger = (await created.json()) as { version: number };

  const page = await signedInPage("engineer");
  await page.goto(`/models/camera-health/versions/${challenger.version}/playground`);
  const run = page.getByRole("button", { name: "Run model" });
  await expectHydrated(run);
  await expect(page.getByLabel(/Compare with production/)).toBeChecked();
  await page.getByLabel("Timed runs").selectOption("1");
  await page.getByLabel("Your own image").setInputFiles(await testImage());
  await run.click();
  await expect(page.getByRole("heading", { name: "Differences from production on this frame" })).toBeVisible({ timeout: 60_000 });
  // Same bytes: the same result, and both versions timed.
  await expect(page.getByText("Same result as production.")).toBeVisible();
  await expect(page.getByRole("cell", { name: `v${prod.version} (production)` })).toBeVisible();
  // Over a batch of frames, the summary counts frames whose result differs from production.
  await page.getByRole("button", { name: /^Run on \d+ frames$/ }).click();
  await expect(page.getByTestId("batch-summary")).toContainText(/0 of \d+ frames differ from production/, { timeout: 120_000 });
});

test("the OCR pipeline reads a sign on a generated frame; thresholds apply without re-running", async ({ signedInPage }) => {
  test.setTimeout(180_000);
  const page = await signedInPage("engineer");
  await runOnFrame(page, "/models/ocr-text-detector/versions/1/playground", "urban-day-stop");
  const read = page.getByRole("list", { name: "Text read" }).first();
  await expect(read).toContainText("STOP", { timeout: 120_000 });
  const count = page.getByText(/^\d+ text regions$/).first();
  const before = Number((await count.innerText()).split(" ")[0]);
  expect(before).toBeGreaterThan(0);
  const runsBefore = await page.getByTestId("session-ms").count();
  await page.getByLabel("Box threshold").first().fill("0.99");
  await expect.poll(async () => Number((await count.innerText()).split(" ")[0])).toBeLessThan(before);
  // No model reload or run happened: the load list is unchanged and no progress bar is shown.
  expect(await page.getByTestId("session-ms").count()).toBe(runsBefore);
  await expect(page.getByRole("progressbar")).toHaveCount(0);
});

test("text is read in batched runs, and a second visit in the same tab finds the runtime and the session ready", async ({ signedInPage }) => {
  test.setTimeout(240_000);
  const page = await signedInPage("engineer");
  await runOnFrame(page, "/models/ocr-text-detector/versions/1/playground", "urban-day-stop");
  await expect(page.getByRole("list", { name: "Text read" }).first()).toContainText("STOP", { timeout: 120_000 });
  const regions = Number(
    (
      await page
        .getByText(/^\d+ text regions$/)
        .first()
        .innerText()
    ).split(" ")[0],
  );
  // The classifier and the recogniser each run once per 16 regions, not once per region.
  await expect(page.getByTestId("ocr-runs")).toHaveText(String(2 * Math.ceil(Math.min(regions, 40) / 16)));
  await expect(page.getByTestId("load-ocr-text-detector@1")).toContainText("session created in");
  await expect(page.getByTestId("runtime-ms")).toHaveText(/^\d+$/);

  // Away to the version page and back through its link: both client-side, so the tab's worker is still there.
  await page.getByRole("link", { name: "Version page" }).click();
  await expect(page).toHaveURL(/\/versions\/1$/);
  await page.getByRole("link", { name: "Try in playground" }).click();
  await expect(page).toHaveURL(/\/versions\/1\/playground/);
  const run = page.getByRole("button", { name: "Run model" });
  await expectHydrated(run);
  await page.getByRole("button", { name: "Frame urban-day-stop" }).click();
  await page.getByLabel("Timed runs").selectOption("1");
  await run.click();
  await expect(page.getByTestId("load-ocr-text-detector@1")).toContainText("session kept from an earlier visit", { timeout: 60_000 });
  await expect(page.getByRole("list", { name: "Text read" }).first()).toContainText("STOP", { timeout: 60_000 });
  // Still cross-origin isolated after the client-side round trip: threads are still available.
  expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
  // The status line names the runtime that is up, and follows a changed setting once its fresh worker has started.
  await expect(page.getByTestId("runtime-status")).toContainText("Runtime ready: WebAssembly, 2 threads");
  await page.getByLabel("Threads").selectOption("1");
  await expect(page.getByTestId("runtime-status")).toContainText("Runtime ready: WebAssembly, 1 thread (", { timeout: 60_000 });
});

test("a batch run over tagged frames reports accuracy, and a long batch can be cancelled", async ({ signedInPage }) => {
  test.setTimeout(240_000);
  const page = await signedInPage("engineer");
  await page.goto("/models/camera-health/versions/1/playground?tag=night");
  const start = page.getByRole("button", { name: /^Run on \d+ frames$/ });
  await expectHydrated(start);
  const n = Number((await start.innerText()).match(/\d+/)![0]);
  expect(n).toBeGreaterThan(1);
  await start.click();
  await expect(page.getByTestId("batch-summary")).toContainText(`${n} of ${n} frames`, { timeout: 120_000 });
  await expect(page.getByTestId("batch-summary")).toContainText("class accuracy");

  await page.goto("/models/ocr-text-detector/versions/1/playground");
  const all = page.getByRole("button", { name: /^Run on \d+ frames$/ });
  await expectHydrated(all);
  await all.click();
  await page.getByRole("button", { name: "Cancel batch" }).click();
  await expect(page.getByTestId("batch-summary")).toContainText("(cancelled)", { timeout: 120_000 });
});

test("the FCW detectors trained here run on a night frame: boxes drawn, and v3 is compared with production v2", async ({ signedInPage }) => {
  test.setTimeout(180_000);
  const page = await signedInPage("engineer");
  await page.goto("/models/forward-collision-warning/versions/2/playground");
  const run = page.getByRole("button", { name: "Run model" });
  await expectHydrated(run);
  await expect(page.getByTestId("not-runnable")).toHaveCount(0);
  // A night scene with one labelled pedestrian that v2 finds and v3, trained on few night frames, misses.
  await page.getByRole("button", { name: "Frame fcw-eval-093-urban-night" }).click();
  await expect(page).toHaveURL(/frame=/);
  const frame = new URL(page.url()).searchParams.get("frame");
  await page.getByLabel("Timed runs").selectOption("1");
  await run.click();
  const kept = page.getByText(/^\d+ boxes kept of \d+ candidates$/).first();
  await expect(kept).toBeVisible({ timeout: 120_000 });
  expect(Number((await kept.innerText()).split(" ")[0])).toBeGreaterThan(0);

  await page.goto(`/models/forward-collision-warning/versions/3/playground?frame=${frame}`);
  const run3 = page.getByRole("button", { name: "Run model" });
  await expectHydrated(run3);
  await expect(page.getByLabel(/Compare with production/)).toBeChecked();
  await page.getByLabel("Timed runs").selectOption("1");
  await run3.click();
  await expect(page.getByRole("heading", { name: "Differences from production on this frame" })).toBeVisible({ timeout: 120_000 });
  const missed = page.getByRole("list", { name: "Differences" }).getByRole("listitem").filter({ hasText: "pedestrian found only by v2 (production)" });
  await expect(missed).toHaveCount(1);
  await expect(missed).toContainText("missed");
  for (const [name, width, height] of [
    ["1280", 1280, 900],
    ["390", 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.getByRole("heading", { name: "Differences from production on this frame" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(__dirname, "..", "docs", `fcw-v3-misses-at-night-${name}.png`) });
  }
});
