// Promotion gates, pure: each gate's state and evidence from facts the service gathers.
import type { TContract } from "@/server/registry/schemas";
import type { TargetRuntime } from "@/db/schema/deployments";

export type GateState = "pass" | "fail" | "none";
export const GATE_KEYS = ["integrity", "compatibility", "evaluation", "alerts", "approval", "signoff"] as const;
export type GateKey = (typeof GATE_KEYS)[number];
export type Gate = { key: GateKey; label: string; state: GateState; reason: string; evidence: Record<string, unknown> };

export type GateFacts = {
  version: number;
  integrity: { held: boolean; integrity: string | null; sha256: string | null; uri: string | null; checkedAt: Date | null };
  compatibility: { contract: TContract | null; runtime: TargetRuntime; hardwareClasses: string[]; firmwares: string[] };
  evaluation: {
    tolerance: number;
    baseline: number | null;
    candidateEvaluated: boolean;
    baselineEvaluated: boolean;
    dataset: string | null;
    rows: { eventType: string; dimension: string; value: string; candidate: number | null; baseline: number | null }[];
  };
  alerts: { title: string; severity: string; state: string }[];
  author: { userId: string | null; email: string | null };
  approvals: { userId: string; email: string; role: string; at: Date }[];
  /** Safety sign-off: required for safety-relevant models (see `blockingGates` for which actions it stops). */
  signOff: {
    safetyRelevant: boolean;
    canaryMaxPercent: number;
    /** The newest sign-off of the version (withdrawn ones included, so the gate can say so), or null. */
    latest: { id: string; decision: "approve" | "reject"; reviewer: string; at: Date; withdrawn: boolean; dataset: string | null; regressions: number } | null;
    /** Where the reviewer's frozen numbers are shown. */
    href: string;
  };
};

/** "1.17" vs "1.14.2": numeric parts compared left to right, missing parts are 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const CRITICAL_SEVERITIES = ["page", "critical"];

function integrityGate(f: GateFacts): Gate {
  const i = f.integrity;
  const label = "Integrity";
  if (!i.held)
    return {
      key: "integrity",
      label,
      state: "fail",
      reason: `Sentinel holds no bytes for v${f.version} (${i.uri ?? "no artifact"}), so its hash cannot be verified`,
      evidence: { uri: i.uri },
    };
  if (i.integrity === "mismatch" || i.integrity === "missing")
    return {
      key: "integrity",
      label,
      state: "fail",
      reason: `The stored file failed its integrity check (${i.integrity})`,
      evidence: { sha256: i.sha256, integrity: i.integrity, checkedAt: i.checkedAt },
    };
  const when = i.integrity === "ok" && i.checkedAt ? "re-verified" : "recorded at upload";
  return {
    key: "integrity",
    label,
    state: "pass",
    reason: `sha256 ${i.sha256?.slice(0, 12)}… ${when}`,
    evidence: { sha256: i.sha256, integrity: i.integrity, checkedAt: i.checkedAt },
  };
}

export function compatibilityGate(f: Pick<GateFacts, "version" | "compatibility">): Gate {
  const { contract, runtime, hardwareClasses, firmwares } = f.compatibility;
  const label = "Compatibility";
  const evidence = { contract, runtime, hardwareClasses, firmwares };
  if (!contract)
    return { key: "compatibility", label, state: "fail", reason: `v${f.version} declares no compatibility contract; add one in the registry`, evidence };
  const problems: string[] = [];
  if (contract.minOnnxRuntime && compareVersions(runtime.onnxRuntime, contract.minOnnxRuntime) < 0)
    problems.push(`needs ONNX Runtime ≥ ${contract.minOnnxRuntime}, the target runs ${runtime.onnxRuntime}`);
  if (contract.maxOpset && contract.maxOpset > runtime.maxOpset)
    problems.push(`uses opset ${contract.maxOpset}, the target supports up to ${runtime.maxOpset}`);
  const foreign = contract.deviceClasses.length ? hardwareClasses.filter((h) => !contract.deviceClasses.includes(h)) : [];
  if (foreign.length) problems.push(`not built for ${foreign.join(", ")} (supports ${contract.deviceClasses.join(", ")})`);
  const old = contract.minFirmware ? firmwares.filter((fw) => compareVersions(fw, contract.minFirmware!) < 0) : [];
  if (old.length) problems.push(`needs firmware ≥ ${contract.minFirmware}; cohorts run ${old.join(", ")}`);
  if (problems.length) return { key: "compatibility", label, state: "fail", reason: `v${f.version} ${problems.join("; ")}`, evidence };
  return {
    key: "compatibility",
    label,
    state: "pass",
    reason: `Runtime ${runtime.onnxRuntime}, opset ≤ ${runtime.maxOpset}${hardwareClasses.length ? `, ${hardwareClasses.join(", ")}` : ""}${firmwares.length ? `, firmware ${firmwares.join(", ")}` : ""} satisfy the contract`,
    evidence,
  };
}

function evaluationGate(f: GateFacts): Gate {
  const e = f.evaluation;
  const label = "Evaluation thresholds";
  const evidence = { dataset: e.dataset, tolerance: e.tolerance, baseline: e.baseline, rows: e.rows };
  if (!e.candidateEvaluated && !e.baselineEvaluated)
    return {
      key: "evaluation",
      label,
      state: "none",
      reason: `No safety evaluations posted for v${f.version}${e.baseline ? ` or v${e.baseline}` : ""}; nothing to compare`,
      evidence,
    };
  if (!e.candidateEvaluated)
    return {
      key: "evaluation",
      label,
      state: "fail",
      reason: `v${e.baseline} was evaluated but v${f.version} was not; post an evaluation on the same dataset`,
      evidence,
    };
  if (!e.baselineEvaluated || e.baseline === null)
    return { key: "evaluation", label, state: "pass", reason: `v${f.version} evaluated on ${e.dataset}; no baseline evaluation to compare against`, evidence };
  const below = e.rows.filter((r) => r.candidate !== null && r.baseline !== null && r.candidate < r.baseline - e.tolerance);
  if (below.length) {
    const names = below
      .slice(0, 3)
      .map((r) => `${r.eventType}${r.dimension === "all" ? "" : ` (${r.dimension}: ${r.value})`} ${pct(r.candidate!)} vs ${pct(r.baseline!)}`);
    return {
      key: "evaluation",
      label,
      state: "fail",
      reason: `Recall below v${e.baseline} minus ${pct(e.tolerance)}: ${names.join("; ")}${below.length > 3 ? ` and ${below.length - 3} more` : ""}`,
      evidence,
    };
  }
  const compared = e.rows.filter((r) => r.candidate !== null && r.baseline !== null).length;
  return {
    key: "evaluation",
    label,
    state: "pass",
    reason: `Recall within ${pct(e.tolerance)} of v${e.baseline} or better on ${compared} event type and slice rows of ${e.dataset}`,
    evidence,
  };
}

function alertsGate(f: GateFacts): Gate {
  const open = f.alerts.filter((a) => a.state !== "resolved" && CRITICAL_SEVERITIES.includes(a.severity));
  if (open.length)
    return {
      key: "alerts",
      label: "No critical alert",
      state: "fail",
      reason: `${open.length} critical alert${open.length > 1 ? "s" : ""} open on the model: ${open.map((a) => a.title).join("; ")}`,
      evidence: { alerts: open },
    };
  return { key: "alerts", label: "No critical alert", state: "pass", reason: "No open critical (page) alert on the model", evidence: { alerts: [] } };
}

function approvalGate(f: GateFacts): Gate {
  const valid = f.approvals.filter((a) => a.role === "admin" && a.userId !== f.author.userId);
  const evidence = { author: f.author.email, approvals: f.approvals.map((a) => ({ email: a.email, at: a.at })) };
  if (valid.length)
    return {
      key: "approval",
      label: "Four-eyes approval",
      state: "pass",
      reason: `Approved by ${valid.map((a) => a.email).join(", ")} (author: ${f.author.email ?? "unknown"})`,
      evidence,
    };
  return {
    key: "approval",
    label: "Four-eyes approval",
    state: "fail",
    reason: `v${f.version} needs approval by an admin who is not its author (${f.author.email ?? "unknown"})`,
    evidence,
  };
}

const shortDate = (d: Date) => d.toISOString().slice(0, 10);

/** The one rule for "this version lacks the sign-off it needs": safety-relevant and no approving sign-off in force. */
export function signOffMissing(safetyRelevant: boolean, latest: { decision: "approve" | "reject"; withdrawn: boolean } | null): boolean {
  return safetyRelevant && !(latest && latest.decision === "approve" && !latest.withdrawn);
}

