// Safety review services: evaluation posts, the overview and release review, sign-offs, reviewer permissions.
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import {
  deploymentEvents,
  deployments,
  deploymentTargets,
  evaluationResults,
  evaluations,
  modelAliases,
  models,
  modelVersions,
  safetySignOffs,
  sampleFrames,
  userPermissions,
  users,
  type EvaluationExample,
  type EvaluationSweep,
} from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Conflict, Forbidden, Invalid, NotFound, PreconditionFailed } from "@/server/errors";
import { modelBySlug } from "@/server/registry/lookup";
import { getVersion } from "@/server/registry/service";
import { agreement, fieldMetrics, type Agreement, type FieldSeries, type FieldWeek } from "./field";
import { confusionRates, prCurve, proportion, rates, verdict, type Counts, type Proportion, type Rates, type Verdict } from "./metrics";
import { canManageReviewers, canSignOff, canWithdrawSignOff } from "./policy";
import { ZGrantPermission, ZPostEvaluation, ZReviewQuery, ZSignOff, ZWithdrawSignOff, type Permission, type SliceDimension } from "./schemas";

export const SAFETY_REVIEWER: Permission = "safety_reviewer";

type ResultRow = typeof evaluationResults.$inferSelect;
type EvaluationHead = { id: string; versionId: string; version: number; datasetName: string; datasetVersion: string; createdAt: Date; source: string };

/** "name@version", or the name alone when the dataset has no version. */
export function datasetLabel(name: string, version: string): string {
  return version ? `${name}@${version}` : name;
}
function sameDataset(e: { datasetName: string; datasetVersion: string }, label: string): boolean {
  return datasetLabel(e.datasetName, e.datasetVersion) === label;
}

function countsOf(r: ResultRow): Counts {
  return { tp: r.tp, fp: r.fp, fn: r.fn, tn: r.tn, drivingHours: r.drivingHours };
}

export async function postEvaluation(db: Db, actor: Actor, input: unknown) {
  const data = ZPostEvaluation.parse(input);
  const id = await db.transaction(async (tx) => {
    const { model, version } = await getVersion(tx, data.model, data.version);
    await checkExampleFrames(tx, data.examples);
    const [ev] = await tx
      .insert(evaluations)
      .values({
        modelId: model.id,
        versionId: version.id,
        datasetName: data.dataset.name,
        datasetVersion: data.dataset.version,
        source: data.source,
        notes: data.notes,
        sweeps: data.sweeps,
        confusionMatrices: data.confusionMatrices,
        examples: data.examples,
        createdBy: actor.userId,
      })
      .returning();
    await tx.insert(evaluationResults).values(
      data.results.map((r) => ({
        evaluationId: ev.id,
        eventType: r.eventType,
        sliceDimension: r.slice.dimension,
        sliceValue: r.slice.value,
        tp: r.tp,
        fp: r.fp,
        fn: r.fn,
        tn: r.tn ?? null,
        drivingHours: r.drivingHours ?? null,
      })),
    );
    await writeAudit(tx, actor, {
      action: "evaluation.create",
      entityType: "model_version",
      entityId: `${data.model}/${data.version}`,
      after: {
        evaluationId: ev.id,
        dataset: datasetLabel(ev.datasetName, ev.datasetVersion),
        rows: data.results.length,
        sweeps: data.sweeps.length,
        confusionMatrices: data.confusionMatrices.length,
        examples: data.examples.length,
        source: ev.source,
      },
    });
    return ev.id;
  });
  return getEvaluation(db, id);
}

/** Example frames must exist in the frame library; the first unknown one is named by its position. */
async function checkExampleFrames(db: Db, examples: readonly EvaluationExample[]) {
  if (!examples.length) return;
  const ids = [...new Set(examples.map((e) => e.frameId))];
  const found = new Set((await db.select({ id: sampleFrames.id }).from(sampleFrames).where(inArray(sampleFrames.id, ids))).map((r) => r.id));
  const i = examples.findIndex((e) => !found.has(e.frameId));
  if (i >= 0)
    throw new Invalid(`examples.${i}.frameId: no frame ${examples[i].frameId} in the frame library; nothing was written`, {
      issues: [{ path: `examples.${i}.frameId`, message: "Unknown frame" }],
    });
}

