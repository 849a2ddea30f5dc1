// Camera-health demo model built here, deterministically, as an ONNX graph of classic image operations with thresholds fitted on seeded synthetic frames.
import { mulberry32 } from "@/lib/prng";
import { onnx } from "onnx-proto";

export const CAMERA_HEALTH_LABELS = ["ok", "too_dark", "blurry", "obstructed"] as const;
export type CameraHealthLabel = (typeof CAMERA_HEALTH_LABELS)[number];
export const CAMERA_HEALTH_FEATURES = ["brightness", "laplacian_variance", "obstruction_fraction"] as const;
export type CameraHealthFeatures = [brightness: number, laplacianVariance: number, obstructionFraction: number];
export type CameraHealthThresholds = { brightness: number; logLaplacianVariance: number; obstruction: number };

export const IMAGE_SIZE = 224;
const S = IMAGE_SIZE;
const LUMA = [0.299, 0.587, 0.114]; // Rec. 601, what camera ISPs report as brightness
const LAPLACIAN = [0, 1, 0, 1, -4, 1, 0, 1, 0];
const BLOCK = 16; // 14x14 blocks: coarse enough that texture shows as variance, fine enough to measure a blob's share
// A block "covers the lens" when it is dark and flat. These define the condition rather than separate classes, so they are not fitted.
const BLOCK_DARK = 0.2;
const BLOCK_DARK_TEMP = 0.02;
const BLOCK_FLAT_VAR = 4e-4; // std 0.02: below sensor-texture level, above a smooth smudge
const BLOCK_FLAT_TEMP = 1e-4;
// Fixed sigmoid temperatures, about a tenth of the gap between classes, so scores are near 0/1 away from a threshold.
const TEMP = { brightness: 0.01, logLaplacianVariance: 0.25, obstruction: 0.03 };
const LOG_EPS = 1e-8;

/** Seeds used to fit thresholds; tests must hold out others. */
export { mulberry32 };

export const FIT_SEEDS: readonly number[] = Array.from({ length: 24 }, (_, i) => i + 1);

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Separable box blur of one S x S plane, edges clamped. */
function boxBlur(plane: Float64Array, r: number): void {
  const tmp = new Float64Array(S);
  for (const horizontal of [true, false]) {
    for (let line = 0; line < S; line++) {
      const at = (k: number) => (horizontal ? line * S + k : k * S + line);
      for (let k = 0; k < S; k++) {
        let sum = 0;
        for (let d = -r; d <= r; d++) sum += plane[at(Math.min(S - 1, Math.max(0, k + d)))];
        tmp[k] = sum / (2 * r + 1);
      }
      for (let k = 0; k < S; k++) plane[at(k)] = tmp[k];
    }
  }
}

/**
 * A 1x3x224x224 RGB frame in 0..1 (NCHW). The scene depends only on the seed, so one seed gives the same scene under each fault.
 * ok: gradient + shapes + sensor texture; too_dark: scaled down; blurry: box-blurred 3 times; obstructed: smooth dark blob over >40%.
 */
