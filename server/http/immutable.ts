// Responses for bytes that never change under their name (model artifacts, sample frames): the ETag
// names the content, so browsers and devices cache it for good and revalidate with If-None-Match for free.
import { Readable } from "node:stream";
import { artifactStore } from "@/server/artifacts";

export type ImmutableMeta = { etag: string; sha256: string; contentType: string; disposition: string };

/** 304 when the client already holds these bytes; otherwise the body, read only then. */
export async function immutableResponse(req: Request, meta: ImmutableMeta, body: () => Promise<{ bytes: BodyInit; length: number }> | { bytes: BodyInit; length: number }): Promise<Response> {
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
  const { bytes, length } = await body();
  return new Response(bytes, { headers: { ...headers, "content-length": String(length) } });
}

/** The stored file under a sha256, streamed from the artifact store. */
export function storedBytes(sha256: string, sizeBytes: number): { bytes: ReadableStream<Uint8Array>; length: number } {
  return { bytes: Readable.toWeb(artifactStore.openRead(sha256)) as ReadableStream<Uint8Array>, length: sizeBytes };
}