export async function getEvaluation(db: Db, id: string) {
  const [row] = await db
    .select({ evaluation: evaluations, slug: models.slug, version: modelVersions.number })
    .from(evaluations)
    .innerJoin(models, eq(models.id, evaluations.modelId))
    .innerJoin(modelVersions, eq(modelVersions.id, evaluations.versionId))
    .where(eq(evaluations.id, id));
  if (!row) throw new NotFound("Evaluation");
  const results = await db
    .select()
    .from(evaluationResults)
    .where(eq(evaluationResults.evaluationId, id))
    .orderBy(asc(evaluationResults.eventType), asc(evaluationResults.sliceDimension), asc(evaluationResults.sliceValue));
  const e = row.evaluation;
  return {
    id: e.id,
    model: row.slug,
    version: row.version,
    dataset: datasetLabel(e.datasetName, e.datasetVersion),
    source: e.source,
    createdAt: e.createdAt,
    sweeps: e.sweeps,
    confusionMatrices: e.confusionMatrices,
    examples: e.examples,
    results: results.map((r) => ({
      eventType: r.eventType,
      slice: { dimension: r.sliceDimension, value: r.sliceValue },
      ...countsOf(r),
      ...rates(countsOf(r)),
    })),
  };
}

/** The latest evaluation of each version of a model on each dataset. */
async function latestEvaluations(db: Db, modelIds: string[]): Promise<(EvaluationHead & { modelId: string })[]> {
  if (!modelIds.length) return [];
  return db
    .selectDistinctOn([evaluations.versionId, evaluations.datasetName, evaluations.datasetVersion], {
      id: evaluations.id,
      modelId: evaluations.modelId,
      versionId: evaluations.versionId,
      version: modelVersions.number,
      datasetName: evaluations.datasetName,
      datasetVersion: evaluations.datasetVersion,
      createdAt: evaluations.createdAt,
      source: evaluations.source,
    })
    .from(evaluations)
    .innerJoin(modelVersions, eq(modelVersions.id, evaluations.versionId))
    .where(inArray(evaluations.modelId, modelIds))
    .orderBy(evaluations.versionId, evaluations.datasetName, evaluations.datasetVersion, desc(evaluations.createdAt));
}

async function resultsOf(db: Db, evaluationIds: string[]): Promise<Map<string, ResultRow[]>> {
  const out = new Map<string, ResultRow[]>();
  if (!evaluationIds.length) return out;
  const rows = await db.select().from(evaluationResults).where(inArray(evaluationResults.evaluationId, evaluationIds));
  for (const r of rows) (out.get(r.evaluationId) ?? out.set(r.evaluationId, []).get(r.evaluationId)!).push(r);
  return out;
}

async function productionVersions(db: Db, modelIds: string[]): Promise<Map<string, number>> {
  if (!modelIds.length) return new Map();
  const rows = await db
    .select({ modelId: modelAliases.modelId, number: modelVersions.number })
    .from(modelAliases)
    .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
    .where(and(inArray(modelAliases.modelId, modelIds), eq(modelAliases.alias, "production")));
  return new Map(rows.map((r) => [r.modelId, r.number]));
}

export type SliceComparison = {
  eventType: string;
  dimension: SliceDimension | string;
  value: string;
  candidate: (Counts & Rates) | null;
  production: (Counts & Rates) | null;
  recall: { verdict: Verdict; delta: { delta: number; lo: number; hi: number } | null };
  precision: { verdict: Verdict; delta: { delta: number; lo: number; hi: number } | null };
  falseAlertsDelta: number | null;
  regressed: boolean;
};

/** Candidate and production rows side by side, keyed by event type and slice; pure. */
export function compareResults(candidate: ResultRow[], production: ResultRow[] | null): SliceComparison[] {
  const key = (r: ResultRow) => `${r.eventType}|${r.sliceDimension}|${r.sliceValue}`;
  const prod = new Map((production ?? []).map((r) => [key(r), r]));
  const cand = new Map(candidate.map((r) => [key(r), r]));
  const keys = [...new Set([...cand.keys(), ...prod.keys()])];
  const dimOrder = ["all", "time_of_day", "weather", "region", "camera_model"];
  keys.sort((a, b) => {
    const [ea, da, va] = a.split("|");
    const [eb, db, vb] = b.split("|");
    return ea.localeCompare(eb) || dimOrder.indexOf(da) - dimOrder.indexOf(db) || va.localeCompare(vb);
  });
  return keys.map((k) => {
    const [eventType, dimension, value] = k.split("|");
    const c = cand.get(k);
    const p = prod.get(k);
    const cr = c ? { ...countsOf(c), ...rates(countsOf(c)) } : null;
    const pr = p ? { ...countsOf(p), ...rates(countsOf(p)) } : null;
    const recall = verdict(cr?.recall ?? null, pr?.recall ?? null);
    const precision = verdict(cr?.precision ?? null, pr?.precision ?? null);
    const fa = cr?.falseAlertsPer1kHours != null && pr?.falseAlertsPer1kHours != null ? cr.falseAlertsPer1kHours - pr.falseAlertsPer1kHours : null;
    return {
      eventType,
      dimension,
      value,
      candidate: cr,
      production: pr,
      recall,
      precision,
      falseAlertsDelta: fa,
      regressed: recall.verdict === "regressed" || precision.verdict === "regressed",
    };
  });
}

