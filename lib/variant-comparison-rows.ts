// The "Variant vs parent" table's rows, shaped from a stored comparison: one pure function for the version page (and
// its unit test), so the page only lays them out.
import type { ComparisonSide, VariantComparison } from "@/server/registry/variant-comparison";
import { eventTypeLabel, interval, pct, points } from "./safety-format";

export type ComparisonRow = { measure: string; parent: string; variant: string; change: string; group: "file" | "speed" | "output" | "safety" };

const mb = (b: number) => `${(b / 1e6).toFixed(2)} MB`;
const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : "—");
const withInterval = (p: { value: number; lo: number; hi: number } | null) => (p ? `${pct(p.value)} ${interval(p)}` : "—");

export function comparisonRows(r: VariantComparison): ComparisonRow[] {
  const rows: ComparisonRow[] = [
    {
      group: "file",
      measure: "File size",
      parent: mb(r.parent.sizeBytes),
      variant: mb(r.variant.sizeBytes),
      change: ratio(r.variant.sizeBytes, r.parent.sizeBytes),
    },
    {
      group: "speed",
      measure: "Session load (Node)",
      parent: ms(r.parent.loadMs),
      variant: ms(r.variant.loadMs),
      change: ratio(r.variant.loadMs, r.parent.loadMs),
    },
    {
      group: "speed",
      measure: "Inference p50 (Node)",
      parent: ms(r.parent.p50Ms),
      variant: ms(r.variant.p50Ms),
      change: ratio(r.variant.p50Ms, r.parent.p50Ms),
    },
    {
      group: "speed",
      measure: "Inference p95 (Node)",
      parent: ms(r.parent.p95Ms),
      variant: ms(r.variant.p95Ms),
      change: ratio(r.variant.p95Ms, r.parent.p95Ms),
    },
    {
      group: "output",
      measure: "Max abs output difference",
      parent: "reference",
      variant: r.maxAbsError.toPrecision(3),
      change: `mean ${r.meanAbsError.toPrecision(3)}`,
    },
  ];
  if (r.boxAgreement)
    rows.push({
      group: "output",
      measure: "Box agreement (IoU ≥ 0.5)",
      parent: `${r.boxAgreement.total} boxes`,
      variant: `${r.boxAgreement.matched} of ${r.boxAgreement.total} matched`,
      change: pct(r.boxAgreement.value),
    });
  for (const s of r.parent.safety ?? []) {
    const v = sideRow(r.variant, s.eventType);
    const name = eventTypeLabel(s.eventType);
    for (const k of ["precision", "recall"] as const)
      rows.push({
        group: "safety",
        measure: `${name}: ${k}`,
        parent: withInterval(s[k]),
        variant: withInterval(v?.[k] ?? null),
        change: s[k] && v?.[k] ? points(v[k]!.value - s[k]!.value) : "—",
      });
  }
  return rows;
}

const sideRow = (side: ComparisonSide, eventType: string) => side.safety?.find((x) => x.eventType === eventType) ?? null;

/** How the numbers were measured, in words, for the line under the table. */
export function methodWords(r: VariantComparison): string {
  const safety = r.dataset
    ? ` Precision and recall come from each version's recorded evaluation on ${r.dataset} (detections matched to ground truth at IoU ≥ 0.5), with 95% Wilson intervals.`
    : " No evaluation frames are defined for this model, so there are no safety metrics here.";
  return (
    `Measured in onnxruntime-node with one thread on ${r.input}. Session load is the median of ${r.loadRuns} creations; ` +
    `p50 and p95 are over N = ${r.timedRuns} timed runs per version after ${r.warmupRuns} warm-up runs, the two versions taking turns.` +
    (r.boxAgreement ? " Box agreement is the share of the parent's boxes that the variant also finds, after the same postprocessing." : "") +
    safety
  );
}
