// Lineage inputs: an entity named "<kind>:<id>" (as in URLs and node ids) and how far to walk from it.
import { z } from "zod";

export const FOCUS_KINDS = ["dataset", "run", "version", "deployment", "target", "alert", "incident"] as const;
export type FocusKind = (typeof FOCUS_KINDS)[number];
/** Cohorts (device groups reporting a model) and collapsed groups are shown but not walked from. */
export type NodeKind = FocusKind | "cohort" | "group";

export const MAX_DEPTH = 4;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RUN_ID = /^[0-9a-f]{32}$/i;
const VERSION_REF = /^[a-z0-9][a-z0-9._-]{0,99}\/[1-9][0-9]{0,8}$/i;
const SLUG = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/** What each kind's id looks like; a version may also be "<model slug>/<number>", a target its slug. */
const ID_RULES: Record<FocusKind, { test: (id: string) => boolean; hint: string }> = {
  dataset: { test: (id) => UUID.test(id), hint: "a dataset id (UUID)" },
  run: { test: (id) => RUN_ID.test(id), hint: "a run id (32 hex characters)" },
  version: { test: (id) => UUID.test(id) || VERSION_REF.test(id), hint: "a version id (UUID) or <model slug>/<number>" },
  deployment: { test: (id) => UUID.test(id), hint: "a deployment id (UUID)" },
  target: { test: (id) => UUID.test(id) || SLUG.test(id), hint: "a target id (UUID) or slug" },
  alert: { test: (id) => UUID.test(id), hint: "an alert id (UUID)" },
  incident: { test: (id) => UUID.test(id), hint: "an incident id (UUID)" },
};

export const ZEntityRef = z
  .string()
  .max(200)
  .transform((s, ctx) => {
    const i = s.indexOf(":");
    const kind = s.slice(0, i);
    const id = s.slice(i + 1).toLowerCase();
    if (i < 1 || !(FOCUS_KINDS as readonly string[]).includes(kind)) {
      ctx.addIssue({ code: "custom", message: `entity must be <kind>:<id> with kind one of ${FOCUS_KINDS.join(", ")}` });
      return z.NEVER;
    }
    const k = kind as FocusKind;
    if (!ID_RULES[k].test(id)) {
      ctx.addIssue({ code: "custom", message: `entity ${k}: needs ${ID_RULES[k].hint}` });
      return z.NEVER;
    }
    return { kind: k, id };
  });
export type TEntityRef = { kind: FocusKind; id: string };

export const ZLineageQuery = z.strictObject({
  entity: ZEntityRef,
  depth: z.coerce.number().int().min(1).max(MAX_DEPTH, `depth is at most ${MAX_DEPTH}`).default(1),
});
export type TLineageQuery = z.input<typeof ZLineageQuery>;

export const ZImpactQuery = z.strictObject({ entity: ZEntityRef });

export const ZDatasetImpact = z.strictObject({ dataset: z.uuid("dataset must be a dataset id (UUID)") });
export const ZRunIncidents = z.strictObject({ run: z.string().regex(RUN_ID, "run must be a run id (32 hex characters)") });

export const ZOpenLineageQuery = z.strictObject({ run: z.string().regex(RUN_ID, "run must be a run id (32 hex characters)") });

/** The browser's request shape (tRPC types the client with it); the service parses it fully. */
export const ZLineageRequest = z.strictObject({ entity: z.string().max(200), depth: z.number().int().optional() });
export const ZImpactRequest = z.strictObject({ entity: z.string().max(200) });
