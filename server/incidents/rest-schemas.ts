// Request schemas of the incidents REST door (/api/v1/incidents): the tRPC schemas' rules, spelled for machines
// (severities case-insensitive, the commander by email, a deployment action named in words).
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";
import { SEVERITIES, STATUSES } from "./schemas";

const lower = (v: unknown) => (typeof v === "string" ? v.trim().toLowerCase() : v);
const ZSeverity = z.preprocess(lower, z.enum(SEVERITIES, { error: "severity must be one of sev1, sev2, sev3, sev4" }));

export const ZApiDeclareIncident = z.strictObject({
  title: z.string().trim().min(3, "Give the incident a title of at least 3 characters").max(200),
  severity: ZSeverity,
  model: ZSlug.optional(),
  description: z.string().trim().max(5000).optional(),
});
export type TApiDeclareIncident = z.input<typeof ZApiDeclareIncident>;

export const ZApiListIncidents = z.strictObject({
  status: z.preprocess(lower, z.enum(["open", ...STATUSES, "all"])).default("open"),
  severity: ZSeverity.optional(),
  model: ZSlug.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const ZApiPatchIncident = z
  .strictObject({
    status: z.preprocess(lower, z.enum(STATUSES)).optional(),
    severity: ZSeverity.optional(),
    /** The new commander: an email address or a user id. */
    commander: z.union([z.email(), z.uuid()]).optional(),
    /** Added to the timeline (with the status change when one is sent). */
    note: z.string().trim().min(1, "An empty note says nothing; leave it out instead").max(5000).optional(),
  })
  .refine((p) => p.status ?? p.severity ?? p.commander ?? p.note, { message: "Send at least one of status, severity, commander, note" });
export type TApiPatchIncident = z.input<typeof ZApiPatchIncident>;

export const ZApiMitigation = z.strictObject({
  /** The deployment id (one of the incident's deployments). */
  deployment: z.uuid(),
  action: z.preprocess(lower, z.enum(["rollback", "pause"])),
  /** Rollback target; defaults to the version the deployment would roll back to (its stable version while a canary runs). */
  version: z.number().int().positive().optional(),
  reason: z.string().trim().min(3, "Say why, in a few words: it goes on the incident timeline and the audit log").max(500),
  /** The deployment revision the caller saw; defaults to the current one. */
  revision: z.number().int().min(1).optional(),
  /** A retry with the same key returns the first result; defaults to the Idempotency-Key header, else a new key. */
  idempotencyKey: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{8,100}$/, "8 to 100 letters, digits or _ . : -")
    .optional(),
});
export type TApiMitigation = z.input<typeof ZApiMitigation>;
