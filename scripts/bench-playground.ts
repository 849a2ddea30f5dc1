// Browser (onnxruntime-web in Chromium, through the real playground page) against native
// (onnxruntime-node) on the same machine and the same preprocessed frame: session creation and
// inference p50/p95 at 1 thread and at max threads, printed as web/native ratios.
//   npx tsx scripts/bench-playground.ts http://127.0.0.1:3000   (a production build: npm start)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import * as ortNode from "onnxruntime-node";
import sharp from "sharp";
import { percentile } from "@/lib/playground/interpret";
import { preprocess } from "@/lib/playground/preprocess";
import type { TManifest } from "@/server/registry/schemas";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const MODELS = ["camera-health", "ocr-direction-classifier", "ocr-text-detector"];
const RUNS = 20;
const maxThreads = Math.min(4, os.cpus().length);

/** A deterministic 640x360 test frame: gradients and bars, no fonts. */
async function testFrame(file: string) {
  const w = 640,
    h = 360;
  const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const bar = y > 150 && y < 200 && x > 180 && x < 460 && (x >> 4) % 2 === 0;
      px[i] = bar ? 10 : (x * 255) / w;
      px[i + 1] = bar ? 10 : (y * 255) / h;
      px[i + 2] = bar ? 10 : 128;
    }
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(file);
  const { data, info } = await sharp(file).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8ClampedArray(data), width: info.width, height: info.height };
}

async function browserRun(page: Page, slug: string, version: number, threads: number, image: string) {
  await page.goto(`${base}/models/${slug}/versions/${version}/playground`);
  await page.getByLabel("Threads").selectOption(String(threads));
  await page.getByLabel("Timed runs").selectOption(String(RUNS));
  await page.getByLabel("Your own image").setInputFiles(image);
  await page.getByRole("button", { name: "Run model" }).click();
  await page.getByText(/Latency over/).waitFor({ timeout: 300_000 });
  const cells = await page.locator("table").filter({ hasText: "Inference p50" }).locator("tbody tr").first().locator("td").allInnerTexts();
  const sessionMs = Number(await page.getByTestId("session-ms").first().innerText());
  return { p50: parseFloat(cells[3]), p95: parseFloat(cells[4]), sessionMs };
}

async function nativeRun(file: string, manifest: TManifest, frame: { data: Uint8ClampedArray; width: number; height: number }, threads: number) {
  const t0 = performance.now();
  const session = await ortNode.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: "all" });
  const sessionMs = performance.now() - t0;
  const pre = preprocess(frame, manifest.input);
  const feeds = { [session.inputNames[0]]: new ortNode.Tensor("float32", pre.data, pre.dims) };
  await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await session.run(feeds);
    times.push(performance.now() - s);
  }
  await session.release();
  return { p50: percentile(times, 50)!, p95: percentile(times, 95)!, sessionMs };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-bench-pg-"));
  const image = path.join(tmp, "frame.png");
  const frame = await testFrame(image);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const page = await browser.newPage();
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill("engineer@example.com");
  await page.getByLabel("Password").fill(process.env.DEMO_PASSWORD ?? "sentinel-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"));
  console.log(`playground bench: ${RUNS} timed runs after one warm-up, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
  console.log("model | threads | session web/native ms | p50 web/native ms | p95 web/native ms | p50 ratio");
  for (const slug of MODELS) {
    const res = await page.request.get(`${base}/api/v1/models/${slug}/aliases/production`);
    if (!res.ok()) throw new Error(`${slug}: ${res.status()} ${await res.text()}`);
    const v = (await res.json()) as { version: number; manifest: TManifest; downloadUrl: string };
    const file = path.join(tmp, `${slug}.onnx`);
    fs.writeFileSync(file, await (await page.request.get(v.downloadUrl)).body());
    for (const threads of [...new Set([1, maxThreads])]) {
      const web = await browserRun(page, slug, v.version, threads, image);
      const nat = await nativeRun(file, v.manifest, frame, threads);
      console.log(
        `${slug} | ${threads} | ${web.sessionMs.toFixed(0)} / ${nat.sessionMs.toFixed(0)} | ${web.p50.toFixed(1)} / ${nat.p50.toFixed(1)} | ${web.p95.toFixed(1)} / ${nat.p95.toFixed(1)} | ${(web.p50 / nat.p50).toFixed(2)}x`,
      );
    }
  }
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
