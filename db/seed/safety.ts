// Demo safety evaluations: per event type and slice for the demo safety models, generated from a
// seeded PRNG so every database gets the same numbers; posted through the service like a job would.
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { evaluationResults, evaluations, modelAliases, models, modelVersions, sampleFrames, type ConfusionMatrix, type SweepPoint } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { mulberry32 } from "@/lib/prng";
import { ZConfusionMatrix, ZExample, ZSweep, type EventType, type SliceDimension, type TPostEvaluation } from "@/server/safety/schemas";
import { postEvaluation } from "@/server/safety/service";
import { LATENCY_BUCKETS } from "@/server/telemetry/histogram";
import type { TSummary } from "@/server/telemetry/schemas";
import { ingestSummaries } from "@/server/telemetry/service";

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
    const pos = split(
      positives,
      specs.map((s) => s.share),
    );
    const hrs = split(
      hours,
      specs.map((s) => s.share),
    );
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
    const tp = split(
      whole.tp,
      dim.map((r) => r.tp),
    );
    const fp = split(
      whole.fp,
      dim.map((r) => r.fp),
    );
    const fn = split(
      whole.fn,
      dim.map((r) => r.fn),
    );
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
      await postEvaluation(db, actor, {
        model: m.slug,
        version: release.version,
        dataset: DEMO_DATASET,
        source: "demo",
        notes: "Demo data: generated by the demo seed.",
        results,
      });
    }
  }
}

/** Thresholds 0.05 … 0.95 with the operating point at 0.5 (index 9). */
const SWEEP_THRESHOLDS = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);

/**
 * A demo score sweep through the whole-dataset counts at threshold 0.5: recall falls and false
 * alerts fall exponentially as the threshold rises, so TP and FP are non-increasing and TP + FN constant.
 */
export function demoSweep(whole: { tp: number; fp: number; fn: number }): SweepPoint[] {
  const positives = whole.tp + whole.fn;
  const missRate = whole.fn / positives;
  return SWEEP_THRESHOLDS.map((threshold) => {
    const tp = threshold === 0.5 ? whole.tp : Math.max(0, Math.round(positives * (1 - Math.min(1, missRate * Math.exp(4 * (threshold - 0.5))))));
    const fp = threshold === 0.5 ? whole.fp : Math.round(whole.fp * Math.exp(-5 * (threshold - 0.5)));
    return { threshold, tp, fp, fn: positives - tp };
  });
}

/** A diagonal-heavy confusion matrix whose per-class recall is near `recall`. */
export function demoConfusion(name: string, labels: string[], support: number[], recall: number, seed: number): ConfusionMatrix {
  const rnd = mulberry32(seed);
  const matrix = labels.map((_, i) => {
    const right = Math.round(support[i] * clamp(recall + (rnd() - 0.5) * 0.04, 0.5, 0.995));
    const wrong = split(
      support[i] - right,
      labels.slice(1).map(() => 1 + rnd()),
    );
    return labels.map((__, j) => (j === i ? right : wrong[j < i ? j : j - 1]));
  });
  return { name, labels, matrix };
}

const CLASSIFIERS: Record<string, { name: string; labels: string[]; support: number[] }> = {
  "distracted-driving": { name: "driver state", labels: ["attentive", "distracted", "phone-use", "drowsy"], support: [5200, 3000, 1400, 600] },
  seatbelt: { name: "belt state", labels: ["fastened", "unfastened", "obstructed"], support: [6100, 2000, 450] },
};

/** Example frames per release: [event type, frame name, outcome]. FCW's are computed (db/seed/fcw.ts), not listed here. */
const EXAMPLES: Record<string, Record<number, [EventType, string, "fp" | "fn"][]>> = {};

/**
 * Sweeps, confusion matrices (classifiers) and example frames for the demo evaluations, added in
 * place so databases seeded before they existed gain them. Validated with the same schemas as a post.
 */
