// The one place that reads process.env: parsed and validated with zod once.
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "1" || v === "true"));

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  DEMO: bool,
  DEMO_PASSWORD: z.string().min(8).default("sentinel-demo"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default("Single sign-on"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  MAX_ARTIFACT_BYTES: z.coerce.number().int().positive().default(1024 * 1024 * 1024),
  ARTIFACT_DIR: z.string().optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
  INTEGRITY_CHECK_MINUTES: z.coerce.number().int().min(0).default(360),
  // PostgreSQL pool: a replica never waits forever on a database that hangs (partition, stopped server).
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).default(2_000),
  // On SIGTERM: stop accepting, let in-flight requests finish this long, then close the database.
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(20_000),
});

export type Env = z.infer<typeof ZEnv>;

function load(): Env {
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}\nSee .env.example for every variable and its default.`);
  }
  return parsed.data;
}

export const env = load();

/** Absolute data directory (embedded database, artifacts, generated secret). */
export const dataDir = path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.DATA_DIR);
export const artifactDir = env.ARTIFACT_DIR
  ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.ARTIFACT_DIR)
  : path.join(dataDir, "artifacts");

/** Demo data: on by default for the embedded database, off with DATABASE_URL unless DEMO=1. */
export const demoEnabled = env.DEMO ?? !env.DATABASE_URL;
export const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
