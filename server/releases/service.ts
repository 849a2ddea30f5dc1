// Release readiness: one row per candidate version across models, joining what the safety review, the deployment
// gates, the cost pages, incidents and device reports already say about it. Nothing here computes a metric: every
// figure is read from the function the owning page calls, so /releases and those pages cannot disagree.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { modelAliases, models, modelVersions } from "@/db/schema";
import { modelCost } from "@/server/cost/service";
import { signOffMissing, type Gate, type GateKey, type GateState } from "@/server/deployments/gates";
import { getDeployment, listDeployments } from "@/server/deployments/service";
import { listIncidents } from "@/server/incidents/service";
import type { Agreement } from "@/server/safety/field";
import type { Proportion } from "@/server/safety/metrics";
import { isSafetyRelevant } from "@/server/safety/policy";
import { releaseReview } from "@/server/safety/service";
import { eventTypeLabel, sliceLabel } from "@/lib/safety-format";

/** The key of the sign-off gate in server/deployments/gates.ts. */
export const SIGNOFF_GATE_KEY: GateKey = "signoff";

export type CandidateReason = "in-rollout" | "newer-than-production" | "newest";

/** A gate across a model's protected targets: the worst state wins; a failing gate overridden for this version says so. */
export type GateSummary = { key: string; label: string; state: GateState | "overridden"; reason: string };

export type ReadinessRow = {
  model: { slug: string; name: string; team: string };
  version: number;
  href: string;
  status: string;
  candidateBecause: CandidateReason[];
  production: number | null;
  verdict: { kind: "ready" | "blocked" | "shipped-without-signoff"; text: string; reasons: string[] };
  signOff: { decision: "approve" | "reject"; reviewer: string; at: Date; comment: string; withdrawn: boolean } | null;
  /** The model needs a sign-off (tagged safety-relevant) and has none in force: the sign-off gate's own rule. */
  signOffMissing: boolean;
  /** An admin override took this version past a missing sign-off (the safety review's own list). */
  shippedWithoutSignOff: boolean;
  gates: GateSummary[];
  gatesByTarget: { deploymentId: string; target: string; environment: string; gates: Pick<Gate, "key" | "label" | "state" | "reason">[] }[];
  overrides: { deploymentId: string; target: string; at: Date; by: string; reason: string; gates: string[] }[];
  dataset: string | null;
  regressions: { eventType: string; dimension: string; value: string; recall: string; precision: string }[];
  field: {
    eventType: string;
    weeks: string;
    fieldRecall: Proportion | null;
    fieldPrecision: Proportion | null;
    labRecall: Proportion | null;
    labPrecision: Proportion | null;
    recall: Agreement;
    precision: Agreement;
  }[];
  cost: {
    month: string;
    microsPer1k: number | null;
    inferences: number | null;
    productionMicrosPer1k: number | null;
    changeMicrosPer1k: number | null;
    changeRatio: number | null;
  };
  incidents: { id: string; number: number; title: string; severity: string; status: string }[];
  rollout: {
    deploymentId: string;
    target: string;
    environment: string;
    role: "candidate" | "stable";
    state: string;
    percent: number;
    /** From device reports (reports.ts fleetVersions), for edge fleets; null for cloud targets. */
    devices: { running: number; pending: number; failed: number; unknown: number; total: number } | null;
  }[];
};

type VersionHead = { modelId: string; number: number; status: string };

/**
 * Which versions are candidates, per model:
 *  - a version that is the candidate of a deployment in canary or paused (on its way out, whatever its status);
 *  - a version newer than the model's production alias, unless archived or draft;
 *  - for a model with no production alias, its newest version that is not archived or draft.
 * The production version itself is never a candidate (it has shipped); nor is anything older than it unless a
 * canary is sending it out again. Pure, so the rule is tested without a database.
 */
