// Webhook and automated-response input schemas; tRPC and the admin forms share them.
import { z } from "zod";
import { ALERT_KINDS } from "@/server/monitoring/schemas";
import { ZSlug } from "@/server/registry/schemas";

export const WEBHOOK_FORMATS = ["slack", "generic", "retrain"] as const;
/** Lowest first; a target's minimum severity lets through its own rank and above. */
export const SEVERITIES = ["info", "ticket", "warning", "page"] as const;
/** The run tag a training pipeline sets so its run shows up on the alert that triggered it. */
export const TRIGGER_TAG = "sentinel.trigger.alert_id";

const ZFilters = {
  model: ZSlug.nullish(),
  minSeverity: z.enum(SEVERITIES).nullish(),
  kinds: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).default([]),
};

export const ZCreateTarget = z.strictObject({
  name: z.string().trim().min(2).max(80),
  url: z.string().trim().min(8).max(2000),
  format: z.enum(WEBHOOK_FORMATS),
  ...ZFilters,
});
export type TCreateTarget = z.input<typeof ZCreateTarget>;

export const ZUpdateTarget = z.strictObject({
  id: z.uuid(),
  name: z.string().trim().min(2).max(80).optional(),
  url: z.string().trim().min(8).max(2000).optional(),
  enabled: z.boolean().optional(),
  model: ZFilters.model,
  minSeverity: ZFilters.minSeverity,
  kinds: z.array(z.enum(ALERT_KINDS)).max(ALERT_KINDS.length).optional(),
});
export type TUpdateTarget = z.input<typeof ZUpdateTarget>;

export const ZTargetId = z.strictObject({ id: z.uuid() });
export const ZAllowEntry = z.strictObject({ entry: z.string().trim().min(1).max(260), note: z.string().trim().max(200).default("") });
export const ZDeliveryLog = z.strictObject({ targetId: z.uuid().optional(), page: z.number().int().min(1).max(10_000).default(1) });
export const ZAlertIds = z.strictObject({ alertIds: z.array(z.uuid()).max(200) });

export const ZModelRules = z.strictObject({ model: ZSlug });
export const ZSetResponseRule = z.strictObject({
  model: ZSlug,
  alertKind: z.enum(ALERT_KINDS),
  response: z.string().regex(/^[a-z][a-z-]{1,40}$/),
  enabled: z.boolean().default(true),
  /** retrain: the training pipeline's webhook target and how many days of data before the alert to retrain on. */
  targetId: z.uuid().optional(),
  lookbackDays: z.number().int().min(1).max(365).optional(),
});
export type TSetResponseRule = z.input<typeof ZSetResponseRule>;
export const ZRuleId = z.strictObject({ id: z.uuid() });
