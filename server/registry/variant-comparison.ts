// "Compare with parent": a variant and its parent measured on the same frames in onnxruntime-node — file size, session
// load, inference p50/p95, output difference, box agreement — with the safety metrics of both on the evaluation frames.
// Long to compute, so it is computed once per (variant, parent file, method), stored, and read by every replica; the
// variant's safety evaluation is posted through the usual evaluation path so the safety pages see it like any version.
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { variantComparisons } from "@/db/schema";
import { compareWithParentBlocked } from "@/lib/variants";
import { defaultThresholds, interpret, matchBoxes, type Thresholds } from "@/lib/playground/interpret";
import type { Tensor } from "@/lib/playground/postprocess";
import { preprocess, type Transform } from "@/lib/playground/preprocess";
import { storedBytes, type ArtifactStore } from "@/server/artifacts/store";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Forbidden, PreconditionFailed } from "@/server/errors";
import { loadEvalFrames, type EvalFrame } from "@/server/safety/detector-eval";
import { evalSuiteOf, runAndPostEvaluation, suiteEvaluationId, type EvalSuite } from "@/server/safety/evaluation-run";
import type { Proportion } from "@/server/safety/metrics";
import { getEvaluation } from "@/server/safety/service";
import type { OnnxSummary } from "./onnx";
import { ZManifest, ZSlug, type TManifest } from "./schemas";
import { getVersion } from "./service";
import { inputShape, seededInput } from "./variants";

export const ZVariantRef = z.strictObject({ slug: ZSlug, version: z.number().int().positive() });

/** Bounded so a comparison takes seconds on the demo's models: at most this many frames (or seeded-input runs). */
export const MAX_TIMED_RUNS = 96;
const SEEDED_RUNS = 20;
const WARMUP_RUNS = 3;
const LOAD_RUNS = 3;
/** A claim older than this is taken to be from a replica that died mid-run and may be taken over. */
const STALE_MS = 10 * 60_000;
/** Changing how the comparison is measured changes this, so older stored results are not mistaken for new ones. */
export const COMPARISON_METHOD = `onnxruntime-node 1 thread; ${LOAD_RUNS} loads; ${WARMUP_RUNS} warm-up runs; box IoU 0.5; v1`;

export type SafetyRow = { eventType: string; tp: number; fp: number; fn: number; precision: Proportion | null; recall: Proportion | null };
export type ComparisonSide = {
  version: number;
  sha256: string;
  sizeBytes: number;
  /** Median of LOAD_RUNS session creations. */
  loadMs: number;
  p50Ms: number;
  p95Ms: number;
  /** Whole-dataset rows of the version's recorded evaluation on the suite's frames; null without a suite. */
  safety: SafetyRow[] | null;
  evaluationId: string | null;
};
export type VariantComparison = {
  method: string;
  /** What the timed runs and the output difference ran on, in words. */
  input: string;
  timedRuns: number;
  warmupRuns: number;
  loadRuns: number;
  dataset: string | null;
  parent: ComparisonSide;
  variant: ComparisonSide;
  maxAbsError: number;
  meanAbsError: number;
  /** Share of the parent's boxes matched by a variant box of the same label at IoU >= 0.5, same postprocessing. */
  boxAgreement: { matched: number; total: number; value: number | null } | null;
  computedAt: string;
};
export type ComparisonState =
  | { state: "none"; blocked: string | null }
  | { state: "running"; startedAt: Date; blocked: string | null }
  | { state: "failed"; error: string; finishedAt: Date | null; blocked: string | null }
  | { state: "done"; result: VariantComparison; finishedAt: Date | null; blocked: string | null };

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** Both versions, their files and the rule's verdict for this caller. */
async function pair(db: Db, actor: Actor, input: unknown) {
  const p = ZVariantRef.parse(input);
  const variant = await getVersion(db, p.slug, p.version);
  const parent = variant.parentVersion ? await getVersion(db, p.slug, variant.parentVersion) : null;
  const blocked = compareWithParentBlocked({
    role: actor.role,
    version: p.version,
    parentVersion: variant.parentVersion,
    held: Boolean(variant.artifact),
    parentHeld: Boolean(parent?.artifact),
  });
  return { p, variant, parent, blocked };
}

async function storedRow(db: Db, versionId: string, parentSha256: string) {
  const [row] = await db
    .select()
    .from(variantComparisons)
    .where(
      and(
        eq(variantComparisons.variantVersionId, versionId),
        eq(variantComparisons.parentSha256, parentSha256),
        eq(variantComparisons.method, COMPARISON_METHOD),
      ),
    );
  return row ?? null;
}

