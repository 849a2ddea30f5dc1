// The safety area's REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZPostEvaluation } from "./schemas";

registerOperations([
  {
    method: "post",
    path: "/api/v1/evaluations",
    summary:
      "Post an evaluation of a model version on a dataset: TP/FP/FN (TN) and driving hours per event type and slice. Rates and intervals are computed by Sentinel. Optional: score-threshold sweeps per event type (thresholds ascending in [0, 1], TP + FN constant and equal to the whole-dataset row), confusion matrices for classifiers, and example frames (frame-library ids) with outcome fp or fn. Any invalid row refuses the whole post (400, naming results.<row>.<field>, sweeps.<i>.points.<j>.<field> and so on).",
    scope: "evals:write",
    body: ZPostEvaluation,
    success: 201,
  },
]);

registerOperations([
  {
    method: "get",
    path: "/api/v1/safety/overview/csv",
    summary: "The safety overview as CSV: every event type's production rates with 95% intervals and the candidate's regressed slices",
    scope: "models:read",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/safety/review/{slug}/csv",
    summary: "A release review (?candidate=N&dataset=name@version) as CSV: candidate vs production per event type and slice, deltas with intervals, verdicts",
    scope: "models:read",
    success: 200,
  },
]);
