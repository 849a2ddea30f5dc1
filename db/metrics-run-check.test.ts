// metrics.run_id is checked per statement by a trigger (migration 0031_metrics_run_check), not per row by a foreign
// key: it must refuse what the foreign key refused, with the same error, and delete a run's points with the run.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows, type Database } from "./client";
import { createTestDatabase } from "./test-db";

let database: Database;
const RUN_A = "a".repeat(32);
const RUN_B = "b".repeat(32);

beforeAll(async () => {
  database = await createTestDatabase();
  const [exp] = await queryRows(database.db, sql`insert into experiments (name) values ('fk-check') returning id`);
  await database.db.execute(sql`insert into runs (run_id, experiment_id, start_time) values (${RUN_A}, ${exp.id}, 0), (${RUN_B}, ${exp.id}, 0)`);
}, 120_000);
afterAll(() => database?.close());

const points = (runIds: string[]) =>
  database.db.execute(
    sql`insert into metrics (run_id, key, value, timestamp, step) select r, 'loss', 0.5, 1700000000000, 0 from unnest(${sql.param(runIds)}::text[]) as r`,
  );
const count = async (runId: string) => Number((await queryRows(database.db, sql`select count(*) as n from metrics where run_id = ${runId}`))[0].n);
const pgError = (e: unknown) => ((e as { cause?: unknown }).cause ?? e) as { code?: string; constraint?: string; table?: string; detail?: string };

describe("metrics.run_id check", () => {
  it("refuses a whole statement that names an unknown run, with the foreign key's code, name and detail", async () => {
    const err = pgError(await points([RUN_A, "c".repeat(32)]).catch((e: unknown) => e));
    expect(err).toMatchObject({ code: "23503", constraint: "metrics_run_id_runs_run_id_fk", table: "metrics" });
    expect(err.detail).toBe(`Key (run_id)=(${"c".repeat(32)}) is not present in table "runs".`);
    expect(await count(RUN_A)).toBe(0);
    const moved = pgError(await database.db.execute(sql`update metrics set run_id = 'nope'`).catch((e: unknown) => e));
    expect(moved.code ?? "none").toBe("none"); // no rows yet: nothing to check
  });

  it("accepts points of known runs, and refuses moving them to an unknown run", async () => {
    await points([RUN_A, RUN_A, RUN_B]);
    expect([await count(RUN_A), await count(RUN_B)]).toEqual([2, 1]);
    const err = pgError(await database.db.execute(sql`update metrics set run_id = 'nope' where run_id = ${RUN_B}`).catch((e: unknown) => e));
    expect(err).toMatchObject({ code: "23503", constraint: "metrics_run_id_runs_run_id_fk" });
    expect(await count(RUN_B)).toBe(1);
  });

  it("refuses changing the id of a run that has points", async () => {
    const err = pgError(await database.db.execute(sql`update runs set run_id = ${"d".repeat(32)} where run_id = ${RUN_A}`).catch((e: unknown) => e));
    expect(err).toMatchObject({ code: "23503", table: "runs" });
  });

  it("deletes a run's points with the run, and only its points", async () => {
    await database.db.execute(sql`delete from runs where run_id = ${RUN_A}`);
    expect([await count(RUN_A), await count(RUN_B)]).toEqual([0, 1]);
  });
});
