// Audit log: one row per mutation, written inside the caller's transaction; never updated or deleted.
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";

export type AuditEntry = {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

/** `actor` null means the system itself (seeding, scheduled checks). */
export async function writeAudit(db: Db, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(auditValues(actor, entry));
}

/** The audit row's values, for a caller that writes the row inside a larger statement (see createRun). */
export function auditValues(actor: Actor | null, entry: AuditEntry) {
  return {
    actorUserId: actor?.userId ?? null,
    actorTokenId: actor?.tokenId ?? null,
    actorLabel: actor ? (actor.tokenId ? `${actor.email} (token)` : actor.email) : "system",
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before === undefined ? null : redact(entry.before),
    after: entry.after === undefined ? null : redact(entry.after),
    requestId: actor?.requestId ?? null,
  };
}

const SECRET_KEYS = new Set(["passwordHash", "password", "tokenHash", "token", "secret"]);
/** Secrets never enter the audit log, even hashed. */
function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? "[redacted]" : redact(v)]));
  }
  return value;
}

export const ZListAudit = z.strictObject({
  actor: z.string().max(200).optional(),
  action: z.string().max(200).optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(200).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  /** Keyset cursor: the id of the last row of the previous page. */
  cursor: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type TListAudit = z.input<typeof ZListAudit>;

export async function listAudit(db: Db, input: unknown) {
  const q = ZListAudit.parse(input);
  const where: SQL[] = [];
  if (q.actor) where.push(sql`${auditLog.actorLabel} ilike ${"%" + q.actor + "%"}`);
  if (q.action) where.push(sql`${auditLog.action} ilike ${q.action.replace(/\*/g, "%")}`);
  if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.from) where.push(gte(auditLog.at, q.from));
  if (q.to) where.push(lte(auditLog.at, q.to));
  if (q.cursor) where.push(lt(auditLog.id, q.cursor));
  const rows = await db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page, nextCursor: rows.length > q.limit ? page[page.length - 1].id : null };
}