export function pickCandidates(
  versions: readonly VersionHead[],
  production: ReadonlyMap<string, number>,
  inRollout: ReadonlySet<string>,
): { modelId: string; number: number; because: CandidateReason[] }[] {
  const out: { modelId: string; number: number; because: CandidateReason[] }[] = [];
  const byModel = new Map<string, VersionHead[]>();
  for (const v of versions) (byModel.get(v.modelId) ?? byModel.set(v.modelId, []).get(v.modelId)!).push(v);
  for (const [modelId, vs] of byModel) {
    const prod = production.get(modelId);
    const proposed = vs.filter((v) => v.status !== "archived" && v.status !== "draft");
    const newest = prod === undefined ? Math.max(-1, ...proposed.map((v) => v.number)) : -1;
    for (const v of [...vs].sort((a, b) => b.number - a.number)) {
      const because: CandidateReason[] = [];
      if (inRollout.has(`${modelId}|${v.number}`)) because.push("in-rollout");
      if (prod !== undefined && v.number > prod && proposed.includes(v)) because.push("newer-than-production");
      if (prod === undefined && v.number === newest) because.push("newest");
      if (because.length && v.number !== prod) out.push({ modelId, number: v.number, because });
    }
  }
  return out;
}

const STATE_RANK: Record<GateSummary["state"], number> = { fail: 3, overridden: 2, pass: 1, none: 0 };

