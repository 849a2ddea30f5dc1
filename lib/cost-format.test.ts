import { describe, expect, it } from "vitest";
import { dayInWords, money, monthInWords, percentOf, prepareDailyByKind } from "./cost-format";

describe("cost formatting", () => {
  it("formats micro-dollars and percentages of budget", () => {
    expect(money(1_234_567_890)).toBe("$1,234.57");
    expect(money(-500_000)).toBe("-$0.50");
    expect(money(null)).toBe("—");
    expect(percentOf(800, 1000)).toBe(80);
    expect(percentOf(5, null)).toBeNull();
  });

  it("stacks days by resource kind, keeping empty days and only the kinds present", () => {
    const { data, kinds } = prepareDailyByKind(
      [
        { day: "2025-06-01", kind: "gpu_hours", micros: 12_345_678 },
        { day: "2025-06-01", kind: "storage", micros: 1_000_000 },
        { day: "2025-06-03", kind: "gpu_hours", micros: 5_000_000 },
      ],
      ["2025-06-01", "2025-06-02", "2025-06-03"],
    );
    expect(kinds).toEqual(["gpu_hours", "storage"]);
    expect(data).toEqual([{ day: "2025-06-01", gpu_hours: 12.35, storage: 1 }, { day: "2025-06-02" }, { day: "2025-06-03", gpu_hours: 5 }]);
  });
});

describe("months and days in words", () => {
  it("names the month and the day, in UTC", () => {
    expect(monthInWords("2026-12")).toBe("December 2026");
    expect(dayInWords("2026-12-04")).toBe("4 December");
    expect(dayInWords("2027-01-31")).toBe("31 January");
  });
});