/** Sign-off by a safety reviewer is not four-eyes approval: it is a different person's judgement of the numbers, frozen. */
export function signOffGate(f: Pick<GateFacts, "version" | "signOff">): Gate {
  const s = f.signOff;
  const label = "Safety sign-off";
  const scope = `needed before promotion, or a canary past ${s.canaryMaxPercent}%`;
  const evidence = { href: s.href, signOff: s.latest, canaryMaxPercent: s.canaryMaxPercent };
  if (!s.safetyRelevant)
    return { key: "signoff", label, state: "none", reason: "The model is not tagged safety-relevant; no safety sign-off is needed", evidence };
  const l = s.latest;
  if (l && !signOffMissing(true, l)) {
    const seen = l.dataset ? ` on ${l.dataset}${l.regressions ? `, ${l.regressions} regression${l.regressions > 1 ? "s" : ""} seen` : ", no regression"}` : "";
    return { key: "signoff", label, state: "pass", reason: `Signed off by ${l.reviewer} on ${shortDate(l.at)}${seen}`, evidence };
  }
  const why = !l
    ? "no safety reviewer has signed it off"
    : l.withdrawn
      ? `${l.reviewer} withdrew the sign-off`
      : `${l.reviewer} rejected it on ${shortDate(l.at)}`;
  return { key: "signoff", label, state: "fail", reason: `v${f.version} is safety-relevant and ${why}; ${scope}`, evidence };
}

export function evaluateGates(f: GateFacts): Gate[] {
  return [integrityGate(f), compatibilityGate(f), evaluationGate(f), alertsGate(f), approvalGate(f), signOffGate(f)];
}

/**
 * The failing gates that stand in the way of one action on a protected environment: all of them for a
 * promotion; for a canary start all but the sign-off while its first step stays within the canary limit;
 * for a step forward only the sign-off, once the step goes past the limit (the rest held at the start).
 */
export function blockingGates<G extends Pick<Gate, "key" | "state">>(
  failing: readonly G[],
  action: { kind: string; toPercent: number },
  canaryMaxPercent: number,
): G[] {
  const f = failing.filter((g) => g.state === "fail");
  const pastLimit = action.toPercent > canaryMaxPercent;
  if (action.kind === "promote") return f;
  if (action.kind === "canary.start") return f.filter((g) => g.key !== "signoff" || pastLimit);
  if (action.kind === "advance") return pastLimit ? f.filter((g) => g.key === "signoff") : [];
  return [];
}

export function failingGates(gates: readonly Gate[]): Gate[] {
  return gates.filter((g) => g.state === "fail");
}
