// The safety area's REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZPostEvaluation } from "./schemas";

registerOperations([
  {
    method: "post",
    path: "/api/v1/evaluations",
    summary:
      "Post an evaluation of a model version on a dataset: TP/FP/FN (TN) and driving hours per event type and slice. Rates and intervals are computed by Sentinel. Any invalid row refuses the whole post (400, naming results.<row>.<field>).",
    scope: "evals:write",
    body: ZPostEvaluation,
    success: 201,
  },
]);
