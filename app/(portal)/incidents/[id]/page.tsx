import type { Metadata } from "next";
import { SeriesLink } from "@/components/monitoring/series-link";
import Link from "next/link";
import { IncidentControls } from "@/components/incidents/incident-controls";
import { IncidentTimeline } from "@/components/incidents/incident-timeline";
import { LineageSection } from "@/components/lineage/lineage-section";
import { MitigationButtons } from "@/components/incidents/mitigation-buttons";
import { NoteForm } from "@/components/incidents/note-form";
import { SeverityBadge, StatusBadge } from "@/components/incidents/severity-badge";
import { RunbookMarkdown } from "@/components/runbooks/runbook-markdown";
import { Card } from "@/components/ui/card";
import { KeyboardShortcuts, ShortcutLegend } from "@/components/ui/keyboard-shortcuts";
import { orNotFound } from "@/components/ui/or-not-found";
import { Time } from "@/components/ui/time";
import { formatDuration } from "@/lib/format";
import { INCIDENT_SHORTCUTS, SHORTCUT_JUMPS } from "@/lib/shortcuts";
import { serverApi } from "@/server/caller";
import { canChangeIncident, canSetCommander, commandRights, myCommand } from "@/server/incidents/policy";
import { SEVERITY_MEANING } from "@/server/incidents/schemas";

type Params = Promise<{ id: string }>;
export const metadata: Metadata = { title: "Incident" };

function Section({ id, title, children, className }: { id: string; title: string; children: React.ReactNode; className?: string }) {
  return (
    <section id={id} tabIndex={-1} aria-labelledby={`${id}-h`} className={className}>
      <Card className="p-3 sm:p-4">
        <h2 id={`${id}-h`} className="mb-2 text-sm font-semibold">
          {title}
        </h2>
        {children}
      </Card>
    </section>
  );
}

