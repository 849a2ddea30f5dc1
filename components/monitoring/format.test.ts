import { describe, expect, it } from "vitest";
import { formatAge, formatBudget, formatStat } from "./format";

describe("monitoring formatting", () => {
  it("formats budgets, ages and statistics", () => {
    expect(formatBudget(0.755)).toBe("76%");
    expect(formatBudget(-7.33)).toBe("-733%");
    expect(formatBudget(0.05)).toBe("5.0%");
    expect(formatAge(30_000)).toBe("just now");
    expect(formatAge(45 * 60_000)).toBe("45 min");
    expect(formatAge(3 * 3600_000)).toBe("3.0 h");
    expect(formatAge(5 * 86_400_000)).toBe("5 d");
    expect(formatStat(0.123456)).toBe("0.123");
    expect(formatStat(3.2e-7)).toBe("3.20e-7");
    expect(formatStat(null)).toBe("–");
  });
});
