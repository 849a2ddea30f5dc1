import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maintainEmbedded } from "./embedded-maintenance";

let pg: PGlite;
beforeAll(async () => {
  pg = await PGlite.create();
  await pg.exec(`create table busy (id int primary key, v text); create table "Quiet ""one""" (id int primary key);
    insert into "Quiet ""one""" values (1);`);
});
afterAll(() => pg.close());

const stat = async (name: string) =>
  (
    await pg.query<{ analyzed: boolean; dead: number }>(
      `select last_analyze is not null as analyzed, n_dead_tup::int as dead from pg_stat_user_tables where relname = $1`,
      [name],
    )
  ).rows[0];

describe("embedded maintenance (PGlite has no autovacuum)", () => {
  it("analyzes a table once its changes pass autovacuum's threshold, and leaves it alone after", async () => {
    await pg.query(`insert into busy select g, 'x' from generate_series(1, 1000) g`);
    const first = await maintainEmbedded(pg);
    expect(first.analyzed).toContain("busy");
    expect(await stat("busy")).toMatchObject({ analyzed: true });
    const stats = await pg.query<{ n: number }>(`select count(*)::int as n from pg_statistic where starelid = 'busy'::regclass`);
    expect(stats.rows[0].n).toBeGreaterThan(0);
    expect(await maintainEmbedded(pg)).toEqual({ analyzed: [], vacuumed: [] });
  });

  it("analyzes a small never-analyzed table, quoting its name", async () => {
    // The first pass above already saw it (one insert, never analyzed); a fresh one shows the same rule.
    await pg.exec(`create table "tiny ""t""" (id int); insert into "tiny ""t""" values (1), (2);`);
    expect((await maintainEmbedded(pg)).analyzed).toEqual(['tiny "t"']);
  });

  it("vacuums a table whose dead rows pass the threshold, and not one below it", async () => {
    await pg.query(`update busy set v = 'y' where id <= 100`); // 100 dead: below 50 + 0.2 * 1000
    expect((await maintainEmbedded(pg)).vacuumed).toEqual([]);
    await pg.query(`update busy set v = 'z' where id <= 400`); // 500 dead
    expect((await maintainEmbedded(pg)).vacuumed).toEqual(["busy"]);
    expect((await stat("busy")).dead).toBe(0);
  });
});

describe("embedded maintenance while busy", () => {
  it("analyzes only tables without statistics, and leaves threshold work for a quiet moment", async () => {
    const db = await PGlite.create();
    try {
      await db.exec(`create table grown (id int primary key); insert into grown select generate_series(1, 500);`);
      await maintainEmbedded(db);
      await db.exec(`create table fresh (id int); insert into fresh values (1);
        insert into grown select generate_series(501, 1500); delete from grown where id <= 300;`);
      // grown passed both thresholds (1,300 changes, 300 dead rows) but has statistics: a busy pass leaves it.
      expect(await maintainEmbedded(db, { missingOnly: true })).toEqual({ analyzed: ["fresh"], vacuumed: [] });
      expect(await maintainEmbedded(db)).toEqual({ analyzed: [], vacuumed: ["grown"] });
    } finally {
      await db.close();
    }
  });
});

describe("embedded maintenance after a restart", () => {
  it("analyzes a table that holds rows but never had statistics, though its change counters are back at zero", async () => {
    const dump = await (async () => {
      const db = await PGlite.create();
      await db.exec(`create table loaded (id int); insert into loaded select generate_series(1, 300); create table empty_one (id int);`);
      const file = await db.dumpDataDir("none");
      await db.close();
      return file;
    })();
    const db = await PGlite.create({ loadDataDir: dump });
    try {
      const changed = await db.query<{ n: number }>(`select n_mod_since_analyze::int as n from pg_stat_user_tables where relname = 'loaded'`);
      expect(changed.rows[0]?.n ?? 0).toBe(0);
      expect((await maintainEmbedded(db, { missingOnly: true })).analyzed).toContain("loaded");
      expect(await maintainEmbedded(db, { missingOnly: true })).toEqual({ analyzed: [], vacuumed: [] });
    } finally {
      await db.close();
    }
  });
});
