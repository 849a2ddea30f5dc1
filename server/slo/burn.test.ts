import { describe, expect, it } from "vitest";
import { budgetBurnDown, burnRate, countsFromSlots, errorBudget, evaluateBurnRules, freshnessSlots, type Counts } from "./burn";

const MIN = 60_000;
const HOUR = 60 * MIN;

describe("burn rate and budget", () => {
  it("is the bad share over the allowed bad share", () => {
    // 99.9%: 0.1% may fail. 1.44% failing burns 14.4x.
    expect(burnRate({ good: 9856, total: 10000 }, 0.999)).toBeCloseTo(14.4, 9);
    expect(burnRate({ good: 999, total: 1000 }, 0.999)).toBeCloseTo(1, 9);
    expect(burnRate({ good: 0, total: 0 }, 0.999)).toBe(0);
  });

  it("reports the budget left over the window", () => {
    // 1,000,000 requests at 99.9%: 1,000 may fail; 250 failed -> 75% left.
    expect(errorBudget({ good: 999_750, total: 1_000_000 }, 0.999).allowedBad).toBeCloseTo(1000, 9);
    expect(errorBudget({ good: 999_750, total: 1_000_000 }, 0.999).bad).toBe(250);
    expect(errorBudget({ good: 999_750, total: 1_000_000 }, 0.999).remaining).toBeCloseTo(0.75, 9);
    expect(errorBudget({ good: 997_000, total: 1_000_000 }, 0.999).remaining).toBeCloseTo(-2, 9);
    expect(errorBudget({ good: 0, total: 0 }, 0.999)).toMatchObject({ remaining: 1, sli: null });
  });
});

describe("multi-window, multi-burn-rate", () => {
  // Counts per window length, built by hand for each case.
  const windows = (m: Record<string, Counts>) => (ms: number) => m[String(ms / MIN)] ?? { good: 0, total: 0 };
  const ok = { good: 100_000, total: 100_000 };

  it("pages at 14.4x over 1 h only when the last 5 minutes confirm it", () => {
    const burning = { good: 98_500, total: 100_000 }; // 1.5% bad = 15x at 99.9%
    const page = evaluateBurnRules(windows({ "60": burning, "5": burning, "360": ok, "30": ok, "4320": ok }), 0.999);
    expect(page.severity).toBe("page");
    expect(page.rules[0]).toMatchObject({ firing: true });
    expect(page.rules[0].longBurn).toBeCloseTo(15, 9);
    // Recovered in the last 5 minutes: the 1 h window still burns, but no page.
    const recovered = evaluateBurnRules(windows({ "60": burning, "5": ok, "360": ok, "30": ok, "4320": ok }), 0.999);
    expect(recovered.severity).toBeNull();
    // Just under the factor: 1.43% bad = 14.3x.
    const under = { good: 98_570, total: 100_000 };
    expect(evaluateBurnRules(windows({ "60": under, "5": under }), 0.999).rules[0].firing).toBe(false);
  });

  it("pages at 6x over 6 h confirmed by 30 minutes", () => {
    const six = { good: 99_400, total: 100_000 }; // 0.6% bad = 6x
    const r = evaluateBurnRules(windows({ "360": six, "30": six, "60": six, "5": six }), 0.999);
    // The 3-day window was quiet (no counts given), so no ticket.
    expect(r.rules.map((x) => x.firing)).toEqual([false, true, false]);
    expect(r.severity).toBe("page");
  });

  it("opens a ticket at 1x over 3 days confirmed by 6 hours", () => {
    const one = { good: 99_900, total: 100_000 }; // 0.1% bad = 1x
    const r = evaluateBurnRules(windows({ "4320": one, "360": one, "30": one, "60": one, "5": one }), 0.999);
    expect(r.rules.map((x) => x.firing)).toEqual([false, false, true]);
    expect(r.severity).toBe("ticket");
  });

  it("sums slots inside a window", () => {
    const now = 10 * HOUR;
    const slots = Array.from({ length: 24 }, (_, i) => ({ t: now - (i + 1) * 5 * MIN, good: 90, total: 100 }));
    expect(countsFromSlots(slots, now, HOUR)).toEqual({ good: 1080, total: 1200 });
    expect(countsFromSlots(slots, now, 5 * MIN)).toEqual({ good: 90, total: 100 });
  });

  it("draws the budget burning down", () => {
    const slots = [0, 1, 2, 3].map((i) => ({ t: i, good: 995, total: 1000 }));
    // 4,000 requests at 99%: 40 may fail; 5 fail per slot.
    expect(budgetBurnDown(slots, 0.99, 4000).map((p) => Number(p.remaining.toFixed(6)))).toEqual([0.875, 0.75, 0.625, 0.5]);
  });
});

describe("freshness", () => {
  it("marks slots stale once the newest window is older than the maximum age, and a silent stretch as bad", () => {
    const step = 5 * MIN;
    const ends = [5, 10, 15, 40].map((m) => m * MIN);
    const slots = freshnessSlots(ends, 0, 45 * MIN, step, 10 * MIN);
    // slot ends: 5,10,...,45; newest end <= slot end; good when slotEnd - newest <= 10.
    expect(slots.map((s) => s.good)).toEqual([1, 1, 1, 1, 1, 0, 0, 1, 1]);
  });
});
