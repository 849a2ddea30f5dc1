// Evidence of an alert raised outside the portal (Prometheus Alertmanager): its description, labels and a link to the rule's graph.
const HIDDEN_LABELS = new Set(["alertname", "severity", "model"]);

/** Only web links are rendered as links; anything else from a sender stays text. */
function webUrl(v: unknown): string | null {
  if (typeof v !== "string") return null;
  try {
    const u = new URL(v);
    return u.protocol === "http:" || u.protocol === "https:" ? u.toString() : null;
  } catch {
    return null;
  }
}

export function ExternalEvidence({ evidence, labels }: { evidence: Record<string, unknown>; labels: Record<string, string> }) {
  const annotations = (evidence.annotations as Record<string, string> | undefined) ?? {};
  const description = annotations.description && annotations.description !== annotations.summary ? annotations.description : null;
  const graph = webUrl(evidence.generatorURL);
  const runbook = webUrl(annotations.runbook_url);
  const shown = Object.entries(labels).filter(([k]) => !HIDDEN_LABELS.has(k));
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
      <span>From Prometheus Alertmanager{description ? `: ${description}` : ""}</span>
      {shown.length ? (
        <span aria-label="Labels" className="inline-flex flex-wrap gap-1">
          {shown.map(([k, v]) => (
            <code key={k} className="rounded bg-zinc-100 px-1 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-200">
              {k}={v}
            </code>
          ))}
        </span>
      ) : null}
      {graph ? (
        <a className="underline" href={graph} rel="noreferrer noopener" target="_blank">
          Open the rule in Prometheus
        </a>
      ) : null}
      {runbook ? (
        <a className="underline" href={runbook} rel="noreferrer noopener" target="_blank">
          Runbook
        </a>
      ) : null}
    </span>
  );
}