export type ReleaseReview = Awaited<ReturnType<typeof releaseReview>>;

/** Candidate against production on one dataset, per event type and slice, with the sign-off history. */
export async function releaseReview(db: Db, input: unknown, now = new Date()) {
  const q = ZReviewQuery.parse(input);
  const model = await modelBySlug(db, q.slug);
  const { version: candidateVersion } = await getVersion(db, q.slug, q.candidate);
  const [heads, prodMap] = await Promise.all([latestEvaluations(db, [model.id]), productionVersions(db, [model.id])]);
  const productionNumber = prodMap.get(model.id) ?? null;
  const candidateHeads = heads.filter((h) => h.version === q.candidate).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const productionHeads =
    productionNumber === null ? [] : heads.filter((h) => h.version === productionNumber).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const datasets = [...new Set(candidateHeads.map((h) => datasetLabel(h.datasetName, h.datasetVersion)))];
  // Prefer the dataset production was last measured on, so the two columns are comparable.
  const dataset =
    q.dataset ?? productionHeads.map((h) => datasetLabel(h.datasetName, h.datasetVersion)).find((d) => datasets.includes(d)) ?? datasets[0] ?? null;
  const candidateEval = dataset ? (candidateHeads.find((h) => sameDataset(h, dataset)) ?? null) : null;
  const productionEval = dataset && productionNumber !== q.candidate ? (productionHeads.find((h) => sameDataset(h, dataset)) ?? null) : null;
  const results = await resultsOf(
    db,
    [candidateEval?.id, productionEval?.id].filter((x): x is string => Boolean(x)),
  );
  const rows = candidateEval ? compareResults(results.get(candidateEval.id) ?? [], productionEval ? (results.get(productionEval.id) ?? []) : null) : [];
  const [signOffs, extras, field, shipped] = await Promise.all([
    listSignOffs(db, q.slug, q.candidate),
    extrasOf(db, [candidateEval?.id, productionEval?.id]),
    fieldMetrics(db, [model.id], now),
    shippedWithoutSignOff(db, { slug: q.slug, version: q.candidate }),
  ]);
  const candidateExtras = candidateEval ? extras.get(candidateEval.id) : undefined;
  const productionExtras = productionEval ? extras.get(productionEval.id) : undefined;
  return {
    model: { slug: model.slug, name: model.name, team: model.team },
    candidate: {
      version: q.candidate,
      status: candidateVersion.status,
      evaluationId: candidateEval?.id ?? null,
      evaluatedAt: candidateEval?.createdAt ?? null,
    },
    production:
      productionNumber === null
        ? null
        : { version: productionNumber, evaluationId: productionEval?.id ?? null, evaluatedAt: productionEval?.createdAt ?? null },
    dataset,
    datasets,
    rows,
    regressions: rows
      .filter((r) => r.regressed)
      .map((r) => ({ eventType: r.eventType, dimension: r.dimension, value: r.value, recall: r.recall.verdict, precision: r.precision.verdict })),
    curves: curvesOf(rows, candidateExtras?.sweeps ?? [], productionExtras?.sweeps ?? []),
    confusion:
      model.task === "classification"
        ? (candidateExtras?.confusionMatrices ?? []).map((c) => {
            const p = productionExtras?.confusionMatrices.find((x) => x.name === c.name);
            return {
              name: c.name,
              candidate: { ...c, ...confusionRates(c.labels, c.matrix) },
              production: p ? { ...p, ...confusionRates(p.labels, p.matrix) } : null,
            };
          })
        : [],
    field: fieldBesideLab(rows, field, q.candidate, productionNumber),
    newExamples: await newExamples(db, candidateExtras?.examples ?? [], productionExtras?.examples ?? []),
    signOffs,
    latestSignOff: signOffs[0] ?? null,
    /** Admin overrides that took this version past a missing sign-off. */
    shippedWithoutSignOff: shipped,
  };
}

export type FieldBesideLab = {
  eventType: string;
  version: number;
  role: "candidate" | "production";
  lab: { recall: Proportion | null; precision: Proportion | null } | null;
  pooled: FieldWeek;
  weeks: FieldWeek[];
  recall: Agreement;
  precision: Agreement;
};

