// Runtime config (thresholds, batch size, feature flags) checked against a version's manifest before it is deployed.
import { z } from "zod";
import type { TManifest } from "@/server/registry/schemas";

export const ZRuntimeConfig = z.strictObject({
  /** Per-label score thresholds, e.g. { "lead_vehicle": 0.6 }; labels must exist in the manifest. */
  thresholds: z.record(z.string().min(1).max(200), z.number().min(0).max(1)).optional(),
  batchSize: z.number().int().min(1).max(1024).optional(),
  featureFlags: z.record(z.string().regex(/^[a-z0-9_.-]{1,64}$/i, "Letters, digits, . _ -"), z.boolean()).optional(),
});
export type TRuntimeConfig = z.infer<typeof ZRuntimeConfig>;

/** Problems with the config for this manifest (empty when it fits); `manifest` null when the version has none. */
export function runtimeConfigProblems(config: TRuntimeConfig, manifest: TManifest | null, versionLabel: string): string[] {
  const problems: string[] = [];
  const thresholds = Object.keys(config.thresholds ?? {});
  if (thresholds.length) {
    if (!manifest) problems.push(`${versionLabel} has no manifest, so per-label thresholds cannot be checked; add a manifest in the registry first`);
    else if (!manifest.labels.length) problems.push(`${versionLabel}'s manifest lists no labels, so thresholds.${thresholds[0]} names nothing`);
    else
      for (const label of thresholds)
        if (!manifest.labels.includes(label))
          problems.push(
            `thresholds.${label}: ${versionLabel} has no label "${label}" (it has ${manifest.labels.slice(0, 6).join(", ")}${manifest.labels.length > 6 ? ", …" : ""})`,
          );
  }
  return problems;
}
