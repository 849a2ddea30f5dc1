import { describe, expect, it } from "vitest";
import { checklistItems, directiveProblems, DIRECTIVE_LANG, expandDirectives, parseDirective } from "./runbook-markdown";

describe("runbook markdown", () => {
  it("parses panel and action directives with attributes", () => {
    expect(parseDirective("::panel{drift model=camera-health}")).toEqual({ type: "panel", name: "drift", attrs: { model: "camera-health" } });
    expect(parseDirective("::action{rollback}")).toEqual({ type: "action", name: "rollback", attrs: {} });
    expect(parseDirective("text ::action{rollback}")).toBeNull();
  });
  it("expands directives outside code fences only, and counts checklist lines in the expanded text", () => {
    const body = "- [ ] one\n::panel{drift}\n```\n::action{rollback}\n- [ ] not a task\n```\n* [x] two";
    const out = expandDirectives(body);
    expect(out).toContain("```" + DIRECTIVE_LANG + "\n::panel{drift}\n```");
    expect(out).toContain("```\n::action{rollback}\n- [ ] not a task\n```");
    const items = checklistItems(out);
    expect(items.map((i) => i.text)).toEqual(["one", "two"]);
    expect(out.split("\n")[items[1].line - 1]).toBe("* [x] two");
  });
  it("names unknown panels and actions", () => {
    expect(directiveProblems("::panel{weather}\n::action{delete-prod}\n::action{pause}")).toEqual([
      'Unknown panel "weather"; use one of drift, latency, errors',
      'Unknown action "delete-prod"; use one of rollback, pause',
    ]);
  });
});
