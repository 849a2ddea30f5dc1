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

/** Applied to steps given as bare percents: bake an hour, then wait for a person; pause on a failed analysis. */
export const DEFAULT_STEP_POLICY = { bakeMinutes: 60, mode: "manual", onFail: "pause" } as const;
export const ZPlanStep = z.strictObject({
  percent: z.number().min(0.01).max(100),
  /** How long the step runs before it is analysed and may advance; up to a week. */
  bakeMinutes: z.number().int().min(0).max(10_080),
  mode: z.enum(["auto", "manual"]),
  onFail: z.enum(["pause", "rollback"]),
});
/** Either bare percents (1, 5, 25, 50, 100) or steps with their bake time, mode and what a failure does. */
export const ZPlan = z.union([z.array(z.number().min(0.01).max(100)).min(1).max(10), z.array(ZPlanStep).min(1).max(10)]);
export type TPlan = z.infer<typeof ZPlan>;

export const ZPromote = z.strictObject({ ...versioned, override: ZOverride.optional() });
export const ZStartCanary = z.strictObject({ ...versioned, override: ZOverride.optional(), plan: ZPlan.optional() });
/** Why, in the actor's words: required when the on-call engineer or an incident commander acts on a protected environment. */
export const ZActionReason = z.string().trim().min(3, "Write at least 3 characters saying why").max(2000);
export const ZRollback = z.strictObject({ ...base, version: z.number().int().positive(), reason: ZActionReason.optional() });
/** `override`: an admin taking a safety-relevant canary past its limit without a sign-off (written reason). */
export const ZStep = z.strictObject({ ...base, reason: ZActionReason.optional(), override: ZOverride.optional() });
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

export const ZRunAnalysis = z.strictObject({ deploymentId: z.uuid() });

export const ZApprove = z.strictObject({ deploymentId: z.uuid(), version: z.number().int().positive(), comment: z.string().trim().max(2000).default("") });
export const ZWithdrawApproval = z.strictObject({
  deploymentId: z.uuid(),
  version: z.number().int().positive(),
  reason: z.string().trim().min(3, "Say why you withdraw it, in a few words").max(2000),
});
export type TWithdrawApproval = z.input<typeof ZWithdrawApproval>;
export type TApprove = z.input<typeof ZApprove>;

export const ZDeploymentList = z.strictObject({ modelId: z.uuid().optional() });
export const ZDeploymentQuery = z.strictObject({ id: z.uuid(), version: z.number().int().positive().optional() });
export const ZOncallQuery = z.strictObject({ model: ZSlug });
export const ZDeviceId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/);

/** What a device reports: per model the version it runs, or why the desired one did not get there. */
export const ZDeviceReport = z.strictObject({
  /** Chosen by the device (a UUID is ideal); the same id again is a replay and changes nothing. */
  reportId: z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, "8 to 100 letters, digits or _ . : -"),
  /** When the device observed this state (its clock); defaults to when it arrives. */
  at: z.coerce.date().optional(),
  models: z
    .array(
      z.strictObject({
        model: ZSlug,
        /** The version active now; null before anything was activated. */
        running: z.number().int().positive().nullable(),
        failure: z
          .strictObject({ version: z.number().int().positive(), stage: z.enum(["download", "activation"]), message: z.string().max(500).default("") })
          .optional(),
      }),
    )
    .min(1)
    .max(32),
});
export type TDeviceReport = z.input<typeof ZDeviceReport>;

export const ZCreateTarget = z.strictObject({
  slug: ZSlug,
  name: z.string().trim().min(1).max(120),
  kind: z.enum(["cloud-online", "cloud-batch", "edge-fleet"]),
  environment: z.string().min(1).max(40),
  description: z.string().trim().max(2000).default(""),
  runtime: z.strictObject({ onnxRuntime: z.string().regex(/^\d+\.\d+(\.\d+)?$/, "A version such as 1.17"), maxOpset: z.number().int().min(1).max(50) }),
  /** Cloud targets: the hardware class they run on (e.g. cloud-cpu); fleets take theirs from their devices. */
  hardwareClass: z.string().trim().min(1).max(60).optional(),
});
export type TCreateTarget = z.input<typeof ZCreateTarget>;

export const ZCreateDeployment = z.strictObject({
  target: ZSlug,
  model: ZSlug,
  /** A version number, or an alias such as "production". */
  version: z.union([z.number().int().positive(), z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "An alias: lowercase letters, digits and -")]),
  config: ZRuntimeConfig.default({}),
});
export type TCreateDeployment = z.input<typeof ZCreateDeployment>;
