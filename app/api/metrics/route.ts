import { timingSafeEqual } from "node:crypto";
import { getDb } from "@/server/db";
import { env } from "@/server/env";
import { clientAddress, isLoopbackAddress } from "@/server/http/client-address";
import { metrics } from "@/server/http/metrics";
import { modelSliMetrics } from "@/server/monitoring/model-slis";
import { authenticateToken } from "@/server/tokens/service";

export const dynamic = "force-dynamic";

async function allowed(req: Request): Promise<boolean> {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "");
  if (m) {
    if (env.METRICS_TOKEN) {
      const a = Buffer.from(m[1]);
      const b = Buffer.from(env.METRICS_TOKEN);
      if (a.length === b.length && timingSafeEqual(a, b)) return true;
    }
    return (await authenticateToken(await getDb(), m[1])) !== null;
  }
  // The connection's peer (or, behind a trusted proxy, the client it names); never the Host or a header alone.
  return isLoopbackAddress(clientAddress(req));
}

// Prometheus text format; only with a token (METRICS_TOKEN or any valid API token) or from loopback.
export async function GET(req: Request) {
  if (!(await allowed(req))) {
    return new Response("Metrics need a bearer token (METRICS_TOKEN or an API token) or a loopback request\n", { status: 401 });
  }
  // Process metrics from this replica, then the per-model SLIs every replica reads from the shared database.
  const [own, models] = await Promise.all([metrics.registry.metrics(), modelSliMetrics(await getDb())]);
  return new Response(`${own}\n${models}`, { headers: { "content-type": metrics.registry.contentType } });
}
