import { rest } from "@/server/http/rest";
import { ZCreateRun } from "@/server/experiments/schemas";
import { createRun } from "@/server/experiments/service";

export const POST = rest({ route: "/api/v1/runs", scope: "runs:write", body: ZCreateRun, status: 201 }, ({ db, actor, body }) => createRun(db, actor, body));
