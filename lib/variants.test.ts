// The int8 variant rules the service and the page share: what a static calibration needs, and how a variant describes itself.
import { describe, expect, it } from "vitest";
import { calibrationBlocked, calibrationOverlapNote, comparisonBaseline, quantizationSummary, QUANTIZATION_TAG_VALUE } from "./variants";

describe("int8 variant rules", () => {
  it("refuses calibration on a tag without frames, saying what to do", () => {
    expect(calibrationBlocked({ tag: "dusk", frames: 0 })).toMatch(/No frames in the frame library carry the tag "dusk"; tag some representative frames/);
    expect(calibrationBlocked({ tag: "dusk", frames: 3 })).toBeNull();
  });

  it("warns only when the calibration frames are the evaluation frames", () => {
    expect(calibrationOverlapNote("fcw-eval-v1", "fcw-eval-v1")).toMatch(/not independent/);
    expect(calibrationOverlapNote("fcw-train-v1", "fcw-eval-v1")).toBeNull();
    expect(calibrationOverlapNote("fcw-train-v1", null)).toBeNull();
  });

  it("describes each method from the tags the service writes, and compares either with its parent", () => {
    const staticTags = {
      quantization: QUANTIZATION_TAG_VALUE.static,
      "quantization.granularity": "per-channel",
      "quantization.calibration_tag": "fcw-train-v1",
      "quantization.calibration_frames": "32",
      "quantization.range": "min/max",
    };
    expect(quantizationSummary(staticTags)).toBe(
      "Static int8: per-channel int8 weights, uint8 activations calibrated on 32 frames tagged fcw-train-v1 (min/max ranges).",
    );
    expect(quantizationSummary({ quantization: "int8-weight-only", "quantization.granularity": "per-tensor" })).toBe(
      "Weight-only int8: per-tensor int8 weights, float activations.",
    );
    expect(quantizationSummary({})).toBeNull();
    expect(comparisonBaseline({ parentVersion: 2, tags: staticTags })).toEqual({ kind: "parent", version: 2 });
  });
});
