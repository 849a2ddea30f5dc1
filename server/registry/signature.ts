// Pure functions over parsed ONNX signatures: breaking-change diffs, manifest and contract defaults.
import type { OnnxSummary, OnnxTensorInfo } from "./onnx";
import type { TContract, TManifest } from "./schemas";

export type Signature = { inputs: OnnxTensorInfo[]; outputs: OnnxTensorInfo[] };
export type SignatureChange = { side: "input" | "output"; name: string; change: "added" | "removed" | "type" | "shape"; from?: string; to?: string };

export function signatureOf(summary: Pick<OnnxSummary, "inputs" | "outputs">): Signature {
  return { inputs: summary.inputs, outputs: summary.outputs };
}

const shapeText = (s: OnnxTensorInfo["shape"]) => `[${s.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;

// Symbolic names differ between exporters for the same dynamic axis, so any two non-numeric dims match.
function sameShape(a: OnnxTensorInfo["shape"], b: OnnxTensorInfo["shape"]): boolean {
  if (a.length !== b.length) return false;
  return a.every((d, i) => {
    const e = b[i];
    return typeof d === "number" && typeof e === "number" ? d === e : typeof d !== "number" && typeof e !== "number";
  });
}

/** Differences a caller of `from` would notice when handed `to`; empty when compatible. */
export function diffSignatures(from: Signature, to: Signature): SignatureChange[] {
  const changes: SignatureChange[] = [];
  for (const side of ["input", "output"] as const) {
    const a = side === "input" ? from.inputs : from.outputs;
    const b = side === "input" ? to.inputs : to.outputs;
    for (const t of a) {
      const u = b.find((x) => x.name === t.name);
      if (!u) changes.push({ side, name: t.name, change: "removed", from: `${t.elemType} ${shapeText(t.shape)}` });
      else if (u.elemType !== t.elemType) changes.push({ side, name: t.name, change: "type", from: t.elemType, to: u.elemType });
      else if (!sameShape(t.shape, u.shape)) changes.push({ side, name: t.name, change: "shape", from: shapeText(t.shape), to: shapeText(u.shape) });
    }
    for (const u of b) if (!a.some((t) => t.name === u.name)) changes.push({ side, name: u.name, change: "added", to: `${u.elemType} ${shapeText(u.shape)}` });
  }
  return changes;
}

export function describeChange(c: SignatureChange): string {
  switch (c.change) {
    case "added":
      return `${c.side} ${c.name} added (${c.to})`;
    case "removed":
      return `${c.side} ${c.name} removed (was ${c.from})`;
    default:
      return `${c.side} ${c.name} ${c.change} changed from ${c.from} to ${c.to}`;
  }
}

/** A starting manifest from the first image-like input; the engineer confirms or edits it. */
export function prefillManifest(summary: OnnxSummary, task: string): TManifest | null {
  const input = summary.inputs[0];
  if (!input || input.shape.length !== 4) return null;
  const [, d1, d2, d3] = input.shape;
  const nhwc = d3 === 1 || d3 === 3;
  const channels = nhwc ? d3 : d1 === 1 ? 1 : 3;
  const h = nhwc ? d1 : d2;
  const w = nhwc ? d2 : d3;
  const num = (v: unknown, dflt: number) => (typeof v === "number" && v > 0 ? v : dflt);
  const postprocess: TManifest["postprocess"] =
    task === "classification"
      ? { kind: "softmax" }
      : task === "text-detection"
        ? { kind: "db-text", binaryThreshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5 }
        : task === "text-recognition"
          ? { kind: "ctc-text", blankIndex: 0 }
          : task === "segmentation"
            ? { kind: "segmentation" }
            : task === "regression"
              ? { kind: "regression" }
              : { kind: "none" };
  return {
    input: {
      name: input.name,
      layout: nhwc ? "NHWC" : "NCHW",
      width: num(w, 640),
      height: num(h, 640),
      channels: channels === 1 ? 1 : 3,
      colorOrder: "RGB",
      resize: "stretch",
      scale: 1 / 255,
      mean: [0, 0, 0],
      std: [1, 1, 1],
    },
    labels: [],
    postprocess,
  };
}

export function contractFromSummary(summary: OnnxSummary): TContract {
  const def = summary.opsetImports.find((o) => o.domain === "" || o.domain === "ai.onnx");
  return { maxOpset: def?.version, deviceClasses: [] };
}
