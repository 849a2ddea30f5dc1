// Backstage's catalog-info.yaml: export catalog entries as Backstage entities and import them back, so a company that
// runs Backstage sees the models there while Sentinel stays the place to act. Models are Components of type ml-model;
// serving targets, fleets, datasets and runbooks are Resources typed by their Sentinel kind.
import { parseAllDocuments, stringify } from "yaml";
import { z } from "zod";
import type { Db } from "@/db/client";
import type { Actor } from "@/server/auth/roles";
import { Invalid, NotFound } from "@/server/errors";
import { CATALOG_KINDS, ZCatalogExport, ZCatalogFields, ZCatalogImport, ZEntityName, ZLifecycle, type CatalogKind, type TDependency } from "./schemas";
import { applyCatalogEntry, catalogWriteContext, getCatalogEntity, listCatalog, type CatalogChange, type CatalogEntry } from "./service";

export const BACKSTAGE_API_VERSION = "backstage.io/v1alpha1";
/** Annotations Sentinel writes and reads back. */
export const ANNOTATION = {
  kind: "sentinel.dev/kind",
  id: "sentinel.dev/id",
  rotation: "sentinel.dev/oncall-rotation",
  runtimes: "sentinel.dev/runtimes",
} as const;
/** Runtimes are one annotation value (Backstage annotations are strings), joined with this. */
const RUNTIME_SEPARATOR = "; ";
const MAX_DOCUMENTS = 1000;

const RESOURCE_KINDS = ["serving-target", "fleet", "dataset", "runbook"] as const;
const backstageKindOf = (k: CatalogKind) => (k === "model" ? "Component" : "Resource");
const specTypeOf = (k: CatalogKind) => (k === "model" ? "ml-model" : k);

export type BackstageEntity = {
  apiVersion: string;
  kind: "Component" | "Resource";
  metadata: { name: string; title: string; annotations: Record<string, string>; links: { url: string; title: string }[] };
  spec: { type: string; owner: string; lifecycle: string; dependsOn: string[] };
};

/** One catalog entry as a Backstage entity; pure. */
export function toBackstage(e: CatalogEntry): BackstageEntity {
  const runtimes = e.dependencies.flatMap((d) => ("runtime" in d ? [d.runtime] : []));
  const annotations: Record<string, string> = { [ANNOTATION.kind]: e.kind, [ANNOTATION.id]: e.refId };
  if (e.rotation) annotations[ANNOTATION.rotation] = e.rotation.name;
  if (runtimes.length) annotations[ANNOTATION.runtimes] = runtimes.join(RUNTIME_SEPARATOR);
  return {
    apiVersion: BACKSTAGE_API_VERSION,
    kind: backstageKindOf(e.kind),
    metadata: { name: e.name, title: e.title, annotations, links: e.links.map((l) => ({ url: l.url, title: l.title })) },
    spec: {
      type: specTypeOf(e.kind),
      owner: e.owner?.slug ?? "",
      lifecycle: e.lifecycle ?? "experimental",
      dependsOn: e.dependencies.flatMap((d) => ("kind" in d ? [`${backstageKindOf(d.kind).toLowerCase()}:default/${d.name}`] : [])),
    },
  };
}

/** Entries as multi-document YAML, one `---` document each. */
export function toYaml(entries: CatalogEntry[]): string {
  return entries.map((e) => stringify(toBackstage(e), { lineWidth: 0 })).join("---\n");
}

/** The whole catalog (or one kind, or one entry) as catalog-info.yaml. Uncatalogued models have no owner to export. */
export async function exportBackstage(db: Db, input: unknown = {}): Promise<string> {
  const q = ZCatalogExport.parse(input);
  if (q.name) {
    if (!q.kind) throw new Invalid("Name the kind too, e.g. kind=model&name=forward-collision-warning");
    const e = await getCatalogEntity(db, { kind: q.kind, name: q.name });
    if (!e.catalogued) throw new NotFound(`Catalog entry ${q.kind}/${q.name}`);
    return toYaml([e]);
  }
  const { entries } = await listCatalog(db, q.kind ? { kind: q.kind } : {});
  return toYaml(entries.filter((e) => e.catalogued));
}

// Backstage entities carry more than Sentinel keeps (description, tags, system...); unknown fields are ignored.
const ZBackstageEntity = z.object({
  apiVersion: z.literal(BACKSTAGE_API_VERSION, { error: `apiVersion must be ${BACKSTAGE_API_VERSION}` }),
  kind: z.enum(["Component", "Resource"], { error: "kind must be Component (models) or Resource (targets, fleets, datasets, runbooks)" }),
  metadata: z.object({
    name: ZEntityName,
    annotations: z.record(z.string(), z.string()).optional(),
    links: z
      .array(z.object({ url: z.string(), title: z.string().optional() }))
      .max(20)
      .optional(),
  }),
  spec: z.object({
    type: z.string(),
    owner: z.string().min(1, "spec.owner names the owning team"),
    lifecycle: ZLifecycle,
    dependsOn: z.array(z.string()).max(50).optional(),
  }),
});
type TBackstageEntity = z.infer<typeof ZBackstageEntity>;

