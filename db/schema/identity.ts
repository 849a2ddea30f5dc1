// Identity tables: users, teams, API tokens, the append-only audit log and app metadata.
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  uniqueIndex,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

export const roleEnum = pgEnum("role", ["viewer", "engineer", "admin"]);

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    name: text().notNull(),
    role: roleEnum().notNull().default("viewer"),
    passwordHash: text(),
    active: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp({ withTimezone: true }),
    /** "<issuer>#<sub>" of the OIDC identity bound to this user; set when it is created or linked. */
    oidcSubject: text(),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_role_idx").on(t.role),
    uniqueIndex("users_oidc_subject_unique").on(t.oidcSubject),
  ],
);

export const teams = pgTable("teams", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    name: text().notNull(),
    /** First characters of the secret, shown so people can tell tokens apart. */
    prefix: text().notNull(),
    tokenHash: text().notNull().unique(),
    scopes: text().array().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The token that minted this one over the API (null when a person made it): revoked with it. */
    parentTokenId: uuid().references((): AnyPgColumn => apiTokens.id),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId), index("api_tokens_parent_idx").on(t.parentTokenId)],
);

/**
 * Append-only (triggers refuse UPDATE, DELETE and TRUNCATE) and partitioned by month of `at`: dropping a
 * whole month past AUDIT_LOG_RETENTION_MONTHS is the only way rows leave, and that drop is audited itself.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id),
    actorTokenId: uuid().references(() => apiTokens.id),
    actorLabel: text().notNull(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text().notNull(),
    before: jsonb(),
    after: jsonb(),
    requestId: text(),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.at] }),
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorUserId),
    index("audit_log_action_idx").on(t.action),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
  ],
);

/**
 * Browser sessions, one row per sign-in. The cookie (a JWT) carries the row's id; every request
 * checks the row, so signing out, "sign out everywhere" and deactivation end a session on all
 * replicas at once instead of when the cookie expires.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id),
    /** "credentials" or "oidc". */
    method: text().notNull(),
    userAgent: text(),
    address: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Refreshed at most every few minutes, so reads stay reads. */
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Absolute end, whatever the cookie says. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    /** sign_out, sign_out_everywhere, revoked, deactivated. */
    endReason: text(),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId, t.endedAt)],
);

/**
 * Sign-in throttling state per account (lower-cased email) and per client address: consecutive
 * failures and a temporary lock. In the database so every replica counts the same attempts.
 */
export const signInThrottles = pgTable(
  "sign_in_throttles",
  {
    /** "account" or "address". */
    kind: text().notNull(),
    key: text().notNull(),
    failures: integer().notNull().default(0),
    lastFailureAt: timestamp({ withTimezone: true }),
    lockedUntil: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // updated_at: old rows are expired by it on every failed sign-in.
  (t) => [
    primaryKey({ columns: [t.kind, t.key] }),
    index("sign_in_throttles_locked_idx").on(t.lockedUntil),
    index("sign_in_throttles_updated_idx").on(t.updatedAt),
  ],
);

export const appMeta = pgTable("app_meta", {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
