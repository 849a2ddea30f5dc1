// Runbook Markdown extras, pure and shared by server and browser: live-panel and action directives, and the checklist (task items).
/** A line `::panel{drift model=camera-health}` or `::action{rollback}`. */
export type Directive = { type: "panel" | "action"; name: string; attrs: Record<string, string> };

export const PANEL_NAMES = ["drift", "latency", "errors"] as const;
export const ACTION_NAMES = ["rollback", "pause"] as const;

const DIRECTIVE = /^::(panel|action)\{([^}]*)\}\s*$/;
const FENCE = /^\s*(```|~~~)/;
/** The fenced-code language that carries a directive through the Markdown renderer. */
export const DIRECTIVE_LANG = "sentinel-directive";

export function parseDirective(line: string): Directive | null {
  const m = DIRECTIVE.exec(line.trim());
  if (!m) return null;
  const [name = "", ...rest] = m[2].trim().split(/\s+/);
  if (!/^[a-z-]+$/.test(name)) return null;
  const attrs: Record<string, string> = {};
  for (const kv of rest) {
    const [k, v] = kv.split("=", 2);
    if (k && v !== undefined && /^[a-z]+$/.test(k)) attrs[k] = v.replace(/^"(.*)"$/, "$1");
  }
  return { type: m[1] as Directive["type"], name, attrs };
}

/**
 * Turns each directive line (outside code fences) into a one-line fenced block the renderer's `pre`
 * override recognises, so directives never reach the page as raw text and Markdown stays standard.
 */
export function expandDirectives(body: string): string {
  let inFence = false;
  return body
    .split("\n")
    .map((line) => {
      if (FENCE.test(line)) inFence = !inFence;
      if (inFence || !parseDirective(line)) return line;
      return ["```" + DIRECTIVE_LANG, line.trim(), "```"].join("\n");
    })
    .join("\n");
}

export type ChecklistItem = { index: number; text: string; line: number };

/** Task items (`- [ ] step`) in order, with their 1-based line in `body` (after expandDirectives, so lines match the rendered tree). */
export function checklistItems(body: string): ChecklistItem[] {
  const out: ChecklistItem[] = [];
  let inFence = false;
  body.split("\n").forEach((line, i) => {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) return;
    const m = /^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]\s+(.*)$/.exec(line);
    if (m) out.push({ index: out.length, text: m[1].trim(), line: i + 1 });
  });
  return out;
}

/** Directives in a body, for validation on save and for the actions an incident page must offer. */
export function directivesOf(body: string): Directive[] {
  let inFence = false;
  const out: Directive[] = [];
  for (const line of body.split("\n")) {
    if (FENCE.test(line)) inFence = !inFence;
    if (inFence) continue;
    const d = parseDirective(line);
    if (d) out.push(d);
  }
  return out;
}

/** Problems with directives, in words, so a save with an unknown panel or action is refused before anyone relies on it. */
export function directiveProblems(body: string): string[] {
  return directivesOf(body).flatMap((d) => {
    if (d.type === "panel" && !(PANEL_NAMES as readonly string[]).includes(d.name)) return [`Unknown panel "${d.name}"; use one of ${PANEL_NAMES.join(", ")}`];
    if (d.type === "action" && !(ACTION_NAMES as readonly string[]).includes(d.name))
      return [`Unknown action "${d.name}"; use one of ${ACTION_NAMES.join(", ")}`];
    return [];
  });
}
