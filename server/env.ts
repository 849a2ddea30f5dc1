// The one place that reads process.env: parsed and validated with zod once.
import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => (v === undefined || v === "" ? undefined : v === "1" || v === "true"));

/** Comma-separated IPv4/IPv6 addresses or CIDR ranges; empty means none. */
const cidrs = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((e) => e.trim())
      .filter(Boolean),
  )
  .superRefine((entries, ctx) => {
    for (const e of entries) {
      const [addr, prefix, extra] = e.replace(/^\[|\]$/g, "").split("/");
      const max = isIP(addr) === 6 ? 128 : 32;
      const ok = isIP(addr) !== 0 && extra === undefined && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= max));
      if (!ok) ctx.addIssue({ code: "custom", message: `${e} is not an address or CIDR range (write 10.0.0.0/8, fd00::/8 or 192.0.2.7)` });
    }
  });

/** `s3://bucket` or `s3://bucket/prefix`: the bucket and the key prefix (empty, or ending in "/"). */
export const ZArtifactStoreUrl = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v) return undefined;
    // Bucket names as S3 allows them (3-63 lowercase letters, digits, dots, hyphens); MinIO, R2 and Ceph agree.
    const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(v);
    if (!m) {
      ctx.addIssue({
        code: "custom",
        message: `${v} is not an S3 location: write s3://bucket or s3://bucket/prefix (bucket: 3-63 lowercase letters, digits, dots, hyphens)`,
      });
      return z.NEVER;
    }
    const prefix = (m[2] ?? "").replace(/^\/+|\/+$/g, "");
    return { bucket: m[1], prefix: prefix ? `${prefix}/` : "" };
  });

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default("./.data"),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  DEMO: bool,
  DEMO_PASSWORD: z.string().min(8).default("sentinel-demo"),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  /** The origin people and machines reach the portal at; absolute URLs in responses use it (else NEXTAUTH_URL). */
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Reverse proxies whose X-Forwarded-For is believed (CIDRs); empty: the TCP peer is the client. */
  TRUSTED_PROXIES: cidrs,
  /** Longest a user-driven search query may run in the database before it is cancelled. */
  SEARCH_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_NAME: z.string().default("Single sign-on"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** On protected environments, a safety-relevant model's canary may go up to this percent before the safety sign-off gate applies. */
  SIGNOFF_CANARY_MAX_PERCENT: z.coerce.number().min(0).max(100).default(5),
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /** /api/v1/infer runs models in this many worker threads, with these limits (server/deployments/adapters/infer-pool.ts). */
  INFER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  INFER_QUEUE: z.coerce.number().int().min(0).max(1000).default(16),
  INFER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  INFER_LOAD_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  INFER_MEMORY_MB: z.coerce.number().int().min(32).default(512),
  MAX_ARTIFACT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024 * 1024),
  ARTIFACT_DIR: z.string().optional(),
  /** Artifacts in an S3-compatible bucket shared by every replica (AWS S3, MinIO, R2, Ceph); unset: the local ARTIFACT_DIR. */
  ARTIFACT_STORE_URL: ZArtifactStoreUrl,
  /** The S3 API's base URL for a store other than AWS (http://127.0.0.1:9000 for MinIO); unset: AWS for AWS_REGION. */
  S3_ENDPOINT: z
    .string()
    .url()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Bucket in the path (endpoint/bucket/key) instead of the host name: MinIO, Ceph and most self-hosted stores need it. */
  S3_FORCE_PATH_STYLE: bool,
  /** Downloads by API clients (bearer tokens) are answered with a redirect to a presigned URL of the bucket. */
  S3_PRESIGNED_DOWNLOADS: bool,
  /** How long such a URL stays valid. */
  S3_PRESIGN_SECONDS: z.coerce.number().int().min(10).max(604_800).default(300),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  // Unset: the SDK's own chain finds credentials (instance or task role, web identity, ~/.aws).
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  METRICS_TOKEN: z.string().min(16).optional(),
  INTEGRITY_CHECK_MINUTES: z.coerce.number().int().min(0).default(360),
  /** Absolute lifetime of a browser session; sign-out and deactivation end it sooner on every replica. */
  SESSION_MAX_AGE_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 30)
    .default(12),
  /** Consecutive failed sign-ins for one account before it is locked. */
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  /** Failed sign-ins from one client address (any account) before the address is locked. */
  SIGNIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).max(100_000).default(20),
  /** How long a lock lasts, and how long failures are remembered. */
  SIGNIN_LOCK_MINUTES: z.coerce
    .number()
    .min(0.1)
    .max(24 * 60)
    .default(15),
  /** Delay before answering an attempt after a failure, doubling with each further failure. */
  SIGNIN_DELAY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  SIGNIN_DELAY_MAX_MS: z.coerce.number().int().min(0).max(60_000).default(4000),
  // The embedded database runs on its own thread (1, the default) or on the server's (0: one core, as before).
  EMBEDDED_DB_THREAD: z.enum(["0", "1"]).default("1"),
  // PostgreSQL pool: a replica never waits forever on a database that hangs (partition, stopped server).
  DB_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  HEALTH_TIMEOUT_MS: z.coerce.number().int().min(100).default(2_000),
  // Monthly partitions (server/partitions): months created ahead, how often the tick runs, and whole months
  // kept per table (0, the default, keeps everything; older months are dropped whole, and audited).
  PARTITIONS_AHEAD_MONTHS: z.coerce.number().int().min(1).max(24).default(3),
  PARTITION_MAINTENANCE_HOURS: z.coerce
    .number()
    .min(0.1)
    .max(24 * 7)
    .default(6),
  METRICS_RETENTION_MONTHS: z.coerce.number().int().min(0).default(0),
  TELEMETRY_RETENTION_MONTHS: z.coerce.number().int().min(0).default(0),
  DRIFT_EVALUATIONS_RETENTION_MONTHS: z.coerce.number().int().min(0).default(0),
  AUDIT_LOG_RETENTION_MONTHS: z.coerce.number().int().min(0).default(0),
  // On SIGTERM: stop accepting, let in-flight requests finish this long, then close the database.
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(20_000),
});

