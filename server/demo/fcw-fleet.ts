// The forward-collision-warning fleet, simulated with the real detectors: each FCW version (the ONNX files
// examples/fcw-detector trained) runs in onnxruntime-node on a fixed pool of generated dashcam frames (day, night, and
// the same night frames darker), once per frame; windows of telemetry are then drawn from those cached outputs with the
// seeded PRNG. What a window reports (pedestrians and vehicles per frame, detections per class, the frame's measured
// brightness) is what the model computed on a frame, so v3's night regression shows up because v3 misses people at night.
import fs from "node:fs";
import { mulberry32 } from "@/lib/prng";
import { defaultThresholds, interpret, matchBoxes } from "@/lib/playground/interpret";
import type { FeatureSummary } from "@/db/schema";
import { createDetector } from "@/server/safety/detector-eval";
import { binCounts, latencyHistogram, linearEdges } from "@/server/telemetry/histogram";
import type { TSummary } from "@/server/telemetry/schemas";
import { fcwFrameSpec, FCW_LABEL_OF } from "./fcw-frames";
import { FCW_MANIFEST, fcwModelFile } from "./fcw-model";
import { renderFrame } from "./frame-generator";

export const FCW_MODEL = "forward-collision-warning";
/** Versions with weights in the repo; others (v1) are metadata only. */
export const FCW_RUNNABLE_VERSIONS = [2, 3] as const;
export const isRunnableFcwVersion = (v: number): v is (typeof FCW_RUNNABLE_VERSIONS)[number] => (FCW_RUNNABLE_VERSIONS as readonly number[]).includes(v);

/**
 * The pool: frames 500-547 of the evaluation set's generator (past its 96 pinned frames, so scenes neither version was
 * trained or evaluated on), odd ones at night. 48 renders and 72 inferences per version keep the seed fast.
 */
export const FCW_POOL = { first: 500, count: 48 } as const;
/**
 * A darker night: the night frame's pixels at this gain (streets after the lights dim, unlit roads). Both versions see
 * the same darker frames; only what they detect on them differs.
 */
export const DARK_NIGHT_GAIN = 0.6;
export type FcwCondition = "day" | "night" | "dark-night";

/** One frame as one version saw it: the model's detections, counted, and what the frame's ground truth holds. */
export type FcwPoolItem = {
  frame: string;
  brightness: number;
  pedestrians: number;
  vehicles: number;
  maxPedestrianScore: number;
  truthPedestrians: number;
  /** Ground-truth pedestrians a detection matched at IoU >= 0.5 (a field evaluation where labels are known). */
  foundPedestrians: number;
  truthVehicles: number;
  foundVehicles: number;
};
export type FcwPool = Record<FcwCondition, FcwPoolItem[]>;

type PoolFrame = {
  name: string;
  condition: FcwCondition;
  rgba: Uint8Array;
  width: number;
  height: number;
  brightness: number;
  pedestrianBoxes: GtBox[];
  vehicleBoxes: GtBox[];
};
type GtBox = { x: number; y: number; w: number; h: number; label: string };

/** Mean luma in [0, 1] (Rec. 601 weights): what the camera's own exposure statistics would report. */
export function frameBrightness(rgba: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < rgba.length; i += 4) sum += 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
  return sum / (rgba.length / 4) / 255;
}

// Deterministic inputs and outputs, computed once per process: the seed asks for the same pool from several areas.
let framesOnce: Promise<PoolFrame[]> | null = null;
const poolOnce = new Map<number, Promise<FcwPool>>();

function poolFrames(): Promise<PoolFrame[]> {
  framesOnce ??= (async () => {
    const out: PoolFrame[] = [];
    for (let i = FCW_POOL.first; i < FCW_POOL.first + FCW_POOL.count; i++) {
      const f = renderFrame(fcwFrameSpec("eval", i));
      const pedestrianBoxes = f.groundTruth.boxes.filter((b) => FCW_LABEL_OF[b.label] === "pedestrian");
      const vehicleBoxes = f.groundTruth.boxes.filter((b) => FCW_LABEL_OF[b.label] === "vehicle");
      const night = f.spec.light === "night";
      out.push({
        name: f.spec.name,
        condition: night ? "night" : "day",
        rgba: f.rgba,
        width: f.width,
        height: f.height,
        brightness: frameBrightness(f.rgba),
        pedestrianBoxes,
        vehicleBoxes,
      });
      if (night) {
        const dark = Uint8Array.from(f.rgba, (x, k) => (k % 4 === 3 ? x : Math.round(x * DARK_NIGHT_GAIN)));
        out.push({ ...out[out.length - 1], name: `${f.spec.name}-dark`, condition: "dark-night", rgba: dark, brightness: frameBrightness(dark) });
      }
    }
    return out;
  })();
  return framesOnce;
}