export function syntheticFrame(kind: CameraHealthLabel, seed: number): Float32Array {
  const rnd = mulberry32(seed);
  const u = (a: number, b: number) => a + (b - a) * rnd();
  const n = S * S;
  const px = new Float64Array(3 * n);
  const c0 = [u(0.3, 0.85), u(0.3, 0.85), u(0.3, 0.85)];
  const c1 = [u(0.3, 0.85), u(0.3, 0.85), u(0.3, 0.85)];
  const angle = u(0, 2 * Math.PI);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  for (let y = 0; y < S; y++)
    for (let x = 0; x < S; x++) {
      const t = clamp01(((x - S / 2) * cos + (y - S / 2) * sin) / S + 0.5);
      for (let c = 0; c < 3; c++) px[c * n + y * S + x] = c0[c] + (c1[c] - c0[c]) * t;
    }
  const shapes = 4 + Math.floor(rnd() * 6);
  for (let s = 0; s < shapes; s++) {
    const color = [u(0.25, 0.95), u(0.25, 0.95), u(0.25, 0.95)];
    const [cx, cy, rx, ry, ellipse] = [u(0, S), u(0, S), u(10, 45), u(10, 45), rnd() < 0.5];
    for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(S, Math.ceil(cy + ry)); y++)
      for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(S, Math.ceil(cx + rx)); x++) {
        if (ellipse && ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 > 1) continue;
        for (let c = 0; c < 3; c++) px[c * n + y * S + x] = color[c];
      }
  }
  const amp = u(0.06, 0.12); // luminance noise, like sensor grain on a sharp image
  for (let i = 0; i < n; i++) {
    const v = (rnd() * 2 - 1) * amp;
    for (let c = 0; c < 3; c++) px[c * n + i] = clamp01(px[c * n + i] + v);
  }

  if (kind === "too_dark") {
    const k = u(0.04, 0.12);
    for (let i = 0; i < px.length; i++) px[i] *= k;
  } else if (kind === "blurry") {
    const r = 2 + Math.floor(rnd() * 3);
    for (let c = 0; c < 3; c++) for (let pass = 0; pass < 3; pass++) boxBlur(px.subarray(c * n, (c + 1) * n), r);
  } else if (kind === "obstructed") {
    const [cx, cy, aspect] = [u(0.35, 0.65) * S, u(0.35, 0.65) * S, u(0.75, 1.33)];
    const area = u(0.45, 0.6) * n;
    let rx = Math.sqrt((area / Math.PI) * aspect);
    let ry = Math.sqrt(area / Math.PI / aspect);
    const mask = new Float64Array(n);
    for (;;) {
      // Soft 6 px edge; grow until the blob really covers >42% after clipping at the frame border.
      let covered = 0;
      for (let y = 0; y < S; y++)
        for (let x = 0; x < S; x++) {
          const d = Math.hypot((x - cx) / rx, (y - cy) / ry);
          covered += (mask[y * S + x] = clamp01(0.5 + ((1 - d) * Math.min(rx, ry)) / 6)) > 0.5 ? 1 : 0;
        }
      if (covered > 0.42 * n) break;
      rx *= 1.05;
      ry *= 1.05;
    }
    const base = [u(0.02, 0.08), u(0.02, 0.08), u(0.02, 0.08)];
    const slope = u(-0.02, 0.02);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++) {
        const i = y * S + x;
        const grain = (rnd() * 2 - 1) * 0.004;
        for (let c = 0; c < 3; c++) {
          const blob = clamp01(base[c] + (slope * (x - cx)) / S + grain);
          px[c * n + i] += (blob - px[c * n + i]) * mask[i];
        }
      }
  }
  return Float32Array.from(px);
}

/** The graph's features computed in plain TypeScript with the same math (luma, valid 3x3 Laplacian, 16x16 block pools). */
export function cameraHealthFeatures(image: Float32Array): CameraHealthFeatures {
  const n = S * S;
  const gray = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += gray[i] = LUMA[0] * image[i] + LUMA[1] * image[n + i] + LUMA[2] * image[2 * n + i];
  let ls = 0;
  let ls2 = 0;
  for (let y = 1; y < S - 1; y++)
    for (let x = 1; x < S - 1; x++) {
      const i = y * S + x;
      const l = gray[i - S] + gray[i + S] + gray[i - 1] + gray[i + 1] - 4 * gray[i];
      ls += l;
      ls2 += l * l;
    }
  const m = (S - 2) * (S - 2);
  const blocks = S / BLOCK;
  let covered = 0;
  for (let by = 0; by < blocks; by++)
    for (let bx = 0; bx < blocks; bx++) {
      let s = 0;
      let s2 = 0;
      for (let y = by * BLOCK; y < (by + 1) * BLOCK; y++)
        for (let x = bx * BLOCK; x < (bx + 1) * BLOCK; x++) {
          const g = gray[y * S + x];
          s += g;
          s2 += g * g;
        }
      const mean = s / BLOCK ** 2;
      const variance = s2 / BLOCK ** 2 - mean * mean;
      covered += sigmoid((BLOCK_DARK - mean) / BLOCK_DARK_TEMP) * sigmoid((BLOCK_FLAT_VAR - variance) / BLOCK_FLAT_TEMP);
    }
  return [sum / n, ls2 / m - (ls / m) ** 2, covered / blocks ** 2];
}

/**
 * Scores in label order, summing to 1, as a priority cascade: dark, else obstructed, else blurry, else ok.
 * A cascade rather than independent scores because the faults mask each other: a dark frame is also flat and low-Laplacian.
 */
