import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count, eq, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, costRecords, models, usageCounts } from "@/db/schema";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { DomainError } from "@/server/errors";
import { createModel, registerVersion } from "@/server/registry/service";
import { LATENCY_BUCKETS } from "@/server/telemetry/histogram";
import { ingestSummaries } from "@/server/telemetry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { costOverview, importCostCsv, inferenceCounts, ingestCostRecords, modelCost, previewCostCsv, setBudget } from "./service";

let t: TestEnv;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-cost-"));
const HEADER = "BilledCost,EffectiveCost,ChargePeriodStart,ChargePeriodEnd,ServiceName,ResourceId,Tags";

/** n rows, one per (day, resource); costs in whole cents so the expected total is exact. */
function csv(n: number, badAt?: number): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const day = `2025-06-${String((i % 28) + 1).padStart(2, "0")}`;
    const cost = i + 1 === badAt ? "12,5" : `${(i % 7) + 1}.01`;
    const tags = `"{""model"":""fcw"",""version"":""1"",""environment"":""cloud-prod"",""resource_kind"":""gpu_hours""}"`;
    lines.push(
      [cost, cost, `${day}T00:00:00Z`, `${day}T23:59:59Z`, "SageMaker", `r-${i}`, tags]
        .map((f) => (f.includes(",") && !f.startsWith('"') ? `"${f}"` : f))
        .join(","),
    );
  }
  return lines.join("\n") + "\n";
}

async function rowCount() {
  const [{ n }] = await t.db.select({ n: count() }).from(costRecords);
  return n;
}

