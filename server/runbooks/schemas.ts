// Runbook input schemas; tRPC and the editor share them.
import { z } from "zod";

const ZKey = z.string().trim().min(1).max(120);
export const ZRunbookLinks = z.strictObject({
  /** Alert kinds it answers: drift, slo, freshness. */
  alertKinds: z.array(ZKey).max(20).default([]),
  /** Alert rule key prefixes, e.g. "slo:" or "drift:<monitor id>". */
  rulePrefixes: z.array(ZKey).max(20).default([]),
  /** Model slugs. */
  models: z
    .array(z.string().regex(/^[a-z0-9-]{2,64}$/, "model slugs: lowercase letters, digits and dashes"))
    .max(50)
    .default([]),
  /** Services or targets in words, e.g. "cloud serving", "camera fleet". */
  services: z.array(ZKey).max(20).default([]),
});
export type TRunbookLinks = z.output<typeof ZRunbookLinks>;

export const ZSaveRunbook = z.strictObject({
  /** Absent: a new runbook. */
  id: z.uuid().optional(),
  /** The version the author started from; a save over a newer one is refused, so nobody overwrites a colleague's edit unseen. */
  baseVersion: z.number().int().min(1).optional(),
  title: z.string().trim().min(3, "Give the runbook a title of at least 3 characters").max(200),
  body: z.string().max(100_000, "Keep a runbook under 100,000 characters"),
  links: ZRunbookLinks.default({ alertKinds: [], rulePrefixes: [], models: [], services: [] }),
  message: z.string().trim().max(500).default(""),
});
export type TSaveRunbook = z.input<typeof ZSaveRunbook>;

export const ZRunbookQuery = z.strictObject({ id: z.uuid(), version: z.number().int().min(1).optional() });
export const ZRunbookDiff = z.strictObject({ id: z.uuid(), from: z.number().int().min(1), to: z.number().int().min(1) });
