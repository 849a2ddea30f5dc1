// Prometheus metrics shared by every door (one registry per process).
import client from "prom-client";

type Metrics = {
  registry: client.Registry;
  httpDuration: client.Histogram<"route" | "method" | "status">;
  httpRequests: client.Counter<"route" | "method" | "status">;
  dbPing: client.Histogram<"driver">;
  artifactsUnseen: client.Gauge;
};

const g = globalThis as { __sentinelMetrics?: Metrics };

function create(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "sentinel_" });
  return {
    registry,
    httpDuration: new client.Histogram({
      name: "sentinel_http_request_duration_seconds",
      help: "API request duration by route, method and status",
      labelNames: ["route", "method", "status"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpRequests: new client.Counter({
      name: "sentinel_http_requests_total",
      help: "API requests by route, method and status",
      labelNames: ["route", "method", "status"],
      registers: [registry],
    }),
    dbPing: new client.Histogram({
      name: "sentinel_db_ping_duration_seconds",
      help: "Round trip of the health check query",
      labelNames: ["driver"],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    artifactsUnseen: new client.Gauge({
      name: "sentinel_artifacts_unseen",
      help: "Stored files the database lists that this replica could not see in its artifact store at its last check",
      registers: [registry],
    }),
  };
}

export const metrics: Metrics = (g.__sentinelMetrics ??= create());

export function observeRequest(route: string, method: string, status: number, seconds: number): void {
  const labels = { route, method, status: String(status) };
  metrics.httpDuration.observe(labels, seconds);
  metrics.httpRequests.inc(labels);
}
