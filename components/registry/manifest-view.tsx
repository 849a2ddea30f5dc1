import type { TManifest } from "@/server/registry/schemas";
import { DefinitionList } from "./definition-list";

const LABELS_SHOWN = 20;

function numbers(xs: number[]): string {
  return xs.map((x) => String(Number(x.toPrecision(4)))).join(", ");
}

/** How runtimes feed the model and read its output, as a readable list. */
export function ManifestView({ manifest }: { manifest: TManifest }) {
  const { input, labels, postprocess } = manifest;
  const { kind, ...params } = postprocess;
  const paramText = Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
  return (
    <div className="space-y-4">
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">Input</h3>
        <DefinitionList
          rows={[
            [
              "Tensor",
              <code key="n" className="font-mono text-xs">
                {input.name}
              </code>,
            ],
            ["Size", `${input.width} × ${input.height} px${input.maxWidth ? `, width up to ${input.maxWidth} px` : ""}`],
            ["Layout", `${input.layout}, ${input.channels} channel${input.channels === 1 ? "" : "s"}, ${input.colorOrder}`],
            ["Resize", input.resize],
            ["Scale", String(Number(input.scale.toPrecision(6)))],
            ["Mean", numbers(input.mean)],
            ["Std", numbers(input.std)],
          ]}
        />
      </div>
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">Postprocessing</h3>
        <DefinitionList
          rows={[
            ["Kind", kind],
            [
              "Parameters",
              paramText ? (
                <span key="p" className="font-mono text-xs">
                  {paramText}
                </span>
              ) : undefined,
            ],
          ]}
        />
      </div>
      <div>
        <h3 className="mb-1.5 text-sm font-semibold">Labels ({labels.length})</h3>
        {labels.length ? (
          <p className="font-mono text-xs break-words">
            {labels.slice(0, LABELS_SHOWN).map((l, i) => (
              <span key={i} className="mr-1.5 inline-block rounded bg-zinc-100 px-1 dark:bg-zinc-800">
                {i}: {l === " " ? "␠" : l}
              </span>
            ))}
            {labels.length > LABELS_SHOWN ? <span className="text-muted">… and {labels.length - LABELS_SHOWN} more</span> : null}
          </p>
        ) : (
          <p className="text-sm text-muted">none</p>
        )}
      </div>
    </div>
  );
}
