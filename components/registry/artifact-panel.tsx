import { Time } from "@/components/ui/time";
import { formatBytes, formatCount } from "@/lib/format";
import { int8VariantBlocked } from "@/lib/variants";
import { DefinitionList } from "./definition-list";
import { IntegrityBadge } from "./integrity-badge";
import { Section } from "./section";
import type { VersionArtifact } from "./types";
import { Int8VariantButton } from "./int8-variant-button";
import { VerifyButton } from "./verify-button";

export function ArtifactPanel({
  slug,
  version,
  artifact,
  tags,
  canEdit,
}: {
  slug: string;
  version: number;
  artifact: VersionArtifact;
  tags: Record<string, string>;
  canEdit: boolean;
}) {
  // `sha256` is present exactly when the bytes are held (the resource's two shapes share `held: boolean`).
  if (artifact.sha256 === undefined) {
    return (
      <Section id="artifact" title="Artifact">
        <p className="text-sm">
          No file is held for this version: its artifact is at{" "}
          <code className="break-all rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">{artifact.uri ?? "an unknown location"}</code>. The playground
          cannot run it.
        </p>
      </Section>
    );
  }
  const blocked = artifact.integrity === "mismatch" || artifact.integrity === "missing";
  return (
    <Section id="artifact" title="Artifact">
      <DefinitionList
        rows={[
          [
            "SHA-256",
            <code key="sha" className="break-all font-mono text-xs">
              {artifact.sha256}
            </code>,
          ],
          [
            "Size",
            <span key="size" title={`${formatCount(artifact.size)} bytes`}>
              {formatBytes(artifact.size)}
            </span>,
          ],
          ["File name", artifact.fileName ? <span className="font-mono text-xs">{artifact.fileName}</span> : <span className="text-muted">not recorded</span>],
          [
            "Integrity",
            <span key="int" className="flex flex-wrap items-center gap-2">
              <IntegrityBadge integrity={artifact.integrity} />
              <span className="text-xs text-muted">
                checked <Time value={artifact.integrityCheckedAt} />
              </span>
            </span>,
          ],
        ]}
      />
      <div className="mt-4 flex flex-wrap items-start gap-3">
        {blocked ? (
          <p className="text-sm text-red-700 dark:text-red-400">The stored file failed its integrity check, so it cannot be downloaded or deployed.</p>
        ) : artifact.downloadUrl ? (
          <a
            href={artifact.downloadUrl}
            download
            className="inline-flex items-center rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-focus dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
          >
            Download ({formatBytes(artifact.size)})
          </a>
        ) : null}
        {canEdit ? <VerifyButton slug={slug} version={version} /> : null}
        {canEdit && !int8VariantBlocked({ version, held: true, tags }) ? <Int8VariantButton slug={slug} version={version} /> : null}
      </div>
    </Section>
  );
}