/** "perception", "group:perception" and "group:default/perception" all name the team perception. */
function ownerSlug(owner: string): string {
  return owner.replace(/^group:/i, "").replace(/^default\//, "");
}

function sentinelKind(doc: TBackstageEntity, where: string): CatalogKind {
  const annotated = doc.metadata.annotations?.[ANNOTATION.kind];
  if (annotated && (CATALOG_KINDS as readonly string[]).includes(annotated)) return annotated as CatalogKind;
  if (doc.kind === "Component" && doc.spec.type === "ml-model") return "model";
  if (doc.kind === "Resource" && (RESOURCE_KINDS as readonly string[]).includes(doc.spec.type)) return doc.spec.type as CatalogKind;
  throw new Invalid(
    `${where}: ${doc.kind} of type "${doc.spec.type}" is not something Sentinel catalogs; use Component ml-model, or Resource ${RESOURCE_KINDS.join(", ")}`,
  );
}

export type ImportReport = { created: number; updated: number; unchanged: number; changes: CatalogChange[] };

/**
 * Applies a catalog-info.yaml: every document is validated before anything is written, unknown owner teams are refused
 * by name, and all changes happen in one transaction (one audit row per changed entry). Reports what changed.
 */
export async function importBackstage(db: Db, actor: Actor, input: unknown): Promise<ImportReport> {
  const { yaml } = ZCatalogImport.parse(input);
  const parsed = parseAllDocuments(yaml);
  const docs = Array.isArray(parsed) ? parsed : [parsed];
  const raw: { doc: unknown; where: string }[] = [];
  for (const [i, d] of docs.entries()) {
    if (d.errors.length) throw new Invalid(`Document ${i + 1} is not valid YAML: ${d.errors[0].message.split("\n")[0]}`);
    const value: unknown = d.toJS({ maxAliasCount: 50 });
    if (value !== null && value !== undefined) raw.push({ doc: value, where: `Document ${i + 1}` });
  }
  if (!raw.length) throw new Invalid("The YAML holds no entities");
  if (raw.length > MAX_DOCUMENTS) throw new Invalid(`At most ${MAX_DOCUMENTS} entities per import`);
  const entities = raw.map(({ doc, where }) => {
    const r = ZBackstageEntity.safeParse(doc);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new Invalid(`${where}: ${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
    }
    const kind = sentinelKind(r.data, `${where} (${r.data.metadata.name})`);
    return { doc: r.data, kind, where: `${where} (${kind}/${r.data.metadata.name})` };
  });
  const seen = new Set<string>();
  for (const e of entities) {
    const k = `${e.kind}/${e.doc.metadata.name}`;
    if (seen.has(k)) throw new Invalid(`${k} appears twice in the YAML`);
    seen.add(k);
  }

  return db.transaction(async (tx) => {
    const ctx = await catalogWriteContext(tx, actor, "backstage-import");
    const unknownOwners = entities.filter((e) => !ctx.teamList.some((t) => t.slug === ownerSlug(e.doc.spec.owner)));
    if (unknownOwners.length)
      throw new Invalid(
        `Unknown owner team${unknownOwners.length === 1 ? "" : "s"}: ${unknownOwners.map((e) => `${e.doc.spec.owner} on ${e.kind}/${e.doc.metadata.name}`).join(", ")}. ` +
          `Known teams: ${ctx.teamList.map((t) => t.slug).join(", ")}. Create the team first or fix spec.owner`,
      );
    // A Resource reference names a target, fleet, dataset or runbook: resolved against this file and the catalog.
    const existing = (await listCatalog(tx, {})).entries.filter((e) => e.catalogued);
    const resourceKinds = (name: string) => [
      ...new Set([
        ...existing.filter((e) => e.kind !== "model" && e.name === name).map((e) => e.kind),
        ...entities.filter((e) => e.kind !== "model" && e.doc.metadata.name === name).map((e) => e.kind),
      ]),
    ];
    const changes: CatalogChange[] = [];
    for (const e of entities) {
      const deps: TDependency[] = (e.doc.spec.dependsOn ?? []).map((ref) => {
        const m = /^(component|resource):(?:default\/)?([A-Za-z0-9][A-Za-z0-9._-]*)$/i.exec(ref);
        if (!m) throw new Invalid(`${e.where}: dependsOn "${ref}" is not a component: or resource: reference`);
        const name = m[2];
        if (m[1].toLowerCase() === "component") return { kind: "model" as const, name };
        const kinds = resourceKinds(name);
        if (kinds.length !== 1)
          throw new Invalid(
            `${e.where}: dependsOn "${ref}" ${kinds.length ? `is ambiguous (${kinds.join(", ")})` : "names nothing in the catalog or this file"}`,
          );
        return { kind: kinds[0], name };
      });
      const runtimes = (e.doc.metadata.annotations?.[ANNOTATION.runtimes] ?? "")
        .split(RUNTIME_SEPARATOR.trim())
        .map((s) => s.trim())
        .filter(Boolean)
        .map((runtime) => ({ runtime }));
      const fields = ZCatalogFields.safeParse({
        owner: ownerSlug(e.doc.spec.owner),
        rotation: e.doc.metadata.annotations?.[ANNOTATION.rotation] ?? null,
        links: (e.doc.metadata.links ?? []).map((l) => ({ url: l.url, title: (l.title ?? l.url).slice(0, 80) })),
        lifecycle: e.doc.spec.lifecycle,
        dependencies: [...deps, ...runtimes],
      });
      if (!fields.success) {
        const issue = fields.error.issues[0];
        throw new Invalid(`${e.where}: ${issue.path.join(".")}: ${issue.message}`);
      }
      changes.push(await applyCatalogEntry(tx, actor, { kind: e.kind, name: e.doc.metadata.name, ...fields.data }, ctx));
    }
    return {
      created: changes.filter((c) => c.action === "created").length,
      updated: changes.filter((c) => c.action === "updated").length,
      unchanged: changes.filter((c) => c.action === "unchanged").length,
      changes,
    };
  });
}
