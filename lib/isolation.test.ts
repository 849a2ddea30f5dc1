import { describe, expect, it } from "vitest";
import { needsFullPageLoad } from "./isolation";

describe("needsFullPageLoad", () => {
  it.each([
    ["/playground", true],
    ["/playground?frame=abc", true],
    ["/playground/x/y", true],
    ["/models/fcw/versions/3/playground", true],
    ["/models/fcw/versions/3/playground?frame=1#a", true],
    ["/models/fcw/versions/3", false],
    ["/playgrounds", false],
    ["/models/fcw/versions/3/playground/extra", false],
    ["/", false],
    ["//evil.example/playground", false],
    ["https://example.com/playground", false],
  ])("%s → %s", (href, want) => expect(needsFullPageLoad(href)).toBe(want));

  it("loads client-side from a page that is already isolated: the document keeps its isolation and its worker", () => {
    expect(needsFullPageLoad("/models/fcw/versions/3/playground", true)).toBe(false);
    expect(needsFullPageLoad("/playground", true)).toBe(false);
  });
});
