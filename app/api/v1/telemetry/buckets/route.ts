import { rest } from "@/server/http/rest";
import { LATENCY_BOUNDS_MS, LATENCY_BUCKETS } from "@/server/telemetry/histogram";
import { TELEMETRY_LIMITS } from "@/server/telemetry/schemas";
import { MAX_LATENESS_MS } from "@/server/telemetry/service";

export const GET = rest({ route: "/api/v1/telemetry/buckets", scope: "telemetry:read" }, async () => ({
  latencyBoundsMs: LATENCY_BOUNDS_MS,
  latencyBuckets: LATENCY_BUCKETS,
  maxLatenessSeconds: MAX_LATENESS_MS / 1000,
  limits: TELEMETRY_LIMITS,
}));
