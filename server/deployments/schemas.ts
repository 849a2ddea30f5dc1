// Deployment input schemas: actions (with revision and idempotency key), approvals, queries; tRPC, REST and forms share them.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";
import { ZRuntimeConfig } from "./config";

export const ZIdempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "8 to 100 letters, digits or _ . : -");
const base = {
  deploymentId: z.uuid(),
  /** The revision the caller saw; a change since then is refused with CONFLICT. */
  revision: z.number().int().min(1),
  idempotencyKey: ZIdempotencyKey,
};
const ZOverride = z.strictObject({ reason: z.string().trim().min(10, "Write at least 10 characters saying why the gates may be overridden").max(2000) });
const versioned = { ...base, version: z.number().int().positive(), config: ZRuntimeConfig.optional() };

export const ZPromote = z.strictObject({ ...versioned, override: ZOverride.optional() });
export const ZStartCanary = z.strictObject({ ...versioned, override: ZOverride.optional(), plan: z.array(z.number().min(0.01).max(100)).min(1).max(10).optional() });
export const ZRollback = z.strictObject({ ...base, version: z.number().int().positive() });
export const ZStep = z.strictObject(base);
export type TPromote = z.input<typeof ZPromote>;
export type TStartCanary = z.input<typeof ZStartCanary>;
export type TRollback = z.input<typeof ZRollback>;
export type TStep = z.input<typeof ZStep>;

/** The REST door: one body for every action. */
export const ZDeploymentAction = z.discriminatedUnion("action", [
  ZPromote.extend({ action: z.literal("promote") }).omit({ deploymentId: true }),
  ZStartCanary.extend({ action: z.literal("canary.start") }).omit({ deploymentId: true }),
  ZRollback.extend({ action: z.literal("rollback") }).omit({ deploymentId: true }),
  ZStep.extend({ action: z.enum(["advance", "pause", "resume", "abort"]) }).omit({ deploymentId: true }),
]);
export type TDeploymentAction = z.input<typeof ZDeploymentAction>;

export const ZApprove = z.strictObject({ deploymentId: z.uuid(), version: z.number().int().positive(), comment: z.string().trim().max(2000).default("") });
export type TApprove = z.input<typeof ZApprove>;

export const ZDeploymentQuery = z.strictObject({ id: z.uuid(), version: z.number().int().positive().optional() });
export const ZOncallQuery = z.strictObject({ model: ZSlug });
export const ZDeviceId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/);
