// Three ways to run the same model on the same preprocessed frame, on this machine, in one run:
// - the playground: onnxruntime-web in Chromium through the real page and its worker;
// - bare onnxruntime-web: the same package and build in a module worker of a blank page served by this script (no
//   portal, no React), the same session options: what the runtime itself costs in this browser;
// - native: onnxruntime-node.
// Session creation and inference p50/p95 at 1 thread and at max threads; ratios playground/native, bare/native and
// playground/bare (the portal's own overhead). Then the tiny direction classifier: 16 crops one run at a time against
// one batched run (what the playground's text reading does per frame).
//   npx tsx scripts/bench-playground.ts http://127.0.0.1:3000   (a production build: npm start)
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import * as ortNode from "onnxruntime-node";
import sharp from "sharp";
import { percentile } from "@/lib/playground/interpret";
import { preprocess } from "@/lib/playground/preprocess";
import type { TManifest } from "@/server/registry/schemas";
import { WARMUP_MODEL_BASE64 } from "@/lib/playground/warmup-model";
import { freePort } from "./free-port";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const MODELS = process.env.BENCH_MODELS?.split(",") ?? ["camera-health", "ocr-direction-classifier", "ocr-text-detector"];
const RUNS = 20;
/** Rounds of page, bare and native in turn per model and thread count; the figures printed are each column's median. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
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
  // As a person would: Run once the runtime is up (a click in the first instant would time
  // the session against the page's own start-up on 2 cores, which the bare page does not have).
  await page.getByTestId("runtime-status").getByText("Runtime ready").waitFor();
  await page.getByRole("button", { name: "Run model" }).click();
  await page.getByText(/Latency over/).waitFor({ timeout: 300_000 });
  const cells = await page.locator("table").filter({ hasText: "Inference p50" }).locator("tbody tr").first().locator("td").allInnerTexts();
  const sessionMs = Number(await page.getByTestId("session-ms").first().innerText());
  const runtimeMs = Number(await page.getByTestId("runtime-ms").innerText());
  return { p50: parseFloat(cells[3]), p95: parseFloat(cells[4]), sessionMs, runtimeMs };
}

// The bare runtime's worker: the runtime started with the same one-node model the playground uses, then the model.
const BARE_WORKER = `
import * as ort from "/ort/ort.wasm.min.mjs";
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
self.onmessage = (e) => run(e.data).catch((err) => self.postMessage({ error: String(err && err.message ? err.message : err) }));
async function run({ slug, threads, runs, batch }) {
  ort.env.wasm.wasmPaths = "/ort/";
  ort.env.wasm.numThreads = threads;
  let t = performance.now();
  const warm = await ort.InferenceSession.create(b64("${WARMUP_MODEL_BASE64}"), { executionProviders: ["wasm"] }).catch((err) => {
    throw new Error("starting the runtime: " + err.message);
  });
  await warm.run({ x: new ort.Tensor("float32", new Float32Array([0]), [1]) });
  await warm.release();
  const runtimeMs = performance.now() - t;
  const model = new Uint8Array(await (await fetch("/model/" + slug + ".onnx")).arrayBuffer());
  const input = new Float32Array(await (await fetch("/input/" + slug + ".bin")).arrayBuffer());
  const dims = await (await fetch("/input/" + slug + ".json")).json();
  if (model.length < 64) throw new Error("the model file came back with " + model.length + " bytes");
  t = performance.now();
  const s = await ort.InferenceSession.create(model, { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  const sessionMs = performance.now() - t;
  const timed = async (data, d) => {
    const feeds = { [s.inputNames[0]]: new ort.Tensor("float32", data, d) };
    await s.run(feeds);
    const times = [];
    for (let i = 0; i < runs; i++) { const a = performance.now(); await s.run(feeds); times.push(performance.now() - a); }
    return times;
  };
  const times = await timed(input, dims);
  let batched = null;
  if (batch) {
    const stacked = new Float32Array(input.length * batch);
    for (let i = 0; i < batch; i++) stacked.set(input, i * input.length);
    batched = await timed(stacked, [batch, ...dims.slice(1)]);
  }
  self.postMessage({ runtimeMs, sessionMs, times, batched });
}`;

const ORT_DIST = path.join(process.cwd(), "node_modules", "onnxruntime-web", "dist");
const ORT_FILES = new Set(["ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm"]);

/** Serves the bare page, its worker, onnxruntime-web's files and the bench's models and inputs, cross-origin isolated. */
async function bareServer(dir: string) {
  const port = await freePort();
  const types: Record<string, string> = { ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const name = path.basename(url.pathname);
    let body: Buffer | string | null = null;
    if (url.pathname === "/") body = "<!doctype html><title>bare onnxruntime-web</title>";
    else if (url.pathname === "/worker.mjs") body = BARE_WORKER;
    else if (url.pathname.startsWith("/ort/") && ORT_FILES.has(name)) body = fs.readFileSync(path.join(ORT_DIST, name));
    else if (/^\/(model|input)\/[\w.-]+$/.test(url.pathname) && fs.existsSync(path.join(dir, name))) body = fs.readFileSync(path.join(dir, name));
    res.writeHead(body === null ? 404 : 200, {
      "content-type": types[path.extname(name) || ".html"] ?? "application/octet-stream",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
      "cross-origin-resource-policy": "same-origin",
    });
    res.end(body ?? "not found");
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

async function bareRun(page: Page, url: string, slug: string, threads: number, batch = 0) {
  await page.goto(url);
  const r = await page.evaluate(
    ({ slug, threads, runs, batch }) =>
      new Promise<{ runtimeMs: number; sessionMs: number; times: number[]; batched: number[] | null }>((resolve, reject) => {
        const w = new Worker("/worker.mjs", { type: "module" });
        w.onmessage = (e) => (e.data.error ? reject(new Error(`bare worker: ${e.data.error}`)) : resolve(e.data));
        w.onerror = (e) => reject(new Error(e.message));
        w.postMessage({ slug, threads, runs, batch });
      }),
    { slug, threads, runs: RUNS, batch },
  );
  return { ...r, p50: percentile(r.times, 50)!, p95: percentile(r.times, 95)!, batchedP50: r.batched ? percentile(r.batched, 50)! : null };
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
  const bare = await bareServer(tmp);
  const barePage = await browser.newPage();
  console.log(`playground bench: ${RUNS} timed runs after one warm-up, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
  console.log(
    "model | threads | runtime start page/bare ms | session page/bare/native ms | p50 page/bare/native ms | p95 page/bare/native ms | p50 page/native | bare/native | page/bare | session page/bare",
  );
  for (const slug of MODELS) {
    const res = await page.request.get(`${base}/api/v1/models/${slug}/aliases/production`);
    if (!res.ok()) throw new Error(`${slug}: ${res.status()} ${await res.text()}`);
    const v = (await res.json()) as { version: number; manifest: TManifest; downloadUrl: string };
    const file = path.join(tmp, `${slug}.onnx`);
    // The download URL names the portal's public origin, which may not be the address this bench reaches it at.
    const download = new URL(v.downloadUrl, base);
    const got = await page.request.get(`${base}${download.pathname}${download.search}`);
    if (!got.ok()) throw new Error(`${slug}: downloading the model answered ${got.status()} ${await got.text()}`);
    fs.writeFileSync(file, await got.body());
    const pre = preprocess(frame, v.manifest.input);
    fs.writeFileSync(path.join(tmp, `${slug}.bin`), Buffer.from(pre.data.buffer, pre.data.byteOffset, pre.data.byteLength));
    fs.writeFileSync(path.join(tmp, `${slug}.json`), JSON.stringify(pre.dims));
    for (const threads of [...new Set([1, maxThreads])]) {
      const step = (what: string) => console.error(`  ${slug}, ${threads} thread(s): ${what}`);
      // On 2 shared cores one sample of session creation or of a 2-thread p50 moves by 2x; rounds in turn take the
      // same background load into all three, and the median of each column drops the outlier round.
      // Ratios are the median of the per-round ratios (each round's three figures were measured minutes apart at most).
      const rounds: { web: Awaited<ReturnType<typeof browserRun>>; b: Awaited<ReturnType<typeof bareRun>>; nat: Awaited<ReturnType<typeof nativeRun>> }[] = [];
      for (let r = 1; r <= ROUNDS; r++) {
        step(`round ${r}/${ROUNDS}: playground, bare onnxruntime-web, onnxruntime-node`);
        const web = await browserRun(page, slug, v.version, threads, image);
        const b = await bareRun(barePage, bare.url, slug, threads);
        const nat = await nativeRun(file, v.manifest, frame, threads);
        rounds.push({ web, b, nat });
      }
      const med = (xs: number[]) => percentile(xs, 50)!;
      const medians = (side: (x: (typeof rounds)[number]) => { runtimeMs: number; sessionMs: number; p50: number; p95: number }) => ({
        runtimeMs: med(rounds.map((x) => side(x).runtimeMs)),
        sessionMs: med(rounds.map((x) => side(x).sessionMs)),
        p50: med(rounds.map((x) => side(x).p50)),
        p95: med(rounds.map((x) => side(x).p95)),
      });
      const web = medians((x) => x.web);
      const b = medians((x) => x.b);
      const nat = { sessionMs: med(rounds.map((x) => x.nat.sessionMs)), p50: med(rounds.map((x) => x.nat.p50)), p95: med(rounds.map((x) => x.nat.p95)) };
      if (ROUNDS > 1)
        console.error(
          `  per round p50 page/bare/native: ${rounds.map((x) => `${x.web.p50.toFixed(0)}/${x.b.p50.toFixed(0)}/${x.nat.p50.toFixed(0)}`).join(", ")}; session page/bare: ${rounds.map((x) => `${x.web.sessionMs.toFixed(0)}/${x.b.sessionMs.toFixed(0)}`).join(", ")}`,
        );
      const f = (x: number) => x.toFixed(x < 10 ? 1 : 0);
      const ratio = (pick: (x: (typeof rounds)[number]) => number) => `${med(rounds.map(pick)).toFixed(2)}x`;
      console.log(
        `${slug} | ${threads} | ${f(web.runtimeMs)} / ${f(b.runtimeMs)} | ${f(web.sessionMs)} / ${f(b.sessionMs)} / ${f(nat.sessionMs)} | ${f(web.p50)} / ${f(b.p50)} / ${f(nat.p50)} | ${f(web.p95)} / ${f(b.p95)} / ${f(nat.p95)} | ${ratio((x) => x.web.p50 / x.nat.p50)} | ${ratio((x) => x.b.p50 / x.nat.p50)} | ${ratio((x) => x.web.p50 / x.b.p50)} | ${ratio((x) => x.web.sessionMs / x.b.sessionMs)}`,
      );
    }
  }
  // The tiny classifier, 16 crops: one run each (what the playground did per text region) against one batched run.
  const cls = "ocr-direction-classifier";
  if (fs.existsSync(path.join(tmp, `${cls}.onnx`))) {
    const b = await bareRun(barePage, bare.url, cls, 1, 16);
    console.log(
      `${cls}, 16 crops, 1 thread: one run per crop ${(16 * b.p50).toFixed(1)} ms, one batched run ${b.batchedP50!.toFixed(1)} ms (${((16 * b.p50) / b.batchedP50!).toFixed(1)}x)`,
    );
  }
  await bare.close();
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
