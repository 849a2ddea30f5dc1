// Which versions may get an int8 variant: one rule for the service, which refuses, and the version page, which offers.

export const QUANTIZATION_TAG = "quantization";

/** Why a version cannot be quantised, or null when it can. */
export function int8VariantBlocked(v: { version: number; held: boolean; uri?: string | null; tags: Record<string, string> }): string | null {
  if (!v.held) return `v${v.version} holds no file (only a reference to ${v.uri ?? "nothing"}), so there is nothing to quantise`;
  if (v.tags[QUANTIZATION_TAG]) return `v${v.version} is already a quantised variant (${v.tags[QUANTIZATION_TAG]})`;
  return null;
}

/** What a version is compared with on the playground: a quantised variant with its parent, any other with production. */
export function comparisonBaseline(v: {
  parentVersion: number | null;
  tags: Record<string, string>;
}): { kind: "parent"; version: number } | { kind: "production" } {
  return v.tags[QUANTIZATION_TAG] && v.parentVersion ? { kind: "parent", version: v.parentVersion } : { kind: "production" };
}
