import { describe, expect, it } from "vitest";
import { absoluteTime, formatBytes, formatCount, formatDuration, middleEllipsis, relativeTime } from "./format";

describe("format", () => {
  it("gives relative times in the largest fitting unit", () => {
    const now = Date.parse("2026-01-10T12:00:00Z");
    expect(relativeTime(now - 5 * 60_000, now)).toBe("5 minutes ago");
    expect(relativeTime(now - 2 * 24 * 3600_000, now)).toBe("2 days ago");
    expect(relativeTime(now + 3600_000, now)).toBe("in 1 hour");
  });
  it("formats absolute UTC times", () => {
    expect(absoluteTime("2026-01-10T12:00:00.123Z")).toBe("2026-01-10 12:00:00 UTC");
  });
  it("formats sizes and counts", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(4_745_517)).toBe("4.53 MiB");
    expect(formatCount(1234567)).toBe("1,234,567");
  });
});

describe("formatDuration", () => {
  it("picks a unit a person reads at a glance", () => {
    expect(formatDuration(45_000)).toBe("45 s");
    expect(formatDuration(12 * 60_000)).toBe("12 min");
    expect(formatDuration(185 * 60_000)).toBe("3 h 05 min");
    expect(formatDuration(52 * 3_600_000)).toBe("2 d 4 h");
  });
});

describe("middleEllipsis", () => {
  it("keeps short names and both ends of long ones", () => {
    expect(middleEllipsis("short")).toBe("short");
    const a = middleEllipsis("ray-tune-trial-lr=0.0100-batch=64-seed=1", 24);
    const b = middleEllipsis("ray-tune-trial-lr=0.0100-batch=64-seed=2", 24);
    expect([...a]).toHaveLength(24);
    expect(a).not.toBe(b);
    expect(a.startsWith("ray-tune-tr")).toBe(true);
    expect(a.endsWith("seed=1")).toBe(true);
    expect(a).toContain("…");
  });
});