/** Each version's field numbers (pooled over recent weeks) beside its lab numbers on the whole dataset; pure. */
export function fieldBesideLab(rows: SliceComparison[], field: FieldSeries[], candidate: number, production: number | null): FieldBesideLab[] {
  const versions = [
    { version: candidate, role: "candidate" as const },
    ...(production !== null && production !== candidate ? [{ version: production, role: "production" as const }] : []),
  ];
  return versions.flatMap(({ version, role }) =>
    field
      .filter((f) => f.version === version && f.pooled)
      .sort((a, b) => a.eventType.localeCompare(b.eventType))
      .map((f) => {
        const whole = rows.find((r) => r.eventType === f.eventType && r.dimension === "all");
        const lab = role === "candidate" ? whole?.candidate : whole?.production;
        return {
          eventType: f.eventType,
          version,
          role,
          lab: lab ? { recall: lab.recall, precision: lab.precision } : null,
          pooled: f.pooled!,
          weeks: f.weeks,
          recall: agreement(lab?.recall, f.pooled!.recall),
          precision: agreement(lab?.precision, f.pooled!.precision),
        };
      }),
  );
}

async function extrasOf(db: Db, ids: (string | undefined)[]) {
  const wanted = ids.filter((x): x is string => Boolean(x));
  if (!wanted.length) return new Map<string, Pick<typeof evaluations.$inferSelect, "sweeps" | "confusionMatrices" | "examples">>();
  const rows = await db
    .select({ id: evaluations.id, sweeps: evaluations.sweeps, confusionMatrices: evaluations.confusionMatrices, examples: evaluations.examples })
    .from(evaluations)
    .where(inArray(evaluations.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

export type CurveComparison = {
  eventType: string;
  candidate: { points: ReturnType<typeof prCurve>; operating: { recall: number; precision: number } | null } | null;
  production: { points: ReturnType<typeof prCurve>; operating: { recall: number; precision: number } | null } | null;
};

/** PR curves per event type with sweeps, each with its operating point (the whole-dataset row); pure. */
export function curvesOf(rows: SliceComparison[], candidate: EvaluationSweep[], production: EvaluationSweep[]): CurveComparison[] {
  const types = [...new Set([...candidate, ...production].map((s) => s.eventType))].sort();
  const operating = (r: (Counts & Rates) | null | undefined) => (r?.recall && r.precision ? { recall: r.recall.value, precision: r.precision.value } : null);
  return types.map((eventType) => {
    const whole = rows.find((r) => r.eventType === eventType && r.dimension === "all");
    const c = candidate.find((s) => s.eventType === eventType);
    const p = production.find((s) => s.eventType === eventType);
    return {
      eventType,
      candidate: c ? { points: prCurve(c.points), operating: operating(whole?.candidate) } : null,
      production: p ? { points: prCurve(p.points), operating: operating(whole?.production) } : null,
    };
  });
}

/** The candidate's example frames that production's evaluation does not list: its new false alerts and misses. */
async function newExamples(db: Db, candidate: EvaluationExample[], production: EvaluationExample[]) {
  const key = (e: EvaluationExample) => `${e.eventType}|${e.frameId}|${e.outcome}`;
  const old = new Set(production.map(key));
  const fresh = candidate.filter((e) => !old.has(key(e))).slice(0, 48);
  if (!fresh.length) return [];
  const frames = await db
    .select({ id: sampleFrames.id, name: sampleFrames.name, width: sampleFrames.width, height: sampleFrames.height, groundTruth: sampleFrames.groundTruth })
    .from(sampleFrames)
    .where(inArray(sampleFrames.id, [...new Set(fresh.map((e) => e.frameId))]));
  const byId = new Map(frames.map((f) => [f.id, f]));
  // A frame deleted from the library since the post is dropped rather than shown broken.
  return fresh.flatMap((e) => {
    const f = byId.get(e.frameId);
    return f
      ? [
          {
            ...e,
            frame: {
              id: f.id,
              name: f.name,
              width: f.width,
              height: f.height,
              imageUrl: `/api/v1/frames/${f.id}/image`,
              truthBoxes: f.groundTruth?.boxes ?? [],
            },
          },
        ]
      : [];
  });
}

export type TrendPoint = { version: number; recall: number | null; precision: number | null; production: boolean };

export type OverviewRow = {
  model: { slug: string; name: string };
  eventType: string;
  dataset: string;
  production: { version: number; recall: Proportion | null; precision: Proportion | null; f1: number | null; falseAlertsPer1kHours: number | null } | null;
  trend: TrendPoint[];
  candidate: {
    version: number;
    regressedSlices: { dimension: string; value: string; metric: "recall" | "precision" }[];
    /** The candidate's newest sign-off (what the promotion gate reads), or null. */
    signOff: Awaited<ReturnType<typeof signOffFacts>>;
  } | null;
  /** Versions of the model an admin took past a missing sign-off. */
  shippedWithoutSignOff: { version: number; by: string; at: Date }[];
  /** The production version on the fleet over recent weeks, and whether it agrees with the lab. */
  field: { weeks: string; recall: Proportion | null; precision: Proportion | null; recallAgreement: Agreement; precisionAgreement: Agreement } | null;
};

/** Every event type with its production numbers, its trend over releases and the slices the newest candidate regresses. */
export async function safetyOverview(db: Db, now = new Date()): Promise<OverviewRow[]> {
  const evaluated = await db.selectDistinct({ id: evaluations.modelId }).from(evaluations);
  const modelIds = evaluated.map((m) => m.id);
  if (!modelIds.length) return [];
  const [modelRows, heads, prodMap, field] = await Promise.all([
    db.select({ id: models.id, slug: models.slug, name: models.name }).from(models).where(inArray(models.id, modelIds)).orderBy(asc(models.slug)),
    latestEvaluations(db, modelIds),
    productionVersions(db, modelIds),
    fieldMetrics(db, modelIds, now),
  ]);
  const out: OverviewRow[] = [];
  const perModel = modelRows.map((m) => {
    const mine = heads.filter((h) => h.modelId === m.id);
    const prod = prodMap.get(m.id) ?? null;
    const prodHead = mine.filter((h) => h.version === prod).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    const latest = [...mine].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    const dataset = prodHead ? datasetLabel(prodHead.datasetName, prodHead.datasetVersion) : datasetLabel(latest.datasetName, latest.datasetVersion);
    const onDataset = mine.filter((h) => sameDataset(h, dataset)).sort((a, b) => a.version - b.version);
    return { m, prod, dataset, onDataset };
  });
  const candidateOf = (p: (typeof perModel)[number]) => (p.prod === null ? undefined : p.onDataset.filter((h) => h.version > p.prod!).at(-1));
  const [results, shipped, signOffs] = await Promise.all([
    resultsOf(
      db,
      perModel.flatMap((p) => p.onDataset.map((h) => h.id)),
    ),
    shippedWithoutSignOff(db, { modelIds }),
    Promise.all(
      perModel.map(async (p) => {
        const c = candidateOf(p);
        return c ? signOffFacts(db, c.versionId) : null;
      }),
    ),
  ]);
  for (const [i, p] of perModel.entries()) {
    const { m, prod, dataset, onDataset } = p;
    const prodHead = onDataset.find((h) => h.version === prod);
    const candidateHead = candidateOf(p);
    const eventTypes = [...new Set(onDataset.flatMap((h) => (results.get(h.id) ?? []).map((r) => r.eventType)))].sort();
    const comparison = candidateHead && prodHead ? compareResults(results.get(candidateHead.id) ?? [], results.get(prodHead.id) ?? []) : [];
    for (const eventType of eventTypes) {
      const overallOf = (id: string) => (results.get(id) ?? []).find((r) => r.eventType === eventType && r.sliceDimension === "all");
      const prodRow = prodHead ? overallOf(prodHead.id) : undefined;
      const prodRates = prodRow ? rates(countsOf(prodRow)) : null;
      const trend = onDataset.flatMap((h) => {
        const r = overallOf(h.id);
        if (!r) return [];
        const x = rates(countsOf(r));
        return [{ version: h.version, recall: x.recall?.value ?? null, precision: x.precision?.value ?? null, production: h.version === prod }];
      });
      const regressedSlices = comparison
        .filter((c) => c.eventType === eventType)
        .flatMap((c) => [
          ...(c.recall.verdict === "regressed" ? [{ dimension: c.dimension, value: c.value, metric: "recall" as const }] : []),
          ...(c.precision.verdict === "regressed" ? [{ dimension: c.dimension, value: c.value, metric: "precision" as const }] : []),
        ]);
      out.push({
        model: { slug: m.slug, name: m.name },
        eventType,
        dataset,
        production:
          prodRates && prod !== null
            ? {
                version: prod,
                recall: prodRates.recall,
                precision: prodRates.precision,
                f1: prodRates.f1,
                falseAlertsPer1kHours: prodRates.falseAlertsPer1kHours,
              }
            : null,
        trend,
        candidate: candidateHead ? { version: candidateHead.version, regressedSlices, signOff: signOffs[i] } : null,
        shippedWithoutSignOff: shipped.filter((x) => x.modelId === m.id).map((x) => ({ version: x.version, by: x.by, at: x.at })),
        field: fieldRow(field.find((f) => f.modelId === m.id && f.version === prod && f.eventType === eventType)?.pooled ?? null, prodRates),
      });
    }
  }
  return out;
}

function fieldRow(pooled: FieldWeek | null, lab: Rates | null): OverviewRow["field"] {
  if (!pooled) return null;
  return {
    weeks: pooled.week,
    recall: pooled.recall,
    precision: pooled.precision,
    recallAgreement: agreement(lab?.recall, pooled.recall),
    precisionAgreement: agreement(lab?.precision, pooled.precision),
  };
}

/**
 * Each evaluated version's recall pooled over its event types (whole-dataset rows of its newest
 * evaluation): the quality axis of the cost-vs-quality scatter.
 */
export async function versionRecalls(db: Db): Promise<{ modelId: string; version: number; dataset: string; recall: Proportion | null }[]> {
  const modelIds = (await db.selectDistinct({ id: evaluations.modelId }).from(evaluations)).map((m) => m.id);
  const heads = await latestEvaluations(db, modelIds);
  const newest = new Map<string, (typeof heads)[number]>();
  for (const h of heads) {
    const k = `${h.modelId}|${h.version}`;
    const cur = newest.get(k);
    if (!cur || h.createdAt > cur.createdAt) newest.set(k, h);
  }
  const results = await resultsOf(
    db,
    [...newest.values()].map((h) => h.id),
  );
  return [...newest.values()].map((h) => {
    const whole = (results.get(h.id) ?? []).filter((r) => r.sliceDimension === "all");
    const tp = whole.reduce((a, r) => a + r.tp, 0);
    return {
      modelId: h.modelId,
      version: h.version,
      dataset: datasetLabel(h.datasetName, h.datasetVersion),
      recall: proportion(tp, tp + whole.reduce((a, r) => a + r.fn, 0)),
    };
  });
}

// ---- Permissions ----

export async function hasPermission(db: Db, userId: string, permission: Permission): Promise<boolean> {
  const [row] = await db
    .select({ userId: userPermissions.userId })
    .from(userPermissions)
    .where(and(eq(userPermissions.userId, userId), eq(userPermissions.permission, permission)));
  return Boolean(row);
}

export async function grantPermission(db: Db, actor: Actor, input: unknown) {
  const { userId, permission } = ZGrantPermission.parse(input);
  const may = canManageReviewers(actor);
  if (!may.allowed) throw new Forbidden(may.reason);
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, userId));
    if (!user) throw new NotFound("User");
    const [row] = await tx.insert(userPermissions).values({ userId, permission, grantedBy: actor.userId }).onConflictDoNothing().returning();
    if (row) await writeAudit(tx, actor, { action: "permission.grant", entityType: "user", entityId: userId, after: { email: user.email, permission } });
    return { userId, email: user.email, permission, granted: true };
  });
}

