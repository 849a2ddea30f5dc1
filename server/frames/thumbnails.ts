// Grid thumbnails: frames downscaled on the server (sharp) to a few tens of kilobytes, so /frames does not load
// megabytes of full-size PNGs. Keyed by the frame's content hash, so a cached thumbnail is never stale; the cache is
// in memory and bounded (a replica rebuilds what it lacks; nothing is kept on disk).
import { buffer } from "node:stream/consumers";
import sharp from "sharp";
import { artifactStore } from "@/server/artifacts";

export const THUMBNAIL_WIDTH = 480;
const CACHE_BYTES = 32 * 1024 * 1024;
const cache = new Map<string, Uint8Array>();
let cached = 0;
const building = new Map<string, Promise<Uint8Array>>();

/** A WebP at most THUMBNAIL_WIDTH wide (never upscaled) for the image stored under `sha256`. */
export async function thumbnail(sha256: string): Promise<Uint8Array> {
  const hit = cache.get(sha256);
  if (hit) {
    // Most recently used last: Map keeps insertion order, so eviction takes the oldest first.
    cache.delete(sha256);
    cache.set(sha256, hit);
    return hit;
  }
  // Concurrent requests for one frame share one resize.
  let p = building.get(sha256);
  if (!p) {
    // Frames are at most 20 MiB, so the original is read into memory from whichever store holds it.
    p = artifactStore
      .openRead(sha256)
      .then((stream) => buffer(stream))
      .then((original) => sharp(original).resize({ width: THUMBNAIL_WIDTH, withoutEnlargement: true }).webp({ quality: 78 }).toBuffer())
      .then((b) => new Uint8Array(b));
    building.set(sha256, p);
  }
  try {
    const bytes = await p;
    if (!cache.has(sha256) && bytes.byteLength < CACHE_BYTES / 8) {
      cache.set(sha256, bytes);
      cached += bytes.byteLength;
      for (const [k, v] of cache) {
        if (cached <= CACHE_BYTES) break;
        cache.delete(k);
        cached -= v.byteLength;
      }
    }
    return bytes;
  } finally {
    building.delete(sha256);
  }
}
