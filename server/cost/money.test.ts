import { describe, expect, it } from "vitest";
import { formatMicros, microsToDecimal, parseMicros, sumMicros } from "./money";

describe("money", () => {
  it("parses decimal strings to integer micro-dollars without float error", () => {
    expect(parseMicros("0.1")).toBe(100_000);
    expect(parseMicros("0.2")).toBe(200_000);
    expect(parseMicros("12.345678")).toBe(12_345_678);
    expect(parseMicros("12.3456785")).toBe(12_345_679);
    expect(parseMicros("12.3456784999")).toBe(12_345_678);
    expect(parseMicros("-3.5")).toBe(-3_500_000);
    expect(parseMicros("-0.0000001")).toBe(0);
    expect(parseMicros(" 7 ")).toBe(7_000_000);
    for (const bad of ["", "1e3", "1,000.00", "$5", "abc", "1.", ".5", "1234567890"]) expect(parseMicros(bad)).toBeNull();
  });

  it("sums exactly where floats drift", () => {
    // 0.1 + 0.2 in floats is 0.30000000000000004; in micros it is exactly 300000.
    expect(sumMicros([parseMicros("0.1")!, parseMicros("0.2")!])).toBe(300_000);
    const many = Array.from({ length: 10_000 }, () => parseMicros("0.01")!);
    expect(sumMicros(many)).toBe(100_000_000);
    expect(() => sumMicros([0.5])).toThrow(RangeError);
  });

  it("formats", () => {
    expect(formatMicros(1_234_560_000)).toBe("$1,234.56");
    expect(formatMicros(-2_500_000)).toBe("-$2.50");
    expect(formatMicros(1234, 4)).toBe("$0.0012");
    expect(microsToDecimal(12_345_678)).toBe("12.345678");
    expect(microsToDecimal(-5)).toBe("-0.000005");
  });
});
