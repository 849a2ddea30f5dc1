// Model outputs → results, one pure function per manifest postprocess kind; shared by browser and server.
import type { Transform } from "./preprocess";

export type Tensor = { data: Float32Array | number[]; dims: number[] };
export type Box = { x: number; y: number; w: number; h: number; score: number; label: string; classIndex: number; text?: string };
export type ClassScore = { label: string; index: number; score: number };

export function softmax(logits: ArrayLike<number>): Float32Array {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += out[i] = Math.exp(logits[i] - m);
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

/** Models that already end in Softmax give probabilities; applying it twice would flatten them. */
export function looksLikeProbabilities(v: ArrayLike<number>): boolean {
  let sum = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] > 1) return false;
    sum += v[i];
  }
  return Math.abs(sum - 1) < 1e-3;
}

export function classify(output: Tensor, labels: string[], k = 5): ClassScore[] {
  const probs = looksLikeProbabilities(output.data) ? Float32Array.from(output.data) : softmax(output.data);
  return Array.from(probs, (score, index) => ({ label: labels[index] ?? `class ${index}`, index, score }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

export function multiLabel(output: Tensor, labels: string[], threshold: number): ClassScore[] {
  return Array.from(output.data, (logit, index) => ({ label: labels[index] ?? `class ${index}`, index, score: 1 / (1 + Math.exp(-logit)) }))
    .filter((c) => c.score >= threshold)
    .sort((a, b) => b.score - a.score);
}

export function iou(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy per-class non-maximum suppression; ties keep the earlier box. */
export function nms(boxes: Box[], iouThreshold: number, scoreThreshold: number, maxDetections: number): Box[] {
  const sorted = boxes.filter((b) => b.score >= scoreThreshold).sort((a, b) => b.score - a.score);
  const kept: Box[] = [];
  for (const b of sorted) {
    if (kept.length >= maxDetections) break;
    if (kept.every((k) => k.classIndex !== b.classIndex || iou(k, b) <= iouThreshold)) kept.push(b);
  }
  return kept;
}

/** Maps a box from model-input pixels back to source-image pixels. */
export function unmapBox<T extends { x: number; y: number; w: number; h: number }>(b: T, t: Transform): T {
  return { ...b, x: (b.x - t.padX) / t.scaleX, y: (b.y - t.padY) / t.scaleY, w: b.w / t.scaleX, h: b.h / t.scaleY };
}

/**
 * Decodes detector rows into candidate boxes (before NMS, so thresholds can change without
 * re-running the model). "yolo": [1, 4+C, N] with cx,cy,w,h then class scores; others: [N, 6] or
 * [1, N, 6] rows of 4 coordinates, score, class.
 */
export function decodeBoxes(output: Tensor, format: "xyxy" | "xywh" | "cxcywh" | "yolo", labels: string[]): Box[] {
  const d = output.data;
  const out: Box[] = [];
  if (format === "yolo") {
    const [, rows, n] = output.dims.length === 3 ? output.dims : [1, ...output.dims];
    const classes = rows - 4;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let score = -Infinity;
      for (let c = 0; c < classes; c++) {
        const s = d[(4 + c) * n + i];
        if (s > score) [score, best] = [s, c];
      }
      const cx = d[i];
      const cy = d[n + i];
      const w = d[2 * n + i];
      const h = d[3 * n + i];
      out.push({ x: cx - w / 2, y: cy - h / 2, w, h, score, classIndex: best, label: labels[best] ?? `class ${best}` });
    }
    return out;
  }
  const width = output.dims[output.dims.length - 1];
  for (let i = 0; i + width <= d.length; i += width) {
    const [a, b, c, e, score, cls] = [d[i], d[i + 1], d[i + 2], d[i + 3], d[i + 4], d[i + 5] ?? 0];
    const box =
      format === "xyxy" ? { x: a, y: b, w: c - a, h: e - b } : format === "xywh" ? { x: a, y: b, w: c, h: e } : { x: a - c / 2, y: b - e / 2, w: c, h: e };
    out.push({ ...box, score, classIndex: cls, label: labels[cls] ?? `class ${cls}` });
  }
  return out;
}

/**
 * CenterNet decoding: every cell that is the maximum of its 3x3 neighbourhood in a class's heatmap and scores at
 * least `threshold` is a box centre; its size (input pixels, [w, h]) and optional sub-cell offset ([dx, dy]) are read
 * at that cell. The stride is the input size over the map size. Boxes are in model-input pixels.
 */
export function decodeCenterNet(
  heatmap: Tensor,
  size: Tensor,
  offset: Tensor | undefined,
  input: { width: number; height: number },
  labels: string[],
  threshold: number,
): Box[] {
  const [C, H, W] = heatmap.dims.slice(-3);
  const h = heatmap.data;
  const strideX = input.width / W;
  const strideY = input.height / H;
  const out: Box[] = [];
  for (let c = 0; c < C; c++) {
    const base = c * H * W;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const v = h[base + y * W + x];
        if (v < threshold) continue;
        let peak = true;
        for (let dy = -1; dy <= 1 && peak; dy++)
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if ((dx || dy) && yy >= 0 && yy < H && xx >= 0 && xx < W && h[base + yy * W + xx] > v) {
              peak = false;
              break;
            }
          }
        if (!peak) continue;
        const i = y * W + x;
        const cx = (x + (offset ? offset.data[i] : 0.5)) * strideX;
        const cy = (y + (offset ? offset.data[H * W + i] : 0.5)) * strideY;
        const w = size.data[i];
        const bh = size.data[H * W + i];
        out.push({ x: cx - w / 2, y: cy - bh / 2, w, h: bh, score: v, classIndex: c, label: labels[c] ?? `class ${c}` });
      }
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

export type TextRegion = { x: number; y: number; w: number; h: number; score: number };

/**
 * DB text detection: threshold the probability map, take 4-connected components, score each by its
 * mean probability, expand ("unclip") by area * ratio / perimeter as DBNet does, in map pixels.
 */
export function dbTextRegions(map: Tensor, binaryThreshold: number, boxThreshold: number, unclipRatio: number, minSize = 3): TextRegion[] {
  const H = map.dims[map.dims.length - 2];
  const W = map.dims[map.dims.length - 1];
  const p = map.data;
  const seen = new Uint8Array(W * H);
  const regions: TextRegion[] = [];
  const stack: number[] = [];
  for (let start = 0; start < W * H; start++) {
    if (seen[start] || p[start] <= binaryThreshold) continue;
    let minX = W,
      minY = H,
      maxX = 0,
      maxY = 0,
      sum = 0,
      count = 0;
    stack.push(start);
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % W;
      const y = (i - x) / W;
      sum += p[i];
      count++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      for (const j of [x > 0 ? i - 1 : -1, x < W - 1 ? i + 1 : -1, y > 0 ? i - W : -1, y < H - 1 ? i + W : -1]) {
        if (j >= 0 && !seen[j] && p[j] > binaryThreshold) {
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const score = sum / count;
    if (Math.min(w, h) < minSize || score < boxThreshold) continue;
    const d = (w * h * unclipRatio) / (2 * (w + h));
    const x0 = Math.max(0, minX - d);
    const y0 = Math.max(0, minY - d);
    regions.push({ x: x0, y: y0, w: Math.min(W, maxX + 1 + d) - x0, h: Math.min(H, maxY + 1 + d) - y0, score });
  }
  return regions.sort((a, b) => a.y - b.y || a.x - b.x);
}

/** CTC greedy decoding: best class per step, repeats collapsed, blanks dropped. */
export function ctcGreedy(output: Tensor, labels: string[], blankIndex = 0): { text: string; confidence: number } {
  const [T, C] = output.dims.slice(-2);
  const d = output.data;
  let text = "";
  let prev = -1;
  let confSum = 0;
  let kept = 0;
  for (let t = 0; t < T; t++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < C; c++) {
      const v = d[t * C + c];
      if (v > bestScore) [bestScore, best] = [v, c];
    }
    if (best !== blankIndex && best !== prev) {
      text += labels[best] ?? "";
      confSum += bestScore;
      kept++;
    }
    prev = best;
  }
  return { text, confidence: kept ? confSum / kept : 0 };
}

/** Per-pixel argmax of [1, C, H, W] logits; returns class indices and the class counts. */
export function segmentationMask(output: Tensor): { mask: Uint8Array; width: number; height: number; counts: number[] } {
  const [, C, H, W] = output.dims;
  const mask = new Uint8Array(H * W);
  const counts = new Array<number>(C).fill(0);
  for (let i = 0; i < H * W; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (output.data[c * H * W + i] > output.data[best * H * W + i]) best = c;
    mask[i] = best;
    counts[best]++;
  }
  return { mask, width: W, height: H, counts };
}
