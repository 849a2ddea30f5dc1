// Run artifacts behind MLflow's artifact proxy: files under the proxied root (`mlflow-artifacts:/`)
// are rows mapping a path to content-addressed bytes in the artifact store, so every replica sees the
// same tree and nothing lives only on one machine's disk. Used by the MLflow doors and the run page.
import { and, asc, eq, like, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mlflowArtifactFiles, runs } from "@/db/schema";
import type { ArtifactStore } from "@/server/artifacts/store";
import { writeAudit } from "@/server/audit/service";
import type { Actor } from "@/server/auth/roles";
import { Invalid, NotFound } from "@/server/errors";

export const PROXY_SCHEME = "mlflow-artifacts:";

export type ArtifactEntry = { path: string; isDir: boolean; size?: number };

/** `<experiment>/<run>/artifacts[/...]` names a run's artifact root. */
const RUN_PATH = /^(\d{1,18})\/([0-9a-f]{32})\/artifacts(?:\/|$)/;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The path under the proxied root for a run whose artifact URI is `mlflow-artifacts:/...`, or null. */
export function proxiedRootOf(artifactUri: string): string | null {
  if (!artifactUri.startsWith(PROXY_SCHEME)) return null;
  // mlflow-artifacts:/3/<run>/artifacts, or with an authority: mlflow-artifacts://host:port/3/...
  const rest = artifactUri.slice(PROXY_SCHEME.length).replace(/^\/\/[^/]*/, "");
  return safeArtifactPath(rest.replace(/^\/+/, ""));
}

async function runForPath(db: Db, path: string): Promise<string | null> {
  const m = RUN_PATH.exec(path);
  if (!m) return null;
  const [run] = await db.select({ runId: runs.runId, experimentId: runs.experimentId }).from(runs).where(eq(runs.runId, m[2]));
  return run && String(run.experimentId) === m[1] ? run.runId : null;
}

/**
 * Streams `body` into the store (refusing more than `limit` bytes) and records it at `path`,
 * replacing an earlier file there, with an audit row in the same transaction.
 */
export async function putArtifact(db: Db, store: ArtifactStore, actor: Actor, rawPath: string, body: AsyncIterable<Uint8Array>, limit: number) {
  const path = safeArtifactPath(rawPath);
  if (!path) throw new Invalid("Invalid path");
  const staged = await store.stage(body, limit);
  try {
    await store.commit(staged);
  } catch (e) {
    await store.discard(staged);
    throw e;
  }
  const runId = await runForPath(db, path);
  return db.transaction(async (tx) => {
    // A file and a directory cannot share a name.
    const [dir] = await tx
      .select({ path: mlflowArtifactFiles.path })
      .from(mlflowArtifactFiles)
      .where(like(mlflowArtifactFiles.path, `${escapeLike(path)}/%`))
      .limit(1);
    if (dir) throw new Invalid(`Cannot write file ${path}: a directory of that name exists`);
    const [before] = await tx.select().from(mlflowArtifactFiles).where(eq(mlflowArtifactFiles.path, path));
    const row = {
      path,
      runId,
      sha256: staged.sha256,
      sizeBytes: staged.size,
      createdBy: actor.userId,
      createdByToken: actor.tokenId ?? null,
      createdAt: new Date(),
    };
    await tx.insert(mlflowArtifactFiles).values(row).onConflictDoUpdate({ target: mlflowArtifactFiles.path, set: row });
    await writeAudit(tx, actor, { action: "artifact.upload", entityType: "mlflow_artifact", entityId: path, before, after: row });
    return { path, sha256: staged.sha256, size: staged.size };
  });
}

/** The stored file at `path` (for download), or NotFound. */
export async function artifactFile(db: Db, rawPath: string) {
  const path = safeArtifactPath(rawPath);
  const [row] = await db.select().from(mlflowArtifactFiles).where(eq(mlflowArtifactFiles.path, path));
  if (!row) throw new NotFound(`Artifact ${path}`);
  return row;
}

/**
 * The immediate children of directory `dir` (relative to the proxied root; "" for the root), as
 * MLflow lists them: files with sizes, sub-directories without, sorted by path.
 */
