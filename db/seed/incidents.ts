// Demo incidents area: the existing runbooks become versioned (with a second, richer version), four on-call runbooks,
// two weekly rotations with an override, the drifting FCW canary (db/seed/canary-story.ts), and one declared incident.
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "@/db/client";
import { alerts, models, oncallOverrides, oncallRotations, runbooks, runbookVersions } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { declareIncidentFromAlert } from "@/server/incidents/service";
import type { TRunbookLinks } from "@/server/runbooks/schemas";
import { saveRunbook } from "@/server/runbooks/service";
import { seedCanaryStory } from "./canary-story";

const links = (l: Partial<TRunbookLinks>): TRunbookLinks => ({ alertKinds: [], rulePrefixes: [], models: [], services: [], ...l });

export const DEMO_RUNBOOKS_V2: { forModel: string | null; title: string; links: TRunbookLinks; message: string; body: string }[] = [
  {
    forModel: "camera-health",
    title: "Camera drift at night",
    links: links({ alertKinds: ["drift"], models: ["camera-health"], services: ["camera fleet"] }),
    message: "Night-time drift checklist with the live drift panel (demo)",
    body: `> Demo data: written by the demo seed.

## When this fires
Drift on **brightness** (or other image statistics) of \`camera-health\`, usually after dusk.

::panel{drift model=camera-health}

## Checklist
- [ ] Check which cohort drifts in the panel above (region, firmware).
- [ ] Compare with the same hour yesterday: a seasonal shift drifts every night at the same time.
- [ ] Look at *What changed* on the incident: a deploy in the last 24 hours makes the model the suspect.
- [ ] If it started right after a deploy, roll back (button below) and note the version here.
- [ ] Otherwise acknowledge the alert with a note, and open a data ticket to refresh the reference window.

::action{rollback}

## Escalate
- Hardware (many *obstructed* on one fleet): page the fleet-hardware on-call.
- Firmware older than 2.8.0 cannot run v1+; check the cohort table on the deployment.
`,
  },
  {
    forModel: "forward-collision-warning",
    title: "Bad model release on the fleet",
    links: links({ rulePrefixes: ["drift:demo-canary"], models: ["forward-collision-warning", "distracted-driving", "seatbelt"], services: ["camera fleet"] }),
    message: "Checklist and one-click actions for a release gone wrong (demo)",
    body: `> Demo data: written by the demo seed.

## Symptoms
- Event rate per 1,000 driving hours jumps on the canary cohort, or
- night-time recall drops in the safety evaluation of the candidate, or
- drift on the canary cohort only.

## Checklist
- [ ] Confirm the alert is on the canary cohort only (the stable cohort is the control).
- [ ] Pause the rollout if the canary is still below 25%.
- [ ] If drivers already see false alerts, roll back to the last good version.
- [ ] Post in #safety-models with the deployment link.
- [ ] Attach the regressing slice to the release review.

::action{pause}

::action{rollback}

## After
- Do not re-promote without a new evaluation and a fresh four-eyes approval.
- Devices pick up a rollback at their next check-in (at most 15 minutes).
`,
  },
  {
    forModel: null,
    title: "Latency SLO burn on cloud serving",
    // Linked by alert kind and model rather than the "slo:" prefix, so a fleet model's SLO page finds its own runbook first.
    links: links({ alertKinds: ["slo"], models: ["incident-report-llm", "ocr-text-recognizer"], services: ["cloud serving"] }),
    message: "First version (demo)",
    body: `> Demo data: written by the demo seed.

## When this fires
A latency or availability SLO of an online model burns its error budget faster than the page rule allows.

## Checklist
- [ ] Read the burn rates on the alert: a fast burn (1h) means minutes matter, a slow one (6h) means hours.
- [ ] Check the error and latency charts for a step change, and *What changed* for a deploy or config change.
- [ ] If a deploy lines up with the step, roll back.
- [ ] If traffic doubled, scale the serving replicas (outside the portal) and note it here.
- [ ] When the burn is back under 1x, mark the incident mitigated.

::panel{latency}

::action{rollback}
`,
  },
  {
    forModel: null,
    title: "Stale labels / data freshness breach",
    links: links({ alertKinds: ["freshness"], rulePrefixes: ["freshness:"], services: ["data pipeline"] }),
    message: "First version (demo)",
    body: `> Demo data: written by the demo seed.

## When this fires
Telemetry (or labels) from a cohort has not arrived within the freshness SLO.

## Checklist
- [ ] Which cohorts are silent? The alert evidence lists them with minutes since the last window.
- [ ] One cohort: likely connectivity or a firmware issue on that fleet; page fleet-hardware.
- [ ] All cohorts: the ingestion pipeline is down; check the pipeline job and its token (expired tokens are common).
- [ ] Labels stale: the labelling export did not run; re-run it and note the run id here.
- [ ] Drift and safety panels are blind while data is stale: say so in the incident channel.
`,
  },
];

