// The Content-Security-Policy of pages (per request, with a script nonce) and of everything else.
// Pages allow scripts only by nonce, and what those scripts load ('strict-dynamic'): no inline script
// an attacker could inject runs. WebAssembly compilation is allowed only where models run in the page.
import directives from "@/lib/csp-directives.json";

/** The pages that run onnxruntime-web: the playground and a version's playground. */
export function runsModels(pathname: string): boolean {
  return pathname === "/playground" || pathname.startsWith("/playground/") || /^\/models\/[^/]+\/versions\/[^/]+\/playground\/?$/.test(pathname);
}

// Shared with next.config.mjs, which sets the same policy on files and API answers. React and Radix set
// style attributes at run time ('unsafe-inline' styles); styles cannot run code.
const common: readonly string[] = directives.common;

/** A page's policy: scripts by nonce and what they load; 'wasm-unsafe-eval' only on model pages; 'unsafe-eval' only in development (React's dev tooling). */
export function pageCsp(nonce: string, pathname: string, dev = false): string {
  const script = ["script-src 'self'", `'nonce-${nonce}'`, "'strict-dynamic'"];
  if (runsModels(pathname)) script.push("'wasm-unsafe-eval'");
  if (dev) script.push("'unsafe-eval'");
  return [common[0], script.join(" "), ...common.slice(1)].join("; ");
}

/**
 * Files and API answers that are not pages. A worker script (the playground's, under /_next/static)
 * takes its policy from its own response, and it compiles WebAssembly and imports /ort/, so these allow
 * same-origin scripts and WebAssembly; they carry no inline script for a nonce to guard.
 */
export const ASSET_CSP = [common[0], directives.assetScript, ...common.slice(1)].join("; ");

/** 128 random bits, base64: unguessable, fresh per request. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
