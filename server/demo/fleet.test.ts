import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCameraHealthRunner, simulateFleet, type CameraHealthRunner } from "./fleet";
import { ZIngest } from "@/server/telemetry/schemas";
import { latencyQuantile } from "@/server/telemetry/histogram";

let runner: CameraHealthRunner;
beforeAll(async () => {
  runner = await createCameraHealthRunner();
});
afterAll(async () => {
  await runner.close();
});

const start = new Date("2026-03-01T00:00:00Z");
const base = { version: 1, devices: 6, hours: 2, start, windowMinutes: 5, seed: 3 };

describe("fleet simulator", () => {
  it("runs the real model: day frames read ok, night frames too dark", () => {
    expect(runner.pool.day.every((p) => p.label === "ok")).toBe(true);
    expect(runner.pool.night.filter((p) => p.label === "too_dark").length).toBeGreaterThanOrEqual(6);
    expect(runner.pool.obstruction.every((p) => p.label === "obstructed")).toBe(true);
  });

  it("is deterministic and produces summaries the ingest schema accepts", () => {
    const a = simulateFleet(runner, base);
    expect(a).toHaveLength(6 * 24);
    expect(JSON.stringify(simulateFleet(runner, base))).toBe(JSON.stringify(a));
    expect(() => ZIngest.parse({ summaries: a.slice(0, 500) })).not.toThrow();
    expect(new Set(a.map((s) => s.idempotencyKey)).size).toBe(a.length);
  });

  it("injects a night shift and a latency fault from the given hour", () => {
    const s = simulateFleet(runner, { ...base, shift: { kind: "night", atHour: 1 }, fault: { kind: "latency", atHour: 1 } });
    const mean = (xs: typeof s) => {
      let n = 0;
      let sum = 0;
      for (const x of xs) {
        const b = x.features!.brightness;
        if (b.kind !== "numeric") continue;
        b.counts.forEach((c, i) => ((n += c), (sum += c * (b.edges[i] + b.edges[i + 1]) * 0.5)));
      }
      return sum / n;
    };
    const before = s.filter((x) => new Date(String(x.windowStart)).getTime() < start.getTime() + 3600_000);
    const after = s.filter((x) => new Date(String(x.windowStart)).getTime() >= start.getTime() + 3600_000);
    expect(mean(after)).toBeLessThan(mean(before) - 0.2);
    const p50 = (xs: typeof s) =>
      latencyQuantile(
        xs.reduce((acc, x) => acc.map((c, i) => c + x.latencyMs.counts[i]), new Array(52).fill(0)),
        0.5,
      )!;
    expect(p50(after) / p50(before)).toBeGreaterThan(5);
  });
});
