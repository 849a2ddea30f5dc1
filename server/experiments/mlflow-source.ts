// MLflow 2.12.2's rules for a model version's `source`, written from its documented behaviour:
// a local path (no scheme, or file:) is accepted only inside the local artifact directory of the
// run named by run_id; any other URI must carry an absolute path with no relative references
// (after percent-decoding as often as it changes) and no NUL byte.
import path from "node:path";
import { Invalid } from "@/server/errors";

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/** Python's unquote_plus: '+' is a space, then %XX escapes (invalid ones kept as they are). */
function unquotePlus(s: string): string {
  return s.replace(/\+/g, " ").replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

/** The path part of a URI as Python's urlparse reads it (after scheme://netloc, before ? and #). */
function uriPath(uri: string): string {
  let rest = uri.replace(SCHEME, "");
  if (rest.startsWith("//")) rest = rest.slice(2).replace(/^[^/?#]*/, "");
  return rest.replace(/[?#].*$/s, "");
}

/** A local path: no scheme, or file: (MLflow's is_local_uri for a server on Linux). */
export function isLocalSource(uri: string): boolean {
  const m = SCHEME.exec(uri);
  if (!m) return true;
  return m[1].toLowerCase() === "file";
}

const localPathOf = (uri: string) => path.posix.resolve("/", isLocalSource(uri) && SCHEME.test(uri) ? uriPath(uri) : uri);

/**
 * Throws MLflow's INVALID_PARAMETER_VALUE message when `source` breaks the rules. `run` is the run
 * named by run_id when there is one (a local source is checked against its artifact URI).
 */
export function validateModelVersionSource(source: string, runId: string | undefined, run: { artifactUri: string } | null): void {
  if (isLocalSource(source)) {
    if (runId && run && isLocalSource(run.artifactUri)) {
      const resolved = localPathOf(source);
      const root = localPathOf(run.artifactUri);
      if (resolved === root || resolved.startsWith(`${root}/`)) return;
    }
    const shown = runId ? localPathOf(source) : source;
    throw new Invalid(
      `Invalid model version source: '${shown}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`,
    );
  }
  let decoded = source;
  for (let next = unquotePlus(decoded); next !== decoded; next = unquotePlus(decoded)) decoded = next;
  const p = uriPath(decoded).replace(/\/+$/, "").replace(/\/+/g, "/");
  const normalized = p.startsWith("/") ? path.posix.normalize(p) : null;
  if (p.includes("\0") || normalized !== p) {
    throw new Invalid(
      `Invalid model version source: '${source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`,
    );
  }
}