export default async function IncidentPage({ params }: { params: Params }) {
  const { id } = await params;
  const { api, actor } = await serverApi();
  const [i, commanders] = await Promise.all([orNotFound(api.incidents.get({ id })), api.incidents.commanders()]);
  const canAct = canChangeIncident(actor, "status").allowed;
  // The same rule the server applies: does the command carry production rollback, and may this person hand it over.
  const command = myCommand(actor, i.command) ?? (i.commander ? commandRights(i.command) : null);
  const handOver = canSetCommander({ ...actor, onCall: i.modelOnCall.includes(actor.userId) }, i.command);
  return (
    <div className="mx-auto max-w-5xl">
      <KeyboardShortcuts jumps={SHORTCUT_JUMPS} keys={INCIDENT_SHORTCUTS.map((k) => k.key)} />
      <p className="mb-1 text-sm text-muted">
        <Link href="/incidents" className="hover:underline">
          Incidents
        </Link>{" "}
        / INC-{i.number}
      </p>
      <h1 className="text-lg font-semibold leading-snug sm:text-xl">{i.title}</h1>
      <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
        <SeverityBadge severity={i.severity} />
        <StatusBadge status={i.status} />
        {i.model ? (
          <Link className="underline" href={`/monitoring/${i.model.slug}`}>
            {i.model.slug}
          </Link>
        ) : null}
        {i.versions.length ? <span className="text-muted">v{i.versions.join(", v")}</span> : null}
      </div>
      <p className="mt-1 text-xs text-muted">{SEVERITY_MEANING[i.severity].meaning}</p>

      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs text-muted">Commander</dt>
          <dd className="truncate">{i.commander?.email ?? "nobody yet"}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Started</dt>
          <dd>
            <Time value={i.startedAt} />
          </dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Time to acknowledge</dt>
          <dd data-testid="tta">{i.ttaMs === null ? "not yet" : formatDuration(i.ttaMs)}</dd>
        </div>
        <div>
          <dt className="text-xs text-muted">Time to mitigate</dt>
          <dd data-testid="ttm">{i.ttmMs === null ? "not yet" : formatDuration(i.ttmMs)}</dd>
        </div>
      </dl>

      {command && !command.allowed ? (
        <p
          data-testid="command-rights"
          className="mt-2 rounded-md border border-amber-700 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-500 dark:bg-amber-950 dark:text-amber-100"
        >
          {command.reason}
        </p>
      ) : command && i.commander?.id === actor.userId ? (
        <p data-testid="command-rights" className="mt-2 text-xs text-muted">
          {command.reason}
        </p>
      ) : null}

      {canAct ? (
        <div className="mt-3 space-y-2">
          <IncidentControls
            id={i.id}
            status={i.status}
            severity={i.severity}
            acknowledged={Boolean(i.acknowledgedAt)}
            commanderId={i.commander?.id ?? null}
            commanders={commanders}
            handOver={handOver}
          />
          <NoteForm id={i.id} />
        </div>
      ) : null}

      <div className="mt-4 grid gap-3 lg:grid-cols-2">
        <Section id="mitigate" title="Mitigate" className="lg:col-span-2">
          <MitigationButtons incidentId={i.id} deployments={i.deployments} actor={actor} focusAfter="timeline" />
          <p className="mt-2 text-xs text-muted">After the impact stops, mark the incident mitigated: that time is the time to mitigate.</p>
        </Section>

        <Section id="runbook" title={i.runbook ? `Runbook: ${i.runbook.title} (v${i.runbook.version})` : "Runbook"} className="lg:col-span-2">
          {i.runbook ? (
            <>
              <RunbookMarkdown
                body={i.runbook.body}
                model={i.model?.slug ?? null}
                incident={{ id: i.id, deployments: i.deployments, checklist: i.runbook.checklist, canAct, actor }}
              />
              <p className="mt-2 text-xs text-muted">
                Ticks are recorded on the timeline.{" "}
                <Link className="underline" href={`/runbooks/${i.runbook.id}`}>
                  Open the runbook
                </Link>
              </p>
            </>
          ) : (
            <p className="text-sm text-muted">
              No runbook matches this incident.{" "}
              <Link className="underline" href="/runbooks/new">
                Write one
              </Link>{" "}
              linked to the model or alert rule.
            </p>
          )}
        </Section>

        <Section id="timeline" title="Timeline (UTC)">
          <IncidentTimeline items={i.timeline} label="Incident timeline" empty="Nothing recorded yet." />
        </Section>

        <div className="space-y-3">
          <Section id="changes" title="What changed in the last 24 hours">
            <IncidentTimeline
              items={i.changes}
              label="What changed"
              empty="No deploys, rollouts, alerts or drift changes on this model in the last 24 hours."
            />
          </Section>

          {i.alert ? (
            <Section id="alert" title="Alert evidence">
              <p className="text-sm">
                <Link className="underline" href={`/alerts?state=all${i.model ? `&model=${i.model.slug}` : ""}`}>
                  {i.alert.title}
                </Link>{" "}
                <span className="text-xs text-muted">
                  ({i.alert.kind}, {i.alert.severity}, {i.alert.state})
                </span>
              </p>
              {i.evidenceText.length ? (
                <ul className="mt-1 space-y-0.5 text-sm">
                  {i.evidenceText.map((line, n) => (
                    <li key={n}>{line}</li>
                  ))}
                </ul>
              ) : null}
              <SeriesLink series={i.series} className="mt-1 text-sm" />
            </Section>
          ) : null}

          <Section id="oncall" title="On call now">
            {i.oncall.length ? (
              <ul className="space-y-1 text-sm">
                {i.oncall.map((o) => (
                  <li key={o.rotationId}>
                    <span className="font-medium">{o.rotation}</span>: {o.email ?? "nobody"}
                    {o.override ? " (override)" : ""}
                    {o.until ? (
                      <span className="text-xs text-muted">
                        {" "}
                        until <Time value={o.until} />
                      </span>
                    ) : null}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-muted">No rotations set up.</p>
            )}
            <h3 className="mt-3 text-xs font-semibold text-muted">Notified</h3>
            {i.notified.length ? (
              <ul className="text-sm">
                {i.notified.map((n) => (
                  <li key={n.at.toISOString() + n.text}>{n.text}</li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-muted">Nobody was notified by the portal.</p>
            )}
            <p className="mt-1 text-xs text-muted">Paging itself runs outside the portal; these are the people it handed the page to.</p>
          </Section>

          <Section id="postmortem" title="Postmortem">
            <p className="text-sm">
              <Link className="underline" href={`/incidents/${i.id}/postmortem`}>
                {i.postmortem ? "Edit the postmortem" : "Start the postmortem"}
              </Link>{" "}
              <span className="text-xs text-muted">(template, blameless prompts, Markdown download)</span>
            </p>
          </Section>
        </div>
      </div>

      <LineageSection entity={`incident:${i.id}`} name={`INC-${i.number}`} />

      {canAct ? <ShortcutLegend shortcuts={INCIDENT_SHORTCUTS} /> : null}
    </div>
  );
}