export async function seedIncidents(db: Db, now = new Date()): Promise<void> {
  const [admin, engineer] = await Promise.all([findUserByEmail(db, "admin@example.com"), findUserByEmail(db, "engineer@example.com")]);
  if (!admin || !engineer) return;
  const asEngineer: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };

  // The unversioned runbooks become version 1 (same as db/migrations-extra/runbook_versions_backfill.sql on real data).
  const existing = await db.select({ r: runbooks, slug: models.slug }).from(runbooks).leftJoin(models, eq(models.id, runbooks.modelId));
  for (const { r, slug } of existing) {
    const [v] = await db.select({ n: runbookVersions.number }).from(runbookVersions).where(eq(runbookVersions.runbookId, r.id)).limit(1);
    if (!v)
      await db.insert(runbookVersions).values({
        runbookId: r.id,
        number: 1,
        title: r.title,
        body: r.body,
        message: "Imported from the unversioned runbook",
        authorId: r.updatedBy,
        createdAt: r.updatedAt,
      });
    if (slug && !r.links.models.length)
      await db
        .update(runbooks)
        .set({ links: { ...r.links, models: [slug] } })
        .where(eq(runbooks.id, r.id));
  }
  for (const rb of DEMO_RUNBOOKS_V2) {
    const base = rb.forModel ? existing.find((e) => e.slug === rb.forModel)?.r : undefined;
    await saveRunbook(db, asEngineer, {
      id: base?.id,
      baseVersion: base ? 1 : undefined,
      title: rb.title,
      body: rb.body,
      links: rb.links,
      message: rb.message,
    });
  }

  // Weekly rotations from this week's Monday (UTC), so the engineer is on call for the camera fleet (which covers the
  // perception models, forward collision warning among them) this week; an admin covers the next week for two days.
  const day = now.getUTCDay();
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((day + 6) % 7)));
  const [camera] = await db
    .insert(oncallRotations)
    .values({ name: "Camera fleet models", service: "camera fleet", members: [engineer.id, admin.id], startsAt: monday, periodDays: 7 })
    .onConflictDoNothing()
    .returning();
  await db
    .insert(oncallRotations)
    .values({ name: "Cloud serving", service: "cloud serving", members: [admin.id, engineer.id], startsAt: monday, periodDays: 7 })
    .onConflictDoNothing();
  if (camera) {
    await db.insert(oncallOverrides).values({
      rotationId: camera.id,
      userId: admin.id,
      startsAt: new Date(monday.getTime() + 8 * 86_400_000),
      endsAt: new Date(monday.getTime() + 10 * 86_400_000),
      reason: "Swap for a conference (demo)",
      createdBy: admin.id,
    });
  }

  // The page-worthy demo alert: v3 on the FCW canary finds fewer pedestrians at night (the real model on generated frames).
  await seedCanaryStory(db, now);

  // One incident already declared by the automated response, from the distracted-driving availability page.
  const dd = await db
    .select({ id: alerts.id })
    .from(alerts)
    .innerJoin(models, eq(models.id, alerts.modelId))
    .where(and(eq(models.slug, "distracted-driving"), eq(alerts.kind, "slo"), ne(alerts.state, "resolved")))
    .limit(1);
  if (dd[0]) await declareIncidentFromAlert(db, dd[0].id, null, { now });
}
