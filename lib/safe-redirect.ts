// Where a sign-in may send the browser afterwards: only a path on this origin, never another site.
// Pure and client-importable, so the sign-in page, the form and next-auth's redirect callback agree.

const ORIGIN_PROBE = "http://sentinel.invalid";

/** Control characters, DEL and every Unicode line or format character a URL parser may drop or bend. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\ufeff]/;

function looksLikeAnotherOrigin(path: string): boolean {
  // `//host` and `/\host` are protocol-relative to browsers; a backslash anywhere is never ours.
  return !path.startsWith("/") || path.startsWith("//") || path.includes("\\") || CONTROL.test(path);
}

/**
 * The path (with query and hash) to go to after signing in, or "/" for anything that could leave
 * the origin. `ownOrigin` (e.g. NEXTAUTH_URL) lets an absolute URL on this very origin through as
 * its path. Checks the input, its normalised form and its percent-decoded form, because each
 * layer (Next's redirect, next-auth, the browser) may decode or normalise once more.
 */
export function safeCallbackPath(raw: unknown, ownOrigin?: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2000) return "/";
  if (raw.includes("\\") || CONTROL.test(raw)) return "/";
  let own: string | null = null;
  if (ownOrigin) {
    try {
      own = new URL(ownOrigin).origin;
    } catch {
      own = null;
    }
  }
  let candidate = raw;
  if (!raw.startsWith("/")) {
    // Absolute: only this origin, reduced to its path. Anything else (other hosts, javascript:, data:) goes home.
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return "/";
    }
    if (!own || u.origin !== own || (u.protocol !== "http:" && u.protocol !== "https:")) return "/";
    candidate = u.pathname + u.search + u.hash;
  }
  if (looksLikeAnotherOrigin(candidate)) return "/";
  let normalised: URL;
  try {
    normalised = new URL(candidate, ORIGIN_PROBE);
  } catch {
    return "/";
  }
  if (normalised.origin !== ORIGIN_PROBE) return "/";
  const path = normalised.pathname + normalised.search + normalised.hash;
  if (looksLikeAnotherOrigin(path)) return "/";
  let decoded: string;
  try {
    decoded = decodeURIComponent(normalised.pathname);
  } catch {
    return "/";
  }
  if (looksLikeAnotherOrigin(decoded)) return "/";
  // Dot segments once decoded (`/%2e%2e/`) could re-form `//` on a second normalisation.
  if (new URL(decoded, ORIGIN_PROBE).pathname.startsWith("//")) return "/";
  return path;
}
