// Deterministic fleet simulation: camera devices in cohorts run the real camera-health ONNX model
// (onnxruntime-node) on generated frames and report 5-minute summaries, optionally with a shift in
// what the cameras see (night, lens obstruction) and a serving fault (latency, errors) from an hour on.
// Used by scripts/simulate-fleet.ts (over HTTP, like devices) and by the demo seed (in process).
import * as ort from "onnxruntime-node";
import { buildCameraHealthModel, CAMERA_HEALTH_LABELS, mulberry32, syntheticFrame, type CameraHealthLabel } from "@/server/demo/camera-health-model";
import type { FeatureSummary } from "@/db/schema";
import { binCounts, latencyHistogram, linearEdges } from "@/server/telemetry/histogram";
import type { TSummary } from "@/server/telemetry/schemas";

export type Shift = { kind: "night" | "obstruction"; atHour: number };
export type Fault = { kind: "latency" | "errors"; atHour: number };

export type FleetOptions = {
  model?: string;
  version: number;
  devices: number;
  hours: number;
  /** Start of the first window (aligned down to the minute). */
  start: Date;
  windowMinutes?: number;
  /** Inferences per device per window. */
  framesPerWindow?: number;
  seed?: number;
  shift?: Shift;
  fault?: Fault;
  /** Aggregate devices of one cohort into one summary per window (a gateway), instead of one per device. */
  perCohort?: boolean;
  /** Median service time of a dashcam-gen3 in ms (gen2 is 2.4x slower). Fixed, so runs are reproducible. */
  deviceMs?: number;
};

export const COHORTS = [
  { name: "dashcam-gen2-eu", deviceClass: "dashcam-gen2", region: "eu", speed: 2.4 },
  { name: "dashcam-gen3-eu", deviceClass: "dashcam-gen3", region: "eu", speed: 1 },
  { name: "dashcam-gen3-us", deviceClass: "dashcam-gen3", region: "us", speed: 1.1 },
] as const;
/** The gen3 dashcam cohorts: where the device models' seeded production telemetry comes from. */
export const GEN3_COHORTS: string[] = COHORTS.filter((c) => c.deviceClass === "dashcam-gen3").map((c) => c.name);

/** Fixed bins per reported feature, so every device's histograms merge without re-binning. */
export const CAMERA_FEATURE_EDGES = {
  brightness: linearEdges(0, 1, 20),
  /** log10 of the Laplacian variance: sharp frames sit around -2, blurred ones below -3.5. */
  sharpness_log10: linearEdges(-6, 0, 24),
  obstruction_fraction: linearEdges(0, 1, 20),
} as const;
const SCORE_EDGES = linearEdges(0, 1, 10);

/** One inference result in the pool: what the model computed on a real generated frame. */
type PoolItem = { features: [number, number, number]; scores: number[]; label: CameraHealthLabel; ms: number };
type Condition = "day" | "night" | "obstruction";

export type CameraHealthRunner = { pool: Record<Condition | "blurry" | "too_dark", PoolItem[]>; inferenceMsMedian: number; close: () => Promise<void> };

const POOL_SEEDS = Array.from({ length: 8 }, (_, i) => 50_000 + i);

/** Night frames: the same scenes at a fifth of the light, with sensor gain noise; what a camera sees after dusk. */
function nightFrame(seed: number): Float32Array {
  const f = syntheticFrame("ok", seed);
  const rnd = mulberry32(seed ^ 0x9e3779b9);
  const k = 0.17 + 0.08 * rnd();
  for (let i = 0; i < f.length; i++) f[i] = Math.min(1, Math.max(0, f[i] * k + (rnd() - 0.5) * 0.03));
  return f;
}

/**
 * Runs the camera-health model once per pool frame (day, night, obstructed, blurry, dark; 8 seeds
 * each): 40 real inferences whose features, scores and timings the fleet then samples from.
 */
