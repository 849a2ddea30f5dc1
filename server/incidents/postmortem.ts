// The postmortem as Markdown (download), built from the template fields and the incident's own timeline; pure.
import type { Postmortem } from "@/db/schema/incidents";
import { SEVERITY_MEANING, type Severity } from "./schemas";
import type { TimelineItem } from "./timeline";

export const EMPTY_POSTMORTEM: Postmortem = { summary: "", impact: "", rootCause: "", wentWell: "", actionItems: [] };

/** What each section asks for, blameless by construction: systems and decisions, not people's faults. */
export const POSTMORTEM_PROMPTS = {
  summary: "What happened, in two or three sentences a new team member would understand.",
  impact: "Who and what was affected, for how long, in numbers (devices, requests, missed events).",
  rootCause: "Which conditions made this possible? Ask “how did it make sense at the time?” rather than “who did it?”.",
  wentWell: "What helped: alerts that fired, runbook steps that worked, tools that made mitigation quick.",
} as const;

const iso = (d: Date | null) => (d ? d.toISOString().replace(".000Z", "Z") : "—");
const minutes = (ms: number | null) => (ms === null ? "not reached" : `${Math.round(ms / 60_000)} min`);
const text = (s: string) => s.trim() || "_(to be written)_";
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function postmortemMarkdown(i: {
  number: number;
  title: string;
  severity: Severity;
  model: { slug: string } | null;
  startedAt: Date;
  declaredAt: Date;
  acknowledgedAt: Date | null;
  mitigatedAt: Date | null;
  resolvedAt: Date | null;
  ttaMs: number | null;
  ttmMs: number | null;
  commander: { email: string } | null;
  timeline: readonly TimelineItem[];
  postmortem: Postmortem | null;
}): string {
  const p = i.postmortem ?? EMPTY_POSTMORTEM;
  const lines = [
    `# Postmortem: INC-${i.number} ${i.title}`,
    "",
    `- Severity: ${SEVERITY_MEANING[i.severity].label} (${SEVERITY_MEANING[i.severity].meaning})`,
    `- Model: ${i.model?.slug ?? "—"}`,
    `- Commander: ${i.commander?.email ?? "—"}`,
    `- Started ${iso(i.startedAt)}, declared ${iso(i.declaredAt)}, acknowledged ${iso(i.acknowledgedAt)}, mitigated ${iso(i.mitigatedAt)}, resolved ${iso(i.resolvedAt)}`,
    `- Time to acknowledge: ${minutes(i.ttaMs)}; time to mitigate: ${minutes(i.ttmMs)}`,
    "",
    "_Blameless: this document describes systems and decisions, not individual fault._",
    "",
    "## Summary",
    "",
    text(p.summary),
    "",
    "## Impact",
    "",
    text(p.impact),
    "",
    "## Timeline (UTC)",
    "",
    ...(i.timeline.length ? i.timeline.map((t) => `- ${iso(t.at)} — ${t.text}${t.actor && t.actor !== "system" ? ` (${t.actor})` : ""}`) : ["_(no events)_"]),
    "",
    "## Root cause",
    "",
    text(p.rootCause),
    "",
    "## What went well",
    "",
    text(p.wentWell),
    "",
    "## Action items",
    "",
    ...(p.actionItems.length
      ? [
          "| Done | Action | Owner | Due |",
          "| --- | --- | --- | --- |",
          ...p.actionItems.map((a) => `| ${a.done ? "yes" : "no"} | ${cell(a.text)} | ${cell(a.owner) || "—"} | ${a.due || "—"} |`),
        ]
      : ["_(none yet)_"]),
    "",
  ];
  return lines.join("\n");
}
