import { rest } from "@/server/http/rest";
import { ZPostEvaluation } from "@/server/safety/schemas";
import { postEvaluation } from "@/server/safety/service";

export const POST = rest({ route: "/api/v1/evaluations", scope: "evals:write", body: ZPostEvaluation, status: 201 }, ({ db, actor, body }) =>
  postEvaluation(db, actor, body),
);
