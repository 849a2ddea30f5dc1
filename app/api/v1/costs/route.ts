import { ZIngestCosts } from "@/server/cost/schemas";
import { ingestCostRecords } from "@/server/cost/service";
import { rest } from "@/server/http/rest";

export const POST = rest({ route: "/api/v1/costs", scope: "cost:write", body: ZIngestCosts, status: 201 }, ({ db, actor, body }) =>
  ingestCostRecords(db, actor, body),
);
