import { describe, expect, it } from "vitest";
import { BUCKETS, bucketOf, expectedDevices, inRollout } from "./cohort";

const ids = Array.from({ length: 20_000 }, (_, i) => `eu-dashcam-v3-${String(i).padStart(5, "0")}`);

describe("cohort hashing", () => {
  it("is stable: the same device always lands in the same bucket", () => {
    expect(bucketOf("eu-dashcam-v3-00042")).toBe(bucketOf("eu-dashcam-v3-00042"));
    // A fixed value guards against an accidental change of the hash (which would reshuffle live rollouts).
    expect(bucketOf("device-1")).toBe(8745);
    expect(bucketOf("")).toBeGreaterThanOrEqual(0);
  });

  it("spreads devices evenly across 10,000 buckets", () => {
    const buckets = ids.map((id) => bucketOf(id));
    expect(Math.min(...buckets)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...buckets)).toBeLessThan(BUCKETS);
    const inFive = buckets.filter((b) => inRollout(b, 5)).length / ids.length;
    expect(inFive).toBeGreaterThan(0.04);
    expect(inFive).toBeLessThan(0.06);
  });

  it("picks the same devices for a 5% step every time", () => {
    const pick = () => ids.filter((id) => inRollout(bucketOf(id), 5));
    expect(pick()).toEqual(pick());
  });

  it("never flips a device back when the rollout widens", () => {
    const steps = [1, 5, 25, 50, 100];
    for (const id of ids.slice(0, 5000)) {
      const b = bucketOf(id);
      const on = steps.map((p) => inRollout(b, p));
      const firstOn = on.indexOf(true);
      expect(firstOn).toBeGreaterThanOrEqual(0);
      expect(on.slice(firstOn).every(Boolean)).toBe(true);
    }
  });

  it("puts nobody on the candidate at 0% and everybody at 100%", () => {
    expect(inRollout(0, 0)).toBe(false);
    expect(inRollout(BUCKETS - 1, 100)).toBe(true);
    expect(inRollout(99, 1)).toBe(true);
    expect(inRollout(100, 1)).toBe(false);
    expect(expectedDevices(4812, 5)).toBe(241);
  });
});
