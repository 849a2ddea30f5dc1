// Release readiness in words: the same phrases on the page, in the CSV and in the Markdown release note. Pure.
import { money } from "@/lib/cost-format";
import { formatCount } from "@/lib/format";
import { eventTypeLabel, pct, sliceLabel } from "@/lib/safety-format";
import type { GateSummary, ReadinessRow } from "@/server/releases/service";

const day = (d: Date) => d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export function signOffWords(r: Pick<ReadinessRow, "signOff">): string {
  if (!r.signOff) return "Not signed off";
  const what = `${r.signOff.decision === "approve" ? "Signed off" : "Rejected"} by ${r.signOff.reviewer} on ${day(r.signOff.at)}`;
  return r.signOff.withdrawn ? `Not signed off (${what.toLowerCase()}, withdrawn)` : what;
}

export const GATE_STATE_WORDS: Record<GateSummary["state"], string> = {
  pass: "passes",
  fail: "fails",
  none: "not checked",
  overridden: "overridden by an admin",
};

export function gateWords(g: GateSummary): string {
  return `${g.label}: ${GATE_STATE_WORDS[g.state]}`;
}

/** Micro-dollars per 1,000 inferences; sub-dollar amounts keep a third digit so small changes stay visible. */
export function per1kWords(micros: number | null): string {
  if (micros === null) return "no inference count";
  return `${money(micros, Math.abs(micros) < 1_000_000 ? 3 : 2)} per 1,000 inferences`;
}

export function costChangeWords(r: Pick<ReadinessRow, "cost" | "production" | "version">): string {
  const c = r.cost;
  if (r.production === null || r.production === r.version) return "no production version to compare with";
  if (c.changeMicrosPer1k === null) return `no cost per inference for v${r.production} or v${r.version} this month`;
  if (c.changeMicrosPer1k === 0) return `the same as production v${r.production}`;
  const more = c.changeMicrosPer1k > 0;
  const ratio = c.changeRatio === null ? "" : ` (${Math.abs(c.changeRatio * 100).toFixed(0)}% ${more ? "more" : "less"})`;
  return `${more ? "up" : "down"} ${per1kWords(Math.abs(c.changeMicrosPer1k))}${ratio} against production v${r.production}`;
}

export function regressionWords(x: ReadinessRow["regressions"][number]): string {
  const metrics = [x.recall === "regressed" ? "recall" : null, x.precision === "regressed" ? "precision" : null].filter(Boolean).join(" and ");
  return `${eventTypeLabel(x.eventType)}, ${sliceLabel(x.dimension, x.value).toLowerCase()}: ${metrics} worse`;
}

const AGREEMENT_WORDS = { agrees: "agrees with the lab", disagrees: "field and lab disagree", unknown: "too few outcomes to compare" } as const;

export function fieldWords(f: ReadinessRow["field"][number]): string {
  return `${eventTypeLabel(f.eventType)}: fleet recall ${pct(f.fieldRecall?.value)} against lab ${pct(f.labRecall?.value)} (${AGREEMENT_WORDS[f.recall]}); fleet precision ${pct(f.fieldPrecision?.value)} against lab ${pct(f.labPrecision?.value)} (${AGREEMENT_WORDS[f.precision]})`;
}

export function rolloutWords(r: ReadinessRow["rollout"][number], version: number): string {
  const where = r.role === "candidate" ? `${r.state === "paused" ? "Paused canary" : "Canary"} at ${r.percent}% on ${r.target}` : `Stable on ${r.target}`;
  if (!r.devices) return `${where} (cloud target)`;
  const d = r.devices;
  const failed = d.failed ? `, ${formatCount(d.failed)} failed to install` : "";
  return `${where}: ${formatCount(d.running)} ${d.running === 1 ? "device reports" : "devices report"} running v${version}, ${formatCount(d.pending)} pending${failed}, ${formatCount(d.unknown)} not reporting, of ${formatCount(d.total)}`;
}

export function incidentWords(i: ReadinessRow["incidents"][number]): string {
  return `INC-${i.number} ${i.title} (${i.severity}, ${i.status})`;
}

export function rowTitle(r: Pick<ReadinessRow, "model" | "version">): string {
  return `${r.model.name} v${r.version}`;
}