/** Gates of one version across targets: the worst state per gate key, naming the targets where it fails. Pure. */
export function summarizeGates(byTarget: ReadinessRow["gatesByTarget"], overrides: ReadinessRow["overrides"]): GateSummary[] {
  const out = new Map<string, GateSummary & { targets: string[] }>();
  for (const t of byTarget) {
    for (const g of t.gates) {
      const overridden = g.state === "fail" && overrides.some((o) => o.deploymentId === t.deploymentId && o.gates.includes(g.key));
      const state: GateSummary["state"] = overridden ? "overridden" : g.state;
      const cur = out.get(g.key);
      if (!cur || STATE_RANK[state] > STATE_RANK[cur.state]) out.set(g.key, { key: g.key, label: g.label, state, reason: g.reason, targets: [t.target] });
      else if (STATE_RANK[state] === STATE_RANK[cur.state]) cur.targets.push(t.target);
    }
  }
  return [...out.values()].map(({ targets, ...g }) => ({
    ...g,
    reason: byTarget.length > 1 && g.state !== "pass" && g.state !== "none" ? `${targets.join(", ")}: ${g.reason}` : g.reason,
  }));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The verdict in words from the joined facts; the first reason is the one a PM needs first. Pure. */
export function verdictOf(
  r: Omit<ReadinessRow, "verdict">,
  labels: { eventType: (k: string) => string; slice: (d: string, v: string) => string },
): ReadinessRow["verdict"] {
  const reasons: string[] = [];
  const signOffGate = r.gates.find((g) => g.key === SIGNOFF_GATE_KEY);
  const rejected = r.signOff?.decision === "reject" && !r.signOff.withdrawn;
  // The sign-off comes first in words. Where a protected target evaluates the gate, the gate decides; without one
  // the gate's rule is asked directly. A reviewer's rejection in force is said in any case.
  if (signOffGate ? signOffGate.state === "fail" : rejected || r.signOffMissing) {
    reasons.push(rejected ? `safety sign-off rejected by ${r.signOff!.reviewer}` : "not signed off by a safety reviewer");
  }
  const failing = r.gates.filter((x) => x.state === "fail" && x.key !== SIGNOFF_GATE_KEY);
  if (failing.length) reasons.push(`${failing.length === 1 ? "gate fails" : "gates fail"}: ${failing.map((g) => g.label.toLowerCase()).join(", ")}`);
  if (r.regressions.length) {
    const what = r.regressions.map(
      (x) => `${labels.eventType(x.eventType)}${x.dimension === "all" ? "" : ` (${labels.slice(x.dimension, x.value).toLowerCase()})`}`,
    );
    reasons.push(`worse than production on ${[...new Set(what)].join(", ")}`);
  }
  if (r.incidents.length) reasons.push(`${plural(r.incidents.length, "open incident")} on the model (${r.incidents.map((i) => `INC-${i.number}`).join(", ")})`);
  if (r.shippedWithoutSignOff) return { kind: "shipped-without-signoff", text: "Shipped without sign-off", reasons };
  if (reasons.length) return { kind: "blocked", text: `Blocked: ${reasons.join("; ")}`, reasons };
  return { kind: "ready", text: "Ready to ship", reasons };
}

/** Readiness of every candidate version across models (or of one model's versions), newest models' rows first. */
export async function releaseReadiness(db: Db, now = new Date(), only?: { slug: string; version?: number }): Promise<ReadinessRow[]> {
  const modelRows = await db
    .select({ id: models.id, slug: models.slug, name: models.name, team: models.team, tags: models.tags })
    .from(models)
    .where(only ? eq(models.slug, only.slug) : undefined)
    .orderBy(asc(models.name))
    .limit(500);
  if (!modelRows.length) return [];
  const ids = modelRows.map((m) => m.id);
  const [versions, prodRows, deps] = await Promise.all([
    db
      .select({ modelId: modelVersions.modelId, number: modelVersions.number, status: modelVersions.status })
      .from(modelVersions)
      .where(inArray(modelVersions.modelId, ids))
      .orderBy(desc(modelVersions.number)),
    db
      .select({ modelId: modelAliases.modelId, number: modelVersions.number })
      .from(modelAliases)
      .innerJoin(modelVersions, eq(modelVersions.id, modelAliases.versionId))
      .where(and(inArray(modelAliases.modelId, ids), eq(modelAliases.alias, "production"))),
    Promise.all(modelRows.map((m) => listDeployments(db, { modelId: m.id }).then((list) => [m.id, list] as const))),
  ]);
  const production = new Map(prodRows.map((r) => [r.modelId, r.number]));
  const depsOf = new Map(deps);
  const inRollout = new Set(
    modelRows.flatMap((m) => (depsOf.get(m.id) ?? []).filter((d) => d.state !== "idle" && d.candidate !== null).map((d) => `${m.id}|${d.candidate}`)),
  );
  let picked = pickCandidates(versions, production, inRollout);
  if (only?.version !== undefined) {
    // The version page asks about one version: its row even when it is not a candidate (e.g. production itself).
    const v = versions.find((x) => x.number === only.version);
    picked = v ? [picked.find((p) => p.number === v.number) ?? { modelId: v.modelId, number: v.number, because: [] }] : [];
  }
  const costs = new Map<string, Awaited<ReturnType<typeof modelCost>>>();
  const incidentsOf = new Map<string, Awaited<ReturnType<typeof listIncidents>>>();
  const rows: ReadinessRow[] = [];
  for (const p of picked) {
    const m = modelRows.find((x) => x.id === p.modelId)!;
    const prod = production.get(m.id) ?? null;
    if (!costs.has(m.id)) costs.set(m.id, await modelCost(db, { slug: m.slug }, now));
    if (!incidentsOf.has(m.id)) incidentsOf.set(m.id, await listIncidents(db, { status: "open", model: m.slug }));
    const cost = costs.get(m.id)!;
    const [review, details] = await Promise.all([
      releaseReview(db, { slug: m.slug, candidate: p.number }, now),
      // The deployment page's own read, asked about this version: its gates, events (overrides) and device reports.
      Promise.all((depsOf.get(m.id) ?? []).map((d) => getDeployment(db, { id: d.id, version: p.number }))),
    ]);
    const gatesByTarget = details.flatMap((d) =>
      d.gates
        ? [
            {
              deploymentId: d.id,
              target: d.target.name,
              environment: d.environment.name,
              gates: d.gates.map((g) => ({ key: g.key, label: g.label, state: g.state, reason: g.reason })),
            },
          ]
        : [],
    );
    const overrides = details.flatMap((d) =>
      d.events
        .filter((e) => e.kind === "override" && e.toVersion === p.number)
        .map((e) => {
          const detail = e.detail as { reason?: string; gates?: { key: string }[] };
          return {
            deploymentId: d.id,
            target: d.target.name,
            at: e.at,
            by: e.actorLabel,
            reason: detail.reason ?? "",
            gates: (detail.gates ?? []).map((g) => g.key),
          };
        }),
    );
    const rollout = details.flatMap((d) => {
      const role = d.candidate === p.number && d.state !== "idle" ? ("candidate" as const) : d.stable === p.number ? ("stable" as const) : null;
      if (!role) return [];
      const f = d.fleet;
      return [
        {
          deploymentId: d.id,
          target: d.target.name,
          environment: d.environment.name,
          role,
          state: d.state,
          percent: role === "candidate" ? d.percent : 100,
          devices: f
            ? {
                running: f.byVersion.find((b) => b.version === p.number)?.devices ?? 0,
                pending: f.pending,
                failed: f.failed,
                unknown: f.unreported,
                total: f.total,
              }
            : null,
        },
      ];
    });
    const mine = cost.versions.find((v) => v.version === p.number);
    const theirs = prod === null || prod === p.number ? undefined : cost.versions.find((v) => v.version === prod);
    const per1k = mine?.microsPer1k ?? null;
    const prodPer1k = theirs?.microsPer1k ?? null;
    const openIncidents = (incidentsOf.get(m.id) ?? []).filter((i) => !i.versions.length || i.versions.includes(p.number));
    const base: Omit<ReadinessRow, "verdict"> = {
      model: { slug: m.slug, name: m.name, team: m.team },
      version: p.number,
      href: `/models/${m.slug}/versions/${p.number}`,
      status: versions.find((v) => v.modelId === m.id && v.number === p.number)?.status ?? "draft",
      candidateBecause: p.because,
      production: prod,
      signOff: review.latestSignOff
        ? {
            decision: review.latestSignOff.decision,
            reviewer: review.latestSignOff.reviewer,
            at: review.latestSignOff.createdAt,
            comment: review.latestSignOff.comment,
            withdrawn: review.latestSignOff.withdrawn !== null,
          }
        : null,
      signOffMissing: signOffMissing(
        isSafetyRelevant(m.tags),
        review.latestSignOff ? { decision: review.latestSignOff.decision, withdrawn: review.latestSignOff.withdrawn !== null } : null,
      ),
      shippedWithoutSignOff: review.shippedWithoutSignOff.length > 0,
      gates: summarizeGates(gatesByTarget, overrides),
      gatesByTarget,
      overrides,
      dataset: review.dataset,
      regressions: review.regressions.map((r) => ({
        eventType: r.eventType,
        dimension: r.dimension,
        value: r.value,
        recall: r.recall,
        precision: r.precision,
      })),
      field: review.field
        .filter((f) => f.role === "candidate")
        .map((f) => ({
          eventType: f.eventType,
          weeks: f.pooled.week,
          fieldRecall: f.pooled.recall,
          fieldPrecision: f.pooled.precision,
          labRecall: f.lab?.recall ?? null,
          labPrecision: f.lab?.precision ?? null,
          recall: f.recall,
          precision: f.precision,
        })),
      cost: {
        month: cost.month,
        microsPer1k: per1k,
        inferences: mine?.inferences ?? null,
        productionMicrosPer1k: prodPer1k,
        changeMicrosPer1k: per1k !== null && prodPer1k !== null ? per1k - prodPer1k : null,
        changeRatio: per1k !== null && prodPer1k ? per1k / prodPer1k - 1 : null,
      },
      incidents: openIncidents.map((i) => ({ id: i.id, number: i.number, title: i.title, severity: i.severity, status: i.status })),
      rollout,
    };
    rows.push({ ...base, verdict: verdictOf(base, { eventType: eventTypeLabel, slice: sliceLabel }) });
  }
  return rows;
}