function stateOf(row: typeof variantComparisons.$inferSelect | null, blocked: string | null): ComparisonState {
  if (!row) return { state: "none", blocked };
  if (row.status === "done") return { state: "done", result: row.result as VariantComparison, finishedAt: row.finishedAt, blocked };
  if (row.status === "failed") return { state: "failed", error: row.error ?? "The comparison failed", finishedAt: row.finishedAt, blocked };
  return { state: "running", startedAt: row.startedAt, blocked };
}

/** The stored comparison of a variant with its current parent file, or what stands in its way. */
export async function getVariantComparison(db: Db, actor: Actor, input: unknown): Promise<ComparisonState> {
  const { variant, parent, blocked } = await pair(db, actor, input);
  if (!parent?.artifact) return { state: "none", blocked };
  return stateOf(await storedRow(db, variant.version.id, parent.artifact.sha256), blocked);
}

/**
 * Computes and stores the comparison, or returns the stored one (`reused`). A row in state `running` is the claim: a
 * second caller, on this replica or another, gets a Conflict instead of a second computation.
 */
export async function compareWithParent(db: Db, store: ArtifactStore, actor: Actor, input: unknown): Promise<ComparisonState & { reused: boolean }> {
  const { p, variant, parent, blocked } = await pair(db, actor, input);
  if (blocked) throw actor.role === "viewer" ? new Forbidden(blocked) : new PreconditionFailed(blocked);
  const parentArtifact = parent!.artifact!;
  const variantArtifact = variant.artifact!;
  const existing = await storedRow(db, variant.version.id, parentArtifact.sha256);
  if (existing?.status === "done") return { ...stateOf(existing, null), reused: true };

  // Claim: insert, or take over a failed or stale claim; nothing returned means someone else is computing right now.
  const staleBefore = new Date(Date.now() - STALE_MS);
  const [claim] = await db
    .insert(variantComparisons)
    .values({
      variantVersionId: variant.version.id,
      parentSha256: parentArtifact.sha256,
      method: COMPARISON_METHOD,
      status: "running",
      createdBy: actor.userId,
    })
    .onConflictDoUpdate({
      target: [variantComparisons.variantVersionId, variantComparisons.parentSha256, variantComparisons.method],
      set: { status: "running", startedAt: sql`now()`, error: null, result: null, finishedAt: null, createdBy: actor.userId },
      setWhere: sql`${variantComparisons.status} = 'failed' or (${variantComparisons.status} = 'running' and ${variantComparisons.startedAt} < ${staleBefore})`,
    })
    .returning();
  if (!claim) {
    const now = await storedRow(db, variant.version.id, parentArtifact.sha256);
    if (now?.status === "done") return { ...stateOf(now, null), reused: true };
    throw new Conflict("This comparison is being computed right now (started by another request); reload the page in a minute to see it");
  }

  try {
    const manifest = ZManifest.safeParse(variant.version.manifest ?? parent!.version.manifest);
    const suite = evalSuiteOf(p.slug);
    const allFrames = suite && manifest.success ? await loadEvalFrames(db, store, suite.tag) : [];
    const frames = allFrames.slice(0, MAX_TIMED_RUNS);
    const parentBytes = new Uint8Array(await storedBytes(store, parentArtifact.sha256));
    const variantBytes = new Uint8Array(await storedBytes(store, variantArtifact.sha256));
    const measured = frames.length
      ? await measureOnFrames(parentBytes, variantBytes, manifest.data!, frames)
      : await measureOnSeededInput(parentBytes, variantBytes, inputShape(parentArtifact.onnx as OnnxSummary, manifest.success ? manifest.data : null));
    const safety = suite && frames.length ? await safetyOfBoth(db, store, actor, p.slug, parent!.version.number, p.version, allFrames, suite) : null;
    const result: VariantComparison = {
      method: COMPARISON_METHOD,
      input: frames.length
        ? `the first ${frames.length} frames tagged ${suite!.tag}, one run per frame`
        : `one seeded input of shape [${measured.shape.join(", ")}], ${SEEDED_RUNS} runs (no evaluation frames are defined for this model)`,
      timedRuns: measured.timedRuns,
      warmupRuns: WARMUP_RUNS,
      loadRuns: LOAD_RUNS,
      dataset: suite && frames.length ? `${suite.dataset.name}@${suite.dataset.version}` : null,
      parent: {
        version: parent!.version.number,
        sha256: parentArtifact.sha256,
        sizeBytes: parentArtifact.sizeBytes,
        ...measured.parent,
        safety: safety?.parent.rows ?? null,
        evaluationId: safety?.parent.id ?? null,
      },
      variant: {
        version: p.version,
        sha256: variantArtifact.sha256,
        sizeBytes: variantArtifact.sizeBytes,
        ...measured.variant,
        safety: safety?.variant.rows ?? null,
        evaluationId: safety?.variant.id ?? null,
      },
      maxAbsError: measured.maxAbsError,
      meanAbsError: measured.meanAbsError,
      boxAgreement: measured.boxAgreement,
      computedAt: new Date().toISOString(),
    };
    const row = await db.transaction(async (tx) => {
      const [done] = await tx
        .update(variantComparisons)
        .set({ status: "done", result, finishedAt: sql`now()` })
        .where(eq(variantComparisons.id, claim.id))
        .returning();
      await writeAudit(tx, actor, {
        action: "variant_comparison.create",
        entityType: "model_version",
        entityId: `${p.slug}/${p.version}`,
        after: {
          parentVersion: result.parent.version,
          method: COMPARISON_METHOD,
          sizeRatio: result.variant.sizeBytes / result.parent.sizeBytes,
          p50Ratio: result.variant.p50Ms / result.parent.p50Ms,
          boxAgreement: result.boxAgreement?.value ?? null,
          evaluationId: result.variant.evaluationId,
        },
      });
      return done;
    });
    return { ...stateOf(row, null), reused: false };
  } catch (e) {
    // Recorded so the page can say what went wrong and offer a retry; the error itself still reaches the caller.
    const message = e instanceof Error ? e.message : String(e);
    await db
      .update(variantComparisons)
      .set({ status: "failed", error: message.slice(0, 500), finishedAt: sql`now()` })
      .where(eq(variantComparisons.id, claim.id));
    throw e;
  }
}

