import { sql } from "drizzle-orm";
import { queryRows } from "@/db/client";
import { getDatabase } from "@/server/db";
import { metrics } from "@/server/http/metrics";
import { logger } from "@/server/log";

export const dynamic = "force-dynamic";

// 200 with database status and the applied migration; 503 when the database cannot answer.
export async function GET() {
  const started = performance.now();
  try {
    const { db, driver } = await getDatabase();
    const [last] = await queryRows(db, sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    const seconds = (performance.now() - started) / 1000;
    metrics.dbPing.observe({ driver }, seconds);
    return Response.json(
      { status: "ok", database: { status: "up", driver, latencyMs: Math.round(seconds * 1000) }, migration: { latest: last ? Number(last.created_at) : null, hash: last ? String(last.hash) : null } },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (err) {
    logger.error({ err }, "health check failed");
    return Response.json({ status: "error", database: { status: "down", error: "The database is not answering" } }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
