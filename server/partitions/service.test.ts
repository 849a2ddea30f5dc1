// Monthly partitions on the real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): rows of a
// month with no partition still insert, the tick creates months ahead and drops only what retention
// says, audits each drop, and two ticks at once do not trip over each other.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@/db/client";
import { auditLog, metrics } from "@/db/schema";
import { createRun, logBatch } from "@/server/experiments/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { maintainPartitions, PARTITIONED_TABLES } from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
}, 120_000);
afterAll(async () => {
  await t.close();
});

const partitionsOf = async (table: string) =>
  (
    await queryRows(
      t.db,
      sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = ${`public.${table}`}::regclass order by 1`,
    )
  ).map((r) => String(r.name));
const where = async (table: string, filter: ReturnType<typeof sql>) =>
  (await queryRows(t.db, sql`select tableoid::regclass::text as part from ${sql.identifier(table)} where ${filter}`)).map((r) => String(r.part));

describe("monthly partitions", () => {
  it("every growing table is partitioned by month, with the current month, three ahead and a default", async () => {
    const kinds = await queryRows(
      t.db,
      sql`select relname, relkind from pg_class where relname in ('metrics', 'telemetry_summaries', 'drift_evaluations', 'audit_log')`,
    );
    expect(kinds.map((k) => k.relkind)).toEqual(["p", "p", "p", "p"]);
    const now = new Date();
    const month = (plus: number) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + plus, 1));
      return `${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
    };
    for (const table of PARTITIONED_TABLES) {
      const parts = await partitionsOf(table);
      expect(parts).toContain(`${table}_default`);
      for (const plus of [0, 1, 2, 3]) expect(parts).toContain(`${table}_p${month(plus)}`);
    }
  });

  it("a metric for a month without a partition is stored in the default one, and moved when its month is created", async () => {
    const run = await createRun(t.db, t.actors.engineer, {});
    const at = Date.UTC(2041, 4, 10);
    await logBatch(t.db, t.actors.engineer, { runId: run.info.runId, metrics: [{ key: "loss", value: 0.5, timestamp: at, step: 1 }] });
    expect(await where("metrics", sql`${metrics.timestamp} = ${at}`)).toEqual(["metrics_default"]);

    const r = await maintainPartitions(t.db, { now: new Date(at), ahead: 0 });
    expect(r.created).toContain("metrics_p2041_05");
    expect(await where("metrics", sql`${metrics.timestamp} = ${at}`)).toEqual(["metrics_p2041_05"]);
  });

  it("an audit row for a month without a partition is kept in the default partition (never moved, never deleted)", async () => {
    await t.db
      .insert(auditLog)
      .values({ at: new Date("2042-02-03T00:00:00Z"), actorLabel: "system", action: "test.future", entityType: "test", entityId: "1" });
    const r = await maintainPartitions(t.db, { now: new Date("2042-02-10T00:00:00Z"), ahead: 0 });
    expect(r.held).toEqual(["audit_log_p2042_02"]);
    expect(await where("audit_log", sql`${auditLog.action} = 'test.future'`)).toEqual(["audit_log_default"]);
  });

  it("with a retention, the tick drops the old month's partition (only it) and audits the drop; rows still cannot be deleted", async () => {
    await maintainPartitions(t.db, { now: new Date("2020-01-10T00:00:00Z"), ahead: 2 });
    for (const at of ["2020-01-15", "2020-02-15", "2020-02-16"])
      await t.db.insert(auditLog).values({ at: new Date(`${at}T00:00:00Z`), actorLabel: "system", action: "test.old", entityType: "test", entityId: at });

    // One month kept on 31 March: January ended more than a month ago, February (ended 1 March) did not.
    const r = await maintainPartitions(t.db, { now: new Date("2020-03-31T12:00:00Z"), ahead: 0, retention: { audit_log: 1 } });
    expect(r.dropped).toEqual([{ partition: "audit_log_p2020_01", rows: 1 }]);
    const parts = await partitionsOf("audit_log");
    expect(parts).not.toContain("audit_log_p2020_01");
    expect(parts).toContain("audit_log_p2020_02");
    expect(await partitionsOf("metrics")).toContain("metrics_p2020_01");
    const left = await queryRows(t.db, sql`select entity_id from audit_log where action = 'test.old' order by 1`);
    expect(left.map((x) => x.entity_id)).toEqual(["2020-02-15", "2020-02-16"]);

    const [drop] = await queryRows(t.db, sql`select actor_label, entity_id, before from audit_log where action = 'partition.drop'`);
    expect(drop).toMatchObject({ actor_label: "system", entity_id: "audit_log_p2020_01", before: { table: "audit_log", rows: 1 } });

    // drizzle wraps the database error; the trigger's message is in the cause.
    const refusal = (q: ReturnType<typeof sql>) =>
      t.db.execute(q).then(
        () => "done",
        (e: { cause?: Error }) => String(e.cause?.message ?? e),
      );
    expect(await refusal(sql`delete from audit_log_p2020_02`)).toMatch(/append-only/);
    expect(await refusal(sql`delete from audit_log where action = 'test.old'`)).toMatch(/append-only/);
    expect(await refusal(sql`update audit_log set action = 'x' where action = 'test.old'`)).toMatch(/append-only/);
  });

  it("without a retention nothing is dropped", async () => {
    const r = await maintainPartitions(t.db, { now: new Date("2031-01-10T00:00:00Z"), ahead: 0 });
    expect(r.dropped).toEqual([]);
    expect(await partitionsOf("audit_log")).toContain("audit_log_p2020_02");
  });

  it("two ticks at the same moment both finish; the months exist once", async () => {
    const opts = { now: new Date("2033-06-01T00:00:00Z"), ahead: 2, retention: { metrics: 1 } };
    const [a, b] = await Promise.all([maintainPartitions(t.db, opts), maintainPartitions(t.db, opts)]);
    expect([a.ran, b.ran]).toContain(true);
    const created = [...a.created, ...b.created].filter((n) => n.startsWith("metrics_p2033"));
    expect(created.sort()).toEqual(["metrics_p2033_06", "metrics_p2033_07", "metrics_p2033_08"]);
    // Each old month was dropped once: one audit row per partition.
    const drops = await queryRows(t.db, sql`select entity_id, count(*)::int as n from audit_log where action = 'partition.drop' group by 1`);
    for (const d of drops) expect(d.n).toBe(1);
    expect(drops.map((d) => d.entity_id)).toContain("metrics_p2020_01");
  });
});
