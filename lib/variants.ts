// Rules for int8 variants, each used by the service that refuses and the page that offers: who may quantise or compare, and with what.
import { roleAtLeast, type Role } from "@/server/auth/roles";

export const QUANTIZATION_TAG = "quantization";

/**
 * How a variant is quantised. Weight-only: int8 weights, float activations, nothing to calibrate. Static: int8 weights
 * and uint8 activations whose ranges come from running the parent on calibration frames from the frame library.
 */
export const QUANTIZATION_METHODS = ["weight-only", "static"] as const;
export type QuantizationMethod = (typeof QUANTIZATION_METHODS)[number];
export const QUANTIZATION_METHOD_LABELS: Record<QuantizationMethod, string> = {
  "weight-only": "Weight-only (no calibration)",
  static: "Static (calibrated on frames)",
};
/** The value of the quantization tag a variant made by each method carries. */
export const QUANTIZATION_TAG_VALUE: Record<QuantizationMethod, string> = { "weight-only": "int8-weight-only", static: "int8-static" };
/** Calibration frames: enough for stable min/max ranges on the demo's detectors, bounded so the request stays a request. */
export const CALIBRATION_FRAMES = { default: 32, max: 128 } as const;

/**
 * The tag a model's calibration frames usually come from: frames of its training data, never the frames it is evaluated
 * on. A literal because client code may not import server/safety; a test checks it against FCW_SETS.calib.tag.
 */
export function suggestedCalibrationTag(slug: string): string | null {
  return slug === "forward-collision-warning" ? "fcw-calib-v1" : null;
}

/** Why a static variant cannot be calibrated on these frames, or null when it can. */
export function calibrationBlocked(v: { tag: string; frames: number }): string | null {
  if (v.frames === 0)
    return `No frames in the frame library carry the tag "${v.tag}"; tag some representative frames with it on the frames page, or choose another tag`;
  return null;
}

/** A warning for the card when the calibration frames are also the evaluation frames (the evaluation is then not independent). */
export function calibrationOverlapNote(tag: string, evaluationTag: string | null): string | null {
  return evaluationTag && tag === evaluationTag
    ? `Calibrated on ${tag}, the frames it is evaluated on: its safety metrics are not independent of the calibration; prefer a training tag`
    : null;
}

/** Why a version cannot be quantised, or null when it can. */
export function int8VariantBlocked(v: { version: number; held: boolean; uri?: string | null; tags: Record<string, string> }): string | null {
  if (!v.held) return `v${v.version} holds no file (only a reference to ${v.uri ?? "nothing"}), so there is nothing to quantise`;
  if (v.tags[QUANTIZATION_TAG]) return `v${v.version} is already a quantised variant (${v.tags[QUANTIZATION_TAG]})`;
  return null;
}

/** How a variant was made, in one sentence for its comparison panel, from the tags the service wrote; null for a non-variant. */
export function quantizationSummary(tags: Record<string, string>): string | null {
  const kind = tags[QUANTIZATION_TAG];
  if (!kind) return null;
  if (kind === QUANTIZATION_TAG_VALUE.static) {
    const frames = tags["quantization.calibration_frames"];
    const range = tags["quantization.range"] ?? "min/max";
    return `Static int8: ${tags["quantization.granularity"] ?? "per-channel"} int8 weights, uint8 activations calibrated on ${frames ?? "?"} frames tagged ${tags["quantization.calibration_tag"] ?? "?"} (${range} ranges).`;
  }
  if (kind === QUANTIZATION_TAG_VALUE["weight-only"])
    return `Weight-only int8: ${tags["quantization.granularity"] ?? "per-channel"} int8 weights, float activations.`;
  return `Quantised: ${kind}.`;
}

/** What a version is compared with on the playground: a quantised variant with its parent, any other with production. */
export function comparisonBaseline(v: {
  parentVersion: number | null;
  tags: Record<string, string>;
}): { kind: "parent"; version: number } | { kind: "production" } {
  return v.tags[QUANTIZATION_TAG] && v.parentVersion ? { kind: "parent", version: v.parentVersion } : { kind: "production" };
}

/** Why this caller cannot start "Compare with parent" on this version, or null when they can. */
export function compareWithParentBlocked(v: { role: Role; version: number; parentVersion: number | null; held: boolean; parentHeld: boolean }): string | null {
  if (!v.parentVersion) return `v${v.version} is not derived from another version, so it has no parent to compare with`;
  if (!v.held) return `v${v.version} holds no file to run`;
  if (!v.parentHeld) return `The parent v${v.parentVersion} holds no file to run`;
  if (!roleAtLeast(v.role, "engineer"))
    return "Comparing runs both models on the evaluation frames and records the result; ask an engineer or an admin to start it";
  return null;
}
