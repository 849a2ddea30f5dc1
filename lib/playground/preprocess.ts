// Image → input tensor as a version's manifest says (resize, letterbox, colour order, scaling,
// mean/std, layout). Pure TypeScript with no canvas, so the browser and Node produce the same bytes.
import type { TManifest } from "@/server/registry/schemas";

export type ManifestInput = TManifest["input"];
export type Rgba = { data: Uint8ClampedArray | Uint8Array; width: number; height: number };
/** Maps model-input coordinates back to the source image: src = (model - pad) / scale. */
export type Transform = { scaleX: number; scaleY: number; padX: number; padY: number; width: number; height: number };
export type Preprocessed = { data: Float32Array; dims: number[]; transform: Transform };

/** The tensor size for a source image: fixed, or height-fixed with a dynamic width (text recognisers). */
export function targetSize(input: ManifestInput, srcW: number, srcH: number): { width: number; height: number } {
  if (input.maxWidth) {
    const w = Math.max(8, Math.min(input.maxWidth, Math.ceil((input.height * srcW) / srcH)));
    return { width: w, height: input.height };
  }
  return { width: input.width, height: input.height };
}

/** Bilinear sample with half-pixel centres (as OpenCV's INTER_LINEAR), edge clamped. */
function resizeBilinear(src: Rgba, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH * 3);
  const sx = src.width / outW;
  const sy = src.height / outH;
  const d = src.data;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const wx = fx - x0;
      const i00 = (y0 * src.width + x0) * 4;
      const i01 = (y0 * src.width + x1) * 4;
      const i10 = (y1 * src.width + x0) * 4;
      const i11 = (y1 * src.width + x1) * 4;
      const o = (y * outW + x) * 3;
      for (let c = 0; c < 3; c++) {
        const top = d[i00 + c] * (1 - wx) + d[i01 + c] * wx;
        const bottom = d[i10 + c] * (1 - wx) + d[i11 + c] * wx;
        out[o + c] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return out;
}

export function letterboxTransform(srcW: number, srcH: number, outW: number, outH: number, mode: ManifestInput["resize"]): Transform {
  if (mode === "stretch") return { scaleX: outW / srcW, scaleY: outH / srcH, padX: 0, padY: 0, width: outW, height: outH };
  const s = Math.min(outW / srcW, outH / srcH);
  const w = Math.round(srcW * s);
  const h = Math.round(srcH * s);
  return { scaleX: w / srcW, scaleY: h / srcH, padX: Math.floor((outW - w) / 2), padY: Math.floor((outH - h) / 2), width: outW, height: outH };
}

export function preprocess(src: Rgba, input: ManifestInput): Preprocessed {
  const { width: W, height: H } = targetSize(input, src.width, src.height);
  const mode = input.maxWidth ? "stretch" : input.resize;
  const t = letterboxTransform(src.width, src.height, W, H, mode);
  const innerW = Math.round(src.width * t.scaleX);
  const innerH = Math.round(src.height * t.scaleY);
  const rgb = resizeBilinear(src, innerW, innerH);
  const C = input.channels;
  const mean = (c: number) => input.mean[Math.min(c, input.mean.length - 1)];
  const std = (c: number) => input.std[Math.min(c, input.std.length - 1)];
  const data = new Float32Array(C * H * W);
  // Padding holds the value a black pixel would get, so letterbox bars read as "nothing there".
  for (let c = 0; c < C; c++) {
    const pad = (0 - mean(c)) / std(c);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const idx = input.layout === "NCHW" ? c * H * W + y * W + x : (y * W + x) * C + c;
        data[idx] = pad;
      }
    }
  }
  for (let y = 0; y < innerH; y++) {
    for (let x = 0; x < innerW; x++) {
      const s = (y * innerW + x) * 3;
      const ox = x + t.padX;
      const oy = y + t.padY;
      for (let c = 0; c < C; c++) {
        let v: number;
        if (C === 1) v = 0.299 * rgb[s] + 0.587 * rgb[s + 1] + 0.114 * rgb[s + 2];
        else v = rgb[s + (input.colorOrder === "BGR" ? 2 - c : c)];
        const idx = input.layout === "NCHW" ? c * H * W + oy * W + ox : (oy * W + ox) * C + c;
        data[idx] = (v * input.scale - mean(c)) / std(c);
      }
    }
  }
  return { data, dims: input.layout === "NCHW" ? [1, C, H, W] : [1, H, W, C], transform: t };
}

/** Cuts a region out of an RGBA image (clamped to the image), optionally turned by 180°. */
export function cropRgba(src: Rgba, box: { x: number; y: number; w: number; h: number }, rotate180 = false): Rgba {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(src.width, Math.ceil(box.x + box.w));
  const y1 = Math.min(src.height, Math.ceil(box.y + box.h));
  const w = Math.max(1, x1 - x0);
  const h = Math.max(1, y1 - y0);
  const out = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = Math.min(x0 + x, src.width - 1);
      const sy = Math.min(y0 + y, src.height - 1);
      const dx = rotate180 ? w - 1 - x : x;
      const dy = rotate180 ? h - 1 - y : y;
      const si = (sy * src.width + sx) * 4;
      const di = (dy * w + dx) * 4;
      out[di] = src.data[si];
      out[di + 1] = src.data[si + 1];
      out[di + 2] = src.data[si + 2];
      out[di + 3] = 255;
    }
  }
  return { data: out, width: w, height: h };
}
