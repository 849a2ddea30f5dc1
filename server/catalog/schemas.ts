// Input schemas of the catalog area, shared by tRPC, REST, the Backstage import and the pages.
import { z } from "zod";

export const CATALOG_KINDS = ["model", "serving-target", "fleet", "dataset", "runbook"] as const;
export const LIFECYCLES = ["experimental", "production", "deprecated"] as const;
/** Scorecard checks, in the order they are shown. */
export const CHECK_KEYS = ["owner", "oncall", "runbooks", "model-card", "signoff", "slo"] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];
export type Lifecycle = (typeof LIFECYCLES)[number];
export type CheckKey = (typeof CHECK_KEYS)[number];

export const ZCatalogKind = z.enum(CATALOG_KINDS);
export const ZLifecycle = z.enum(LIFECYCLES);
export const ZCheckKey = z.enum(CHECK_KEYS);

/** Slugs, dataset names and runbook slugs: what Backstage accepts as metadata.name (letters, digits, - _ .). */
export const ZEntityName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "A catalog name is letters, digits, '-', '_' or '.', starting with a letter or digit");
export const ZTeamSlug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/, "A team is named by its slug, e.g. perception");

/** Only web links: a javascript: or data: URL in a link list would run in whoever clicks it. */
export const ZCatalogLink = z.strictObject({
  title: z.string().trim().min(1, "A link needs a title").max(80, "A link title is at most 80 characters"),
  url: z
    .string()
    .trim()
    .max(500, "A link URL is at most 500 characters")
    .pipe(z.url({ protocol: /^https?$/, error: "A link URL must be an http or https address" })),
});

export const ZDependency = z.union([
  z.strictObject({ kind: ZCatalogKind, name: ZEntityName }),
  z.strictObject({
    runtime: z
      .string()
      .trim()
      .min(1)
      .max(80, "A runtime is at most 80 characters, e.g. onnxruntime 1.20")
      .regex(/^[^;]+$/, "A runtime cannot contain ';' (it separates runtimes in the Backstage annotation)"),
  }),
]);
export type TDependency = z.infer<typeof ZDependency>;

export const ZCatalogRef = z.strictObject({ kind: ZCatalogKind, name: ZEntityName });

export const ZCatalogList = z.strictObject({
  kind: ZCatalogKind.optional(),
  owner: ZTeamSlug.optional(),
  lifecycle: ZLifecycle.optional(),
  /** Models failing this scorecard check. */
  failing: ZCheckKey.optional(),
});
export type TCatalogList = z.input<typeof ZCatalogList>;

/** What a person (or the REST body, or one Backstage document) sets on an entity. */
export const ZCatalogFields = z.strictObject({
  owner: ZTeamSlug,
  /** The on-call rotation by name; null for none. */
  rotation: z.string().trim().min(1).max(100).nullable(),
  links: z.array(ZCatalogLink).max(20, "At most 20 links"),
  lifecycle: ZLifecycle,
  // Entities first, then runtimes: the order Backstage's dependsOn and the runtimes annotation give back.
  dependencies: z
    .array(ZDependency)
    .max(50, "At most 50 dependencies")
    .transform((ds) => [...ds.filter((d) => "kind" in d), ...ds.filter((d) => "runtime" in d)]),
});
export type TCatalogFields = z.infer<typeof ZCatalogFields>;

export const ZCatalogUpdate = z.strictObject({ kind: ZCatalogKind, name: ZEntityName, ...ZCatalogFields.shape });
export type TCatalogUpdate = z.input<typeof ZCatalogUpdate>;

export const ZTeamPage = z.strictObject({ slug: ZTeamSlug });

export const ZCatalogExport = z.strictObject({ kind: ZCatalogKind.optional(), name: ZEntityName.optional() });
/** A catalog-info.yaml, one or many documents. */
export const ZCatalogImport = z.strictObject({ yaml: z.string().min(1, "Paste a catalog-info.yaml").max(1_000_000, "At most 1 MB of YAML") });

/** A check's label inside a sentence ("Missing: has an SLO"): only the first letter drops its capital. */
export const checkInSentence = (label: string) => label[0].toLowerCase() + label.slice(1);
