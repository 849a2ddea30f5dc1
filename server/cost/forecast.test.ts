import { describe, expect, it } from "vitest";
import {
  addDays,
  anomalies,
  backtestForecasts,
  budgetLevel,
  fillDays,
  linearForecast,
  monthBounds,
  monthsBefore,
  weekday,
  weekdayForecast,
  type DailySpend,
} from "./forecast";

describe("month arithmetic", () => {
  it("knows month lengths and weekdays in UTC", () => {
    expect(monthBounds("2024-02")).toEqual({ first: "2024-02-01", last: "2024-02-29", days: 29 });
    expect(monthBounds("2025-06").days).toBe(30);
    expect(weekday("2025-06-01")).toBe(0); // a Sunday
    expect(addDays("2025-02-28", 1)).toBe("2025-03-01");
    expect(fillDays([{ day: "2025-06-02", micros: 5 }], "2025-06-01", "2025-06-03").map((d) => d.micros)).toEqual([0, 5, 0]);
  });
});

describe("forecasts", () => {
  it("linear: spend so far over days elapsed times days in the month", () => {
    expect(linearForecast(3_000_000, 10, 30)).toBe(9_000_000);
    expect(linearForecast(1_000_000, 3, 31)).toBe(10_333_333);
    expect(linearForecast(5, 0, 30)).toBe(0);
  });

  it("weekday-aware: remaining days at their weekday's trailing mean", () => {
    // Weekdays cost 100, weekends 40. June 2025: the 1st is a Sunday; as of Saturday the 14th,
    // spent = 10 weekdays × 100 + 4 weekend days × 40 = 1,160. Left: 11 weekdays and 5 weekend
    // days = 1,300, so 2,460; the linear forecast says 1,160 / 14 × 30 = 2,485.7.
    const cost = (d: string) => ([0, 6].includes(weekday(d)) ? 40 : 100);
    const history: DailySpend[] = fillDays([], "2025-05-18", "2025-06-14").map((d) => ({ ...d, micros: cost(d.day) }));
    const spent = history.filter((h) => h.day >= "2025-06-01").reduce((a, h) => a + h.micros, 0);
    expect(spent).toBe(1160);
    expect(weekdayForecast(spent, history, "2025-06-14", "2025-06-30")).toBe(2460);
    expect(linearForecast(spent, 14, 30)).toBe(2486);
  });

  it("weekday-aware falls back to the trailing mean for a weekday with no history", () => {
    // Only two days of history (Mon 100, Tue 200), mean 150: Wed to Fri of that week are 150 each.
    const history = [
      { day: "2025-06-02", micros: 100 },
      { day: "2025-06-03", micros: 200 },
    ];
    expect(weekdayForecast(300, history, "2025-06-03", "2025-06-06")).toBe(300 + 3 * 150);
  });
});

describe("budget thresholds", () => {
  it("warns at 80% and flags over at 100%", () => {
    expect(budgetLevel(799, 1000)).toBe("ok");
    expect(budgetLevel(800, 1000)).toBe("warning");
    expect(budgetLevel(999, 1000)).toBe("warning");
    expect(budgetLevel(1000, 1000)).toBe("over");
    expect(budgetLevel(5, 0)).toBe("ok");
  });
});

describe("anomalies", () => {
  // 28 days alternating 100 and 120: mean 110, sample sd 10.1835, threshold 140.55.
  const base = fillDays([], "2025-05-01", "2025-05-28").map((d, i) => ({ ...d, micros: i % 2 ? 120 : 100 }));
  it("flags a day more than 3 sd above the trailing 28-day mean, not one just under", () => {
    expect(anomalies([...base, { day: "2025-05-29", micros: 140 }])).toEqual([]);
    const [a] = anomalies([...base, { day: "2025-05-29", micros: 141 }]);
    expect(a.day).toBe("2025-05-29");
    expect(a.mean).toBe(110);
    expect(a.sd).toBeCloseTo(10.183501544346312, 10);
  });

  it("does not judge days with under 14 days of history", () => {
    expect(anomalies([...base.slice(0, 10), { day: "2025-05-11", micros: 10_000 }])).toEqual([]);
  });
});

describe("forecast backtest", () => {
  // Weekdays cost 100, weekends 10: the weekday-aware method should see the weekend coming, the linear one cannot.
  const series = fillDays([], "2026-08-01", "2026-11-30").map((d) => ({ day: d.day, micros: [0, 6].includes(weekday(d.day)) ? 10 : 100 }));

  it("checks each method on past months at the same day of the month and recommends the one that missed less", () => {
    const b = backtestForecasts(series, monthsBefore("2026-12", 3), 4);
    expect(b.months).toEqual(["2026-11", "2026-10", "2026-09"]);
    // By hand for November: 1-4 Nov 2026 are Sun, Mon, Tue, Wed → 10 + 3 × 100 = 310 spent; linear says 310 / 4 × 30 = 2,325.
    // November holds 21 weekdays and 9 weekend days: 21 × 100 + 9 × 10 = 2,190, so linear misses by 135 / 2,190 = 6.2%.
    const nov = Math.abs(2325 - 2190) / 2190;
    expect(nov).toBeCloseTo(0.0616, 3);
    expect(b.errorPct.linear).not.toBeNull();
    expect(b.errorPct.weekday).toBe(0);
    expect(b.recommended).toBe("weekday");
  });

  it("skips months the data does not cover and falls back to weekday-aware with nothing to check", () => {
    expect(backtestForecasts(series, ["2026-07"], 10)).toEqual({ months: [], errorPct: { linear: null, weekday: null }, recommended: "weekday" });
    const flat = fillDays([], "2026-08-01", "2026-11-30").map((d) => ({ day: d.day, micros: 50 }));
    const b = backtestForecasts(flat, ["2026-11"], 10);
    expect(b.errorPct).toEqual({ linear: 0, weekday: 0 });
  });

  it("names the months before one", () => {
    expect(monthsBefore("2026-01", 2)).toEqual(["2025-12", "2025-11"]);
  });
});
