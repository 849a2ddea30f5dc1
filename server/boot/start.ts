// Server start (Node.js runtime only): open, migrate and seed the database, close it on signals.
import { closeDatabase, getDatabase } from "@/server/db";
import { logger } from "@/server/log";

export async function startServer(): Promise<void> {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down: closing the database");
    closeDatabase()
      .catch((err) => logger.error({ err }, "closing the database failed"))
      .finally(() => process.exit(0));
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  try {
    await getDatabase();
  } catch (err) {
    logger.fatal({ err: err instanceof Error ? err.message : err }, "cannot open the database");
    process.exit(1);
  }
}
