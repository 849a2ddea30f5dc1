import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, retryDelayMs } from "./backoff";
import { generateSecret, signatureHeader, verifySignature } from "./sign";

describe("HMAC signatures", () => {
  const secret = generateSecret();
  const body = JSON.stringify({ event: "alert.firing", alert: { id: "a" } });
  const now = new Date("2026-03-01T12:00:00Z");

  it("signs t.body with HMAC-SHA256 and verifies it", () => {
    const h = signatureHeader(secret, body, now);
    expect(h).toMatch(/^t=1772366400,v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, h, body, now)).toBe(true);
  });
  it("matches an independently computed HMAC", async () => {
    const { createHmac } = await import("node:crypto");
    const expected = createHmac("sha256", "s3cret").update(`1772366400.${body}`).digest("hex");
    expect(signatureHeader("s3cret", body, now)).toBe(`t=1772366400,v1=${expected}`);
  });
  it("refuses a changed body, another secret, a stale timestamp and garbage", () => {
    const h = signatureHeader(secret, body, now);
    expect(verifySignature(secret, h, body + " ", now)).toBe(false);
    expect(verifySignature(generateSecret(), h, body, now)).toBe(false);
    expect(verifySignature(secret, h, body, new Date(now.getTime() + 301_000))).toBe(false);
    expect(verifySignature(secret, "t=1,v1=zz", body, now)).toBe(false);
    expect(verifySignature(secret, null, body, now)).toBe(false);
  });
});

describe("retry backoff", () => {
  it("waits 30 s, 2 min, 10 min, 1 h and gives up after the fifth attempt", () => {
    expect(MAX_ATTEMPTS).toBe(5);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n))).toEqual([30_000, 120_000, 600_000, 3_600_000, null]);
  });
  it("honours a smaller cap (test messages try once)", () => {
    expect(retryDelayMs(1, 1)).toBeNull();
  });
});
