import { rest } from "@/server/http/rest";
import { receiveAlertmanager, ZAlertmanagerPayload } from "@/server/monitoring/alertmanager";

// Prometheus Alertmanager's webhook_config points here, with an alerts:write token as its bearer credentials.
export const POST = rest({ route: "/api/v1/integrations/alertmanager", scope: "alerts:write", body: ZAlertmanagerPayload }, ({ db, actor, body }) =>
  receiveAlertmanager(db, actor, body),
);
