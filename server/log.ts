// Structured JSON logs (pino); every request logs with its request id.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "sentinel" },
  timestamp: pino.stdTimeFunctions.isoTime,
});