export async function revokePermission(db: Db, actor: Actor, input: unknown) {
  const { userId, permission } = ZGrantPermission.parse(input);
  const may = canManageReviewers(actor);
  if (!may.allowed) throw new Forbidden(may.reason);
  return db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(userPermissions)
      .where(and(eq(userPermissions.userId, userId), eq(userPermissions.permission, permission)))
      .returning();
    if (!gone) throw new NotFound(`Permission ${permission} of that user`);
    await writeAudit(tx, actor, { action: "permission.revoke", entityType: "user", entityId: userId, before: gone });
    return { userId, permission, granted: false };
  });
}

/** Every user with whether they hold the permission, who granted it and when. */
export async function usersWithPermission(db: Db, permission: Permission) {
  const granter = db.$with("granter").as(db.select({ id: users.id, email: users.email }).from(users));
  const rows = await db
    .with(granter)
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      grantedAt: userPermissions.grantedAt,
      grantedBy: granter.email,
    })
    .from(users)
    .leftJoin(userPermissions, and(eq(userPermissions.userId, users.id), eq(userPermissions.permission, permission)))
    .leftJoin(granter, eq(granter.id, userPermissions.grantedBy))
    .orderBy(asc(users.email))
    .limit(1000);
  return rows.map((r) => ({ ...r, granted: r.grantedAt !== null }));
}