type Measured = {
  parent: { loadMs: number; p50Ms: number; p95Ms: number };
  variant: { loadMs: number; p50Ms: number; p95Ms: number };
  timedRuns: number;
  maxAbsError: number;
  meanAbsError: number;
  boxAgreement: VariantComparison["boxAgreement"];
  shape: number[];
};

const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, graphOptimizationLevel: "all" };

/** Median session creation over LOAD_RUNS, alternating the two models so neither pays the runtime's first start alone. */
async function loadBoth(parent: Uint8Array, variant: Uint8Array) {
  const times = { parent: [] as number[], variant: [] as number[] };
  for (let i = 0; i < LOAD_RUNS; i++) {
    for (const [k, bytes] of [
      ["parent", parent],
      ["variant", variant],
    ] as const) {
      const t0 = performance.now();
      const s = await ort.InferenceSession.create(bytes, options);
      times[k].push(performance.now() - t0);
      await s.release();
    }
  }
  return { parent: median(times.parent), variant: median(times.variant) };
}

/** Runs both sessions on the same feeds in turn (so machine load hits both alike), timing each run after a warm-up. */
async function runBoth(
  parentBytes: Uint8Array,
  variantBytes: Uint8Array,
  feedsList: () => Iterable<Record<string, ort.Tensor>>,
  onOutputs: (a: ort.InferenceSession.OnnxValueMapType, b: ort.InferenceSession.OnnxValueMapType) => void,
) {
  const load = await loadBoth(parentBytes, variantBytes);
  const a = await ort.InferenceSession.create(parentBytes, options);
  const b = await ort.InferenceSession.create(variantBytes, options);
  const ta: number[] = [];
  const tb: number[] = [];
  try {
    const first = feedsList()[Symbol.iterator]().next().value;
    // Warm-up runs are not passed to onOutputs, so the callback sees exactly the timed runs in order.
    for (let i = 0; first && i < WARMUP_RUNS; i++) {
      await a.run(first);
      await b.run(first);
    }
    for (const feeds of feedsList()) {
      let t0 = performance.now();
      const oa = await a.run(feeds);
      ta.push(performance.now() - t0);
      t0 = performance.now();
      const ob = await b.run(feeds);
      tb.push(performance.now() - t0);
      onOutputs(oa, ob);
    }
  } finally {
    await a.release();
    await b.release();
  }
  const sa = [...ta].sort((x, y) => x - y);
  const sb = [...tb].sort((x, y) => x - y);
  return {
    parent: { loadMs: load.parent, p50Ms: quantile(sa, 0.5), p95Ms: quantile(sa, 0.95) },
    variant: { loadMs: load.variant, p50Ms: quantile(sb, 0.5), p95Ms: quantile(sb, 0.95) },
    timedRuns: ta.length,
  };
}

