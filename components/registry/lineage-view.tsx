import Link from "next/link";
import type { TLineage } from "@/server/registry/schemas";
import { formatCount } from "@/lib/format";
import { DefinitionList } from "./definition-list";

function linkOrText(v: string) {
  return /^https?:\/\//i.test(v) ? (
    <a href={v} target="_blank" rel="noopener noreferrer" className="break-all text-link underline">
      {v}
    </a>
  ) : (
    <span className="break-all">{v}</span>
  );
}

// Hosts whose commit pages live at <repository>/commit/<sha>.
function commitUrl(repo: string | undefined, commit: string): string | null {
  if (!repo || !/^https:\/\/(github\.com|gitlab\.com)\//i.test(repo)) return null;
  return `${repo.replace(/\.git$/, "").replace(/\/$/, "")}/commit/${commit}`;
}

function commitLink(repo: string | undefined, commit: string) {
  const url = commitUrl(repo, commit);
  const code = <code className="font-mono text-xs">{commit}</code>;
  return url ? (
    <a href={url} target="_blank" rel="noopener noreferrer" className="text-link underline">
      {code}
    </a>
  ) : (
    code
  );
}

/** Where the version came from: run, dataset, code and parent version. */
export function LineageView({ lineage, slug, parentVersion }: { lineage: TLineage; slug: string; parentVersion: number | null }) {
  const d = lineage.dataset;
  const rows: [string, React.ReactNode][] = [
    [
      "Run",
      lineage.sourceRunId ? (
        <span key="r">
          <code className="font-mono text-xs">{lineage.sourceRunId}</code>
          {lineage.externalRun ? <span className="ml-2 text-xs text-muted">external run: not tracked in Sentinel</span> : null}
        </span>
      ) : undefined,
    ],
    ["Source", lineage.sourceUri ? linkOrText(lineage.sourceUri) : undefined],
    ["Dataset", d ? [d.name, d.version ? `version ${d.version}` : null].filter(Boolean).join(", ") : undefined],
    [
      "Dataset hash",
      d?.contentHash ? (
        <code key="h" className="break-all font-mono text-xs">
          {d.contentHash}
        </code>
      ) : undefined,
    ],
    ["Dataset rows", d?.rowCount !== undefined ? formatCount(d.rowCount) : undefined],
    ["Git commit", lineage.gitCommit ? commitLink(lineage.gitRepository, lineage.gitCommit) : undefined],
    ["Repository", lineage.gitRepository ? linkOrText(lineage.gitRepository) : undefined],
    [
      "Entry point",
      lineage.entryPoint ? (
        <code key="e" className="font-mono text-xs">
          {lineage.entryPoint}
        </code>
      ) : undefined,
    ],
    [
      "Parent version",
      parentVersion ? (
        <Link key="p" href={`/models/${slug}/versions/${parentVersion}`} className="text-link underline">
          v{parentVersion}
        </Link>
      ) : undefined,
    ],
  ];
  if (rows.every(([, v]) => v === undefined))
    return <p className="text-sm text-muted">No lineage recorded: register versions from a run or with lineage metadata to fill this in.</p>;
  return <DefinitionList rows={rows} />;
}
