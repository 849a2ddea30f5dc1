"use client";
import { useEffect, useRef } from "react";
import { matchBoxes, type Interpretation } from "@/lib/playground/interpret";
import type { Rgba } from "@/lib/playground/preprocess";
import type { Explanation } from "./explain-panel";
import type { PlaygroundFrame } from "./types";

type Props = {
  image: Rgba;
  result: Interpretation | null;
  truth: PlaygroundFrame["groundTruth"];
  showTruth: boolean;
  heatOpacity: number;
  explanation?: Pick<Explanation, "map" | "width" | "height"> | null;
  label: string;
};

/** The frame with the model's overlays (boxes, text, heat map) and ground truth drawn over it. */
export function FrameCanvas({ image, result, truth, showTruth, heatOpacity, explanation = null, label }: Props) {
  const ref = useRef<HTMLCanvasElement>(null);
  // Drawing on a canvas is outside React: redraw whenever what it shows changes.
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx) return;
    canvas.width = image.width;
    canvas.height = image.height;
    ctx.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    if (result?.kind === "text-regions" && heatOpacity > 0) drawHeat(ctx, result, heatOpacity);
    if (result?.kind === "mask" && heatOpacity > 0) drawMask(ctx, result, heatOpacity);
    if (explanation && explanation.width === image.width && explanation.height === image.height) drawExplanation(ctx, explanation);
    const lw = Math.max(2, image.width / 320);
    ctx.lineWidth = lw;
    ctx.font = `${Math.max(12, Math.round(image.width / 45))}px ui-sans-serif, system-ui, sans-serif`;
    const gt = showTruth ? (truth?.boxes ?? []) : [];
    const preds = result?.kind === "boxes" ? result.boxes : result?.kind === "text-regions" ? result.regions : [];
    const m = matchBoxes(preds, gt);
    const fp = new Set(m.falsePositives);
    gt.forEach((b, j) => {
      ctx.setLineDash([6, 4]);
      ctx.strokeStyle = m.misses.includes(j) ? "#f97316" : "#a3e635";
      ctx.strokeRect(b.x, b.y, b.w, b.h);
      ctx.setLineDash([]);
    });
    preds.forEach((b, i) => {
      const color = gt.length ? (fp.has(i) ? "#ef4444" : "#22c55e") : "#38bdf8";
      ctx.strokeStyle = color;
      ctx.strokeRect(b.x, b.y, b.w, b.h);
      const text = "label" in b ? `${b.label} ${b.score.toFixed(2)}` : b.text !== undefined ? `${b.text || "∅"}` : b.score.toFixed(2);
      const tw = ctx.measureText(text).width + 8;
      const th = parseInt(ctx.font, 10) + 6;
      const ty = b.y - th < 0 ? b.y + b.h : b.y - th;
      ctx.fillStyle = color;
      ctx.fillRect(b.x, ty, tw, th);
      ctx.fillStyle = "#0b1020";
      ctx.fillText(text, b.x + 4, ty + th - 6);
    });
  }, [image, result, truth, showTruth, heatOpacity, explanation]);
  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={label}
      data-explained={explanation ? "true" : undefined}
      className="h-auto w-full rounded-md border border-zinc-200 bg-black dark:border-zinc-800"
    />
  );
}

// Class 0 is background (transparent); the others cycle through distinct colours.
const MASK_COLOURS: [number, number, number][] = [
  [56, 189, 248],
  [34, 197, 94],
  [249, 115, 22],
  [168, 85, 247],
  [236, 72, 153],
  [250, 204, 21],
];

/** A segmentation mask as coloured classes over the frame, mapped back like the heat map. */
function drawMask(ctx: CanvasRenderingContext2D, r: Extract<Interpretation, { kind: "mask" }>, opacity: number) {
  const { mask, transform: t } = r;
  const img = new ImageData(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) {
    const c = mask.data[i];
    if (c > 0) img.data.set([...MASK_COLOURS[(c - 1) % MASK_COLOURS.length], 255], i * 4);
  }
  drawOverlay(ctx, img, t, opacity);
}

/** The DB probability map as a red overlay, mapped from model-input pixels back onto the frame. */
function drawHeat(ctx: CanvasRenderingContext2D, r: Extract<Interpretation, { kind: "text-regions" }>, opacity: number) {
  const { map, transform: t } = r;
  const heat = new ImageData(map.width, map.height);
  for (let i = 0; i < map.data.length; i++) {
    const v = Math.min(1, Math.max(0, map.data[i]));
    heat.data.set([255, 40, 40, Math.round(v * 255)], i * 4);
  }
  drawOverlay(ctx, heat, t, opacity);
}

/** Occlusion drops over the frame: red where covering lowered the score, blue where it raised it, scaled to the largest. */
function drawExplanation(ctx: CanvasRenderingContext2D, e: Pick<Explanation, "map" | "width" | "height">) {
  let top = 1e-6;
  for (const v of e.map) top = Math.max(top, Math.abs(v));
  const img = new ImageData(e.width, e.height);
  for (let i = 0; i < e.map.length; i++) {
    const v = e.map[i] / top;
    img.data.set(v >= 0 ? [239, 68, 68, Math.round(180 * v)] : [59, 130, 246, Math.round(-180 * v)], i * 4);
  }
  const off = document.createElement("canvas");
  off.width = e.width;
  off.height = e.height;
  off.getContext("2d")?.putImageData(img, 0, 0);
  ctx.drawImage(off, 0, 0);
}

/** Draws a model-input-sized image over the frame, undoing the letterbox (the map may be smaller than the input). */
function drawOverlay(ctx: CanvasRenderingContext2D, img: ImageData, t: Extract<Interpretation, { kind: "mask" }>["transform"], opacity: number) {
  const off = document.createElement("canvas");
  off.width = img.width;
  off.height = img.height;
  off.getContext("2d")?.putImageData(img, 0, 0);
  const sx = img.width / t.width;
  const sy = img.height / t.height;
  const innerW = t.width - 2 * t.padX;
  const innerH = t.height - 2 * t.padY;
  ctx.globalAlpha = opacity;
  ctx.drawImage(off, t.padX * sx, t.padY * sy, innerW * sx, innerH * sy, 0, 0, innerW / t.scaleX, innerH / t.scaleY);
  ctx.globalAlpha = 1;
}