beforeAll(async () => {
  t = await setupTestEnv();
  await createModel(t.db, t.actors.engineer, { slug: "fcw", name: "FCW", team: "perception", task: "detection" });
  await registerVersion(t.db, new LocalArtifactStore(root), t.actors.engineer, "fcw", { artifactUri: "s3://m/fcw/1.onnx" });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe("CSV import", () => {
  it("refuses a file with a bad row at 5,000 of 10,000, naming it, and writes nothing", async () => {
    const text = csv(10_000, 5_000);
    const preview = await previewCostCsv(t.db, text);
    expect(preview.ok).toBe(false);
    expect(preview.issues[0]).toEqual({ line: 5_001, column: "BilledCost", message: '"12,5" is not a decimal amount such as 12.34' });
    const err = await importCostCsv(t.db, t.actors.engineer, text).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toMatch(/^line 5001, BilledCost: "12,5" is not a decimal amount/);
    expect((err as DomainError).message).toMatch(/nothing was imported$/);
    expect(await rowCount()).toBe(0);
  });

  it("imports 10,000 valid rows exactly, audited, and skips them all on re-import", async () => {
    const text = csv(10_000);
    const preview = await previewCostCsv(t.db, text);
    expect(preview).toMatchObject({ ok: true, rowCount: 10_000, newRows: 10_000, alreadyImported: 0, firstDay: "2025-06-01", lastDay: "2025-06-28" });
    const first = await importCostCsv(t.db, t.actors.engineer, text, "june.csv");
    // Sum of (i % 7 + 1) + 0.01 over 10,000 rows: 1,428 cycles of 7 summing 28 (39,984) plus 1+2+3+4, so 39,994, plus 100.00.
    expect(first).toMatchObject({ imported: 10_000, skipped: 0, billedMicros: 40_094_000_000 });
    const [{ total }] = await t.db.select({ total: sum(costRecords.billedMicros) }).from(costRecords);
    expect(Number(total)).toBe(40_094_000_000);
    const again = await importCostCsv(t.db, t.actors.engineer, text, "june.csv");
    expect(again).toMatchObject({ imported: 0, skipped: 10_000 });
    expect(await rowCount()).toBe(10_000);
    expect((await previewCostCsv(t.db, text)).alreadyImported).toBe(10_000);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, "cost.import"));
    expect(audit).toHaveLength(2);
  });

  it("refuses viewers at the door", async () => {
    await expect(t.caller("viewer").cost.importCsv({ text: csv(1) })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("REST records, budgets and the overview", () => {
  it("refuses unknown models and duplicate keys naming the record, writing nothing", async () => {
    const before = await rowCount();
    const rec = { day: "2025-07-01", model: "fcw", environment: "cloud-prod", resourceKind: "gpu_hours" as const, billedCost: "10.00" };
    await expect(ingestCostRecords(t.db, t.actors.engineer, { records: [rec, { ...rec, model: "ghost" }] })).rejects.toThrow(
      'records.1.model: Unknown model "ghost"',
    );
    await expect(ingestCostRecords(t.db, t.actors.engineer, { records: [rec, rec] })).rejects.toThrow("records.1: Duplicates records.0");
    expect(await rowCount()).toBe(before);
  });

  it("computes spend, forecasts and budget levels for a month", async () => {
    // September 2025 (the 1st is a Monday): 100 a day on weekdays, 40 on weekends, for the 1st to the 14th.
    const records = Array.from({ length: 14 }, (_, i) => {
      const day = `2025-09-${String(i + 1).padStart(2, "0")}`;
      const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
      return { day, model: "fcw", version: 1, environment: "cloud-prod", resourceKind: "gpu_hours" as const, billedCost: weekend ? "40" : "100" };
    });
    await ingestCostRecords(t.db, t.actors.engineer, { records });
    await setBudget(t.db, t.actors.engineer, { scope: "team", key: "perception", month: "2025-09", amount: "2600" });
    const o = await costOverview(t.db, { month: "2025-09" }, new Date("2025-09-15T09:00:00Z"));
    expect(o.asOf).toBe("2025-09-14");
    // 10 weekdays and 4 weekend days: 1,160. Linear: 1,160 / 14 × 30 = 2,485.71. Weekday-aware: 12
    // weekdays and 4 weekend days remain, 1,160 + 1,200 + 160 = 2,520 (97% of 2,600: a warning).
    // August has no rows: days before the first record are not history (no zeros averaged in).
    expect(o.total.spentMicros).toBe(1_160_000_000);
    expect(o.total.linearForecastMicros).toBe(2_485_714_286);
    expect(o.total.weekdayForecastMicros).toBe(2_520_000_000);
    expect(o.budgets).toEqual([
      expect.objectContaining({
        scope: "team",
        key: "perception",
        spentMicros: 1_160_000_000,
        budgetMicros: 2_600_000_000,
        spentLevel: "ok",
        forecastLevel: "warning",
      }),
    ]);
    expect(o.models[0]).toMatchObject({ slug: "fcw", micros: 1_160_000_000, inferences: null, microsPer1k: null });
    const m = await modelCost(t.db, { slug: "fcw", month: "2025-09" }, new Date("2025-09-15T09:00:00Z"));
    expect(m.breakdown).toEqual([{ environment: "cloud-prod", kind: "gpu_hours", micros: 1_160_000_000 }]);
    expect(m.daily).toHaveLength(14);
  });
});

describe("inference counts for unit economics", () => {
  it("counts each day once: the larger of telemetry requests and recorded usage", async () => {
    const [fcw] = await t.db.select().from(models).where(eq(models.slug, "fcw"));
    await t.db.insert(usageCounts).values([
      { day: "2025-10-01", modelId: fcw.id, version: 1, inferences: 1_000, source: "demo" },
      { day: "2025-10-02", modelId: fcw.id, version: 1, inferences: 200, source: "demo" },
      { day: "2025-10-03", modelId: fcw.id, version: 1, inferences: 5_000, source: "demo" },
    ]);
    const latency = new Array(LATENCY_BUCKETS).fill(0);
    latency[10] = 300;
    // Telemetry: 600 requests on Oct 2 (more than its usage row), 300 on Oct 3 (less than its usage row).
    const summaries = ["2025-10-02T10:00:00Z", "2025-10-02T10:05:00Z", "2025-10-03T08:00:00Z"].map((windowStart, i) => ({
      idempotencyKey: `cost-telemetry-${i}`,
      model: "fcw",
      version: 1,
      target: "cloud-online" as const,
      windowStart,
      requests: 300,
      errors: 0,
      latencyMs: { counts: latency },
    }));
    await ingestSummaries(t.db, t.actors.engineer, { summaries }, { now: new Date("2025-10-03T09:00:00Z"), maxLatenessMs: 10 * 86_400_000 });
    expect(await inferenceCounts(t.db, "2025-10-01", "2025-10-31")).toEqual([
      { modelId: fcw.id, version: 1, inferences: 1_000 + 600 + 5_000, sources: "demo,telemetry" },
    ]);
    expect(await inferenceCounts(t.db, "2025-10-02", "2025-10-02", fcw.id)).toEqual([{ modelId: fcw.id, version: 1, inferences: 600, sources: "telemetry" }]);
    expect(await inferenceCounts(t.db, "2025-10-03", "2025-10-03", fcw.id)).toEqual([{ modelId: fcw.id, version: 1, inferences: 5_000, sources: "demo" }]);
    expect(await inferenceCounts(t.db, "2025-11-01", "2025-11-30")).toEqual([]);
  });
});
