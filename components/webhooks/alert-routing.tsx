// Under an alert: who was notified (target and delivery state), what automated responses did, and training runs it triggered.
import Link from "next/link";
import type { inferRouterOutputs } from "@trpc/server";
import { Badge } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { AppRouter } from "@/server/routers/_app";
import { DELIVERY_TONE } from "./delivery-log";

export type AlertRoutingView = inferRouterOutputs<AppRouter>["webhooks"]["alertRouting"][string];

const RESPONSE_TONE = { pending: "amber", done: "green", skipped: "neutral", failed: "red" } as const;

export function AlertRouting({ r }: { r: AlertRoutingView | undefined }) {
  if (!r || (!r.notified.length && !r.responses.length && !r.runs.length)) return null;
  return (
    <div className="space-y-1 text-xs text-zinc-600 dark:text-zinc-300" data-testid="alert-routing">
      {r.notified.length ? (
        <p>
          <span className="font-medium">Notified:</span>{" "}
          {r.notified.map((n, i) => (
            <span key={n.id}>
              {i ? ", " : ""}
              {n.target} ({n.event.replace("alert.", "")}){" "}
              <Badge tone={DELIVERY_TONE[n.state]}>
                {n.state}
                {n.lastStatus ? ` ${n.lastStatus}` : ""}
              </Badge>
            </span>
          ))}
        </p>
      ) : null}
      {r.responses.length ? (
        <ul aria-label="Automated responses">
          {r.responses.map((x) => (
            <li key={x.id}>
              <span className="font-medium">{x.response}</span> <Badge tone={RESPONSE_TONE[x.state]}>{x.state}</Badge> {x.outcome}
              {x.finishedAt ? (
                <>
                  {" "}
                  · <Time value={x.finishedAt} />
                </>
              ) : null}
              {x.link ? (
                <>
                  {" "}
                  ·{" "}
                  <Link className="underline" href={x.link}>
                    open
                  </Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {r.runs.length ? (
        <p>
          <span className="font-medium">Training runs triggered:</span>{" "}
          {r.runs.map((run, i) => (
            <span key={run.runId}>
              {i ? ", " : ""}
              <Link className="underline" href={`/experiments/${run.experimentId}/runs/${run.runId}`}>
                {run.runName || run.runId.slice(0, 8)}
              </Link>{" "}
              ({run.status.toLowerCase()})
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
