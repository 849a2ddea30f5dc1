// Budget and anomaly alerts for cost, raised through the monitoring alert lifecycle (kind "cost").
import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, models } from "@/db/schema";
import { applyAlertSteps, type AlertRule } from "@/server/monitoring/alerts";
import { formatMicros } from "./money";
import { costOverview } from "./service";

export type CostAlertRule = { rule: AlertRule; condition: boolean; evidence: Record<string, unknown> };

type Overview = Awaited<ReturnType<typeof costOverview>>;

/**
 * The cost rules for one overview, pure: each budget at 80% (ticket) and at 100% (page) of its
 * month so far, and the last complete day being an anomaly (more than 3 sd above the trailing
 * 28-day mean) fleet-wide or per model. A rule whose condition is false resolves its open alert.
 */
export function costAlertRules(o: Overview, modelIds: Map<string, string>): CostAlertRule[] {
  const out: CostAlertRule[] = [];
  for (const b of o.budgets) {
    if (!b.budgetMicros) continue;
    // Rounded like the budgets table on /costs, so the two pages show the same figure.
    const percent = Math.round((b.spentMicros * 100) / b.budgetMicros);
    const modelId = b.scope === "model" ? (modelIds.get(b.key) ?? null) : null;
    for (const level of [80, 100] as const) {
      // Integer comparison, as budgetLevel does: spent × 100 ≥ budget × level.
      const condition = b.spentMicros * 100 >= b.budgetMicros * level;
      out.push({
        rule: {
          ruleKey: `cost:budget:${level}`,
          subject: `${b.scope}/${b.key}`,
          kind: "cost",
          severity: level === 100 ? "page" : "ticket",
          modelId,
          title: `${b.scope === "team" ? "Team" : "Model"} ${b.key} has spent ${level === 100 ? "its whole" : "80% of its"} ${o.month} budget`,
          forMs: 0,
        },
        condition,
        evidence: {
          rule: `${level}% of budget`,
          month: o.month,
          asOf: o.asOf,
          budgetMicros: b.budgetMicros,
          spentMicros: b.spentMicros,
          percent,
          linearForecastMicros: b.linearForecastMicros,
          weekdayForecastMicros: b.weekdayForecastMicros,
          summary: `${formatMicros(b.spentMicros)} of ${formatMicros(b.budgetMicros)} (${percent}%) spent in ${o.month} to ${o.asOf ?? "—"}; forecast ${formatMicros(Math.max(b.linearForecastMicros, b.weekdayForecastMicros))}`,
        },
      });
    }
  }
  const day = o.asOf;
  const subjects: { subject: string; modelId: string | null; label: string; hit: Overview["anomalies"][number] | undefined }[] = [
    { subject: "all", modelId: null, label: "all models", hit: o.anomalies.find((a) => a.day === day) },
    ...[...new Set(o.modelAnomalies.map((a) => a.slug))].map((slug) => ({
      subject: `model/${slug}`,
      modelId: modelIds.get(slug) ?? null,
      label: slug,
      hit: o.modelAnomalies.find((a) => a.slug === slug && a.day === day),
    })),
  ];
  for (const s of subjects) {
    out.push({
      rule: {
        ruleKey: "cost:anomaly",
        subject: s.subject,
        kind: "cost",
        severity: "ticket",
        modelId: s.modelId,
        title: `Cost anomaly: ${s.label} spent far above its trailing 28-day mean`,
        forMs: 0,
      },
      condition: Boolean(s.hit),
      evidence: s.hit
        ? {
            rule: "day > mean + 3 sd of the trailing 28 days",
            day: s.hit.day,
            micros: s.hit.micros,
            mean: Math.round(s.hit.mean),
            sd: Math.round(s.hit.sd),
            summary: `${s.hit.day}: ${formatMicros(s.hit.micros)} against a trailing 28-day mean of ${formatMicros(Math.round(s.hit.mean))} (sd ${formatMicros(Math.round(s.hit.sd))})`,
          }
        : { rule: "day > mean + 3 sd of the trailing 28 days", day, summary: `${day ?? "—"} within 3 sd of the trailing mean` },
    });
  }
  return out;
}

/**
 * Evaluates the cost rules for the current month and applies them as alert steps; called from the
 * monitoring scheduler tick. Idempotent: a rule already firing is only updated.
 */
export async function evaluateCostAlerts(db: Db, now = new Date()): Promise<{ rules: number; firing: number }> {
  const o = await costOverview(db, {}, now);
  if (!o.asOf) return { rules: 0, firing: 0 };
  const slugs = [...new Set([...o.budgets.filter((b) => b.scope === "model").map((b) => b.key), ...o.modelAnomalies.map((a) => a.slug)])];
  const ids = slugs.length ? await db.select({ id: models.id, slug: models.slug }).from(models).where(inArray(models.slug, slugs)) : [];
  const rules = costAlertRules(o, new Map(ids.map((m) => [m.slug, m.id])));
  // Open cost alerts no rule speaks for any more (a budget gone with the month, a model's anomaly passed) resolve.
  const covered = new Set(rules.map((r) => `${r.rule.ruleKey}|${r.rule.subject}`));
  const stale = (
    await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, "cost"), ne(alerts.state, "resolved")))
  ).filter((a) => !covered.has(`${a.ruleKey}|${a.subject}`));
  for (const a of stale) {
    rules.push({
      rule: { ruleKey: a.ruleKey, subject: a.subject, kind: "cost", severity: a.severity, modelId: a.modelId, title: a.title, forMs: 0 },
      condition: false,
      evidence: { ...a.evidence, summary: `No longer holds in ${o.month} (to ${o.asOf})` },
    });
  }
  for (const r of rules) await applyAlertSteps(db, r.rule, [{ at: now, condition: r.condition, evidence: r.evidence }]);
  return { rules: rules.length, firing: rules.filter((r) => r.condition).length };
}
