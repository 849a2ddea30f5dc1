// URLs for the frames browser: every filter lives in the query string, so views can be shared and reloaded.
import type { FrameFilters } from "./types";

export function framesHref(f: FrameFilters, page = 1): string {
  const sp = new URLSearchParams();
  for (const t of [...f.tags].sort()) sp.append("tag", t);
  if (f.tags.length > 1 && f.match === "any") sp.set("match", "any");
  if (f.source) sp.set("source", f.source);
  if (page > 1) sp.set("page", String(page));
  const q = sp.toString();
  return q ? `/frames?${q}` : "/frames";
}

export function toggleTag(f: FrameFilters, tag: string): FrameFilters {
  return { ...f, tags: f.tags.includes(tag) ? f.tags.filter((t) => t !== tag) : [...f.tags, tag] };
}
