import { describe, expect, it } from "vitest";
import { otaMicros } from "./service";

describe("otaMicros", () => {
  it("is size × devices × $0.09 per GB, in micro-dollars", () => {
    // 50 MB to 2,000 devices = 100 GB → $9.00 = 9,000,000 micros.
    expect(otaMicros(50_000_000, 2_000)).toBe(9_000_000);
    // 1,234,567 bytes to 3 devices = 3,703,701 bytes = 0.003703701 GB × $0.09 = $0.00033333309 → 333 micros.
    expect(otaMicros(1_234_567, 3)).toBe(333);
    expect(otaMicros(50_000_000, 0)).toBe(0);
  });
});
