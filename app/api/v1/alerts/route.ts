import { rest } from "@/server/http/rest";
import { listAlertsForApi } from "@/server/monitoring/alerts-api";

export const GET = rest({ route: "/api/v1/alerts", scope: "alerts:read" }, ({ db, req }) =>
  listAlertsForApi(db, Object.fromEntries(new URL(req.url).searchParams)),
);
