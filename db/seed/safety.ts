// Demo safety evaluations: per event type and slice for the demo safety models, generated from a
// seeded PRNG so every database gets the same numbers; posted through the service like a job would.
import type { Db } from "@/db/client";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { mulberry32 } from "@/server/registry/camera-health-model";
import type { EventType, SliceDimension, TPostEvaluation } from "@/server/safety/schemas";
import { postEvaluation } from "@/server/safety/service";

export const DEMO_DATASET = { name: "fleet-eval-2025q3", version: "1" };

type Row = TPostEvaluation["results"][number];
/** Per slice value: share of the data and the recall / precision offset against the event's base rates. */
type SliceSpec = { value: string; share: number; recall: number; precision: number };

const SLICES: Record<Exclude<SliceDimension, "all">, SliceSpec[]> = {
  time_of_day: [
    { value: "day", share: 0.68, recall: 0.012, precision: 0.01 },
    { value: "night", share: 0.32, recall: -0.03, precision: -0.02 },
  ],
  weather: [
    { value: "clear", share: 0.71, recall: 0.01, precision: 0.01 },
    { value: "rain", share: 0.21, recall: -0.02, precision: -0.03 },
    { value: "snow", share: 0.08, recall: -0.05, precision: -0.02 },
  ],
  region: [
    { value: "eu", share: 0.45, recall: 0.004, precision: 0 },
    { value: "us", share: 0.4, recall: 0, precision: 0.004 },
    { value: "apac", share: 0.15, recall: -0.02, precision: -0.01 },
  ],
  camera_model: [
    { value: "cam-g2", share: 0.35, recall: -0.015, precision: -0.01 },
    { value: "cam-g3", share: 0.65, recall: 0.008, precision: 0.006 },
  ],
};

/** A release's change against its predecessor, per slice: the story the demo tells. */
type Release = { version: number; recall: number; precision: number; tweak?: Record<string, { recall?: number; precision?: number }> };
type DemoModel = { slug: string; events: { eventType: EventType; positives: number; hoursPerPositive: number }[]; releases: Release[] };

const DEMO: DemoModel[] = [
  {
    slug: "forward-collision-warning",
    events: [
      { eventType: "forward-collision-warning", positives: 2400, hoursPerPositive: 5 },
      { eventType: "tailgating", positives: 1800, hoursPerPositive: 6.5 },
    ],
    releases: [
      { version: 1, recall: 0.912, precision: 0.874 },
      { version: 2, recall: 0.931, precision: 0.889 },
      // v13 (candidate): level overall, but misses more at night and raises more false alerts in rain.
      { version: 3, recall: 0.955, precision: 0.884, tweak: { night: { recall: -0.075 }, rain: { precision: -0.07 } } },
    ],
  },
  {
    slug: "distracted-driving",
    events: [
      { eventType: "distracted-driving", positives: 3000, hoursPerPositive: 3 },
      { eventType: "phone-use", positives: 1400, hoursPerPositive: 7 },
      { eventType: "drowsiness", positives: 600, hoursPerPositive: 16 },
    ],
    releases: [
      { version: 1, recall: 0.884, precision: 0.902 },
      // A small drop on the older camera: within noise, so not marked.
      { version: 2, recall: 0.897, precision: 0.9, tweak: { "cam-g2": { recall: -0.018 } } },
    ],
  },
  {
    slug: "seatbelt",
    events: [{ eventType: "seatbelt", positives: 2000, hoursPerPositive: 4 }],
    releases: [{ version: 1, recall: 0.951, precision: 0.938 }],
  },
];

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Splits `total` over shares in whole numbers that add up exactly (largest remainders go last). */
function split(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  parts[parts.length - 1] += total - parts.reduce((a, b) => a + b, 0);
  return parts;
}

/** Rows for one event type and release, consistent by construction: each dimension's slices add up to the whole. */
export function demoRows(eventType: EventType, positives: number, hoursPerPositive: number, release: Release, seed: number): Row[] {
  const rnd = mulberry32(seed);
  const jitter = (scale: number) => (rnd() - 0.5) * 2 * scale;
  const hours = Math.round(positives * hoursPerPositive);
  const rows: Row[] = [];
  const perDimension: Row[][] = [];
  for (const [dimension, specs] of Object.entries(SLICES) as [Exclude<SliceDimension, "all">, SliceSpec[]][]) {
    const pos = split(positives, specs.map((s) => s.share));
    const hrs = split(hours, specs.map((s) => s.share));
    perDimension.push(
      specs.map((s, i) => {
        const t = release.tweak?.[s.value] ?? {};
        const recall = clamp(release.recall + s.recall + (t.recall ?? 0) + jitter(0.004), 0.5, 0.995);
        const precision = clamp(release.precision + s.precision + (t.precision ?? 0) + jitter(0.004), 0.5, 0.995);
        const tp = Math.round(pos[i] * recall);
        const fp = Math.round((tp * (1 - precision)) / precision);
        return { eventType, slice: { dimension, value: s.value }, tp, fp, fn: pos[i] - tp, drivingHours: hrs[i] };
      }),
    );
  }
  // The whole dataset is the time-of-day partition's sum; other dimensions are scaled onto it so their slices add up too.
  const [base, ...others] = perDimension;
  const whole = { tp: sum(base, "tp"), fp: sum(base, "fp"), fn: sum(base, "fn") };
  rows.push({ eventType, tp: whole.tp, fp: whole.fp, fn: whole.fn, drivingHours: hours }, ...base);
  for (const dim of others) {
    const tp = split(whole.tp, dim.map((r) => r.tp));
    const fp = split(whole.fp, dim.map((r) => r.fp));
    const fn = split(whole.fn, dim.map((r) => r.fn));
    rows.push(...dim.map((r, i) => ({ ...r, tp: tp[i], fp: fp[i], fn: fn[i] })));
  }
  return rows;
}

function sum(rows: Row[], f: "tp" | "fp" | "fn"): number {
  return rows.reduce((a, r) => a + r[f], 0);
}

export async function seedSafety(db: Db): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  let seed = 9000;
  for (const m of DEMO) {
    for (const release of m.releases) {
      const results = m.events.flatMap((e) => demoRows(e.eventType, e.positives, e.hoursPerPositive, release, seed++));
      await postEvaluation(db, actor, { model: m.slug, version: release.version, dataset: DEMO_DATASET, source: "demo", notes: "Demo data: generated by the demo seed.", results });
    }
  }
}
