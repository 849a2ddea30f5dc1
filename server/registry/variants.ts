// "Make an int8 variant": quantise a version's ONNX weights (./quantize), or weights and activations calibrated on frames
// from the frame library (./quantize-static), check the variant in onnxruntime-node against
// its parent on the same seeded input, and register it as a new draft version derived from the parent, with the
// method and the measured difference in its card. The rollout gates then treat it like any other version.
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-node";
import { arrayContains, count } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sampleFrames } from "@/db/schema";
import { CALIBRATION_FRAMES, calibrationBlocked, calibrationOverlapNote, int8VariantBlocked, QUANTIZATION_TAG, QUANTIZATION_TAG_VALUE } from "@/lib/variants";
import { preprocess } from "@/lib/playground/preprocess";
import { storedBytes, type ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { Invalid, PreconditionFailed } from "@/server/errors";
import { streamEvalFrames } from "@/server/safety/detector-eval";
import { evalSuiteOf } from "@/server/safety/evaluation-run";
import type { OnnxSummary } from "./onnx";
import { quantizeOnnx, type QuantizeReport } from "./quantize";
import { calibrate, quantizeStatic, type StaticReport } from "./quantize-static";
import { ZMakeVariant, ZManifest, type TManifest } from "./schemas";
import { getVersion, registerVersion } from "./service";

export { ZMakeVariant };

const TIMED_RUNS = 10;

export type VariantCheck = { inputShape: number[]; maxAbsError: number; meanAbsError: number; parentP50Ms: number; variantP50Ms: number };

/** Fixed dims stay; symbolic ones take the manifest's size where it names one, else 1. */
export function inputShape(summary: OnnxSummary, manifest: TManifest | null): number[] {
  const first = summary.inputs[0];
  if (!first) throw new Invalid("The model declares no input to check the variant with");
  const m = manifest?.input;
  const wanted = m ? (m.layout === "NHWC" ? [1, m.height, m.width, m.channels] : [1, m.channels, m.height, m.width]) : [];
  return first.shape.map((d, i) => (typeof d === "number" && d > 0 ? d : (wanted[i] ?? 1)));
}

export function seededInput(n: number): Float32Array {
  let s = 12345;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** Runs parent and variant on one seeded input: output difference and Node p50 latency of each (after a warm-up). */
export async function checkVariant(parent: Uint8Array, variant: Uint8Array, shape: number[]): Promise<VariantCheck> {
  const x = seededInput(shape.reduce((a, b) => a * b, 1));
  const timed = async (bytes: Uint8Array) => {
    const s = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    const feeds = { [s.inputNames[0]]: new ort.Tensor("float32", x, shape) };
    const out = (await s.run(feeds))[s.outputNames[0]].data as Float32Array;
    const ms: number[] = [];
    for (let i = 0; i < TIMED_RUNS; i++) {
      const t0 = performance.now();
      await s.run(feeds);
      ms.push(performance.now() - t0);
    }
    await s.release();
    return { out, p50: ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)] };
  };
  const a = await timed(parent);
  const b = await timed(variant);
  if (a.out.length !== b.out.length) throw new Invalid("The variant's output has another shape than its parent's; it is not registered");
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.out.length; i++) {
    const d = Math.abs(a.out[i] - b.out[i]);
    max = Math.max(max, d);
    sum += d;
  }
  if (!Number.isFinite(max)) throw new Invalid("The variant produced non-finite outputs; it is not registered");
  return { inputShape: shape, maxAbsError: max, meanAbsError: sum / Math.max(1, a.out.length), parentP50Ms: a.p50, variantP50Ms: b.p50 };
}

type Calibration = { tag: string; frames: number; overlap: string | null };

function card(
  parentNumber: number,
  parentCard: string,
  report: QuantizeReport | StaticReport,
  check: VariantCheck,
  sizes: { parent: number; variant: number },
  calibration: Calibration | null,
) {
  const f = (n: number, d = 2) => n.toFixed(d);
  const methodLines =
    "activations" in report && calibration
      ? [
          `- Method: ${report.method}; ${report.granularity} weight scales, QDQ format (opset ${report.opset}), so onnxruntime fuses the quantised ops into integer kernels.`,
          `- Calibration: ${calibration.frames} frames tagged ${calibration.tag}, preprocessed by this version's manifest; activation ranges by ${report.rangeMethod} over all of them. ${report.activations} activations quantised, ${report.foldedRelus} Relu nodes folded into their uint8 range.`,
          calibration.overlap ? `- Note: ${calibration.overlap}.` : "",
        ]
      : [`- Method: ${report.method}, ${report.granularity} scales (opset ${report.opset}); activations stay float, so nothing was calibrated.`];
  return [
    `## Int8 variant of v${parentNumber}`,
    "",
    ...methodLines,
    `- ${report.tensors} weight tensors quantised: ${f(report.weightsBefore / 1e6)} MB of float weights became ${f(report.weightsAfter / 1e6)} MB.`,
    `- File: ${f(sizes.parent / 1e6)} MB → ${f(sizes.variant / 1e6)} MB (${f(sizes.variant / sizes.parent)}x).`,
    `- Checked in onnxruntime-node on one seeded input of shape [${check.inputShape.join(", ")}]: max abs output difference ${check.maxAbsError.toExponential(2)}, mean ${check.meanAbsError.toExponential(2)}; p50 over ${TIMED_RUNS} runs ${f(check.parentP50Ms, 1)} ms (parent) and ${f(check.variantP50Ms, 1)} ms (variant), one thread.`,
    report.skipped.length ? `- Left in float: ${report.skipped.map((s) => `${s.name} (${s.reason})`).join("; ")}.` : "",
    "- Safety metrics are not inherited: evaluate this version before it ships.",
    "",
    parentCard ? `## Parent's card (v${parentNumber})\n\n${parentCard}` : "",
  ]
    .filter((l, i, all) => l !== "" || all[i - 1] !== "")
    .join("\n");
}

