// One candidate version in full: verdict first, then sign-off, gates, regressions, field against lab, cost,
// incidents and rollout, each in plain words with the statistical terms explained on hover and focus.
import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { monthInWords } from "@/lib/cost-format";
import { Term } from "@/components/ui/term";
import { Time } from "@/components/ui/time";
import type { ReadinessRow } from "@/server/releases/service";
import {
  costChangeWords,
  fieldWords,
  GATE_STATE_WORDS,
  incidentWords,
  per1kWords,
  regressionWords,
  rolloutWords,
  rowTitle,
  signOffWords,
} from "@/lib/release-words";
import { Verdict } from "./verdict";

const GATE_TONE = { pass: "green", fail: "red", none: "neutral", overridden: "amber" } as const;
const BECAUSE = {
  "in-rollout": "in a canary",
  "newer-than-production": "newer than production",
  newest: "the newest version (no production version yet)",
} as const;

function Part({ title, children }: { title: React.ReactNode; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-muted">{title}</h3>
      <div className="mt-1 text-sm">{children}</div>
    </div>
  );
}

export function rowAnchor(r: Pick<ReadinessRow, "model" | "version">): string {
  return `${r.model.slug}-v${r.version}`;
}

/** `bare` drops the card frame where a page section already draws one (the version page). */
export function ReadinessCard({ row: r, headingLevel = 2, bare = false }: { row: ReadinessRow; headingLevel?: 2 | 3; bare?: boolean }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  const id = rowAnchor(r);
  return (
    <article
      id={id}
      aria-labelledby={`${id}-title`}
      className={bare ? "scroll-mt-20" : "scroll-mt-20 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <H id={`${id}-title`} className="text-base font-semibold">
          <Link className="text-link underline" href={r.href}>
            {rowTitle(r)}
          </Link>
        </H>
        <p className="text-xs text-muted">
          {r.candidateBecause.length ? `Candidate: ${r.candidateBecause.map((b) => BECAUSE[b]).join(", ")}` : "Not a candidate"}
          {r.production !== null ? ` · production is v${r.production}` : " · no production version"}
        </p>
      </div>
      <div className="mt-3">
        <Verdict verdict={r.verdict} />
      </div>
      <div className="mt-4 grid gap-4 border-t border-zinc-200 pt-4 sm:grid-cols-2 xl:grid-cols-3 dark:border-zinc-800">
        <Part title={<Term k="signOff" />}>
          {r.signOff ? (
            <>
              {r.signOff.withdrawn ? "Withdrawn: " : ""}
              {r.signOff.decision === "approve" ? "Signed off" : "Rejected"} by {r.signOff.reviewer}, <Time value={r.signOff.at} />
              {r.signOff.comment ? <p className="text-xs text-muted">“{r.signOff.comment}”</p> : null}
            </>
          ) : (
            signOffWords(r)
          )}
          <p className="mt-1 text-xs">
            <Link className="text-link underline" href={`/safety/review/${r.model.slug}?candidate=${r.version}`}>
              Open the safety review
            </Link>
          </p>
        </Part>
        <Part title="Promotion gates">
          {r.gates.length ? (
            <ul className="space-y-1" aria-label={`Promotion gates of ${rowTitle(r)}`}>
              {r.gates.map((g) => (
                <li key={g.key}>
                  <span className="font-medium">{g.key === "approval" ? <Term k="fourEyes">{g.label}</Term> : g.label}</span>{" "}
                  <Badge tone={GATE_TONE[g.state]}>{GATE_STATE_WORDS[g.state]}</Badge>
                  {g.state !== "pass" ? <p className="break-words text-xs text-muted">{g.reason}</p> : null}
                </li>
              ))}
            </ul>
          ) : (
            <span className="text-muted">No protected deployment, so no promotion gates were checked.</span>
          )}
          {r.overrides.length ? (
            <ul className="mt-2 space-y-1 text-xs" aria-label="Gate overrides">
              {r.overrides.map((o) => (
                <li key={`${o.deploymentId}-${o.at.toISOString()}`}>
                  Overridden on {o.target} by {o.by}, <Time value={o.at} />: “{o.reason}”
                </li>
              ))}
            </ul>
          ) : null}
        </Part>
        <Part title={<Term k="regressed">Worse than production</Term>}>
          {r.regressions.length ? (
            <ul className="list-disc space-y-0.5 pl-4">
              {r.regressions.map((x) => (
                <li key={`${x.eventType}-${x.dimension}-${x.value}`}>{regressionWords(x)}</li>
              ))}
            </ul>
          ) : (
            <span>{r.dataset ? "Nowhere beyond chance." : "No safety evaluation yet."}</span>
          )}
          {r.dataset ? <p className="mt-1 text-xs text-muted">Evaluation set {r.dataset}</p> : null}
        </Part>
        <Part title={<Term k="fieldVsLab">Fleet against lab</Term>}>
          {r.field.length ? (
            <ul className="space-y-0.5">
              {r.field.map((f) => (
                <li key={f.eventType}>{fieldWords(f)}</li>
              ))}
            </ul>
          ) : (
            <span className="text-muted">No fleet outcomes reported for this version yet.</span>
          )}
        </Part>
        <Part title="Cost per 1,000 inferences">
          <p className="font-medium tabular-nums">{per1kWords(r.cost.microsPer1k)}</p>
          <p className="text-xs">{costChangeWords(r)}</p>
          <p className="text-xs text-muted">
            So far in {monthInWords(r.cost.month)},{" "}
            <Link className="text-link underline" href={`/costs/models/${r.model.slug}`}>
              model costs
            </Link>
          </p>
        </Part>
        <Part title="Open incidents">
          {r.incidents.length ? (
            <ul className="space-y-0.5">
              {r.incidents.map((i) => (
                <li key={i.id}>
                  <Link className="text-link underline" href={`/incidents/${i.id}`}>
                    {incidentWords(i)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <span>None</span>
          )}
        </Part>
        <Part
          title={
            <>
              Rollout (<Term k="canary" />, from device reports)
            </>
          }
        >
          {r.rollout.length ? (
            <ul className="space-y-1">
              {r.rollout.map((x) => (
                <li key={x.deploymentId}>
                  <Link className="text-link underline" href={`/deployments/${x.deploymentId}`}>
                    {rolloutWords(x, r.version)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <span>Not deployed anywhere yet.</span>
          )}
        </Part>
      </div>
    </article>
  );
}
