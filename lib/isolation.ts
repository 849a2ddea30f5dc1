// Pages served cross-origin isolated (COOP/COEP, so onnxruntime-web gets SharedArrayBuffer and threads). The headers
// come from next.config.mjs, which reads the same list; a client-side navigation would keep the previous page's
// (non-isolated) context, so links to these paths must be full page loads.
import patterns from "./isolated-paths.json";

const compiled = patterns.map((p) => new RegExp(`^${p.replace(/\/:[a-z]+\*$/i, "(?:/.*)?").replace(/:[a-z]+/gi, "[^/]+")}$`, "i"));

/**
 * True when `href` (a same-origin path, with or without query and hash) is served cross-origin isolated and the current
 * document is not: a document keeps its isolation across client-side navigations, so from an isolated page (the
 * playground) the next playground page loads client-side and finds the tab's inference worker still running.
 */
export function needsFullPageLoad(href: string, currentlyIsolated = false): boolean {
  if (currentlyIsolated) return false;
  if (!href.startsWith("/") || href.startsWith("//")) return false;
  const path = href.split(/[?#]/, 1)[0]!;
  return compiled.some((r) => r.test(path));
}