export async function listArtifactDir(db: Db, dir: string): Promise<ArtifactEntry[]> {
  const prefix = dir ? `${dir}/` : "";
  // One row per child name: a file directly in dir, or the first segment of a deeper path.
  const rest = sql`substr(${mlflowArtifactFiles.path}, ${sql.raw(String(prefix.length + 1))})`;
  const name = sql<string>`split_part(${rest}, '/', 1)`;
  const rows = await db
    .select({
      name,
      isDir: sql<boolean>`bool_or(position('/' in ${rest}) > 0)`,
      size: sql<string | null>`max(case when position('/' in ${rest}) = 0 then ${mlflowArtifactFiles.sizeBytes} end)`,
    })
    .from(mlflowArtifactFiles)
    .where(prefix ? like(mlflowArtifactFiles.path, `${escapeLike(prefix)}%`) : undefined)
    .groupBy(name)
    .orderBy(name);
  return rows.map((r) => ({ path: r.name, isDir: Boolean(r.isDir), ...(r.isDir ? {} : { size: Number(r.size) }) }));
}
/** Deletes the file at `path`, or every file under it when it is a directory. */
export async function deleteArtifacts(db: Db, actor: Actor, rawPath: string): Promise<number> {
  const path = safeArtifactPath(rawPath);
  if (!path) throw new Invalid("Invalid path");
  return db.transaction(async (tx) => {
    const gone = await tx
      .delete(mlflowArtifactFiles)
      .where(or(eq(mlflowArtifactFiles.path, path), like(mlflowArtifactFiles.path, `${escapeLike(path)}/%`)))
      .returning({ path: mlflowArtifactFiles.path, sha256: mlflowArtifactFiles.sha256 });
    if (!gone.length) throw new NotFound(`Artifact ${path}`);
    // The blobs stay: content-addressed bytes may be shared with other files or model versions.
    await writeAudit(tx, actor, { action: "artifact.delete", entityType: "mlflow_artifact", entityId: path, before: gone });
    return gone.length;
  });
}

/** A run's artifacts in a sub-directory `rel` of its root, with run-relative paths (artifacts/list). */
export async function listRunArtifacts(db: Db, run: { artifactUri: string }, rawRel?: string): Promise<ArtifactEntry[]> {
  const rel = rawRel === undefined ? "" : safeArtifactPath(rawRel);
  const root = proxiedRootOf(run.artifactUri);
  if (root === null) return [];
  const entries = await listArtifactDir(db, [root, rel].filter(Boolean).join("/"));
  return entries.map((e) => ({ ...e, path: rel ? `${rel}/${e.path}` : e.path }));
}

/** A run's file at run-relative `rel` (get-artifact, the run page's preview and download). */
export async function runArtifactFile(db: Db, run: { runId: string; artifactUri: string }, rawRel: string) {
  const rel = safeArtifactPath(rawRel);
  const root = proxiedRootOf(run.artifactUri);
  if (root === null || !rel) throw new NotFound(`Artifact ${rel} of run ${run.runId}`);
  const [row] = await db
    .select()
    .from(mlflowArtifactFiles)
    .where(eq(mlflowArtifactFiles.path, `${root}/${rel}`));
  if (!row) throw new NotFound(`Artifact ${rel} of run ${run.runId}`);
  return row;
}

/** Every file of a run (for the run page's tree), bounded. */
export async function runArtifactTree(db: Db, run: { artifactUri: string }, limit = 2000) {
  const root = proxiedRootOf(run.artifactUri);
  if (root === null) return [];
  const rows = await db
    .select({ path: mlflowArtifactFiles.path, size: mlflowArtifactFiles.sizeBytes, sha256: mlflowArtifactFiles.sha256 })
    .from(mlflowArtifactFiles)
    .where(and(like(mlflowArtifactFiles.path, `${escapeLike(root)}/%`)))
    .orderBy(asc(mlflowArtifactFiles.path))
    .limit(limit);
  return rows.map((r) => ({ ...r, path: r.path.slice(root.length + 1) }));
}

const TEXT_EXTENSIONS = /\.(txt|log|md|json|ya?ml|csv|tsv|py|sh|toml|ini|cfg|xml|html|MLmodel)$|(^|\/)MLmodel$/i;
export const PREVIEW_BYTES = 64 * 1024;

/** The first bytes of a run's text file for the run page, or null when it is not text. */
export async function previewRunArtifact(db: Db, store: ArtifactStore, run: { runId: string; artifactUri: string }, rel: string) {
  const row = await runArtifactFile(db, run, rel);
  if (!TEXT_EXTENSIONS.test(row.path)) return { path: rel, size: row.sizeBytes, text: null, truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await store.openRead(row.sha256, { start: 0, end: PREVIEW_BYTES - 1 })) {
    const b = chunk as Buffer;
    chunks.push(b);
    size += b.length;
    if (size >= PREVIEW_BYTES) break;
  }
  const buf = Buffer.concat(chunks).subarray(0, PREVIEW_BYTES);
  return { path: rel, size: row.sizeBytes, text: buf.toString("utf8"), truncated: row.sizeBytes > PREVIEW_BYTES };
}

/**
 * MLflow's artifact path rule ("Invalid path"): decoded (twice, so %252E%252E is caught), no
 * backslash, no '#', no NUL, no '..' segment, not absolute (POSIX, Windows drive or UNC), no file: URI.
 * Returns the decoded relative path without a trailing slash.
 */
export function safeArtifactPath(raw: string): string {
  let p = raw;
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(p);
    } catch {
      throw new Invalid("Invalid path");
    }
    if (next === p) break;
    p = next;
  }
  if (/%[0-9a-f]{2}/i.test(p)) throw new Invalid("Invalid path");
  if (p.startsWith("file:")) throw new Invalid("Invalid path");
  if (/[#\\\0]/.test(p) || p.startsWith("/") || /^[a-z]:/i.test(p)) throw new Invalid("Invalid path");
  const segments = p.split("/");
  if (segments.includes("..")) throw new Invalid("Invalid path");
  return segments.filter((s) => s !== "" && s !== ".").join("/");
}
