import { formatCount } from "@/lib/format";
import { DefinitionList } from "./definition-list";
import { opsetText } from "./format";
import type { OnnxInfo } from "./types";

export function OnnxSummary({ onnx }: { onnx: OnnxInfo }) {
  const meta = Object.entries(onnx.metadataProps);
  return (
    <DefinitionList
      rows={[
        ["IR version", onnx.irVersion],
        ["Opset imports", onnx.opsetImports.length ? onnx.opsetImports.map(opsetText).join(", ") : "none"],
        ["Producer", [onnx.producerName, onnx.producerVersion].filter(Boolean).join(" ") || <span className="text-muted">not recorded</span>],
        [
          "Parameters",
          <span key="p" className="tabular-nums">
            {formatCount(onnx.parameterCount)} in initializers
            {onnx.constantParameterCount ? ` · ${formatCount(onnx.constantParameterCount)} in Constant nodes` : ""}
          </span>,
        ],
        [
          "Initializers",
          <span key="i" className="tabular-nums">
            {formatCount(onnx.initializerCount)}
          </span>,
        ],
        [
          "Nodes",
          <span key="n" className="tabular-nums">
            {formatCount(onnx.nodeCount)}
          </span>,
        ],
        ["External data", onnx.usesExternalData ? "yes: weights live in separate files that are not held here" : undefined],
        [
          "Metadata",
          meta.length ? (
            <ul key="m" className="space-y-0.5 font-mono text-xs">
              {meta.map(([k, v]) => (
                <li key={k} className="break-all">
                  {k}={v.length > 200 ? `${v.slice(0, 200)}…` : v}
                </li>
              ))}
            </ul>
          ) : undefined,
        ],
      ]}
    />
  );
}
