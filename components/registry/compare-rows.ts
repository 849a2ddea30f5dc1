// Builds the rows of the comparison page from the `registry.compare` output (pure, no JSX).
import { formatBytes, formatCount } from "@/lib/format";
import { opsetText, shapeText, sideBySide } from "./format";
import type { Comparison, TensorInfo, VersionResource } from "./types";

export type TextRow = { key: string; label: string; a: string; b: string; differs: boolean; change?: string };

const dash = "—";

function artifactText(v: VersionResource): string {
  return v.artifact.sha256 === undefined ? `external: ${v.artifact.uri ?? "unknown"}` : `held, ${formatBytes(v.artifact.size)}`;
}

function row(key: string, label: string, a: string, b: string): TextRow {
  return { key, label, a, b, differs: a !== b };
}

/** Facts about both versions; rows unknown on both sides (e.g. ONNX facts of external artifacts) are left out. */
export function overviewRows({ a, b }: Comparison): TextRow[] {
  const onnx = (v: VersionResource, f: (o: NonNullable<VersionResource["onnx"]>) => string) => (v.onnx ? f(v.onnx) : dash);
  const rows = [
    row("status", "Status", a.status, b.status),
    row("artifact", "Artifact", artifactText(a), artifactText(b)),
    row("sha", "SHA-256", a.sha256?.slice(0, 16) ?? dash, b.sha256?.slice(0, 16) ?? dash),
    row(
      "params",
      "Parameters",
      onnx(a, (o) => formatCount(o.parameterCount)),
      onnx(b, (o) => formatCount(o.parameterCount)),
    ),
    row(
      "nodes",
      "Nodes",
      onnx(a, (o) => formatCount(o.nodeCount)),
      onnx(b, (o) => formatCount(o.nodeCount)),
    ),
    row(
      "ir",
      "IR version",
      onnx(a, (o) => String(o.irVersion)),
      onnx(b, (o) => String(o.irVersion)),
    ),
    row(
      "opsets",
      "Opsets",
      onnx(a, (o) => o.opsetImports.map(opsetText).join(", ")),
      onnx(b, (o) => o.opsetImports.map(opsetText).join(", ")),
    ),
    row(
      "producer",
      "Producer",
      onnx(a, (o) => `${o.producerName} ${o.producerVersion}`.trim() || dash),
      onnx(b, (o) => `${o.producerName} ${o.producerVersion}`.trim() || dash),
    ),
  ];
  return rows.filter((r) => r.a !== dash || r.b !== dash);
}

function tensorText(t: TensorInfo | undefined): string {
  return t ? `${t.elemType} ${shapeText(t.shape)}` : "absent";
}

export function signatureRows({ a, b }: Comparison): TextRow[] {
  const rows: TextRow[] = [];
  for (const side of ["input", "output"] as const) {
    const ta = (side === "input" ? a.onnx?.inputs : a.onnx?.outputs) ?? [];
    const tb = (side === "input" ? b.onnx?.inputs : b.onnx?.outputs) ?? [];
    const names = [...new Set([...ta.map((t) => t.name), ...tb.map((t) => t.name)])];
    for (const name of names)
      rows.push(row(`${side}:${name}`, `${side} ${name}`, tensorText(ta.find((t) => t.name === name)), tensorText(tb.find((t) => t.name === name))));
  }
  return rows;
}

function signed(n: number): string {
  const s = Number.isInteger(n) ? formatCount(n) : String(Number(n.toPrecision(4)));
  return n > 0 ? `+${s}` : s;
}

/** Differing operators first (largest change first), then the rest by name. */
export function operatorRows({ operators }: Comparison): TextRow[] {
  return [...operators]
    .sort((x, y) => Number(y.a !== y.b) - Number(x.a !== x.b) || Math.abs(y.b - y.a) - Math.abs(x.b - x.a) || x.op.localeCompare(y.op))
    .map((o) => ({ key: o.op, label: o.op, a: formatCount(o.a), b: formatCount(o.b), differs: o.a !== o.b, change: o.a !== o.b ? signed(o.b - o.a) : "" }));
}

export function metricRows({ metrics }: Comparison): TextRow[] {
  const show = (x: number | null) => (x === null ? dash : String(Number(x.toPrecision(6))));
  return metrics.map((m) => ({
    key: m.key,
    label: m.key,
    a: show(m.a),
    b: show(m.b),
    differs: m.a !== m.b,
    change: m.a !== null && m.b !== null && m.a !== m.b ? signed(m.b - m.a) : "",
  }));
}

export function objectRows(a: unknown, b: unknown): TextRow[] {
  return sideBySide(a, b).map((r) => ({ key: r.key, label: r.key, a: r.a, b: r.b, differs: r.differs }));
}
