// The PostgreSQL job queue (pg-boss): the evaluation schedule is registered once, and a queued job
// runs the tick. Only meaningful on PostgreSQL; the embedded database uses timers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDriver } from "@/db/test-db";
import { EVALUATION_QUEUE, startJobQueue } from "./scheduler";

describe.runIf(testDriver === "postgres")("monitoring job queue on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let boss: Awaited<ReturnType<typeof startJobQueue>>;
  let ticks = 0;
  beforeAll(async () => {
    database = await createTestDatabase();
    boss = await startJobQueue(database.url!, async () => {
      ticks++;
    });
  }, 60_000);
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true });
    await database?.close();
  });

  it("registers the 5-minute schedule in UTC and runs the tick for a queued job", async () => {
    const schedules = await boss.getSchedules();
    expect(schedules.filter((s) => s.name === EVALUATION_QUEUE)).toMatchObject([{ cron: "*/5 * * * *", timezone: "UTC" }]);
    // A second replica starting does not add a second schedule.
    await boss.schedule(EVALUATION_QUEUE, "*/5 * * * *", {}, { tz: "UTC" });
    expect((await boss.getSchedules()).filter((s) => s.name === EVALUATION_QUEUE)).toHaveLength(1);
    expect(ticks).toBe(0);
    await boss.send(EVALUATION_QUEUE, {});
    await expect.poll(() => ticks, { timeout: 20_000, interval: 250 }).toBe(1);
  }, 30_000);
});
