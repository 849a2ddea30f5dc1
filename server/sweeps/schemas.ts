// Input schemas of the sweeps area, shared by tRPC, REST and the page.
import { z } from "zod";
import { ZExperimentId, ZRunId } from "@/server/experiments/schemas";

/** A sweep is named by its parent run's id, or by `tag-` and the base64url of its `sweep` tag's value. */
export const ZSweepId = z
  .string()
  .min(1)
  .max(400)
  .regex(/^[\w-]+$/, "A sweep id is a parent run id or tag-<base64url of the sweep tag>");

export const ZGetSweep = z.strictObject({
  /** Needed for a tag group; a parent-run sweep is found from its run when left out (REST). */
  experimentId: ZExperimentId.optional(),
  sweepId: ZSweepId,
  /** The metric to optimise; the sweep's declared one (or its most common metric) when left out. */
  objective: z.string().min(1).max(250).optional(),
  direction: z.enum(["min", "max"]).optional(),
  k: z.number().int().min(1).max(100).default(10),
});
export type TGetSweep = z.input<typeof ZGetSweep>;

export const ZListSweeps = z.strictObject({ experimentId: ZExperimentId });
export const ZSweepForRun = z.strictObject({ runId: ZRunId });

/** The REST query string of GET /api/v1/sweeps/{id} (the id comes from the path). */
export const ZSweepQuery = z.strictObject({
  experimentId: ZExperimentId.optional(),
  objective: z.string().min(1).max(250).optional(),
  direction: z.enum(["min", "max"]).optional(),
  k: z.coerce.number().int().min(1).max(100).optional(),
});
