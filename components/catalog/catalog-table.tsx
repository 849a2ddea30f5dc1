// The catalog's entries as a table: kind, owner (linking to the team page), lifecycle and the model scorecard in words.
import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { checkInSentence } from "@/server/catalog/schemas";
import type { CatalogEntry } from "@/server/catalog/service";

export const KIND_LABEL: Record<CatalogEntry["kind"], string> = {
  model: "Model",
  "serving-target": "Serving target",
  fleet: "Fleet",
  dataset: "Dataset",
  runbook: "Runbook",
};

/** Where an entry is looked at in the portal. */
function entryHref(e: CatalogEntry): string {
  switch (e.kind) {
    case "model":
      return `/models/${e.name}`;
    case "runbook":
      return `/runbooks/${e.refId}`;
    case "dataset":
      return `/lineage?entity=dataset:${e.refId}`;
    default:
      return `/lineage?entity=target:${e.name}`;
  }
}

const LIFECYCLE_TONE = { production: "green", experimental: "blue", deprecated: "amber" } as const;

export function CatalogTable({ entries, label, showOwner = true }: { entries: CatalogEntry[]; label: string; showOwner?: boolean }) {
  return (
    <Table label={label}>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Kind</Th>
          {showOwner ? <Th>Owner</Th> : null}
          <Th>Lifecycle</Th>
          <Th>Scorecard</Th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const missing = e.scorecard?.checks.filter((c) => !c.passed) ?? [];
          return (
            <tr key={`${e.kind}/${e.name}`}>
              <Td>
                <Link href={entryHref(e)} className="font-medium text-link hover:underline">
                  {e.title}
                </Link>
                <div className="text-xs text-muted">{e.name}</div>
              </Td>
              <Td className="whitespace-nowrap">{KIND_LABEL[e.kind]}</Td>
              {showOwner ? (
                <Td>
                  {e.owner ? (
                    <Link href={`/teams/${e.owner.slug}`} className="text-link hover:underline">
                      {e.owner.name}
                    </Link>
                  ) : (
                    <span className="text-muted">Not in the catalog</span>
                  )}
                  {e.rotation ? <div className="text-xs text-muted">On call: {e.rotation.name}</div> : null}
                </Td>
              ) : null}
              <Td>{e.lifecycle ? <Badge tone={LIFECYCLE_TONE[e.lifecycle]}>{e.lifecycle}</Badge> : <span className="text-muted">–</span>}</Td>
              <Td className="min-w-48">
                {e.scorecard ? (
                  <details>
                    <summary className="cursor-pointer">
                      <Badge tone={e.scorecard.passed === e.scorecard.total ? "green" : e.scorecard.passed >= e.scorecard.total - 2 ? "amber" : "red"}>
                        {e.scorecard.passed}/{e.scorecard.total}
                      </Badge>{" "}
                      <span className="text-xs">
                        {missing.length ? `Missing: ${missing.map((c) => checkInSentence(c.label)).join("; ")}` : "All checks pass"}
                      </span>
                    </summary>
                    <ul className="mt-1 space-y-0.5 text-xs" aria-label={`Scorecard of ${e.title}`}>
                      {e.scorecard.checks.map((c) => (
                        <li key={c.key}>
                          <span className={c.passed ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>
                            {c.passed ? "Pass" : "Fail"}
                          </span>{" "}
                          {c.label}: <span className="text-muted">{c.detail}</span>
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : (
                  <span className="text-xs text-muted">Models only</span>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
