import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { artifactHealth } from "@/server/artifacts/health";
import { getDatabase } from "@/server/db";
import { env } from "@/server/env";
import { RETRY_AFTER_SECONDS } from "@/server/errors";
import { metrics } from "@/server/http/metrics";
import { logger } from "@/server/log";

export const dynamic = "force-dynamic";

class HealthDeadline extends Error {}

// 200 with database status and the applied migration; 503 (with Retry-After) when the database cannot
// answer within the health check's own short deadline, so a load balancer takes the replica out fast.
export async function GET() {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthDeadline()), env.HEALTH_TIMEOUT_MS);
  });
  try {
    const check = (async () => {
      const { db, driver } = await getDatabase();
      const [last] = await queryRows(db, sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
      return { driver, last };
    })();
    check.catch(() => {});
    const { driver, last } = await Promise.race([check, deadline]);
    const seconds = (performance.now() - started) / 1000;
    metrics.dbPing.observe({ driver }, seconds);
    return Response.json(
      {
        status: "ok",
        database: { status: "up", driver, latencyMs: Math.round(seconds * 1000) },
        migration: { latest: last ? Number(last.created_at) : null, hash: last ? String(last.hash) : null },
        // This replica's own view of the artifact store (files it could not see at its last check); it stays
        // serving, since everything else works, but says so here and in sentinel_artifacts_unseen.
        artifacts: artifactHealth(),
      },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (err) {
    const late = err instanceof HealthDeadline;
    logger.error(
      { err: late ? undefined : err, deadlineMs: late ? env.HEALTH_TIMEOUT_MS : undefined },
      late ? "health check: no answer from the database within the deadline" : "health check failed",
    );
    return Response.json(
      {
        status: "error",
        database: { status: "down", error: late ? `The database did not answer within ${env.HEALTH_TIMEOUT_MS} ms` : "The database is not answering" },
      },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": String(RETRY_AFTER_SECONDS) } },
    );
  } finally {
    clearTimeout(timer);
  }
}