/** Accumulates |a - b| over every output tensor of every run. */
function errorMeter() {
  let max = 0;
  let sum = 0;
  let n = 0;
  return {
    add(a: ort.InferenceSession.OnnxValueMapType, b: ort.InferenceSession.OnnxValueMapType) {
      for (const k of Object.keys(a)) {
        const x = a[k].data as Float32Array;
        const y = b[k]?.data as Float32Array | undefined;
        if (!y || y.length !== x.length) throw new PreconditionFailed(`The variant's output ${k} has another shape than its parent's; they cannot be compared`);
        for (let i = 0; i < x.length; i++) {
          const d = Math.abs(x[i] - y[i]);
          if (d > max) max = d;
          sum += d;
        }
        n += x.length;
      }
    },
    get: () => ({ maxAbsError: max, meanAbsError: n ? sum / n : 0 }),
  };
}

/**
 * How many of the parent's boxes the variant also finds on one frame: the parent's boxes play the ground truth, with
 * the safety evaluation's one-to-one matching at IoU >= 0.5, label by label. Null when the outputs are not boxes.
 */
export function boxAgreement(
  manifest: Pick<TManifest, "labels" | "postprocess">,
  parent: Record<string, Tensor>,
  variant: Record<string, Tensor>,
  transform: Transform,
  th: Thresholds,
): { matched: number; total: number } | null {
  const ra = interpret(manifest, parent, transform, th);
  const rb = interpret(manifest, variant, transform, th);
  if (ra.kind !== "boxes" || rb.kind !== "boxes") return null;
  let matched = 0;
  let total = 0;
  for (const label of new Set(ra.boxes.map((x) => x.label))) {
    const m = matchBoxes(
      rb.boxes.filter((x) => x.label === label),
      ra.boxes.filter((x) => x.label === label),
      0.5,
    );
    matched += m.matches.length;
    total += m.matches.length + m.misses.length;
  }
  return { matched, total };
}

const tensors = (o: ort.InferenceSession.OnnxValueMapType): Record<string, Tensor> =>
  Object.fromEntries(Object.entries(o).map(([k, t]) => [k, { data: t.data as Float32Array, dims: [...t.dims] }]));

async function measureOnFrames(parentBytes: Uint8Array, variantBytes: Uint8Array, manifest: TManifest, frames: EvalFrame[]): Promise<Measured> {
  const pre = frames.map((f) => preprocess(f.image, manifest.input));
  const th = defaultThresholds(manifest.postprocess);
  const err = errorMeter();
  let matched = 0;
  let total = 0;
  let decodes = true;
  let i = 0;
  const timing = await runBoth(
    parentBytes,
    variantBytes,
    () => pre.map((x) => ({ [manifest.input.name]: new ort.Tensor("float32", x.data, x.dims) })),
    (a, b) => {
      err.add(a, b);
      const transform = pre[i++ % pre.length].transform;
      if (!decodes) return;
      const agree = boxAgreement(manifest, tensors(a), tensors(b), transform, th);
      if (!agree) {
        decodes = false;
        return;
      }
      matched += agree.matched;
      total += agree.total;
    },
  );
  return { ...timing, ...err.get(), boxAgreement: decodes ? { matched, total, value: total ? matched / total : null } : null, shape: pre[0]?.dims ?? [] };
}

async function measureOnSeededInput(parentBytes: Uint8Array, variantBytes: Uint8Array, shape: number[]): Promise<Measured> {
  const x = seededInput(shape.reduce((a, b) => a * b, 1));
  const probe = await ort.InferenceSession.create(parentBytes, options);
  const name = probe.inputNames[0];
  await probe.release();
  const err = errorMeter();
  const timing = await runBoth(
    parentBytes,
    variantBytes,
    function* () {
      for (let i = 0; i < SEEDED_RUNS; i++) yield { [name]: new ort.Tensor("float32", x, shape) };
    },
    (a, b) => err.add(a, b),
  );
  return { ...timing, ...err.get(), boxAgreement: null, shape };
}

/** Each version's recorded evaluation on the suite, running and posting it first where none was recorded. */
async function safetyOfBoth(db: Db, store: ArtifactStore, actor: Actor, slug: string, parent: number, variant: number, frames: EvalFrame[], suite: EvalSuite) {
  const side = async (version: number) => {
    const id = (await suiteEvaluationId(db, slug, version, suite)) ?? (await runAndPostEvaluation(db, store, actor, slug, version, frames, suite)).id;
    const ev = await getEvaluation(db, id);
    const rows = ev.results
      .filter((r) => r.slice.dimension === "all")
      .map((r) => ({ eventType: r.eventType, tp: r.tp, fp: r.fp, fn: r.fn, precision: r.precision, recall: r.recall }));
    return { id, rows };
  };
  return { parent: await side(parent), variant: await side(variant) };
}
