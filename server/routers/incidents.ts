// Incidents and on-call for the browser: list, page view, declare, status, notes, checklist, mitigation, postmortem; rotations and overrides.
import { onCallNow } from "@/server/incidents/oncall";
import { addOverride, createRotation, listRotations } from "@/server/incidents/rotations";
import {
  ZAddNote,
  ZAddOverride,
  ZCreateRotation,
  ZDeclareFromAlert,
  ZDeclareIncident,
  ZIncidentId,
  ZListIncidents,
  ZMitigate,
  ZRequestRollback,
  ZSavePostmortem,
  ZSetCommander,
  ZSetSeverity,
  ZSetStatus,
  ZTickChecklist,
} from "@/server/incidents/schemas";
import {
  acknowledgeIncident,
  addIncidentNote,
  commanderCandidates,
  declareIncident,
  declareIncidentFromAlert,
  getIncident,
  listIncidents,
  mitigateIncident,
  requestRollback,
  savePostmortem,
  setIncidentCommander,
  setIncidentSeverity,
  setIncidentStatus,
  tickChecklist,
} from "@/server/incidents/service";
import { adminProcedure, engineerProcedure, router, viewerProcedure } from "@/server/trpc";

export const incidentsRouter = router({
  list: viewerProcedure.input(ZListIncidents.partial()).query(({ ctx, input }) => listIncidents(ctx.db, input)),
  get: viewerProcedure.input(ZIncidentId).query(({ ctx, input }) => getIncident(ctx.db, input)),
  oncall: viewerProcedure.query(({ ctx }) => onCallNow(ctx.db)),
  rotations: viewerProcedure.query(({ ctx }) => listRotations(ctx.db)),
  createRotation: adminProcedure.input(ZCreateRotation).mutation(({ ctx, input }) => createRotation(ctx.db, ctx.actor, input)),
  addOverride: engineerProcedure.input(ZAddOverride).mutation(({ ctx, input }) => addOverride(ctx.db, ctx.actor, input)),
  commanders: viewerProcedure.query(({ ctx }) => commanderCandidates(ctx.db)),
  declare: engineerProcedure.input(ZDeclareIncident).mutation(({ ctx, input }) => declareIncident(ctx.db, ctx.actor, input)),
  declareFromAlert: engineerProcedure
    .input(ZDeclareFromAlert)
    .mutation(({ ctx, input }) => declareIncidentFromAlert(ctx.db, input.alertId, ctx.actor, { severity: input.severity })),
  acknowledge: engineerProcedure.input(ZIncidentId).mutation(({ ctx, input }) => acknowledgeIncident(ctx.db, ctx.actor, input)),
  setStatus: engineerProcedure.input(ZSetStatus).mutation(({ ctx, input }) => setIncidentStatus(ctx.db, ctx.actor, input)),
  setSeverity: engineerProcedure.input(ZSetSeverity).mutation(({ ctx, input }) => setIncidentSeverity(ctx.db, ctx.actor, input)),
  setCommander: engineerProcedure.input(ZSetCommander).mutation(({ ctx, input }) => setIncidentCommander(ctx.db, ctx.actor, input)),
  addNote: engineerProcedure.input(ZAddNote).mutation(({ ctx, input }) => addIncidentNote(ctx.db, ctx.actor, input)),
  tick: engineerProcedure.input(ZTickChecklist).mutation(({ ctx, input }) => tickChecklist(ctx.db, ctx.actor, input)),
  mitigate: engineerProcedure.input(ZMitigate).mutation(({ ctx, input }) => mitigateIncident(ctx.db, ctx.actor, input)),
  /** Anyone signed in may ask; the service pages the on-call admin. */
  requestRollback: viewerProcedure.input(ZRequestRollback).mutation(({ ctx, input }) => requestRollback(ctx.db, ctx.actor, input)),
  savePostmortem: engineerProcedure.input(ZSavePostmortem).mutation(({ ctx, input }) => savePostmortem(ctx.db, ctx.actor, input)),
});
