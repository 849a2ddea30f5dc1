// Incident input schemas and the words the app shows for severities and statuses; tRPC, forms and pages share them.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";

export const SEVERITIES = ["sev1", "sev2", "sev3", "sev4"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** What each level means, shown wherever a severity is chosen or displayed. */
export const SEVERITY_MEANING: Record<Severity, { label: string; meaning: string }> = {
  sev1: {
    label: "SEV1",
    meaning: "Critical: safety alerts wrong or missing across a fleet or all cloud traffic; drivers affected now. Page immediately, all hands.",
  },
  sev2: {
    label: "SEV2",
    meaning: "Major: a model clearly degraded for many devices or customers (a region, a hardware class, an SLO burning fast). Page the on-call.",
  },
  sev3: { label: "SEV3", meaning: "Minor: a slice degraded or a non-safety feature broken, with a workaround. Fix in working hours." },
  sev4: { label: "SEV4", meaning: "Low: cosmetic or internal-only (stale dashboard, noisy alert). Track it; no page." },
};

/** Page-severity alerts start as SEV2, others as SEV3; the commander adjusts. */
export function severityForAlert(alertSeverity: string): Severity {
  return alertSeverity === "page" || alertSeverity === "critical" ? "sev2" : "sev3";
}

export const STATUSES = ["investigating", "identified", "mitigated", "resolved"] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_MEANING: Record<Status, string> = {
  investigating: "Looking for the cause",
  identified: "Cause known, working on a fix",
  mitigated: "Impact stopped (e.g. rolled back); cause may remain",
  resolved: "Fixed and confirmed; postmortem next",
};

const ZTitle = z.string().trim().min(3, "Give the incident a title of at least 3 characters").max(200);

export const ZDeclareIncident = z.strictObject({
  title: ZTitle,
  severity: z.enum(SEVERITIES),
  description: z.string().trim().max(5000).default(""),
  model: ZSlug.optional(),
});
export type TDeclareIncident = z.input<typeof ZDeclareIncident>;

export const ZDeclareFromAlert = z.strictObject({ alertId: z.uuid(), severity: z.enum(SEVERITIES).optional() });
export const ZIncidentId = z.strictObject({ id: z.uuid() });
/** Someone who may not roll back asks the on-call admin to. */
export const ZRequestRollback = z.strictObject({ deploymentId: z.uuid(), alertId: z.uuid().optional(), note: z.string().trim().max(2000).default("") });
export const ZSetStatus = z.strictObject({ id: z.uuid(), status: z.enum(STATUSES), note: z.string().trim().max(2000).default("") });
export const ZSetSeverity = z.strictObject({ id: z.uuid(), severity: z.enum(SEVERITIES) });
export const ZSetCommander = z.strictObject({ id: z.uuid(), userId: z.uuid() });
export const ZAddNote = z.strictObject({ id: z.uuid(), text: z.string().trim().min(1, "Write something").max(5000) });
export const ZTickChecklist = z.strictObject({ id: z.uuid(), item: z.number().int().min(0).max(500), checked: z.boolean() });
/**
 * A mitigation: on an incident (`id`) or straight from an alert (`alertId`: declares the incident when none
 * is open for it, else attaches to the open one). `reason` is required where the policy asks for it.
 */
export const ZMitigate = z
  .strictObject({
    id: z.uuid().optional(),
    alertId: z.uuid().optional(),
    deploymentId: z.uuid(),
    reason: z.string().trim().min(3, "Write at least 3 characters saying why").max(2000).optional(),
    action: z.enum(["rollback", "pause"]),
    /** Rollback: the version to go back to. */
    version: z.number().int().positive().optional(),
    revision: z.number().int().min(1),
    idempotencyKey: z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "8 to 100 letters, digits or _ . : -"),
  })
  .refine((m) => Boolean(m.id) !== Boolean(m.alertId), "Give either the incident (id) or the alert (alertId), not both");
export type TMitigate = z.input<typeof ZMitigate>;

const ZActionItem = z.strictObject({
  text: z.string().trim().min(1).max(500),
  owner: z.string().trim().max(200).default(""),
  due: z
    .string()
    .regex(/^(\d{4}-\d{2}-\d{2})?$/, "Due date as YYYY-MM-DD")
    .default(""),
  done: z.boolean().default(false),
});
export const ZPostmortem = z.strictObject({
  summary: z.string().max(10000).default(""),
  impact: z.string().max(10000).default(""),
  rootCause: z.string().max(10000).default(""),
  wentWell: z.string().max(10000).default(""),
  actionItems: z.array(ZActionItem).max(50).default([]),
});
export const ZSavePostmortem = z.strictObject({ id: z.uuid(), postmortem: ZPostmortem });
export type TPostmortem = z.output<typeof ZPostmortem>;

export const ZListIncidents = z.strictObject({
  status: z.enum(["open", ...STATUSES, "all"]).default("open"),
  severity: z.enum(SEVERITIES).optional(),
  model: ZSlug.optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export type TListIncidents = z.input<typeof ZListIncidents>;

/** Words that assign blame, with the blameless way to say it; the postmortem editor flags them. */
export const BLAME_WORDS: { pattern: RegExp; hint: string }[] = [
  { pattern: /\b(fault|blame[ds]?)\b/i, hint: "Describe what the system allowed, not whose fault it was." },
  { pattern: /\b(careless|negligen\w*|sloppy|lazy)\b/i, hint: "Judgements of people do not help; say which safeguard was missing." },
  { pattern: /\b(should have|failed to)\b/i, hint: "Hindsight wording: say what the person knew at the time and why the action made sense then." },
  { pattern: /\bhuman error\b/i, hint: "“Human error” ends the analysis; ask what made the error easy to make." },
];
export function blamePrompts(text: string): string[] {
  return BLAME_WORDS.filter((b) => b.pattern.test(text)).map((b) => b.hint);
}

export const ZCreateRotation = z.strictObject({
  name: z.string().trim().min(2).max(100),
  service: z.string().trim().min(2).max(100),
  members: z.array(z.uuid()).min(1, "Add at least one person").max(50),
  startsAt: z.coerce.date(),
  periodDays: z.number().int().min(1).max(28).default(7),
});
export const ZAddOverride = z.strictObject({
  rotationId: z.uuid(),
  userId: z.uuid(),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  reason: z.string().trim().max(500).default(""),
});
