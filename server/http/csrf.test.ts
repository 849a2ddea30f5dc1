import { describe, expect, it } from "vitest";
import { isCrossSiteCookieRequest } from "./csrf";

const req = (method: string, headers: Record<string, string>) =>
  new Request("http://portal.local/api/v1/tokens", { method, headers: { host: "portal.local", ...headers } });

describe("CSRF check", () => {
  it("refuses cookie-authenticated writes from another origin only", () => {
    const cookie = { cookie: "next-auth.session-token=x" };
    expect(isCrossSiteCookieRequest(req("POST", { ...cookie, origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteCookieRequest(req("POST", { ...cookie, origin: "http://portal.local" }))).toBe(false);
    expect(isCrossSiteCookieRequest(req("GET", { ...cookie, origin: "https://evil.example" }))).toBe(false);
    expect(isCrossSiteCookieRequest(req("POST", { ...cookie, origin: "https://evil.example", authorization: "Bearer snt_x" }))).toBe(false);
    expect(isCrossSiteCookieRequest(req("POST", { origin: "https://evil.example" }))).toBe(false);
    expect(isCrossSiteCookieRequest(req("DELETE", { ...cookie, origin: "null" }))).toBe(true);
  });
});
