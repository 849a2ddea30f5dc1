// Pixel passes on an RGBA buffer for the frame generator: light, glow, weather, blur, grain. Plain typed-array loops, so
// they are fast and give the same bytes on every run.
export type Rgb = readonly [number, number, number];
export type Raster = { data: Uint8Array; width: number; height: number };

export { mulberry32 } from "@/lib/prng";

export const clamp = (v: number, lo: number, hi: number) => (v < lo ? lo : v > hi ? hi : v);
const byte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));
export const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
export const scale = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];
export const css = (c: Rgb) => `rgb(${byte(c[0])},${byte(c[1])},${byte(c[2])})`;
export const smoothstep = (e0: number, e1: number, x: number) => {
  const t = clamp((x - e0) / (e1 - e0), 0, 1);
  return t * t * (3 - 2 * t);
};

/** Vertical gradient over rows [y0, y1), opaque. */
export function fillRowsGradient(r: Raster, y0: number, y1: number, top: Rgb, bottom: Rgb): void {
  const { data, width } = r;
  const a = Math.max(0, Math.floor(y0));
  const b = Math.min(r.height, Math.ceil(y1));
  for (let y = a; y < b; y++) {
    const c = mix(top, bottom, b - a > 1 ? (y - a) / (b - a - 1) : 0);
    const [cr, cg, cb] = [byte(c[0]), byte(c[1]), byte(c[2])];
    for (let x = 0, i = y * width * 4; x < width; x++, i += 4) {
      data[i] = cr;
      data[i + 1] = cg;
      data[i + 2] = cb;
      data[i + 3] = 255;
    }
  }
}

/** Alpha-blends a colour over an axis-aligned rectangle, with an optional vertical gradient to `bottom`. */
export function blendRect(r: Raster, x: number, y: number, w: number, h: number, color: Rgb, alpha = 1, bottom?: Rgb): void {
  const x0 = Math.max(0, Math.round(x));
  const x1 = Math.min(r.width, Math.round(x + w));
  const y0 = Math.max(0, Math.round(y));
  const y1 = Math.min(r.height, Math.round(y + h));
  for (let yy = y0; yy < y1; yy++) {
    const c = bottom ? mix(color, bottom, h > 1 ? (yy - y) / h : 0) : color;
    for (let xx = x0, i = (yy * r.width + x0) * 4; xx < x1; xx++, i += 4) {
      r.data[i] = byte(r.data[i] + (c[0] - r.data[i]) * alpha);
      r.data[i + 1] = byte(r.data[i + 1] + (c[1] - r.data[i + 1]) * alpha);
      r.data[i + 2] = byte(r.data[i + 2] + (c[2] - r.data[i + 2]) * alpha);
    }
  }
}

/** Soft elliptical blend (clouds, shadows, puddles): alpha falls off smoothly to 0 at the ellipse edge. */
export function blendEllipse(r: Raster, cx: number, cy: number, rx: number, ry: number, color: Rgb, alpha: number, softness = 0.5): void {
  const x0 = Math.max(0, Math.floor(cx - rx));
  const x1 = Math.min(r.width, Math.ceil(cx + rx));
  const y0 = Math.max(0, Math.floor(cy - ry));
  const y1 = Math.min(r.height, Math.ceil(cy + ry));
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const d = Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
      if (d >= 1) continue;
      const a = alpha * smoothstep(1, 1 - softness, d);
      const i = (y * r.width + x) * 4;
      for (let c = 0; c < 3; c++) r.data[i + c] = byte(r.data[i + c] + (color[c] - r.data[i + c]) * a);
    }
}

/** Additive light: `intensity * color * exp(-(d/radius)^2)` (lamps, headlights, sun). */
export function addGlow(r: Raster, cx: number, cy: number, radius: number, color: Rgb, intensity: number, stretchY = 1): void {
  const reach = radius * 2.6;
  const x0 = Math.max(0, Math.floor(cx - reach));
  const x1 = Math.min(r.width, Math.ceil(cx + reach));
  const y0 = Math.max(0, Math.floor(cy - reach * stretchY));
  const y1 = Math.min(r.height, Math.ceil(cy + reach * stretchY));
  for (let y = y0; y < y1; y++) {
    const dy = (y + 0.5 - cy) / stretchY;
    for (let x = x0; x < x1; x++) {
      const dx = x + 0.5 - cx;
      const k = intensity * Math.exp(-(dx * dx + dy * dy) / (radius * radius));
      if (k < 0.002) continue;
      const i = (y * r.width + x) * 4;
      r.data[i] = byte(r.data[i] + color[0] * k);
      r.data[i + 1] = byte(r.data[i + 1] + color[1] * k);
      r.data[i + 2] = byte(r.data[i + 2] + color[2] * k);
    }
  }
}

/** An anti-aliased-enough line of given width blended with alpha (rain streaks, wires). */
export function blendLine(r: Raster, x0: number, y0: number, x1: number, y1: number, color: Rgb, alpha: number, width = 1): void {
  const len = Math.hypot(x1 - x0, y1 - y0);
  const steps = Math.max(1, Math.ceil(len * 1.5));
  const half = (width - 1) / 2;
  let lastIndex = -1;
  for (let s = 0; s <= steps; s++) {
    const t = s / steps;
    const px = x0 + (x1 - x0) * t;
    const py = y0 + (y1 - y0) * t;
    for (let o = -half; o <= half; o++) {
      const x = Math.round(px + o);
      const y = Math.round(py);
      if (x < 0 || y < 0 || x >= r.width || y >= r.height) continue;
      const i = (y * r.width + x) * 4;
      if (i === lastIndex && width <= 1) continue;
      lastIndex = i;
      for (let c = 0; c < 3; c++) r.data[i + c] = byte(r.data[i + c] + (color[c] - r.data[i + c]) * alpha);
    }
  }
}

