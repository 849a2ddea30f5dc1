// The sweeps REST operation in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZSweepQuery } from "./schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/sweeps/{id}",
    summary: "A sweep (a parent run's children, or runs sharing a `sweep` tag: id tag-<base64url>) with best-so-far, parameter importance and the top k",
    query: ZSweepQuery,
    scope: "runs:read",
    success: 200,
  },
]);
