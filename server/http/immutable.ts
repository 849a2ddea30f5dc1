// Responses for bytes that never change under their name (model artifacts, sample frames): the ETag
// names the content, so browsers and devices cache it for good and revalidate with If-None-Match for free.
// Stored bytes go through storedResponse, the one place downloads get Range support whatever the store.
import { Readable } from "node:stream";
import { artifactStore } from "@/server/artifacts";
import type { ArtifactStore, ByteRange } from "@/server/artifacts/store";

export type ImmutableMeta = { etag: string; sha256: string; contentType: string; disposition: string };
type InlineBody = { bytes: BodyInit; length: number };
/** Bytes held by the artifact store under `sha256`, opened only when the answer is not a 304. */
export type StoredBody = { stored: string; length: number };

/** 304 when the client already holds these bytes; otherwise the body (or the range asked for), read only then. */
export async function immutableResponse(
  req: Request,
  meta: ImmutableMeta,
  body: () => Promise<InlineBody | StoredBody> | InlineBody | StoredBody,
): Promise<Response> {
  const headers = {
    etag: meta.etag,
    "cache-control": "private, max-age=31536000, immutable",
    "content-type": meta.contentType,
    "content-disposition": meta.disposition,
    // Lets the cross-origin-isolated playground pages load them.
    "cross-origin-resource-policy": "same-origin",
    "x-content-sha256": meta.sha256,
  };
  if (req.headers.get("if-none-match") === meta.etag) return new Response(null, { status: 304, headers });
  const b = await body();
  if ("stored" in b) {
    // S3_PRESIGNED_DOWNLOADS: an API client (devices, batch jobs) fetches the bytes from the bucket itself, so large
    // downloads do not pass through a replica. Browser sessions keep streaming from the portal: the cross-origin
    // isolated pages (playground) may only load same-origin bytes.
    const direct = req.headers.get("authorization")?.startsWith("Bearer ")
      ? await artifactStore.directUrl?.(b.stored, { contentType: meta.contentType, disposition: meta.disposition })
      : null;
    if (direct) {
      // The URL expires, so the redirect itself is never cached; the ETag still lets the client skip it next time.
      return new Response(null, {
        status: 302,
        headers: { location: direct, etag: meta.etag, "cache-control": "private, no-store", "x-content-sha256": meta.sha256 },
      });
    }
    return storedResponse(req, artifactStore, b.stored, b.length, headers);
  }
  return new Response(b.bytes, { headers: { ...headers, "content-length": String(b.length) } });
}

/** The stored file under a sha256, streamed from the artifact store. */
export function storedBytes(sha256: string, sizeBytes: number): StoredBody {
  return { stored: sha256, length: sizeBytes };
}

/**
 * The one Range parser (RFC 9110 §14): a single `bytes=a-b`, `bytes=a-` or `bytes=-n`. Anything else, several
 * ranges, or an If-Range naming other bytes is answered with the whole file, which the RFC allows.
 */
export function requestedRange(req: Request, size: number, etag: string | undefined): ByteRange | "unsatisfiable" | null {
  const header = req.headers.get("range");
  if (!header) return null;
  const ifRange = req.headers.get("if-range");
  if (ifRange !== null && ifRange !== etag) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Number(m[2]);
  if (start >= size) return "unsatisfiable";
  if (end < start) return null;
  return { start, end: Math.min(end, size - 1) };
}

/**
 * A download of stored bytes: 206 with Content-Range for a satisfiable Range, 416 for one past the end, else 200.
 * The bytes are opened before the status is chosen, so a file the store cannot give is an error answer
 * (503 or 412 from the store), never a 200 followed by a dropped connection.
 */
export async function storedResponse(
  req: Request | null,
  store: ArtifactStore,
  sha256: string,
  size: number,
  headers: Record<string, string>,
): Promise<Response> {
  const range = req ? requestedRange(req, size, headers.etag) : null;
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  const stream = await store.openRead(sha256, range ?? undefined);
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  if (!range) return new Response(body, { headers: { ...headers, "accept-ranges": "bytes", "content-length": String(size) } });
  return new Response(body, {
    status: 206,
    headers: {
      ...headers,
      "accept-ranges": "bytes",
      "content-range": `bytes ${range.start}-${range.end}/${size}`,
      "content-length": String(range.end - range.start + 1),
    },
  });
}
