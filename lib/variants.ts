// Rules for int8 variants, each used by the service that refuses and the page that offers: who may quantise or compare, and with what.
import { roleAtLeast, type Role } from "@/server/auth/roles";

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

/** Why this caller cannot start "Compare with parent" on this version, or null when they can. */
export function compareWithParentBlocked(v: { role: Role; version: number; parentVersion: number | null; held: boolean; parentHeld: boolean }): string | null {
  if (!v.parentVersion) return `v${v.version} is not derived from another version, so it has no parent to compare with`;
  if (!v.held) return `v${v.version} holds no file to run`;
  if (!v.parentHeld) return `The parent v${v.parentVersion} holds no file to run`;
  if (!roleAtLeast(v.role, "engineer"))
    return "Comparing runs both models on the evaluation frames and records the result; ask an engineer or an admin to start it";
  return null;
}
