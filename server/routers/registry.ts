// Model registry for the browser. Uploads go through REST (streamed multipart with progress).
import { z } from "zod";
import { artifactStore } from "@/server/artifacts";
import { ZAlias, ZCreateModel, ZListModels, ZSlug, ZUpdateVersion } from "@/server/registry/schemas";
import {
  compareVersions,
  createModel,
  deleteAlias,
  getModel,
  getVersion,
  listModels,
  setAlias,
  updateVersion,
  verifyArtifact,
  versionResource,
} from "@/server/registry/service";
import { listAudit } from "@/server/audit/service";
import { PreconditionFailed } from "@/server/errors";
import { compareWithParent, getVariantComparison, ZVariantRef } from "@/server/registry/variant-comparison";
import { makeInt8Variant, ZMakeVariant } from "@/server/registry/variants";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

const ZVersionRef = z.strictObject({ slug: ZSlug, version: z.number().int().positive() });

export const registryRouter = router({
  list: viewerProcedure.input(ZListModels.partial()).query(({ ctx, input }) => listModels(ctx.db, input)),
  model: viewerProcedure.input(z.strictObject({ slug: ZSlug })).query(({ ctx, input }) => getModel(ctx.db, input.slug)),
  version: viewerProcedure.input(ZVersionRef).query(async ({ ctx, input }) => versionResource(await getVersion(ctx.db, input.slug, input.version))),
  versionHistory: viewerProcedure
    .input(ZVersionRef)
    .query(async ({ ctx, input }) => (await listAudit(ctx.db, { entityType: "model_version", entityId: `${input.slug}/${input.version}`, limit: 50 })).items),
  compare: viewerProcedure
    .input(z.strictObject({ slug: ZSlug, a: z.number().int().positive(), b: z.number().int().positive() }))
    .query(({ ctx, input }) => compareVersions(ctx.db, input.slug, input.a, input.b)),
  createModel: engineerProcedure.input(ZCreateModel).mutation(({ ctx, input }) => createModel(ctx.db, ctx.actor, input)),
  updateVersion: engineerProcedure
    .input(ZVersionRef.extend({ patch: ZUpdateVersion }))
    .mutation(async ({ ctx, input }) => versionResource(await updateVersion(ctx.db, ctx.actor, input.slug, input.version, input.patch))),
  setAlias: engineerProcedure
    .input(ZVersionRef.extend({ alias: ZAlias }))
    .mutation(({ ctx, input }) => setAlias(ctx.db, ctx.actor, input.slug, input.alias, input.version)),
  deleteAlias: engineerProcedure
    .input(z.strictObject({ slug: ZSlug, alias: ZAlias }))
    .mutation(({ ctx, input }) => deleteAlias(ctx.db, ctx.actor, input.slug, input.alias)),
  /** Quantises the version's weights to int8 and registers the result as a new draft version derived from it. */
  makeInt8Variant: engineerProcedure
    .input(ZMakeVariant)
    .mutation(async ({ ctx, input }) => versionResource(await makeInt8Variant(ctx.db, artifactStore, ctx.actor, input))),
  /** The stored "variant vs parent" comparison, or its state (none, running, failed) and why this caller cannot start one. */
  variantComparison: viewerProcedure.input(ZVariantRef).query(({ ctx, input }) => getVariantComparison(ctx.db, ctx.actor, input)),
  /** Measures a variant beside its parent and records the result (and the variant's safety evaluation); once per parent file. */
  compareWithParent: engineerProcedure.input(ZVariantRef).mutation(({ ctx, input }) => compareWithParent(ctx.db, artifactStore, ctx.actor, input)),
  verify: engineerProcedure.input(ZVersionRef).mutation(async ({ ctx, input }) => {
    const v = await getVersion(ctx.db, input.slug, input.version);
    if (!v.artifact) throw new PreconditionFailed("This version holds no file to verify");
    return { integrity: await verifyArtifact(ctx.db, artifactStore, ctx.actor, v.artifact.sha256) };
  }),
});