// ---- Sign-off ----

export type SignOffView = {
  id: string;
  decision: "approve" | "reject";
  comment: string;
  reviewer: string;
  reviewerId: string;
  createdAt: Date;
  supersedesId: string | null;
  superseded: boolean;
  /** Withdrawn (by whom, when): in force for nothing; a newer decision is needed. */
  withdrawn: { at: Date; by: string } | null;
  /** When a promotion first went ahead on it; from then on it cannot be withdrawn. */
  usedAt: Date | null;
  snapshot: unknown;
};

const withdrawer = alias(users, "withdrawer");

export async function listSignOffs(db: Db, slug: string, version: number): Promise<SignOffView[]> {
  const { version: v } = await getVersion(db, slug, version);
  return signOffsOfVersion(db, v.id);
}

async function signOffsOfVersion(db: Db, versionId: string, limit = 200): Promise<SignOffView[]> {
  const rows = await db
    .select({ s: safetySignOffs, reviewer: users.email, withdrawnBy: withdrawer.email })
    .from(safetySignOffs)
    .innerJoin(users, eq(users.id, safetySignOffs.reviewerId))
    .leftJoin(withdrawer, eq(withdrawer.id, safetySignOffs.withdrawnBy))
    .where(eq(safetySignOffs.versionId, versionId))
    .orderBy(desc(safetySignOffs.createdAt), desc(safetySignOffs.id))
    .limit(limit);
  return rows.map((r, i) => ({
    id: r.s.id,
    decision: r.s.decision,
    comment: r.s.comment,
    reviewer: r.reviewer,
    reviewerId: r.s.reviewerId,
    createdAt: r.s.createdAt,
    supersedesId: r.s.supersedesId,
    superseded: i > 0,
    withdrawn: r.s.withdrawnAt ? { at: r.s.withdrawnAt, by: r.withdrawnBy ?? "unknown" } : null,
    usedAt: r.s.usedAt,
    snapshot: r.s.snapshot,
  }));
}