export function cameraHealthScores([brightness, lapVar, obstruction]: CameraHealthFeatures, t: CameraHealthThresholds): number[] {
  const dark = sigmoid((t.brightness - brightness) / TEMP.brightness);
  const blocked = sigmoid((obstruction - t.obstruction) / TEMP.obstruction);
  const blurry = sigmoid((t.logLaplacianVariance - Math.log(lapVar + LOG_EPS)) / TEMP.logLaplacianVariance);
  const clear = (1 - dark) * (1 - blocked);
  return [clear * (1 - blurry), dark, clear * blurry, (1 - dark) * blocked];
}

let fitted: CameraHealthThresholds | undefined;

/** Fits the three decision thresholds on synthetic frames from `seeds`; rounded to float32 so the graph and TypeScript agree. */
export function fitCameraHealthThresholds(seeds: readonly number[] = FIT_SEEDS): CameraHealthThresholds {
  if (seeds === FIT_SEEDS && fitted) return fitted;
  const feats = new Map(CAMERA_HEALTH_LABELS.map((k) => [k, seeds.map((s) => cameraHealthFeatures(syntheticFrame(k, s)))]));
  const col = (kinds: CameraHealthLabel[], i: number, f = (v: number) => v) => kinds.flatMap((k) => feats.get(k)!.map((v) => f(v[i])));
  // Middle of the gap between the two sides on the fitting set: the widest-margin 1-D cut, with nothing to tune.
  const cut = (name: string, low: number[], high: number[]) => {
    const [lo, hi] = [Math.max(...low), Math.min(...high)];
    if (lo >= hi) throw new Error(`camera-health fit: ${name} classes overlap (${lo} >= ${hi}); the synthetic generator changed`);
    return Math.fround((lo + hi) / 2);
  };
  const t = {
    brightness: cut("brightness", col(["too_dark"], 0), col(["ok", "blurry", "obstructed"], 0)),
    logLaplacianVariance: cut(
      "blur",
      col(["blurry"], 1, (v) => Math.log(v + LOG_EPS)),
      col(["ok", "obstructed"], 1, (v) => Math.log(v + LOG_EPS)),
    ),
    obstruction: cut("obstruction", col(["ok", "blurry"], 2), col(["obstructed"], 2)),
  };
  if (seeds === FIT_SEEDS) fitted = t;
  return t;
}

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;
const tensor = (name: string, dims: number[], values: number[]): onnx.ITensorProto => ({ name, dataType: DataType.FLOAT, dims, floatData: values });
const ints = (name: string, v: number[]): onnx.IAttributeProto => ({ name, type: AttributeType.INTS, ints: v });
const int = (name: string, v: number): onnx.IAttributeProto => ({ name, type: AttributeType.INT, i: v });
const valueInfo = (name: string, dims: number[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
});

