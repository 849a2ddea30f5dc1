import { describe, expect, it } from "vitest";
import { agreement, fieldSeries, weekStart } from "./field";
import { proportion } from "./metrics";

describe("agreement", () => {
  // Lab 900/1000 → Wilson [.8798, .9175]; field 800/1000 → [.7740, .8237]: apart. Field 890/1000 → [.8689, .9080]: overlaps.
  it("says the field disagrees only when the intervals do not overlap", () => {
    const lab = proportion(900, 1000)!;
    expect(agreement(lab, proportion(800, 1000))).toBe("disagrees");
    expect(agreement(lab, proportion(890, 1000))).toBe("agrees");
    // Same point estimate as the 800/1000 case but 10 observations: [.4902, .9433] overlaps the lab.
    expect(agreement(lab, proportion(8, 10))).toBe("agrees");
    expect(agreement(lab, proportion(990, 1000))).toBe("disagrees");
    expect(agreement(null, proportion(8, 10))).toBe("unknown");
    expect(agreement(lab, null)).toBe("unknown");
  });
});

describe("weekStart", () => {
  it("is the Monday of the ISO week, in UTC", () => {
    expect(weekStart(new Date("2026-03-01T23:59:00Z"))).toBe("2026-02-23"); // a Sunday
    expect(weekStart(new Date("2026-03-02T00:00:00Z"))).toBe("2026-03-02"); // a Monday
    expect(weekStart(new Date("2026-03-04T12:00:00Z"))).toBe("2026-03-02");
  });
});

describe("fieldSeries", () => {
  it("orders weeks and pools the recent ones: counts add, rates are recomputed from the sums", () => {
    const now = new Date("2026-03-04T12:00:00Z"); // week of 2026-03-02; pooling 2 weeks starts 2026-02-23
    const row = (week: string, tp: number, fp: number, fn: number) => ({ modelId: "m", version: 1, eventType: "seatbelt", week, tp, fp, fn });
    const [s] = fieldSeries([row("2026-03-02", 40, 10, 10), row("2026-02-16", 1, 0, 9), row("2026-02-23", 50, 0, 0)], now, 2);
    expect(s.weeks.map((w) => w.week)).toEqual(["2026-02-16", "2026-02-23", "2026-03-02"]);
    expect(s.weeks[0].recall?.value).toBe(0.1);
    // 90 / (90 + 10) recall, 90 / (90 + 10) precision: the old 2026-02-16 week is not pooled.
    expect(s.pooled).toMatchObject({ week: "2026-02-23…2026-03-02", tp: 90, fp: 10, fn: 10, recall: { value: 0.9 }, precision: { value: 0.9 } });
  });
});
