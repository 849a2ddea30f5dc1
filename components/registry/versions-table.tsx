import Link from "next/link";
import { Badge } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatBytes } from "@/lib/format";
import { IntegrityBadge } from "./integrity-badge";
import { MetricsList } from "./metrics-list";
import { StatusBadge } from "./status-badge";
import type { ModelAlias, ModelVersionRow } from "./types";

export function VersionsTable({ slug, versions, aliases }: { slug: string; versions: ModelVersionRow[]; aliases: ModelAlias[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Version</Th>
          <Th>Status</Th>
          <Th>Aliases</Th>
          <Th>Created</Th>
          <Th>Artifact</Th>
          <Th>Metrics logged at registration</Th>
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => {
          const here = aliases.filter((a) => a.version === v.number);
          return (
            <tr key={v.number} className="hover:bg-zinc-50 dark:hover:bg-zinc-900/60">
              <Td className="whitespace-nowrap">
                <Link href={`/models/${slug}/versions/${v.number}`} className="font-medium text-link hover:underline">
                  v{v.number}
                </Link>
                {v.description ? (
                  <div className="max-w-56 truncate text-xs text-muted" title={v.description}>
                    {v.description}
                  </div>
                ) : null}
              </Td>
              <Td>
                <div className="flex flex-wrap gap-1">
                  <StatusBadge status={v.status} />
                  {v.breakingChange ? <Badge tone="amber">breaking change</Badge> : null}
                </div>
              </Td>
              <Td>
                {here.length ? (
                  <div className="flex flex-wrap gap-1">
                    {here.map((a) => (
                      <Badge key={a.alias} tone={a.alias === "production" ? "green" : "blue"}>
                        {a.alias}
                      </Badge>
                    ))}
                  </div>
                ) : (
                  <span className="text-muted">—</span>
                )}
              </Td>
              <Td className="whitespace-nowrap">
                <Time value={v.createdAt} />
                <div className="text-xs text-muted">{v.createdBy ?? "unknown"}</div>
              </Td>
              <Td>
                {v.artifactSha256 ? (
                  <div className="flex flex-wrap items-center gap-1.5">
                    <span className="tabular-nums">{v.sizeBytes === null ? "size unknown" : formatBytes(v.sizeBytes)}</span>
                    {v.integrity && v.integrity !== "ok" ? <IntegrityBadge integrity={v.integrity} /> : null}
                  </div>
                ) : (
                  <div className="max-w-72">
                    <div className="truncate font-mono text-xs" title={v.artifactUri ?? undefined}>
                      external: {v.artifactUri ?? "no URI"}
                    </div>
                    <div className="text-xs text-muted">no file held</div>
                  </div>
                )}
              </Td>
              <Td>
                <MetricsList metrics={v.metrics} />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
