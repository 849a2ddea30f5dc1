// Monthly partitions of the tables that grow without bound (metrics, telemetry summaries, drift
// evaluations, audit log; the partitioning itself is db/migrations/0028_partition_by_month.sql).
// The maintenance tick creates the current month and the next ones ahead, so rows rarely land in the
// default partition, and drops whole months past each table's retention: a DROP is instant and leaves
// no dead rows, where a DELETE of a month would rewrite and vacuum it. Dropping is the only way audit
// rows ever leave, and each drop is written to the audit log in the same transaction.
import { and, gte, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "@/db/client";
import { telemetryIdempotencyKeys } from "@/db/schema";
import { writeAudit } from "@/server/audit/service";

export const PARTITIONED_TABLES = ["metrics", "telemetry_summaries", "drift_evaluations", "audit_log"] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** Whole months to keep per table; 0 or absent keeps everything (the default). */
export type Retention = Partial<Record<PartitionedTable, number>>;

export const ZMaintainOptions = z.strictObject({
  now: z.date().optional(),
  /** Months created ahead of the current one. */
  ahead: z.number().int().min(0).max(24).default(3),
  retention: z.partialRecord(z.enum(PARTITIONED_TABLES), z.number().int().min(0)).default({}),
});

export type MaintainResult = {
  /** False when another replica held the maintenance lock: it is doing the same work. */
  ran: boolean;
  created: string[];
  dropped: { partition: string; rows: number }[];
  /** Months whose rows sit in the default partition and stay there (the append-only audit log's). */
  held: string[];
};

/** Any fixed bigint shared by all replicas, distinct from the other ticks' locks. */
const LOCK_KEY = 0x5e71_0028;
const NAME = /^(.+)_p(\d{4})_(\d{2})$/;

const rowsOf = async <T>(db: Db, query: SQL) => (await queryRows(db, query)) as T[];
const monthStart = (d: Date, plus = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + plus, 1));
const isoMonth = (d: Date) => d.toISOString().slice(0, 10);

/**
 * Creates this month's partition and `ahead` more for every table, then drops each month whose end is
 * more than the table's retention ago (no row younger than the retention is ever dropped). Safe on
 * several replicas: the work runs under a transaction-scoped advisory lock; a replica that does not get
 * it returns at once, and the work is idempotent for the one that runs after.
 */
export async function maintainPartitions(db: Db, input: unknown = {}): Promise<MaintainResult> {
  const p = ZMaintainOptions.parse(input);
  const now = p.now ?? new Date();
  return db.transaction(async (tx) => {
    const result: MaintainResult = { ran: false, created: [], dropped: [], held: [] };
    const [lock] = await rowsOf<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as ok`);
    if (!lock?.ok) return result;
    result.ran = true;
    for (const table of PARTITIONED_TABLES) {
      for (let i = 0; i <= p.ahead; i++) {
        const month = monthStart(now, i);
        const [r] = await rowsOf<{ did: string }>(tx, sql`select sentinel_month_partition(${table}, ${isoMonth(month)}::date) as did`);
        const name = `${table}_p${isoMonth(month).slice(0, 7).replace("-", "_")}`;
        if (r.did === "rows held in default") result.held.push(name);
        else if (r.did !== "exists") result.created.push(name);
      }
    }
    for (const table of PARTITIONED_TABLES) {
      const months = p.retention[table] ?? 0;
      if (!months) continue;
      const parts = await rowsOf<{ name: string }>(
        tx,
        sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
            where i.inhparent = ${`public.${table}`}::regclass order by c.relname`,
      );
      for (const { name } of parts) {
        const m = NAME.exec(name);
        if (!m || m[1] !== table) continue;
        const from = new Date(Date.UTC(Number(m[2]), Number(m[3]) - 1, 1));
        const to = monthStart(from, 1);
        // Dropped once its end is `months` whole months ago (counted from the end, a first of the month,
        // so 31 March minus one month is never mistaken for 3 March).
        if (monthStart(from, 1 + months) > now) continue;
        const [{ n }] = await rowsOf<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(name)}`);
        await tx.execute(sql`drop table ${sql.identifier(name)}`);
        // The keys of dropped summaries go with them; a retry that old is a new post.
        if (table === "telemetry_summaries")
          await tx.delete(telemetryIdempotencyKeys).where(and(gte(telemetryIdempotencyKeys.windowStart, from), lt(telemetryIdempotencyKeys.windowStart, to)));
        await writeAudit(tx, null, {
          action: "partition.drop",
          entityType: "partition",
          entityId: name,
          before: { table, from, to, rows: n },
          after: { retentionMonths: months },
        });
        result.dropped.push({ partition: name, rows: n });
      }
    }
    return result;
  });
}