/** The ONNX model bytes; identical on every call (no timestamps, fixed field order, fitted thresholds are deterministic). */
export function buildCameraHealthModel(): Uint8Array {
  const t = fitCameraHealthThresholds();
  const nodes: onnx.INodeProto[] = [];
  const op = (opType: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []) => {
    nodes.push({ opType, input, output: [output], name: output, attribute });
    return output;
  };
  const mean = (x: string, out: string) => op("ReduceMean", [x], out, [ints("axes", [2, 3]), int("keepdims", 0)]); // [1,1,H,W] -> [1,1]
  const sig = (x: string, out: string) => op("Sigmoid", [x], out);
  const pool = (x: string, out: string) => op("AveragePool", [x], out, [ints("kernel_shape", [BLOCK, BLOCK]), ints("strides", [BLOCK, BLOCK])]);

  const gray = op("Conv", ["image", "luma_kernel"], "gray");
  const brightness = mean(gray, "brightness");
  const lap = op("Conv", [gray, "laplacian_kernel"], "laplacian");
  const lapVar = op(
    "Sub",
    [mean(op("Mul", [lap, lap], "laplacian_sq"), "laplacian_sq_mean"), op("Mul", [mean(lap, "laplacian_mean"), "laplacian_mean"], "laplacian_mean_sq")],
    "laplacian_variance",
  );
  const blockMean = pool(gray, "block_mean");
  const blockVar = op("Sub", [pool(op("Mul", [gray, gray], "gray_sq"), "block_sq_mean"), op("Mul", [blockMean, blockMean], "block_mean_sq")], "block_variance");
  const blockDark = sig(op("Div", [op("Sub", ["block_dark", blockMean], "block_dark_margin"), "block_dark_temp"], "block_dark_z"), "block_is_dark");
  const blockFlat = sig(op("Div", [op("Sub", ["block_flat_var", blockVar], "block_flat_margin"), "block_flat_temp"], "block_flat_z"), "block_is_flat");
  const obstruction = mean(op("Mul", [blockDark, blockFlat], "block_covered"), "obstruction_fraction");
  op("Concat", [brightness, lapVar, obstruction], "features", [int("axis", 1)]);

  const dark = sig(op("Div", [op("Sub", ["t_brightness", brightness], "dark_margin"), "temp_brightness"], "dark_z"), "p_too_dark");
  const logLap = op("Log", [op("Add", [lapVar, "log_eps"], "laplacian_variance_eps")], "log_laplacian_variance");
  const blurry = sig(op("Div", [op("Sub", ["t_log_laplacian_variance", logLap], "blur_margin"), "temp_log_laplacian_variance"], "blur_z"), "s_blurry");
  const blocked = sig(op("Div", [op("Sub", [obstruction, "t_obstruction"], "obstruction_margin"), "temp_obstruction"], "obstruction_z"), "s_obstructed");
  const notDark = op("Sub", ["one", dark], "not_dark");
  const clear = op("Mul", [notDark, op("Sub", ["one", blocked], "not_obstructed")], "clear");
  const pOk = op("Mul", [clear, op("Sub", ["one", blurry], "sharp")], "p_ok");
  op("Concat", [pOk, dark, op("Mul", [clear, blurry], "p_blurry"), op("Mul", [notDark, blocked], "p_obstructed")], "scores", [int("axis", 1)]);

  const scalar = (name: string, v: number) => tensor(name, [], [v]);
  const model: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: "", version: 13 }],
    producerName: "sentinel",
    producerVersion: "1",
    domain: "ai.sentinel",
    modelVersion: 1,
    docString:
      "Camera health from classic image operations, no learned weights. features = [mean Rec.601 brightness, variance of the 3x3 Laplacian " +
      "(low = blurry), share of 16x16 blocks that are dark and flat (lens covered)]. scores = cascade probabilities in label order: " +
      "too_dark first, else obstructed, else blurry, else ok. Thresholds fitted on seeded synthetic frames by scripts/build-camera-health-model.ts.",
    metadataProps: [
      { key: "labels", value: JSON.stringify(CAMERA_HEALTH_LABELS) },
      { key: "features", value: JSON.stringify(CAMERA_HEALTH_FEATURES) },
      { key: "thresholds", value: JSON.stringify(t) },
      { key: "input", value: JSON.stringify({ layout: "NCHW", color: "RGB", scale: "0..1", size: [S, S] }) },
      { key: "demo", value: "Demo model: thresholds fitted on synthetic frames only; not validated on real camera footage." },
    ],
    graph: {
      name: "camera_health",
      node: nodes,
      initializer: [
        tensor("luma_kernel", [1, 3, 1, 1], LUMA),
        tensor("laplacian_kernel", [1, 1, 3, 3], LAPLACIAN),
        scalar("block_dark", BLOCK_DARK),
        scalar("block_dark_temp", BLOCK_DARK_TEMP),
        scalar("block_flat_var", BLOCK_FLAT_VAR),
        scalar("block_flat_temp", BLOCK_FLAT_TEMP),
        scalar("t_brightness", t.brightness),
        scalar("t_log_laplacian_variance", t.logLaplacianVariance),
        scalar("t_obstruction", t.obstruction),
        scalar("temp_brightness", TEMP.brightness),
        scalar("temp_log_laplacian_variance", TEMP.logLaplacianVariance),
        scalar("temp_obstruction", TEMP.obstruction),
        scalar("log_eps", LOG_EPS),
        scalar("one", 1),
      ],
      input: [valueInfo("image", [1, 3, S, S])],
      output: [valueInfo("scores", [1, CAMERA_HEALTH_LABELS.length]), valueInfo("features", [1, CAMERA_HEALTH_FEATURES.length])],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}
