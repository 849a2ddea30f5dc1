// Safety tables as CSV: the same rows the pages show, with counts, rates, intervals and verdicts.
import { toCsv } from "@/lib/csv";
import type { Proportion } from "./metrics";
import type { OverviewRow, ReleaseReview } from "./service";

const r4 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 10_000) / 10_000);
const p = (x: Proportion | null | undefined) => [r4(x?.value), r4(x?.lo), r4(x?.hi)];

export function overviewCsv(rows: OverviewRow[]): string {
  return toCsv(
    [
      "event_type",
      "model",
      "dataset",
      "production_version",
      "recall",
      "recall_lo",
      "recall_hi",
      "precision",
      "precision_lo",
      "precision_hi",
      "f1",
      "false_alerts_per_1k_h",
      "candidate_version",
      "candidate_regressed_slices",
    ],
    rows.map((r) => [
      r.eventType,
      r.model.slug,
      r.dataset,
      r.production?.version,
      ...p(r.production?.recall),
      ...p(r.production?.precision),
      r4(r.production?.f1),
      r4(r.production?.falseAlertsPer1kHours),
      r.candidate?.version,
      r.candidate?.regressedSlices.map((s) => `${s.dimension}=${s.value} ${s.metric}`).join("; "),
    ]),
  );
}

export function reviewCsv(review: ReleaseReview): string {
  return toCsv(
    [
      "event_type",
      "slice_dimension",
      "slice_value",
      "candidate_version",
      "candidate_tp",
      "candidate_fp",
      "candidate_fn",
      "candidate_recall",
      "candidate_recall_lo",
      "candidate_recall_hi",
      "candidate_precision",
      "candidate_precision_lo",
      "candidate_precision_hi",
      "candidate_false_alerts_per_1k_h",
      "production_version",
      "production_tp",
      "production_fp",
      "production_fn",
      "production_recall",
      "production_recall_lo",
      "production_recall_hi",
      "production_precision",
      "production_precision_lo",
      "production_precision_hi",
      "production_false_alerts_per_1k_h",
      "recall_delta",
      "recall_delta_lo",
      "recall_delta_hi",
      "recall_verdict",
      "precision_delta",
      "precision_delta_lo",
      "precision_delta_hi",
      "precision_verdict",
    ],
    review.rows.map((r) => [
      r.eventType,
      r.dimension,
      r.value,
      review.candidate.version,
      r.candidate?.tp,
      r.candidate?.fp,
      r.candidate?.fn,
      ...p(r.candidate?.recall),
      ...p(r.candidate?.precision),
      r4(r.candidate?.falseAlertsPer1kHours),
      review.production?.version,
      r.production?.tp,
      r.production?.fp,
      r.production?.fn,
      ...p(r.production?.recall),
      ...p(r.production?.precision),
      r4(r.production?.falseAlertsPer1kHours),
      r4(r.recall.delta?.delta),
      r4(r.recall.delta?.lo),
      r4(r.recall.delta?.hi),
      r.recall.verdict,
      r4(r.precision.delta?.delta),
      r4(r.precision.delta?.lo),
      r4(r.precision.delta?.hi),
      r.precision.verdict,
    ]),
  );
}