export type Env = z.infer<typeof ZEnv>;

/** Where an S3-compatible artifact store is and how to reach it. */
export type S3StoreConfig = {
  bucket: string;
  prefix: string;
  endpoint?: string;
  forcePathStyle: boolean;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Set: API clients download from the bucket itself through a presigned URL valid this many seconds. */
  presignSeconds?: number;
};

function load(): Env {
  const parsed = ZEnv.superRefine((e, ctx) => {
    if (Boolean(e.AWS_ACCESS_KEY_ID) !== Boolean(e.AWS_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["AWS_SECRET_ACCESS_KEY"],
        message: "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY together, or neither (the SDK then finds credentials itself)",
      });
    }
  }).safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment configuration:\n${lines}\nSee .env.example for every variable and its default.`);
  }
  return parsed.data;
}

export const env = load();

/** Absolute data directory (embedded database, artifacts, generated secret). */
export const dataDir = path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.DATA_DIR);
export const artifactDir = env.ARTIFACT_DIR ? path.resolve(/*turbopackIgnore: true*/ process.cwd(), env.ARTIFACT_DIR) : path.join(dataDir, "artifacts");

/** The bucket artifacts live in when ARTIFACT_STORE_URL is set; null: the local directory (artifactDir). */
export const s3StoreConfig: S3StoreConfig | null = env.ARTIFACT_STORE_URL
  ? {
      ...env.ARTIFACT_STORE_URL,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE ?? false,
      region: env.AWS_REGION,
      presignSeconds: env.S3_PRESIGNED_DOWNLOADS ? env.S3_PRESIGN_SECONDS : undefined,
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
          : undefined,
    }
  : null;

/** Demo data: on by default for the embedded database, off with DATABASE_URL unless DEMO=1. */
export const demoEnabled = env.DEMO ?? !env.DATABASE_URL;
export const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
