// Inputs of the release readiness reads: the REST export format and one version's row.
import { z } from "zod";
import { ZSlug } from "@/server/registry/schemas";

export const ZReadinessFormat = z.strictObject({ format: z.enum(["json", "csv", "markdown"]).default("json") });
export type TReadinessFormat = z.input<typeof ZReadinessFormat>;

export const ZVersionReadiness = z.strictObject({ slug: ZSlug, version: z.number().int().positive() });
export type TVersionReadiness = z.input<typeof ZVersionReadiness>;