export async function seedSafetyExtras(db: Db): Promise<void> {
  const demo = await db
    .select({ id: evaluations.id, slug: models.slug, version: modelVersions.number })
    .from(evaluations)
    .innerJoin(models, eq(models.id, evaluations.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, evaluations.versionId))
    .where(eq(evaluations.source, "demo"));
  const frames = new Map(
    (
      await db
        .select({ id: sampleFrames.id, name: sampleFrames.name, width: sampleFrames.width, height: sampleFrames.height, gt: sampleFrames.groundTruth })
        .from(sampleFrames)
        .where(eq(sampleFrames.source, "generated"))
    ).map((f) => [f.name, f]),
  );
  let seed = 9500;
  for (const ev of demo) {
    const whole = await db
      .select()
      .from(evaluationResults)
      .where(and(eq(evaluationResults.evaluationId, ev.id), eq(evaluationResults.sliceDimension, "all")));
    const sweeps = whole.map((r) => ZSweep.parse({ eventType: r.eventType, points: demoSweep(r) }));
    const cls = CLASSIFIERS[ev.slug];
    const recall = whole.length ? whole.reduce((a, r) => a + r.tp, 0) / whole.reduce((a, r) => a + r.tp + r.fn, 0) : 0.9;
    const confusionMatrices = cls ? [ZConfusionMatrix.parse(demoConfusion(cls.name, cls.labels, cls.support, recall, seed++))] : [];
    const examples = (EXAMPLES[ev.slug]?.[ev.version] ?? []).flatMap(([eventType, name, outcome]) => {
      const f = frames.get(name);
      if (!f) return [];
      // A miss outlines the lead vehicle (the largest true box); a false alert a patch of empty road.
      const lead = [...(f.gt?.boxes ?? [])].filter((b) => b.text === undefined).sort((a, b) => b.w * b.h - a.w * a.h)[0];
      const box =
        outcome === "fn" && lead
          ? { x: lead.x, y: lead.y, w: lead.w, h: lead.h }
          : { x: Math.round(f.width * 0.62), y: Math.round(f.height * 0.52), w: Math.round(f.width * 0.14), h: Math.round(f.height * 0.12) };
      return [ZExample.parse({ eventType, frameId: f.id, outcome, box })];
    });
    await db.update(evaluations).set({ sweeps, confusionMatrices, examples }).where(eq(evaluations.id, ev.id));
  }
}

/** Field recall and precision per demo model: FCW misses more on the road than in the lab, the others agree. */
const FIELD: Record<string, { events: { eventType: EventType; perDay: number }[]; recall: number; precision: number }> = {
  "forward-collision-warning": {
    events: [
      { eventType: "forward-collision-warning", perDay: 60 },
      { eventType: "tailgating", perDay: 45 },
    ],
    recall: 0.87,
    precision: 0.885,
  },
  "distracted-driving": {
    events: [
      { eventType: "distracted-driving", perDay: 80 },
      { eventType: "phone-use", perDay: 35 },
      { eventType: "drowsiness", perDay: 15 },
    ],
    recall: 0.882,
    precision: 0.9,
  },
  seatbelt: { events: [{ eventType: "seatbelt", perDay: 50 }], recall: 0.948, precision: 0.936 },
};

/**
 * Eight weeks of daily reviewed-outcome telemetry (TP/FP/FN per event type) for the production
 * versions, posted through the telemetry ingest like a fleet would; cohort "reviewed", demo data.
 */
export async function seedSafetyField(db: Db, now = new Date()): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const prod = await db
    .select({ slug: models.slug, version: modelVersions.number })
    .from(modelAliases)
    .innerJoin(models, eq(models.id, modelAliases.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(eq(modelAliases.alias, "production"));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const DAYS = 56;
  const summaries: TSummary[] = [];
  let seed = 9700;
  for (const { slug, version } of prod) {
    const spec = FIELD[slug];
    if (!spec) continue;
    const rnd = mulberry32(seed++);
    for (let d = DAYS; d >= 1; d--) {
      const outcomes: Record<string, { tp: number; fp: number; fn: number }> = {};
      for (const e of spec.events) {
        const positives = Math.round(e.perDay * (0.8 + rnd() * 0.4));
        const tp = Math.round(positives * clamp(spec.recall + (rnd() - 0.5) * 0.04, 0, 1));
        outcomes[e.eventType] = { tp, fp: Math.round((tp * (1 - spec.precision)) / spec.precision + (rnd() - 0.5) * 2), fn: positives - tp };
      }
      const reviewed = Object.values(outcomes).reduce((a, o) => a + o.tp + o.fp, 0);
      summaries.push({
        idempotencyKey: `demo-field-${slug}-${version}-${d}`,
        model: slug,
        version,
        target: "device",
        cohort: "reviewed",
        windowStart: new Date(today - d * 86_400_000).toISOString(),
        windowSeconds: 86_400,
        requests: reviewed,
        errors: 0,
        latencyMs: { counts: new Array(LATENCY_BUCKETS).fill(0) },
        outcomes,
      });
    }
  }
  if (summaries.length) await ingestSummaries(db, actor, { summaries }, { now, maxLatenessMs: (DAYS + 2) * 86_400_000 });
}
