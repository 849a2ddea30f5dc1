// Threshold rules on a model's serving series (requests, error rate, latency percentiles), measured
// per window from the merged summaries and raised as alerts with the recent series as evidence.
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, models, thresholdRules } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { NotFound } from "@/server/errors";
import { applyAlertSteps, type AlertStep, type AlertTally } from "./alerts";
import { formatThresholdValue, THRESHOLD_METRIC_INFO, ZCreateThresholdRule, ZThresholdRuleId, type ThresholdMetric } from "./schemas";
import { servingSeries } from "./serving";

const MIN = 60_000;
/** Windows kept on the alert as the chart that fired it. */
const EVIDENCE_WINDOWS = 12;

export type ThresholdRuleRow = typeof thresholdRules.$inferSelect;
export type ServingPoint = { t: number; requests: number; errorRate: number; p50: number | null; p95: number | null; p99: number | null };

/** The metric in one window; null when the window says nothing about it (no requests for a rate or a percentile). */
export function metricValue(p: ServingPoint | undefined, metric: ThresholdMetric): number | null {
  if (metric === "requests") return p?.requests ?? 0; // a silent window is zero requests
  if (!p || p.requests <= 0) return null;
  if (metric === "error_rate") return p.errorRate;
  return metric === "latency_p50" ? p.p50 : metric === "latency_p95" ? p.p95 : p.p99;
}

export function breaches(value: number | null, op: string, threshold: number): boolean {
  if (value === null) return false;
  return op === "above" ? value > threshold : value < threshold;
}

/** One alert step per complete window in [from, to), in time order, with the recent values as evidence. */
export function thresholdSteps(
  points: readonly ServingPoint[],
  rule: Pick<ThresholdRuleRow, "metric" | "op" | "value" | "windowMinutes">,
  from: number,
  to: number,
): AlertStep[] {
  const w = rule.windowMinutes * MIN;
  const byStart = new Map(points.map((p) => [p.t, p]));
  const metric = rule.metric as ThresholdMetric;
  const values: { t: number; value: number | null }[] = [];
  for (let t = from; t + w <= to; t += w) values.push({ t, value: metricValue(byStart.get(t), metric) });
  return values.map((v, i) => ({
    at: new Date(v.t + w),
    condition: breaches(v.value, rule.op, rule.value),
    evidence: {
      metric,
      op: rule.op,
      threshold: rule.value,
      value: v.value,
      windowStart: new Date(v.t),
      windowEnd: new Date(v.t + w),
      windowMinutes: rule.windowMinutes,
      recent: values.slice(Math.max(0, i - EVIDENCE_WINDOWS + 1), i + 1),
    },
  }));
}

function ruleSubject(slug: string, r: ThresholdRuleRow): string {
  return `${slug}/${r.metric}${r.target ? `@${r.target}` : ""}${r.cohort ? `/${r.cohort}` : ""}`;
}

export function ruleTitle(slug: string, r: Pick<ThresholdRuleRow, "metric" | "op" | "value">): string {
  return `${THRESHOLD_METRIC_INFO[r.metric as ThresholdMetric].label} of ${slug} ${r.op} ${formatThresholdValue(r.metric, r.value)}`;
}

export async function createThresholdRule(db: Db, actor: Actor, input: unknown) {
  const r = ZCreateThresholdRule.parse(input);
  const [model] = await db.select().from(models).where(eq(models.slug, r.model));
  if (!model) throw new NotFound(`Model ${r.model}`);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(thresholdRules)
      .values({
        modelId: model.id,
        metric: r.metric,
        op: r.op,
        value: r.value,
        windowMinutes: r.windowMinutes,
        forMinutes: r.forMinutes,
        severity: r.severity,
        target: r.target ?? null,
        cohort: r.cohort ?? null,
        createdBy: actor.userId,
      })
      .returning();
    await writeAudit(tx, actor, { action: "threshold_rule.create", entityType: "threshold_rule", entityId: row.id, after: { ...row, model: r.model } });
    return row;
  });
}

/** Disables a rule (kept, so its alerts still name it); its open alert resolves at the next evaluation. */
export async function disableThresholdRule(db: Db, actor: Actor, input: unknown) {
  const { ruleId } = ZThresholdRuleId.parse(input);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(thresholdRules).where(eq(thresholdRules.id, ruleId)).for("update");
    if (!before) throw new NotFound("Threshold rule");
    const [after] = await tx.update(thresholdRules).set({ enabled: false }).where(eq(thresholdRules.id, ruleId)).returning();
    await writeAudit(tx, actor, { action: "threshold_rule.disable", entityType: "threshold_rule", entityId: ruleId, before, after });
    return after;
  });
}

/** Rules of a model with the value of the newest complete window, for the model page. */
export async function listThresholdRules(db: Db, modelId: string, now = new Date()) {
  const rows = await db
    .select()
    .from(thresholdRules)
    .where(and(eq(thresholdRules.modelId, modelId), eq(thresholdRules.enabled, true)))
    .orderBy(asc(thresholdRules.createdAt));
  return Promise.all(
    rows.map(async (r) => {
      const w = r.windowMinutes * MIN;
      const to = Math.floor(now.getTime() / w) * w;
      const points = await servingSeries(db, modelId, new Date(to - w), new Date(to), w, r);
      const value = metricValue(points[0], r.metric as ThresholdMetric);
      return { ...r, current: { windowEnd: new Date(to), value, breaching: breaches(value, r.op, r.value) } };
    }),
  );
}

/**
 * Evaluates every enabled rule over its recent complete windows (enough to cover `forMinutes`) and
 * moves its alert; windows already seen by the rule's latest alert are not replayed, so a breach
 * that resolved does not reopen from old windows. Disabled rules resolve their open alert.
 */
export async function evaluateThresholdRules(db: Db, now = new Date(), modelId?: string, tally: AlertTally = { alertsTouched: 0 }): Promise<number> {
  const rules = await db
    .select({ rule: thresholdRules, slug: models.slug })
    .from(thresholdRules)
    .innerJoin(models, eq(models.id, thresholdRules.modelId))
    .where(modelId ? eq(thresholdRules.modelId, modelId) : undefined);
  for (const { rule, slug } of rules) {
    const w = rule.windowMinutes * MIN;
    const to = Math.floor(now.getTime() / w) * w;
    const windows = Math.max(2, Math.ceil(rule.forMinutes / rule.windowMinutes) + 1);
    const from = to - windows * w;
    const subject = ruleSubject(slug, rule);
    const ruleKey = `threshold:${rule.id}`;
    let steps: AlertStep[];
    if (rule.enabled) {
      const points = await servingSeries(db, rule.modelId, new Date(from - (EVIDENCE_WINDOWS - 1) * w), new Date(to), w, rule);
      steps = thresholdSteps(points, rule, from - (EVIDENCE_WINDOWS - 1) * w, to).slice(-windows);
    } else steps = [{ at: new Date(to), condition: false, evidence: { disabled: true } }];
    const [last] = await db
      .select({ at: alerts.lastEvaluatedAt })
      .from(alerts)
      .where(and(eq(alerts.ruleKey, ruleKey), eq(alerts.subject, subject)))
      .orderBy(desc(alerts.lastEvaluatedAt))
      .limit(1);
    const fresh = last ? steps.filter((s) => s.at > last.at) : steps;
    tally.alertsTouched += await applyAlertSteps(
      db,
      { ruleKey, subject, kind: "threshold", severity: rule.severity, modelId: rule.modelId, title: ruleTitle(slug, rule), forMs: rule.forMinutes * MIN },
      fresh,
    );
  }
  return rules.length;
}