/** Runs one FCW version (its committed ONNX file, or `bytes`) on every pool frame once; cached per version. */
export function fcwPool(version: number, bytes?: Uint8Array): Promise<FcwPool> {
  const cached = poolOnce.get(version);
  if (cached && !bytes) return cached;
  const p = (async () => {
    if (!bytes && !isRunnableFcwVersion(version))
      throw new Error(`${FCW_MODEL} v${version} has no weights in the repo; runnable versions: ${FCW_RUNNABLE_VERSIONS.join(", ")}`);
    const detector = await createDetector(bytes ?? new Uint8Array(fs.readFileSync(fcwModelFile(version as 2 | 3))), FCW_MANIFEST);
    const th = defaultThresholds(FCW_MANIFEST.postprocess);
    const pool: FcwPool = { day: [], night: [], "dark-night": [] };
    try {
      for (const f of await poolFrames()) {
        const { outputs, transform } = await detector.run({ data: f.rgba, width: f.width, height: f.height });
        const r = interpret(FCW_MANIFEST, outputs, transform, th);
        if (r.kind !== "boxes") throw new Error("The FCW manifest decodes to boxes");
        const peds = r.boxes.filter((b) => b.label === "pedestrian");
        const vehicles = r.boxes.filter((b) => b.label === "vehicle");
        pool[f.condition].push({
          frame: f.name,
          brightness: f.brightness,
          pedestrians: peds.length,
          vehicles: vehicles.length,
          maxPedestrianScore: Math.max(0, ...peds.map((b) => b.score)),
          truthPedestrians: f.pedestrianBoxes.length,
          foundPedestrians: matchBoxes(peds, f.pedestrianBoxes, 0.5).matches.length,
          truthVehicles: f.vehicleBoxes.length,
          foundVehicles: matchBoxes(vehicles, f.vehicleBoxes, 0.5).matches.length,
        });
      }
    } finally {
      await detector.close();
    }
    return pool;
  })();
  if (!bytes) poolOnce.set(version, p);
  return p;
}

/** Per-frame averages of a pool condition: the numbers the README and the tests quote. */
export function poolStats(items: FcwPoolItem[]) {
  const mean = (f: (i: FcwPoolItem) => number) => items.reduce((s, i) => s + f(i), 0) / Math.max(1, items.length);
  const truth = items.reduce((s, i) => s + i.truthPedestrians, 0);
  const truthVehicles = items.reduce((s, i) => s + i.truthVehicles, 0);
  return {
    frames: items.length,
    pedestriansPerFrame: mean((i) => i.pedestrians),
    vehiclesPerFrame: mean((i) => i.vehicles),
    brightness: mean((i) => i.brightness),
    pedestrianRecall: truth ? items.reduce((s, i) => s + i.foundPedestrians, 0) / truth : null,
    vehicleRecall: truthVehicles ? items.reduce((s, i) => s + i.foundVehicles, 0) / truthVehicles : null,
  };
}

/** Fixed bins, so every window merges without re-binning; counts per frame sit one per bin (6 and more share the last). */
export const FCW_EDGES = {
  brightness: linearEdges(0, 1, 20),
  speed_kmh: linearEdges(0, 160, 16),
  perFrame: linearEdges(0, 6, 6),
  score: linearEdges(0, 1, 10),
} as const;

const H = 3600_000;
/** Night in the demo is the last 10 hours of each day, counted back from the newest telemetry, so the seed ends at night. */
export const DEMO_NIGHT_HOURS = 10;

/**
 * The demo's clock for a feed ending at `end`: a window starting in the last DEMO_NIGHT_HOURS before `end`, or the same
 * hours of any earlier day, is night. One rule for every seeded FCW feed, so production and the canary share a night.
 */
export function demoTimeOfDay(end: Date | number): (windowStart: Date) => "day" | "night" {
  const e = typeof end === "number" ? end : end.getTime();
  return (t) => {
    const back = (((e - t.getTime()) % (24 * H)) + 24 * H) % (24 * H);
    return back !== 0 && back <= DEMO_NIGHT_HOURS * H ? "night" : "day";
  };
}

