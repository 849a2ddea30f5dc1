import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("takes the nearest hop and normalises IPv4-mapped addresses", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "::ffff:127.0.0.1" }))).toBe("127.0.0.1");
    expect(clientAddress({ "x-forwarded-for": "203.0.113.9, 10.0.0.2" })).toBe("10.0.0.2");
    expect(clientAddress({ "x-forwarded-for": "2001:db8::1" })).toBe("2001:db8::1");
  });
  it("gives null for nothing or garbage", () => {
    expect(clientAddress({})).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "not-an-ip" })).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "1.2.3.4, <script>" })).toBeNull();
  });
});
