import { describe, expect, it } from "vitest";
import { responseTimes, statusChange, stampsFor } from "./lifecycle";
import { onCallAt } from "./rotation";

const start = new Date("2026-01-05T09:00:00Z");
const day = 86_400_000;

describe("onCallAt", () => {
  const r = { members: ["ann", "bob", "cid"], startsAt: start, periodDays: 7 };
  it("hands over weekly in member order and wraps around", () => {
    expect(onCallAt(r, [], new Date(start.getTime() + 1 * day)).userId).toBe("ann");
    expect(onCallAt(r, [], new Date(start.getTime() + 8 * day)).userId).toBe("bob");
    expect(onCallAt(r, [], new Date(start.getTime() + 22 * day))).toEqual({ userId: "ann", override: false, until: new Date(start.getTime() + 28 * day) });
    expect(onCallAt(r, [], new Date(start.getTime() - 1)).userId).toBeNull();
  });
  it("lets the newest covering override win, only while it lasts", () => {
    const o = [
      { userId: "zed", startsAt: new Date(start.getTime() + day), endsAt: new Date(start.getTime() + 3 * day), createdAt: new Date(1) },
      { userId: "yan", startsAt: new Date(start.getTime() + 2 * day), endsAt: new Date(start.getTime() + 3 * day), createdAt: new Date(2) },
    ];
    expect(onCallAt(r, o, new Date(start.getTime() + 1.5 * day)).userId).toBe("zed");
    expect(onCallAt(r, o, new Date(start.getTime() + 2.5 * day))).toMatchObject({ userId: "yan", override: true });
    expect(onCallAt(r, o, new Date(start.getTime() + 3 * day)).userId).toBe("ann");
  });
});

describe("incident lifecycle", () => {
  it("allows forward jumps and going back while open; resolved reopens only as investigating", () => {
    expect(statusChange("investigating", "mitigated").ok).toBe(true);
    expect(statusChange("mitigated", "identified").ok).toBe(true);
    expect(statusChange("identified", "identified")).toEqual({ ok: false, reason: "The incident is already identified" });
    expect(statusChange("resolved", "mitigated").ok).toBe(false);
    expect(statusChange("resolved", "investigating").ok).toBe(true);
  });
  it("stamps the first acknowledgement and mitigation; resolving without mitigation counts as mitigated", () => {
    const now = new Date(start.getTime() + 30 * 60_000);
    const s = stampsFor({ acknowledgedAt: null, mitigatedAt: null, resolvedAt: null }, "resolved", now);
    expect(s).toEqual({ acknowledgedAt: now, mitigatedAt: now, resolvedAt: now });
    const earlier = new Date(start.getTime() + 60_000);
    expect(stampsFor({ acknowledgedAt: earlier, mitigatedAt: earlier, resolvedAt: now }, "investigating", now)).toEqual({
      acknowledgedAt: earlier,
      mitigatedAt: earlier,
      resolvedAt: null,
    });
    expect(responseTimes({ startedAt: start, acknowledgedAt: earlier, mitigatedAt: null })).toEqual({ ttaMs: 60_000, ttmMs: null });
  });
});
