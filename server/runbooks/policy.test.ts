// Who may edit runbooks: the rule the service enforces and the runbook pages render from.
import { describe, expect, it } from "vitest";
import { canEditRunbook } from "./policy";

describe("runbooks policy", () => {
  it.each([
    ["viewer", false],
    ["engineer", true],
    ["admin", true],
  ] as const)("a %s edits runbooks: %s", (role, allowed) => {
    const d = canEditRunbook({ role });
    expect(d.allowed).toBe(allowed);
    if (!allowed) expect(d.reason).toBe("Editing runbooks needs the engineer role");
  });
});