function normal(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

export type FcwFleetOptions = {
  version: number;
  cohorts: string[];
  start: Date;
  hours: number;
  windowMinutes: number;
  /** Frames each cohort's gateway summarises per window. */
  framesPerWindow: number;
  seed: number;
  baseLatencyMs?: number;
  /** Time of day of a window; sent as the `timeOfDay` slice. */
  timeOfDay: (windowStart: Date) => "day" | "night";
  /** Night windows starting at or after this see the darker night frames. */
  darkerFrom?: Date;
  /** Prefix of the idempotency keys (keeps two simulations of one version apart). */
  keyPrefix?: string;
};

/** Gateway summaries per cohort and window, drawn from the version's pool; deterministic for the same options. */
export function simulateFcwFleet(pool: FcwPool, o: FcwFleetOptions): TSummary[] {
  const windowMs = o.windowMinutes * 60_000;
  const start = Math.floor(o.start.getTime() / 60_000) * 60_000;
  const out: TSummary[] = [];
  for (let w = 0; w < Math.round((o.hours * 3600_000) / windowMs); w++) {
    const windowStart = new Date(start + w * windowMs);
    const timeOfDay = o.timeOfDay(windowStart);
    const condition: FcwCondition = timeOfDay === "day" ? "day" : o.darkerFrom && windowStart >= o.darkerFrom ? "dark-night" : "night";
    const items = pool[condition];
    for (const [ci, cohort] of o.cohorts.entries()) {
      const rnd = mulberry32(o.seed * 1_000_003 + w * 104_729 + ci * 7919);
      const seen = Array.from({ length: o.framesPerWindow }, () => items[Math.floor(rnd() * items.length)]);
      const errors = seen.filter(() => rnd() < 0.0004).length;
      const latencies = Array.from({ length: seen.length - errors }, () => (o.baseLatencyMs ?? 18) * Math.exp(0.25 * normal(rnd)));
      const numeric = (values: number[], edges: readonly number[]): FeatureSummary => ({
        kind: "numeric",
        edges: [...edges],
        counts: binCounts(values, edges),
      });
      const detections = { vehicle: 0, pedestrian: 0 };
      for (const s of seen) {
        detections.vehicle += s.vehicles;
        detections.pedestrian += s.pedestrians;
      }
      out.push({
        idempotencyKey: `${o.keyPrefix ?? "fcw-sim"}-v${o.version}-${cohort}-${windowStart.toISOString()}`,
        model: FCW_MODEL,
        version: o.version,
        target: "device",
        cohort,
        slice: { timeOfDay },
        windowStart: windowStart.toISOString(),
        windowSeconds: windowMs / 1000,
        requests: seen.length,
        errors,
        latencyMs: { counts: latencyHistogram(latencies) },
        features: {
          // Measured on the frame, with a little per-frame variation (exposure, the pool holds 24 scenes per light).
          brightness: numeric(
            seen.map((s) => Math.min(1, Math.max(0, s.brightness * (1 + 0.04 * normal(rnd))))),
            FCW_EDGES.brightness,
          ),
          // From the vehicle bus, not the camera: seeded, the same for every version.
          speed_kmh: numeric(
            seen.map(() => Math.max(0, 62 + 22 * normal(rnd))),
            FCW_EDGES.speed_kmh,
          ),
        },
        predictions: {
          class: { kind: "categorical", counts: detections },
          pedestrians: numeric(
            seen.map((s) => s.pedestrians),
            FCW_EDGES.perFrame,
          ),
          vehicles: numeric(
            seen.map((s) => s.vehicles),
            FCW_EDGES.perFrame,
          ),
          max_pedestrian_score: numeric(
            seen.map((s) => s.maxPedestrianScore),
            FCW_EDGES.score,
          ),
        },
      });
    }
  }
  return out;
}

/**
 * Forward-collision recall by time of day, measured: the share of ground-truth vehicles the version found on the pool's
 * day and night frames. The manifest-following simulator reports collision outcomes at these rates for FCW.
 */
export async function measuredFcwRecall(version: number): Promise<{ day: number; night: number }> {
  const pool = await fcwPool(version);
  return { day: poolStats(pool.day).vehicleRecall ?? 0, night: poolStats(pool.night).vehicleRecall ?? 0 };
}