/** The sign-off in force for a version (the newest), or null: what a promotion gate reads. */
export async function latestSignOff(db: Db, slug: string, version: number): Promise<SignOffView | null> {
  return (await listSignOffs(db, slug, version))[0] ?? null;
}

/** What the sign-off gate needs about a version: the newest decision with the numbers frozen in it. */
export async function signOffFacts(db: Db, versionId: string) {
  const [latest] = await signOffsOfVersion(db, versionId, 1);
  if (!latest) return null;
  const snap = (latest.snapshot ?? {}) as { dataset?: string | null; regressions?: unknown[] };
  return {
    id: latest.id,
    decision: latest.decision,
    reviewer: latest.reviewer,
    at: latest.createdAt,
    withdrawn: latest.withdrawn !== null,
    dataset: snap.dataset ?? null,
    regressions: Array.isArray(snap.regressions) ? snap.regressions.length : 0,
  };
}

/**
 * Called in the promotion's transaction when it passed the sign-off gate: the sign-off is then on record for good.
 * The update takes the row lock, so a withdrawal racing the promotion either waits and is refused, or wins and the
 * promotion is refused here: never both.
 */
export async function markSignOffUsed(tx: Db, signOffId: string, at = new Date()): Promise<void> {
  const [row] = await tx
    .update(safetySignOffs)
    .set({ usedAt: sql`coalesce(${safetySignOffs.usedAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(safetySignOffs.id, signOffId), isNull(safetySignOffs.withdrawnAt)))
    .returning({ id: safetySignOffs.id });
  if (!row) throw new Conflict("The safety sign-off was withdrawn a moment ago; reload and check the gates again");
}

/** Withdraws a sign-off nobody has promoted on yet (its reviewer or an admin); audited, in one transaction. */
export async function withdrawSignOff(db: Db, actor: Actor, input: unknown): Promise<SignOffView> {
  const data = ZWithdrawSignOff.parse(input);
  if (actor.tokenId) throw new Forbidden("Sign-offs are withdrawn by a person in the portal, not with an API token");
  const { version } = await getVersion(db, data.slug, data.version);
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(safetySignOffs)
      .where(and(eq(safetySignOffs.id, data.signOffId), eq(safetySignOffs.versionId, version.id)))
      .for("update");
    if (!row) throw new NotFound("Sign-off");
    const may = canWithdrawSignOff(actor, { reviewerId: row.reviewerId, withdrawn: row.withdrawnAt !== null, used: row.usedAt !== null });
    if (!may.allowed) throw row.withdrawnAt || row.usedAt ? new PreconditionFailed(may.reason) : new Forbidden(may.reason);
    await tx.update(safetySignOffs).set({ withdrawnAt: new Date(), withdrawnBy: actor.userId }).where(eq(safetySignOffs.id, row.id));
    await writeAudit(tx, actor, {
      action: "signoff.withdraw",
      entityType: "model_version",
      entityId: `${data.slug}/${data.version}`,
      before: { signOffId: row.id, decision: row.decision, comment: row.comment },
      after: { signOffId: row.id, withdrawn: true, reason: data.reason },
    });
  });
  const view = (await signOffsOfVersion(db, version.id)).find((s) => s.id === data.signOffId);
  if (!view) throw new NotFound("Sign-off");
  return view;
}

export type ShippedWithoutSignOff = {
  modelId: string;
  slug: string;
  version: number;
  at: Date;
  by: string;
  reason: string;
  deploymentId: string;
  target: string;
};

/** Promotions and canary steps an admin took past a missing sign-off (override events naming the sign-off gate), newest first. */
export async function shippedWithoutSignOff(db: Db, filter: { modelIds?: string[]; slug?: string; version?: number } = {}): Promise<ShippedWithoutSignOff[]> {
  const rows = await db
    .select({ e: deploymentEvents, modelId: deployments.modelId, slug: models.slug, target: deploymentTargets.name })
    .from(deploymentEvents)
    .innerJoin(deployments, eq(deployments.id, deploymentEvents.deploymentId))
    .innerJoin(deploymentTargets, eq(deploymentTargets.id, deployments.targetId))
    .innerJoin(models, eq(models.id, deployments.modelId))
    .where(
      and(
        eq(deploymentEvents.kind, "override"),
        sql`${deploymentEvents.detail} @> '{"gates":[{"key":"signoff"}]}'::jsonb`,
        filter.modelIds ? inArray(deployments.modelId, filter.modelIds.length ? filter.modelIds : ["00000000-0000-0000-0000-000000000000"]) : undefined,
        filter.slug ? eq(models.slug, filter.slug) : undefined,
        filter.version !== undefined ? eq(deploymentEvents.toVersion, filter.version) : undefined,
      ),
    )
    .orderBy(desc(deploymentEvents.at), desc(deploymentEvents.id))
    .limit(200);
  return rows.map((r) => ({
    modelId: r.modelId,
    slug: r.slug,
    version: r.e.toVersion ?? 0,
    at: r.e.at,
    by: r.e.actorLabel,
    reason: String((r.e.detail as { reason?: unknown }).reason ?? ""),
    deploymentId: r.e.deploymentId,
    target: r.target,
  }));
}

/**
 * Records approve or reject for a candidate. Only holders of the safety-reviewer permission may;
 * the numbers are recomputed here and frozen, never taken from the browser, and refused if newer
 * evaluations arrived since the reviewer loaded the page. Never updates a row: a new one supersedes.
 */
export async function signOff(db: Db, actor: Actor, input: unknown): Promise<SignOffView> {
  const data = ZSignOff.parse(input);
  const may = canSignOff({ safetyReviewer: await hasPermission(db, actor.userId, SAFETY_REVIEWER), viaToken: Boolean(actor.tokenId) });
  if (!may.allowed) throw new Forbidden(may.reason);
  const id = await db.transaction(async (tx) => {
    const review = await releaseReview(tx, { slug: data.slug, candidate: data.version, dataset: data.dataset });
    if (!review.candidate.evaluationId) throw new PreconditionFailed(`Version ${data.version} of ${data.slug} has no evaluation to sign off`);
    if (review.candidate.evaluationId !== data.seen.candidateEvaluationId || (review.production?.evaluationId ?? null) !== data.seen.productionEvaluationId) {
      throw new PreconditionFailed("The evaluation numbers changed since you opened the review; reload the page and check them again");
    }
    const { model, version } = await getVersion(tx, data.slug, data.version);
    const previous = await latestSignOff(tx, data.slug, data.version);
    const snapshot = {
      model: review.model.slug,
      candidate: review.candidate,
      production: review.production,
      dataset: review.dataset,
      regressions: review.regressions,
      rows: review.rows,
    };
    const [row] = await tx
      .insert(safetySignOffs)
      .values({
        modelId: model.id,
        versionId: version.id,
        decision: data.decision,
        comment: data.comment,
        reviewerId: actor.userId,
        snapshot,
        supersedesId: previous?.id ?? null,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: `signoff.${data.decision}`,
      entityType: "model_version",
      entityId: `${data.slug}/${data.version}`,
      before: previous ? { signOffId: previous.id, decision: previous.decision, reviewer: previous.reviewer } : null,
      after: { signOffId: row.id, decision: row.decision, comment: row.comment, dataset: review.dataset, regressions: review.regressions.length },
    });
    return row.id;
  });
  const recorded = (await listSignOffs(db, data.slug, data.version)).find((s) => s.id === id);
  if (!recorded) throw new NotFound("Sign-off");
  return recorded;
}
