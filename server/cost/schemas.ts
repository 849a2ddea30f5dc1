// Cost input schemas: REST ingest, budgets, page queries.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";
import { RESOURCE_KINDS } from "./focus-csv";

export { RESOURCE_KINDS };
export const RESOURCE_KIND_LABELS: Record<(typeof RESOURCE_KINDS)[number], string> = {
  gpu_hours: "GPU hours",
  cpu_hours: "CPU hours",
  memory: "Memory",
  storage: "Storage",
  network_egress: "Network egress",
  llm_tokens: "LLM tokens",
  device_bandwidth: "Device bandwidth (OTA)",
  other: "Other",
};

/** Money crosses the wire as a decimal string ("12.34"), never a float. */
export const ZMoney = z
  .string()
  .trim()
  .regex(/^-?\d{1,9}(\.\d+)?$/, 'A decimal amount in USD as a string, e.g. "12.34"');
export const ZMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A month such as 2025-06");
const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A UTC date such as 2025-06-01")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "Not a real date");

export const ZCostRecord = z.strictObject({
  day: ZDay,
  model: ZSlug.optional(),
  version: z.number().int().positive().optional(),
  environment: z.string().trim().min(1).max(64).default("unallocated"),
  deployment: z.string().trim().max(200).optional(),
  resourceKind: z.enum(RESOURCE_KINDS),
  billedCost: ZMoney,
  effectiveCost: ZMoney.optional(),
  serviceName: z.string().max(200).default(""),
  resourceId: z.string().max(500).default(""),
  tags: z.record(z.string().max(100), z.string().max(500)).default({}),
  /** Your idempotency key for the row; derived from the row's fields when absent. */
  rowKey: z.string().min(1).max(200).optional(),
});

export const ZIngestCosts = z.strictObject({ records: z.array(ZCostRecord).min(1).max(10_000) });
export type TIngestCosts = z.input<typeof ZIngestCosts>;

export const ZSetBudget = z.strictObject({
  scope: z.enum(["team", "model"]),
  key: z.string().trim().min(1).max(64),
  month: ZMonth,
  amount: ZMoney.refine((v) => !v.startsWith("-"), "A budget is not negative"),
});
export type TSetBudget = z.input<typeof ZSetBudget>;

/** Filters shared by the overview and the model page; all optional, all in the URL. */
const filters = {
  environment: z.string().trim().min(1).max(64).optional(),
  kind: z.enum(RESOURCE_KINDS).optional(),
};
export const ZCostQuery = z.strictObject({ month: ZMonth.optional(), model: ZSlug.optional(), ...filters });
export const ZModelCostQuery = z.strictObject({ slug: ZSlug, month: ZMonth.optional(), ...filters });
export type TCostFilters = { model?: string; environment?: string; kind?: (typeof RESOURCE_KINDS)[number] };

/** Assumed CDN egress price for OTA downloads to vehicles, USD per GB (10^9 bytes): the estimate says so on the page. */
export const OTA_USD_PER_GB = "0.09";
export const ZCsvText = z.strictObject({ text: z.string(), fileName: z.string().max(200).optional() });
