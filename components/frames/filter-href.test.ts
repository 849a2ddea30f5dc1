import { describe, expect, it } from "vitest";
import { framesHref, toggleTag } from "./filter-href";

describe("frames browser URLs", () => {
  it("puts tags, match, source and page in the query string, sorted and minimal", () => {
    expect(framesHref({ tags: [], match: "all" })).toBe("/frames");
    expect(framesHref({ tags: ["rain", "night"], match: "all" })).toBe("/frames?tag=night&tag=rain");
    expect(framesHref({ tags: ["rain", "night"], match: "any", source: "upload" }, 2)).toBe("/frames?tag=night&tag=rain&match=any&source=upload&page=2");
    // "any" means nothing with fewer than two tags, so it is dropped.
    expect(framesHref({ tags: ["rain"], match: "any" })).toBe("/frames?tag=rain");
  });

  it("toggles a tag on and off", () => {
    const on = toggleTag({ tags: ["night"], match: "all" }, "rain");
    expect(on.tags).toEqual(["night", "rain"]);
    expect(toggleTag(on, "night").tags).toEqual(["rain"]);
  });
});
