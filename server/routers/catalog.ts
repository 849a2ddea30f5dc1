// The catalog for the browser: the list with scorecards, one entry, changes to an entry, a team's page, and
// Backstage's catalog-info.yaml out and in.
import { exportBackstage, importBackstage } from "@/server/catalog/backstage";
import { getCatalogEntity, listCatalog, teamPage, updateCatalogEntity } from "@/server/catalog/service";
import { ZCatalogExport, ZCatalogImport, ZCatalogList, ZCatalogRef, ZCatalogUpdate, ZTeamPage } from "@/server/catalog/schemas";
import { engineerProcedure, router, viewerProcedure } from "@/server/trpc";

export const catalogRouter = router({
  list: viewerProcedure.input(ZCatalogList.optional()).query(({ ctx, input }) => listCatalog(ctx.db, input ?? {})),
  get: viewerProcedure.input(ZCatalogRef).query(({ ctx, input }) => getCatalogEntity(ctx.db, input)),
  update: engineerProcedure.input(ZCatalogUpdate).mutation(({ ctx, input }) => updateCatalogEntity(ctx.db, ctx.actor, input)),
  team: viewerProcedure.input(ZTeamPage).query(({ ctx, input }) => teamPage(ctx.db, input)),
  exportBackstage: viewerProcedure.input(ZCatalogExport.optional()).query(({ ctx, input }) => exportBackstage(ctx.db, input ?? {})),
  importBackstage: engineerProcedure.input(ZCatalogImport).mutation(({ ctx, input }) => importBackstage(ctx.db, ctx.actor, input)),
});
