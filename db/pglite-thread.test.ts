// The embedded database on its own thread must behave as PGlite in this thread does: same values, same errors,
// transactions that commit or roll back whole, and statements from other requests waiting for an open transaction.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isEmbedded, openDatabase, queryRows, type Database, type Db } from "./client";
import { PgliteThread } from "./pglite-thread";

let dir: string;
let database: Database;
let db: Db;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-thread-"));
  // Through openDatabase: the migrations themselves run over the thread.
  database = await openDatabase({ pgliteDir: dir });
  db = database.db;
  await db.execute(sql`create table thread_t (k int primary key, v text not null)`);
}, 60_000);

afterAll(async () => {
  await database?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** drizzle wraps driver errors; PostgreSQL's fields are on the cause. */
const pgFields = (e: unknown) => {
  const c = ((e as { cause?: unknown }).cause ?? e) as Record<string, unknown>;
  return { code: c.code, table: c.table, constraint: c.constraint };
};

describe("PGlite on its own thread", () => {
  it("is the persisted embedded database's client, and counts as embedded", () => {
    expect((db as unknown as { $client: unknown }).$client).toBeInstanceOf(PgliteThread);
    expect(isEmbedded(db)).toBe(true);
  });

  it("answers the same values as PGlite in this thread (timestamps as text, bytea as bytes, json, arrays, nulls)", async () => {
    const q = sql`select timestamptz '2026-01-02 03:04:05+00' as ts, '\\x00ff'::bytea as b, '{"a":[1,2]}'::jsonb as j,
      array[1.5, 2.5]::numeric[] as n, null::text as z, interval '2 days' as i, 42::int8 as big`;
    const local = drizzle(await PGlite.create());
    try {
      const here = await queryRows(local as unknown as Db, q);
      const there = await queryRows(db, q);
      expect(there).toEqual(here);
      expect(there[0].b).toBeInstanceOf(Uint8Array);
    } finally {
      await local.$client.close();
    }
  });

  it("runs prepared statements on the thread: the same values as query, one prepared statement per name, after any open transaction", async () => {
    const q = sql`select timestamptz '2026-01-02 03:04:05+00' as ts, ${sql.param(["a", "b,c"])}::text[] as xs, ${NaN}::float8 as nan,
      '{"a":[1,2]}'::jsonb as j, null::text as z, interval '2 days' as i, 42::int8 as big`;
    const plain = await queryRows(db, q);
    for (let i = 0; i < 3; i++) expect(await queryRows(db, q, { prepared: "thread_values" })).toEqual(plain);
    const names = await queryRows(db, sql`select name from pg_prepared_statements where name like 'thread_values_%'`);
    expect(names).toHaveLength(1);
    // A prepared read sent while a transaction is open waits for it, and so never sees its rolled-back write.
    let seen: Promise<Record<string, unknown>[]> | null = null;
    await db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into thread_t values (900, 'rolled back')`);
        seen = queryRows(db, sql`select count(*)::int as n from thread_t where k = ${900}`, { prepared: "thread_count" });
        await new Promise((r) => setTimeout(r, 50));
        throw new Error("roll back");
      })
      .catch(() => {});
    expect(await seen!).toEqual([{ n: 0 }]);
  });

  it("carries PostgreSQL's error fields across the thread", async () => {
    await db.execute(sql`insert into thread_t values (1, 'one')`);
    const err = await db.execute(sql`insert into thread_t values (1, 'again')`).catch((e: unknown) => e);
    expect(pgFields(err)).toEqual({ code: "23505", table: "thread_t", constraint: "thread_t_pkey" });
  });

  it("rolls a failed transaction back whole, and keeps the outer transaction when a savepoint fails", async () => {
    const boom = db.transaction(async (tx) => {
      await tx.execute(sql`insert into thread_t values (2, 'two')`);
      throw new Error("boom");
    });
    await expect(boom).rejects.toThrow("boom");
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into thread_t values (3, 'three')`);
      const nested = tx.transaction(async (t2) => {
        await t2.execute(sql`insert into thread_t values (3, 'dup')`);
      });
      await expect(nested).rejects.toThrow();
      await tx.execute(sql`insert into thread_t values (4, 'four')`);
    });
    const rows = await queryRows(db, sql`select k from thread_t where k between 2 and 4 order by k`);
    expect(rows.map((r) => r.k)).toEqual([3, 4]);
  });

  it("makes statements from elsewhere wait for an open transaction, and loses no update when two race", async () => {
    await db.execute(sql`insert into thread_t values (10, '0')`);
    const bump = () =>
      db.transaction(async (tx) => {
        const [row] = await queryRows(tx as unknown as Db, sql`select v from thread_t where k = 10`);
        await new Promise((r) => setTimeout(r, 20)); // a request doing other work mid-transaction
        await tx.execute(sql`update thread_t set v = ${String(Number(row.v) + 1)} where k = 10`);
      });
    const outside = (async () => {
      await new Promise((r) => setTimeout(r, 5));
      return queryRows(db, sql`select v from thread_t where k = 10`);
    })();
    await Promise.all([bump(), bump(), bump()]);
    const [seen] = await outside;
    expect(Number(seen.v)).toBeGreaterThanOrEqual(1); // ran after the first transaction committed, not inside it
    expect((await queryRows(db, sql`select v from thread_t where k = 10`))[0].v).toBe("3");
  });

  it("fails the call in flight and every later one when the thread dies, and says so once", async () => {
    const d3 = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-thread-dead-"));
    const errors: unknown[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((m: unknown) => void errors.push(m));
    try {
      const thread = await PgliteThread.create(d3);
      const inFlight = thread.query("select pg_sleep(0.5)");
      await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect(inFlight).rejects.toThrow(/embedded database thread stopped .*Restart Sentinel/);
      await expect(thread.query("select 1")).rejects.toThrow(/embedded database thread stopped/);
      expect(errors).toEqual([expect.stringMatching(/embedded database thread stopped/)]);
    } finally {
      spy.mockRestore();
      fs.rmSync(d3, { recursive: true, force: true });
    }
  });

  it("refuses calls after close with a message that says what happened", async () => {
    const d2 = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-thread-closed-"));
    try {
      const thread = await PgliteThread.create(d2);
      expect(await thread.query("select 1 as one")).toMatchObject({ rows: [{ one: 1 }] });
      await thread.close();
      await expect(thread.query("select 1")).rejects.toThrow(/embedded database thread stopped/);
    } finally {
      fs.rmSync(d2, { recursive: true, force: true });
    }
  });
});
