// queryRows(…, { prepared }): the same rows as an unnamed statement on both drivers; a named statement per text variant,
// prepared once per connection (on the embedded database, its one session), and inside a transaction it runs on the
// transaction's connection; outside one it never runs inside someone else's open transaction.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "./client";
import { createTestDatabase, testDriver } from "./test-db";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(() => database?.close());

/** PostgreSQL's error code, on the error or (drizzle wraps node-postgres errors) its cause. */
const codeOf = (e: unknown) => (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;

const make = (name: string, withTag: boolean) =>
  sql`insert into experiments (name) values (${name}) returning id, name, created_at${withTag ? sql`, 'tagged' as "variant"` : sql``}`;

describe("prepared queryRows", () => {
  it("answers the rows an unnamed statement answers, for each variant of the text", async () => {
    const [plain] = await queryRows(database.db, make("prep-a", false));
    const [prepared] = await queryRows(database.db, make("prep-b", false), { prepared: "exp_make" });
    const [variant] = await queryRows(database.db, make("prep-c", true), { prepared: "exp_make" });
    expect(Object.keys(prepared).sort()).toEqual(Object.keys(plain).sort());
    expect(typeof prepared.created_at).toBe(typeof plain.created_at);
    expect(prepared).toMatchObject({ name: "prep-b" });
    expect(variant).toMatchObject({ name: "prep-c", variant: "tagged" });
    // Again on the same connections: a second execution of an existing name.
    for (let i = 0; i < 3; i++) await queryRows(database.db, make(`prep-d${i}`, false), { prepared: "exp_make" });
    const names = await queryRows(database.db, sql`select name from experiments where name like 'prep-%' order by name`);
    expect(names.map((r) => r.name)).toEqual(["prep-a", "prep-b", "prep-c", "prep-d0", "prep-d1", "prep-d2"]);
  });

  it("runs inside the caller's transaction: a rollback takes its write back", async () => {
    await database.db
      .transaction(async (tx) => {
        await queryRows(tx, make("prep-rolled-back", false), { prepared: "exp_make" });
        const seen = await queryRows(tx, sql`select count(*)::int as n from experiments where name = 'prep-rolled-back'`);
        expect(seen[0].n).toBe(1);
        throw new Error("roll back");
      })
      .catch((e: unknown) => expect(String(e)).toContain("roll back"));
    const after = await queryRows(database.db, sql`select count(*)::int as n from experiments where name = 'prep-rolled-back'`);
    expect(after[0].n).toBe(0);
  });

  it.runIf(testDriver === "pglite")("is a named statement per text variant on the embedded database, prepared once in its session", async () => {
    for (let i = 0; i < 3; i++) await queryRows(database.db, make(`prep-emb${i}`, false), { prepared: "emb_make" });
    await queryRows(database.db, make("prep-emb-variant", true), { prepared: "emb_make" });
    const names = await queryRows(
      database.db,
      sql`select name, parameter_types::text as types from pg_prepared_statements where name like 'emb_make_%' order by name`,
    );
    expect(names).toHaveLength(2);
    expect(names.every((r) => /^emb_make_[0-9a-f]{12}$/.test(String(r.name)) && r.types === "{text}")).toBe(true);
  });

  it("serializes values by the types PostgreSQL reports: arrays, doubles with NaN and infinities, big integers, json, nulls", async () => {
    const q = (xs: string[], fs: number[], n: number, j: string, nothing: string | null) =>
      sql`select array_length(${sql.param(xs)}::text[], 1) as "len", ${sql.param(xs)}::text[] as "xs", ${sql.param(fs)}::float8[]::text as "fs",
        ${n}::bigint + 1 as "n", (${j}::jsonb)->>'k' as "k", ${nothing}::text is null as "none"`;
    const args: [string[], number[], number, string, null] = [
      ["a", 'b"q', "c,d", "{e}", "\\f"],
      [NaN, Infinity, -Infinity, 0.1 + 0.2],
      2 ** 50,
      JSON.stringify({ k: "v" }),
      null,
    ];
    const [plain] = await queryRows(database.db, q(...args));
    for (let i = 0; i < 3; i++) {
      const [prepared] = await queryRows(database.db, q(...args), { prepared: "types" });
      expect(prepared).toEqual(plain);
    }
    expect(plain).toMatchObject({ len: 5, xs: args[0], k: "v", none: true });
    expect(String(plain.fs)).toBe("{NaN,Infinity,-Infinity,0.30000000000000004}");
    expect(Number(plain.n)).toBe(2 ** 50 + 1);
  });

  it("reports a failing execution as the database error and keeps working; a statement that fails to parse is tried again", async () => {
    const dup = sql`insert into experiments (id, name) values (${-7}, 'prep-dup') returning id`;
    await queryRows(database.db, dup, { prepared: "dup" });
    expect(codeOf(await queryRows(database.db, dup, { prepared: "dup" }).catch((e: unknown) => e))).toBe("23505");
    await expect(queryRows(database.db, sql`select count(*)::int as "n" from experiments where name = 'prep-dup'`, { prepared: "dup_count" })).resolves.toEqual(
      [{ n: 1 }],
    );
    const bad = sql`select nope from experiments where name = ${"x"}`;
    for (let i = 0; i < 2; i++) expect(codeOf(await queryRows(database.db, bad, { prepared: "bad" }).catch((e: unknown) => e))).toBe("42703");
  });

  it("never runs inside another caller's open transaction: it cannot see, or be rolled back with, that transaction's writes", async () => {
    const countRolled = () => queryRows(database.db, sql`select count(*)::int as "n" from experiments where name = ${"prep-race"}`, { prepared: "race" });
    await countRolled();
    let seen: Promise<Record<string, unknown>[]> | null = null;
    await database.db
      .transaction(async (tx) => {
        await queryRows(tx, make("prep-race", false));
        seen = countRolled();
        await new Promise((r) => setTimeout(r, 50));
        throw new Error("roll back");
      })
      .catch((e: unknown) => expect(String(e)).toContain("roll back"));
    expect(await seen!).toEqual([{ n: 0 }]);
    // And a prepared write outside the transaction is not taken back with it.
    let written: Promise<Record<string, unknown>[]> | null = null;
    await database.db
      .transaction(async (tx) => {
        await queryRows(tx, make("prep-race-tx", false));
        written = queryRows(database.db, make("prep-race-outside", false), { prepared: "exp_make" });
        await new Promise((r) => setTimeout(r, 50));
        throw new Error("roll back");
      })
      .catch(() => {});
    await written;
    const names = await queryRows(database.db, sql`select name from experiments where name like 'prep-race-%' order by name`);
    expect(names.map((r) => r.name)).toEqual(["prep-race-outside"]);
  });

  it.runIf(testDriver === "postgres")("is a named statement per text variant on PostgreSQL, prepared once on a connection", async () => {
    await database.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await queryRows(tx, make(`prep-tx${i}`, false), { prepared: "exp_make" });
      await queryRows(tx, make("prep-tx-variant", true), { prepared: "exp_make" });
      const names = await queryRows(tx, sql`select name from pg_prepared_statements where name like 'exp_make_%' order by name`);
      expect(names).toHaveLength(2);
      expect(names.every((r) => /^exp_make_[0-9a-f]{12}$/.test(String(r.name)))).toBe(true);
    });
  });
});
