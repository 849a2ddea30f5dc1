import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./safe-redirect";

const OWN = "https://sentinel.example.com";

describe("safeCallbackPath", () => {
  const hostile = [
    "//evil.example",
    "//evil.example/login",
    "/.//evil.example/login",
    "/./\\evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "///evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5c%5cevil.example",
    "/%2e%2e//evil.example",
    "/a/..//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%00/evil.example",
    "/\u2028/evil.example",
    "/%E2%80%A8/evil.example",
    "http://x//evil.example",
    "http://evil.example/",
    "https://evil.example",
    "https://sentinel.example.com.evil.example/",
    "https://sentinel.example.com@evil.example/",
    "http://sentinel.example.com/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    " //evil.example",
    "",
    "%2F%2Fevil.example",
    "/%ZZ",
    "x".repeat(3000),
  ];
  for (const input of hostile) {
    it(`sends ${JSON.stringify(input.slice(0, 60))} home`, () => {
      expect(safeCallbackPath(input, OWN)).toBe("/");
    });
  }

  it("refuses values that are not strings", () => {
    expect(safeCallbackPath(undefined, OWN)).toBe("/");
    expect(safeCallbackPath(["/models"], OWN)).toBe("/");
  });

  const kept: [string, string][] = [
    ["/", "/"],
    ["/models", "/models"],
    ["/models/ocr-det?tab=versions#v3", "/models/ocr-det?tab=versions#v3"],
    ["/incidents?status=open&q=a%20b", "/incidents?status=open&q=a%20b"],
    ["/models/a/../b", "/models/b"],
    ["/runs?next=//evil.example", "/runs?next=//evil.example"],
    ["https://sentinel.example.com/alerts?x=1", "/alerts?x=1"],
  ];
  for (const [input, want] of kept) {
    it(`keeps ${input}`, () => {
      expect(safeCallbackPath(input, OWN)).toBe(want);
    });
  }

  it("never returns something a browser would resolve to another origin", () => {
    for (const input of hostile) {
      const out = safeCallbackPath(input, OWN);
      expect(new URL(out, OWN).origin).toBe(OWN);
    }
  });
});