export async function makeInt8Variant(db: Db, store: ArtifactStore, actor: Actor, input: unknown) {
  const p = ZMakeVariant.parse(input);
  const parent = await getVersion(db, p.slug, p.version);
  const blocked = int8VariantBlocked({ version: p.version, held: Boolean(parent.artifact), uri: parent.version.artifactUri, tags: parent.version.tags ?? {} });
  if (blocked || !parent.artifact) throw new PreconditionFailed(blocked ?? "No file");
  const bytes = new Uint8Array(await storedBytes(store, parent.artifact.sha256));
  let calibration: Calibration | null = null;
  let quantized: { bytes: Uint8Array; report: QuantizeReport | StaticReport };
  if (p.method === "static") {
    const tag = p.calibrationTag!;
    const manifest = ZManifest.safeParse(parent.version.manifest);
    if (!manifest.success)
      throw new PreconditionFailed(
        `v${p.version} has no runtime manifest, so calibration frames cannot be preprocessed the way the playground and the evaluation do; add a manifest to the version, or make a weight-only variant`,
      );
    const [{ n }] = await db
      .select({ n: count() })
      .from(sampleFrames)
      .where(arrayContains(sampleFrames.tags, [tag]));
    const blockedFrames = calibrationBlocked({ tag, frames: n });
    if (blockedFrames) throw new Invalid(blockedFrames);
    const input = manifest.data.input;
    // One frame decoded at a time: uploads may be large, and only the preprocessed tensor is needed.
    const feeds = async function* () {
      for await (const f of streamEvalFrames(db, store, tag, p.calibrationFrames ?? CALIBRATION_FRAMES.default)) {
        const x = preprocess(f.image, input);
        yield { [input.name]: new ort.Tensor("float32", x.data, x.dims) };
      }
    };
    const ranges = await calibrate(bytes, feeds());
    quantized = quantizeStatic(bytes, ranges);
    calibration = { tag, frames: ranges.count, overlap: calibrationOverlapNote(tag, evalSuiteOf(p.slug)?.tag ?? null) };
  } else {
    quantized = quantizeOnnx(bytes);
  }
  const { bytes: variant, report } = quantized;
  const summary = parent.artifact.onnx as OnnxSummary;
  const check = await checkVariant(bytes, variant, inputShape(summary, parent.version.manifest as TManifest | null));
  const staged = await store.stage(
    (async function* () {
      yield variant;
    })(),
    variant.length,
  );
  const base = (parent.version.fileName ?? `${p.slug}-v${p.version}.onnx`).replace(/\.onnx$/i, "");
  return registerVersion(
    db,
    store,
    actor,
    p.slug,
    {
      parentVersion: p.version,
      description: calibration
        ? `Static int8 of v${p.version} (${report.granularity} weights, activations calibrated on ${calibration.frames} frames tagged ${calibration.tag}); ${(variant.length / bytes.length).toFixed(2)}x the size.`
        : `Int8 weights of v${p.version} (${report.granularity}); ${(variant.length / bytes.length).toFixed(2)}x the size.`,
      tags: {
        [QUANTIZATION_TAG]: QUANTIZATION_TAG_VALUE[p.method],
        "quantization.granularity": report.granularity,
        "derived.from": `v${p.version}`,
        ...(calibration
          ? { "quantization.calibration_tag": calibration.tag, "quantization.calibration_frames": String(calibration.frames), "quantization.range": "min/max" }
          : {}),
      },
      lineage: parent.version.lineage,
      modelCard: card(p.version, parent.version.modelCard, report, check, { parent: bytes.length, variant: variant.length }, calibration),
      manifest: (parent.version.manifest as TManifest | null) ?? undefined,
      contract: parent.version.contract ?? undefined,
      metrics: {
        "quantization.max_abs_error": check.maxAbsError,
        "quantization.mean_abs_error": check.meanAbsError,
        "quantization.size_ratio": variant.length / bytes.length,
        "node.p50_ms": check.variantP50Ms,
        "node.parent_p50_ms": check.parentP50Ms,
      },
    },
    { staged, fileName: `${base}-int8.onnx`, mediaType: "application/octet-stream" },
  );
}