/**
 * Lighting: each pixel is multiplied by its light (ambient + `extra` map), except where `material` marks it emissive (1,
 * unchanged) or retroreflective (2, at least `retro`: signs and plates shine back in the headlights).
 */
export function applyLight(r: Raster, ambient: Rgb, extra: Float32Array | null, material: Uint8Array, retro: number): void {
  const n = r.width * r.height;
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    const m = material[p];
    if (m === 1) continue;
    const e = extra ? extra[p] : 0;
    for (let c = 0; c < 3; c++) {
      let k = ambient[c] + e;
      if (m === 2 && k < retro) k = retro;
      r.data[i + c] = byte(r.data[i + c] * k);
    }
  }
}

/** Adds `value * falloff` into a light map inside an ellipse (headlight beams, lamp pools). */
export function addLightEllipse(map: Float32Array, width: number, height: number, cx: number, cy: number, rx: number, ry: number, value: number, y0 = 0): void {
  const xa = Math.max(0, Math.floor(cx - rx));
  const xb = Math.min(width, Math.ceil(cx + rx));
  const ya = Math.max(Math.floor(y0), Math.floor(cy - ry));
  const yb = Math.min(height, Math.ceil(cy + ry));
  for (let y = ya; y < yb; y++)
    for (let x = xa; x < xb; x++) {
      const d2 = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
      if (d2 < 1) map[y * width + x] += value * (1 - d2) * (1 - d2);
    }
}

/** Separable box blur, `passes` times (3 passes approximate a Gaussian); `ry` 0 blurs horizontally only (motion). */
export function boxBlur(r: Raster, rx: number, ry: number, passes = 3): void {
  const { width, height, data } = r;
  const line = new Float32Array(Math.max(width, height));
  const out = new Float32Array(Math.max(width, height));
  const run = (len: number, rad: number, get: (k: number) => number, set: (k: number, v: number) => void) => {
    for (let k = 0; k < len; k++) line[k] = get(k);
    let sum = 0;
    for (let d = -rad; d <= rad; d++) sum += line[clamp(d, 0, len - 1)];
    for (let k = 0; k < len; k++) {
      out[k] = sum / (2 * rad + 1);
      sum += line[Math.min(len - 1, k + rad + 1)] - line[Math.max(0, k - rad)];
    }
    for (let k = 0; k < len; k++) set(k, out[k]);
  };
  const plane = new Float32Array(width * height);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < width * height; p++) plane[p] = data[p * 4 + c];
    for (let pass = 0; pass < passes; pass++) {
      if (rx > 0)
        for (let y = 0; y < height; y++)
          run(
            width,
            rx,
            (k) => plane[y * width + k],
            (k, v) => (plane[y * width + k] = v),
          );
      if (ry > 0)
        for (let x = 0; x < width; x++)
          run(
            height,
            ry,
            (k) => plane[k * width + x],
            (k, v) => (plane[k * width + x] = v),
          );
    }
    for (let p = 0; p < width * height; p++) data[p * 4 + c] = byte(plane[p]);
  }
}

/** Sensor grain: the same luminance noise on the three channels, `amp` in 0..255 units. */
export function addGrain(r: Raster, rnd: () => number, amp: number): void {
  const n = r.width * r.height;
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    const v = (rnd() + rnd() - 1) * amp;
    r.data[i] = byte(r.data[i] + v);
    r.data[i + 1] = byte(r.data[i + 1] + v);
    r.data[i + 2] = byte(r.data[i + 2] + v);
  }
}

/** Darkens the corners like a wide dashcam lens. */
export function vignette(r: Raster, strength: number): void {
  const { width, height } = r;
  const cx = width / 2;
  const cy = height / 2;
  const norm = 1 / (cx * cx + cy * cy);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const k = 1 - strength * ((x - cx) ** 2 + (y - cy) ** 2) * norm;
      const i = (y * width + x) * 4;
      r.data[i] = byte(r.data[i] * k);
      r.data[i + 1] = byte(r.data[i + 1] * k);
      r.data[i + 2] = byte(r.data[i + 2] * k);
    }
}

/** Lifts blacks and pulls colours toward `tint` by `amount` (haze, rain, veiling glare). */
export function veil(r: Raster, tint: Rgb, amount: number): void {
  const n = r.width * r.height;
  for (let p = 0, i = 0; p < n; p++, i += 4) for (let c = 0; c < 3; c++) r.data[i + c] = byte(r.data[i + c] + (tint[c] - r.data[i + c]) * amount);
}

/** Blends `color` where `mask` (0..1 per pixel) is set, with faint grain so the blob is flat but not synthetic-looking. */
export function blendMask(r: Raster, mask: Float32Array, color: Rgb, rnd: () => number, grain: number): void {
  const n = r.width * r.height;
  for (let p = 0, i = 0; p < n; p++, i += 4) {
    const a = mask[p];
    if (a <= 0) continue;
    const g = (rnd() * 2 - 1) * grain;
    for (let c = 0; c < 3; c++) r.data[i + c] = byte(r.data[i + c] + (color[c] + g - r.data[i + c]) * a);
  }
}
