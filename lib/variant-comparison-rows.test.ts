import { describe, expect, it } from "vitest";
import type { VariantComparison } from "@/server/registry/variant-comparison";
import { comparisonRows, methodWords } from "./variant-comparison-rows";

const prop = (successes: number, n: number) => ({ value: successes / n, lo: successes / n - 0.1, hi: successes / n + 0.1, successes, n });
const side = (version: number, sizeBytes: number, p50Ms: number, recall: number) => ({
  version,
  sha256: String(version).repeat(64),
  sizeBytes,
  loadMs: 40,
  p50Ms,
  p95Ms: p50Ms * 2,
  evaluationId: null,
  safety: [{ eventType: "pedestrian-warning", tp: recall, fp: 2, fn: 10 - recall, precision: prop(recall, recall + 2), recall: prop(recall, 10) }],
});
const result: VariantComparison = {
  method: "m",
  input: "the first 32 frames tagged fcw-eval-v1, one run per frame",
  timedRuns: 32,
  warmupRuns: 3,
  loadRuns: 3,
  dataset: "fcw-eval-v1@96 frames",
  parent: side(2, 2_000_000, 10, 8),
  variant: side(4, 580_000, 15, 7),
  maxAbsError: 0.0123,
  meanAbsError: 0.0004,
  boxAgreement: { matched: 9, total: 10, value: 0.9 },
  computedAt: "2026-12-06T15:00:00.000Z",
};

describe("variant comparison rows", () => {
  it("puts both versions side by side with the ratio or the change in points", () => {
    const rows = comparisonRows(result);
    expect(rows.find((r) => r.measure === "File size")).toMatchObject({ parent: "2.00 MB", variant: "0.58 MB", change: "0.29x" });
    expect(rows.find((r) => r.measure === "Inference p50 (Node)")).toMatchObject({ parent: "10.0 ms", variant: "15.0 ms", change: "1.50x" });
    expect(rows.find((r) => r.measure.startsWith("Box agreement"))).toMatchObject({ variant: "9 of 10 matched", change: "90.0%" });
    expect(rows.find((r) => r.measure.endsWith("recall"))).toMatchObject({ parent: "80.0% [70.0, 90.0]", variant: "70.0% [60.0, 80.0]", change: "−10.0 pt" });
  });

  it("says the method and N in words, and says so when there are no safety metrics", () => {
    expect(methodWords(result)).toMatch(/N = 32 timed runs per version after 3 warm-up runs/);
    expect(methodWords({ ...result, dataset: null, boxAgreement: null, parent: { ...result.parent, safety: null } })).toMatch(/no safety metrics/);
    expect(comparisonRows({ ...result, boxAgreement: null, parent: { ...result.parent, safety: null } }).map((r) => r.group)).not.toContain("safety");
  });
});
