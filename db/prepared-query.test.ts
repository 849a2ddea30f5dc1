// queryRows(…, { prepared }): the same rows as an unnamed statement on both drivers; on PostgreSQL a named statement
// per text variant, prepared once per connection, and inside a transaction it runs on the transaction's connection.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "./client";
import { createTestDatabase, testDriver } from "./test-db";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(() => database?.close());

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
