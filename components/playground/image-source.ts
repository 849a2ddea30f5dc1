"use client";
// Decodes a frame (from the library or a local file that never leaves the browser) into RGBA pixels.
import type { Rgba } from "@/lib/playground/preprocess";

const MAX_SIDE = 4096;

export async function decodeImage(source: Blob): Promise<Rgba> {
  const bitmap = await createImageBitmap(source);
  try {
    if (bitmap.width > MAX_SIDE || bitmap.height > MAX_SIDE)
      throw new Error(`The image is ${bitmap.width}×${bitmap.height}; the playground takes up to ${MAX_SIDE} pixels a side.`);
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("This browser cannot read image pixels");
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return { data, width: bitmap.width, height: bitmap.height };
  } finally {
    bitmap.close();
  }
}

export async function fetchFrame(url: string): Promise<Rgba> {
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) throw new Error(`The frame could not be loaded (HTTP ${res.status})`);
  return decodeImage(await res.blob());
}