export async function createCameraHealthRunner(): Promise<CameraHealthRunner> {
  const session = await ort.InferenceSession.create(buildCameraHealthModel(), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const run = async (frame: Float32Array): Promise<PoolItem> => {
    const t0 = performance.now();
    const out = await session.run({ image: new ort.Tensor("float32", frame, [1, 3, 224, 224]) });
    const ms = performance.now() - t0;
    const features = Array.from(out.features.data as Float32Array) as [number, number, number];
    const scores = Array.from(out.scores.data as Float32Array);
    return { features, scores, label: CAMERA_HEALTH_LABELS[scores.indexOf(Math.max(...scores))], ms };
  };
  const pool: CameraHealthRunner["pool"] = { day: [], night: [], obstruction: [], blurry: [], too_dark: [] };
  for (const seed of POOL_SEEDS) {
    pool.day.push(await run(syntheticFrame("ok", seed)));
    pool.night.push(await run(nightFrame(seed)));
    pool.obstruction.push(await run(syntheticFrame("obstructed", seed)));
    pool.blurry.push(await run(syntheticFrame("blurry", seed)));
    pool.too_dark.push(await run(syntheticFrame("too_dark", seed)));
  }
  const all = Object.values(pool)
    .flat()
    .map((p) => p.ms)
    .sort((a, b) => a - b);
  return { pool, inferenceMsMedian: all[Math.floor(all.length / 2)], close: () => session.release() };
}

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");

/** The summaries a fleet would send, in window order; deterministic for the same options and pool. */
export function simulateFleet(runner: CameraHealthRunner, o: FleetOptions): TSummary[] {
  const windowMs = (o.windowMinutes ?? 5) * 60_000;
  const start = Math.floor(o.start.getTime() / 60_000) * 60_000;
  const windows = Math.round((o.hours * 3600_000) / windowMs);
  const frames = o.framesPerWindow ?? 12;
  const seed = o.seed ?? 7;
  const out: TSummary[] = [];
  // Device service time is a parameter, not the measured desktop time, so the same options give the same summaries.
  const baseMs = o.deviceMs ?? 6;
  for (let w = 0; w < windows; w++) {
    const windowStart = start + w * windowMs;
    const hour = (windowStart - start) / 3600_000;
    const shifted = o.shift && hour >= o.shift.atHour ? o.shift.kind : null;
    const faulty = o.fault && hour >= o.fault.atHour ? o.fault.kind : null;
    type Acc = { requests: number; errors: number; latencies: number[]; feats: number[][]; labels: CameraHealthLabel[]; okScores: number[] };
    const groups = new Map<string, { cohort: (typeof COHORTS)[number]; device: number; acc: Acc }>();
    for (let d = 0; d < o.devices; d++) {
      const cohort = COHORTS[d % COHORTS.length];
      const rnd = mulberry32(seed * 1_000_003 + d * 7919 + w * 104_729);
      const key = o.perCohort ? cohort.name : `${cohort.name}/${d}`;
      const g = groups.get(key) ?? { cohort, device: d, acc: { requests: 0, errors: 0, latencies: [], feats: [], labels: [], okScores: [] } };
      groups.set(key, g);
      // Only part of the fleet is affected by a shift (those driving at night, with a dirty lens).
      const affected = shifted && rnd() < (shifted === "night" ? 0.75 : 0.35);
      for (let f = 0; f < frames; f++) {
        const r = rnd();
        const condition: keyof CameraHealthRunner["pool"] = affected
          ? shifted === "night"
            ? r < 0.85
              ? "night"
              : "day"
            : r < 0.7
              ? "obstruction"
              : "day"
          : r < 0.92
            ? "day"
            : r < 0.95
              ? "blurry"
              : r < 0.98
                ? "too_dark"
                : "obstruction";
        const list = runner.pool[condition];
        const item = list[Math.floor(rnd() * list.length)];
        // Small per-frame jitter: the pool has 8 scenes per condition, the fleet sees endless variations.
        const jitter = 1 + 0.04 * normal(rnd);
        g.acc.feats.push([
          Math.min(1, Math.max(0, item.features[0] * jitter)),
          item.features[1] * (1 + 0.1 * normal(rnd)) ** 2,
          Math.min(1, Math.max(0, item.features[2] + 0.01 * normal(rnd))),
        ]);
        g.acc.labels.push(item.label);
        g.acc.okScores.push(item.scores[0]);
        g.acc.requests++;
        const errorRate = faulty === "errors" ? 0.05 : 0.0004;
        if (rnd() < errorRate) g.acc.errors++;
        else g.acc.latencies.push(baseMs * cohort.speed * Math.exp(0.25 * normal(rnd)) * (faulty === "latency" ? 8 : 1));
      }
    }
    for (const [key, g] of groups) {
      const { acc, cohort } = g;
      const numeric = (values: number[], edges: readonly number[]): FeatureSummary => ({
        kind: "numeric",
        edges: [...edges],
        counts: binCounts(values, edges),
      });
      const labelCounts: Record<string, number> = {};
      for (const l of acc.labels) labelCounts[l] = (labelCounts[l] ?? 0) + 1;
      out.push({
        idempotencyKey: `sim-${o.model ?? "camera-health"}-v${o.version}-${key.replace(/\//g, "-")}-${new Date(windowStart).toISOString()}-${hex(seed)}`,
        model: o.model ?? "camera-health",
        version: o.version,
        target: "device",
        cohort: cohort.name,
        slice: { deviceClass: cohort.deviceClass, region: cohort.region, timeOfDay: shifted === "night" ? "night" : "day" },
        windowStart: new Date(windowStart).toISOString(),
        windowSeconds: windowMs / 1000,
        requests: acc.requests,
        errors: acc.errors,
        latencyMs: { counts: latencyHistogram(acc.latencies) },
        features: {
          brightness: numeric(
            acc.feats.map((f) => f[0]),
            CAMERA_FEATURE_EDGES.brightness,
          ),
          sharpness_log10: numeric(
            acc.feats.map((f) => Math.log10(f[1] + 1e-8)),
            CAMERA_FEATURE_EDGES.sharpness_log10,
          ),
          obstruction_fraction: numeric(
            acc.feats.map((f) => f[2]),
            CAMERA_FEATURE_EDGES.obstruction_fraction,
          ),
        },
        predictions: { class: { kind: "categorical", counts: labelCounts }, score_ok: numeric(acc.okScores, SCORE_EDGES) },
      });
    }
  }
  return out;
}

/**
 * Summaries for a model without runnable weights (metadata-only demo models): seeded Gaussian
 * inputs per cohort, stable unless `fault` says otherwise. Honest about being synthetic in the seed.
 */
export function syntheticSummaries(o: {
  model: string;
  version: number;
  target: "device" | "cloud-online" | "cloud-batch";
  start: Date;
  hours: number;
  windowMinutes: number;
  requestsPerWindow: number;
  baseLatencyMs: number;
  seed: number;
  fault?: Fault;
  features: Record<string, { mean: number; sd: number; edges: readonly number[] }>;
  classes: string[];
  /** Cohort labels to send (default: the gen3 dashcam cohorts on devices, "all" in the cloud). */
  cohorts?: string[];
  /** Slice labels of a window, e.g. its time of day. */
  sliceOf?: (windowStart: Date) => Record<string, string>;
  /** A feature's mean and spread in a window with those slice labels, when it differs from the base (night frames are darker). */
  featureAt?: (feature: string, windowStart: Date, slice: Record<string, string>) => { mean: number; sd: number } | null;
}): TSummary[] {
  const windowMs = o.windowMinutes * 60_000;
  const start = Math.floor(o.start.getTime() / 60_000) * 60_000;
  const out: TSummary[] = [];
  const cohorts = o.cohorts ?? (o.target === "device" ? GEN3_COHORTS : ["all"]);
  for (let w = 0; w < Math.round((o.hours * 3600_000) / windowMs); w++) {
    const windowStart = start + w * windowMs;
    const hour = (windowStart - start) / 3600_000;
    const faulty = o.fault && hour >= o.fault.atHour ? o.fault.kind : null;
    for (const [ci, cohort] of cohorts.entries()) {
      const rnd = mulberry32(o.seed * 31 + w * 7 + ci);
      const n = Math.round(o.requestsPerWindow * (0.8 + 0.4 * rnd()));
      const features: Record<string, FeatureSummary> = {};
      const slice = o.sliceOf?.(new Date(windowStart)) ?? {};
      for (const [name, base] of Object.entries(o.features)) {
        const f = { ...base, ...(o.featureAt?.(name, new Date(windowStart), slice) ?? {}) };
        const values = Array.from({ length: Math.min(n, 400) }, () => f.mean + f.sd * normal(rnd));
        const counts = binCounts(values, f.edges).map((c) => Math.round((c * n) / values.length));
        features[name] = { kind: "numeric", edges: [...f.edges], counts };
      }
      const classCounts: Record<string, number> = {};
      o.classes.forEach((c, i) => (classCounts[c] = Math.round(n * (i === 0 ? 0.9 : 0.1 / (o.classes.length - 1)) * (0.9 + 0.2 * rnd()))));
      const errors = Math.round(n * (faulty === "errors" ? 0.03 : 0.0003 * rnd()));
      const lat = Array.from({ length: Math.min(n - errors, 300) }, () => o.baseLatencyMs * Math.exp(0.3 * normal(rnd)) * (faulty === "latency" ? 6 : 1));
      const scale = (n - errors) / Math.max(1, lat.length);
      out.push({
        idempotencyKey: `synthetic-${o.model}-v${o.version}-${cohort}-${new Date(windowStart).toISOString()}`,
        model: o.model,
        version: o.version,
        target: o.target,
        cohort,
        ...(o.sliceOf ? { slice } : {}),
        windowStart: new Date(windowStart).toISOString(),
        windowSeconds: windowMs / 1000,
        requests: n,
        errors,
        latencyMs: { counts: latencyHistogram(lat).map((c) => Math.floor(c * scale)) },
        features,
        predictions: { class: { kind: "categorical", counts: classCounts } },
      });
    }
  }
  return out;
}
