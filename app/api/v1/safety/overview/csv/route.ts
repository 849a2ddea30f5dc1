import { csvResponse } from "@/lib/csv";
import { rest } from "@/server/http/rest";
import { overviewCsv } from "@/server/safety/export";
import { safetyOverview } from "@/server/safety/service";

export const GET = rest({ route: "/api/v1/safety/overview/csv", scope: "models:read" }, async ({ db }) =>
  csvResponse("safety-overview.csv", overviewCsv(await safetyOverview(db))),
);
