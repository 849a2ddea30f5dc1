// MLflow 2.12.2's rules for a model version's `source`, written from its documented behaviour:
// a local path (no scheme, or file:) is accepted only inside the local artifact directory of the
// run named by run_id; any other URI must carry an absolute path with no relative references
// (after percent-decoding as often as it changes) and no NUL byte. Also the stage names MLflow shows
// for Sentinel's version statuses.
import path from "node:path";
import { Invalid } from "@/server/errors";
import type { VERSION_STATUSES } from "./schemas";

type VersionStatus = (typeof VERSION_STATUSES)[number];

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

/**
 * A local source as an absolute path. MLflow resolves a relative one against its server's working
 * directory (so `model/dir` is never inside a run's artifact directory unless the server happens to
 * run there); resolving against `/` instead would let `data/1/<run>/artifacts/x` pass as inside.
 */
const localPathOf = (uri: string) => path.posix.resolve(process.cwd(), isLocalSource(uri) && SCHEME.test(uri) ? uriPath(uri) : uri);

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

/** The parts of a `models:/` URI, read as MLflow 2.12.2 reads them (one of version, stage, alias; none = latest). */
export type ModelsUri = { name: string; version?: string; stage?: string; alias?: string };

const improperModelsUri = (uri: string) =>
  `Not a proper models:/ URI: ${uri}. Models URIs must be of the form 'models:/model_name/suffix' or 'models:/model_name@alias' where suffix is a model version, stage, or the string 'latest' and where alias is a registered model alias. Only one of suffix or alias can be defined at a time.`;

export const isModelsUri = (uri: string) => SCHEME.exec(uri)?.[1].toLowerCase() === "models";

/**
 * `models:/name/3`, `models:/name/Production`, `models:/name/latest` or `models:/name@alias`; anything
 * else is refused with MLflow's message. (MLflow answers that with INTERNAL_ERROR, HTTP 500, which its
 * client retries for a minute and then reports without the message: here it is INVALID_PARAMETER_VALUE.)
 */
export function parseModelsUri(uri: string): ModelsUri {
  const rest = uri.replace(SCHEME, "");
  // urlparse with allow_fragments=False (as MLflow calls it): '#' stays in the path, '?' starts the query.
  const p = (rest.startsWith("//") ? rest.slice(2).replace(/^[^/?#]*/, "") : rest).replace(/\?.*$/s, "");
  if (!p.startsWith("/") || p.length <= 1) throw new Invalid(improperModelsUri(uri));
  const parts = p.replace(/^\/+/, "").split("/");
  if (parts.length > 2 || parts[0].trim() === "") throw new Invalid(improperModelsUri(uri));
  if (parts.length === 2) {
    const [name, suffix] = parts;
    if (suffix.trim() === "") throw new Invalid(improperModelsUri(uri));
    if (/^\d+$/.test(suffix)) return { name, version: suffix };
    if (suffix.toLowerCase() === "latest") return { name };
    return { name, stage: suffix };
  }
  const at = parts[0].lastIndexOf("@");
  if (at < 0 || parts[0].slice(at + 1).trim() === "") throw new Invalid(improperModelsUri(uri));
  return { name: parts[0].slice(0, at), alias: parts[0].slice(at + 1) };
}

/** Sentinel's version status shown as MLflow's (deprecated but still read) stage, and back. */
export const STAGE_OF = { draft: "None", candidate: "Staging", approved: "Production", archived: "Archived" } as const satisfies Record<VersionStatus, string>;
export const STATUS_OF: Record<string, VersionStatus> = { none: "draft", staging: "candidate", production: "approved", archived: "archived" };
