// The incident timeline: entries people and the portal wrote, merged with alerts, deployment events and drift verdict changes; pure.
export type TimelineSource = "incident" | "alert" | "deployment" | "drift";
export type TimelineItem = { key: string; at: Date; source: TimelineSource; kind: string; text: string; actor: string | null; href: string | null };

type Entry = { id: number; at: Date; kind: string; text: string; actorLabel: string; detail?: Record<string, unknown> };
type AlertIn = {
  id: string;
  title: string;
  severity: string;
  startedAt: Date;
  firingAt: Date | null;
  resolvedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
};
type DeployIn = { id: number; at: Date; kind: string; summary: string; actorLabel: string; deploymentId: string; target: string; revision?: number };
type VerdictIn = { monitorId: string; name: string; windowStart: Date; drifted: boolean };

/** Keep only the evaluations where a monitor's verdict flipped (the first one counts only when it says drift). */
export function verdictChanges(evals: readonly VerdictIn[]): VerdictIn[] {
  const last = new Map<string, boolean>();
  const out: VerdictIn[] = [];
  for (const e of [...evals].sort((a, b) => a.windowStart.getTime() - b.windowStart.getTime())) {
    const prev = last.get(e.monitorId);
    if (prev === undefined ? e.drifted : prev !== e.drifted) out.push(e);
    last.set(e.monitorId, e.drifted);
  }
  return out;
}

const DEPLOY_WORDS: Record<string, string> = {
  override: "Gate override",
  rollback: "Rollback",
  promote: "Deploy",
  "canary.start": "Rollout started",
  advance: "Rollout advanced",
  complete: "Rollout complete",
  pause: "Rollout paused",
  resume: "Rollout resumed",
  abort: "Rollout aborted",
  approve: "Approval",
  create: "Deployment created",
  config: "Config change",
};

/** Oldest first; ties keep a stable order by source then key so a reload never reshuffles. */
export function mergeTimeline(
  input: { entries: readonly Entry[]; alerts: readonly AlertIn[]; deployments: readonly DeployIn[]; verdicts: readonly VerdictIn[]; modelSlug: string | null },
  window: { from: Date; to: Date },
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const e of input.entries) items.push({ key: `e${e.id}`, at: e.at, source: "incident", kind: e.kind, text: e.text, actor: e.actorLabel, href: null });
  for (const a of input.alerts) {
    const href = `/alerts?state=all${input.modelSlug ? `&model=${input.modelSlug}` : ""}`;
    items.push({
      key: `a${a.id}s`,
      at: a.firingAt ?? a.startedAt,
      source: "alert",
      kind: "alert.fire",
      text: `Alert fired (${a.severity}): ${a.title}`,
      actor: "system",
      href,
    });
    if (a.acknowledgedAt)
      items.push({
        key: `a${a.id}k`,
        at: a.acknowledgedAt,
        source: "alert",
        kind: "alert.acknowledge",
        text: `Alert acknowledged: ${a.title}`,
        actor: a.acknowledgedBy,
        href,
      });
    if (a.resolvedAt)
      items.push({ key: `a${a.id}r`, at: a.resolvedAt, source: "alert", kind: "alert.resolve", text: `Alert resolved: ${a.title}`, actor: "system", href });
  }
  // A mitigation done from the incident is already its own entry: the deployment event it caused is not shown twice.
  const recorded = new Set(
    input.entries.filter((e) => e.kind === "action" && e.detail?.deploymentId).map((e) => `${String(e.detail!.deploymentId)}@${String(e.detail!.revision)}`),
  );
  for (const d of input.deployments) {
    if (recorded.has(`${d.deploymentId}@${d.revision}`)) continue;
    items.push({
      key: `d${d.id}`,
      at: d.at,
      source: "deployment",
      kind: d.kind,
      text: `${DEPLOY_WORDS[d.kind] ?? d.kind} on ${d.target}: ${d.summary}`,
      actor: d.actorLabel,
      href: `/deployments/${d.deploymentId}`,
    });
  }
  for (const v of verdictChanges(input.verdicts)) {
    items.push({
      key: `v${v.monitorId}${v.windowStart.getTime()}`,
      at: v.windowStart,
      source: "drift",
      kind: v.drifted ? "drift.start" : "drift.end",
      text: v.drifted ? `Drift detected on ${v.name}` : `Drift cleared on ${v.name}`,
      actor: "system",
      href: input.modelSlug ? `/monitoring/${input.modelSlug}?feature=${encodeURIComponent(v.name)}` : null,
    });
  }
  const order: Record<TimelineSource, number> = { drift: 0, alert: 1, deployment: 2, incident: 3 };
  return items
    .filter((i) => i.source === "incident" || (i.at >= window.from && i.at <= window.to))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || order[a.source] - order[b.source] || a.key.localeCompare(b.key));
}
