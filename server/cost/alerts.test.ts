// Budget and anomaly alerts: raised as kind "cost" through the monitoring lifecycle, resolved when the condition clears.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, auditLog } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { listAlerts } from "@/server/monitoring/alerts";
import { createModel, registerVersion } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { evaluateCostAlerts } from "./alerts";
import { addDays } from "./forecast";
import { ingestCostRecords, setBudget } from "./service";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-cost-alerts-"));
// "Now" is 2025-06-21 10:00 UTC: the last complete day is 2025-06-20, day 20 of June.
const NOW = new Date("2025-06-21T10:00:00Z");
const rec = (day: string, cost: string, key: string) => ({
  day,
  model: "fcw",
  environment: "cloud-prod",
  resourceKind: "gpu_hours" as const,
  billedCost: cost,
  rowKey: key,
});

async function open() {
  return (await listAlerts(t.db, { state: "open" }, NOW)).filter((a) => a.kind === "cost");
}

beforeAll(async () => {
  t = await setupTestEnv();
  await createModel(t.db, t.actors.engineer, { slug: "fcw", name: "FCW", team: "perception", task: "detection" });
  await registerVersion(t.db, new LocalArtifactStore(root), t.actors.engineer, "fcw", { artifactUri: "s3://m/fcw/1.onnx" });
  // 2025-05-23 … 2025-06-19: 28 days alternating $5 and $17: mean 11, sample sd = √(28 × 36 / 27) = 6.110, so an
  // anomaly is a day above 11 + 3 × 6.110 = $29.33.
  const records = Array.from({ length: 28 }, (_, i) => rec(addDays("2025-05-23", i), i % 2 ? "17.00" : "5.00", `d${i}`));
  await ingestCostRecords(t.db, t.actors.engineer, { records });
  // June 1–19 (i = 9 … 27): 10 days at $17 + 9 at $5 = $215.
  await setBudget(t.db, t.actors.engineer, { scope: "model", key: "fcw", month: "2025-06", amount: "300" });
  await setBudget(t.db, t.actors.engineer, { scope: "team", key: "perception", month: "2025-06", amount: "1000" });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("cost alerts", () => {
  it("raise nothing while spend is under 80% and no day is an anomaly", async () => {
    await ingestCostRecords(t.db, t.actors.engineer, { records: [rec("2025-06-20", "11.00", "d28")] });
    // June to the 20th: $215 + $11 = $226 of $300 = 75%; of the team's $1,000 = 22%.
    const r = await evaluateCostAlerts(t.db, NOW);
    expect(r.firing).toBe(0);
    expect(await open()).toEqual([]);
  });

  it("fire at 80% of a budget with the numbers as evidence, audited, and at 100% as a page", async () => {
    // +$15 on the 20th ($26 that day, under $29.33): $241 of $300 = 80.3%.
    await ingestCostRecords(t.db, t.actors.engineer, { records: [rec("2025-06-20", "15.00", "d28b")] });
    await evaluateCostAlerts(t.db, NOW);
    const alertsNow = await open();
    expect(alertsNow.map((a) => [a.ruleKey, a.subject, a.severity, a.display])).toEqual([["cost:budget:80", "model/fcw", "ticket", "firing"]]);
    expect(alertsNow[0].evidence).toMatchObject({ budgetMicros: 300_000_000, spentMicros: 241_000_000, percent: 80, month: "2025-06", asOf: "2025-06-20" });
    expect(alertsNow[0].model).toBe("fcw");
    const fired = await t.db.select().from(auditLog).where(eq(auditLog.action, "alert.fire"));
    expect(fired).toHaveLength(1);

    // A second tick with the same numbers changes nothing (one open alert per rule and subject).
    await evaluateCostAlerts(t.db, new Date(NOW.getTime() + 300_000));
    expect(await t.db.select().from(alerts)).toHaveLength(1);
  });

  it("flags the last complete day more than 3 sd above the trailing 28-day mean", async () => {
    // +$60: the 20th is $86, beyond $29.33; June is $301 ≥ $300, so 100% fires too.
    await ingestCostRecords(t.db, t.actors.engineer, { records: [rec("2025-06-20", "60.00", "d28c")] });
    await evaluateCostAlerts(t.db, new Date(NOW.getTime() + 600_000));
    const keys = (await open()).map((a) => `${a.ruleKey} ${a.subject}`).sort();
    expect(keys).toEqual(["cost:anomaly all", "cost:anomaly model/fcw", "cost:budget:100 model/fcw", "cost:budget:80 model/fcw"]);
    const anomaly = (await open()).find((a) => a.ruleKey === "cost:anomaly" && a.subject === "all")!;
    expect(anomaly.evidence).toMatchObject({ day: "2025-06-20", micros: 86_000_000, mean: 11_000_000, sd: 6_110_101 });
    expect(anomaly.modelId).toBeNull();
  });

  it("resolve when the next month starts under budget and without an anomaly", async () => {
    const july = new Date("2025-07-02T10:00:00Z");
    await ingestCostRecords(t.db, t.actors.engineer, { records: [rec("2025-07-01", "11.00", "j1")] });
    await evaluateCostAlerts(t.db, july);
    // No July budgets and an ordinary July 1: every cost alert resolves, and the resolutions are audited.
    expect((await listAlerts(t.db, { state: "open" }, july)).filter((a) => a.kind === "cost")).toEqual([]);
    const resolved = (await listAlerts(t.db, { state: "resolved" }, july)).filter((a) => a.kind === "cost");
    expect(resolved).toHaveLength(4);
    expect(await t.db.select().from(auditLog).where(eq(auditLog.action, "alert.resolve"))).toHaveLength(4);
  });
});
