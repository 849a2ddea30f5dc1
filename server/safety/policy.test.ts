// The safety sign-off rule as a table: the permission, not the role, and a person rather than a token.
import { describe, expect, it } from "vitest";
import { canManageReviewers, canSignOff } from "./policy";

describe("safety policy", () => {
  it.each([
    [{ safetyReviewer: false, viaToken: false }, false, /needs the safety-reviewer permission/],
    [{ safetyReviewer: false, viaToken: true }, false, /needs the safety-reviewer permission/],
    [{ safetyReviewer: true, viaToken: true }, false, /not with an API token/],
    [{ safetyReviewer: true, viaToken: false }, true, /holds? the safety-reviewer permission/],
  ])("sign-off by %o: %s", (who, allowed, reason) => {
    const d = canSignOff(who);
    expect(d.allowed).toBe(allowed);
    expect(d.reason).toMatch(reason);
  });

  it.each([
    ["viewer", false],
    ["engineer", false],
    ["admin", true],
  ] as const)("a %s manages reviewers: %s", (role, allowed) => {
    expect(canManageReviewers({ role }).allowed).toBe(allowed);
  });
});
