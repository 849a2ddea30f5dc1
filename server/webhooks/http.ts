// One webhook POST: validated destination, pinned address, no redirects, short timeout, capped response read.
import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { checkDestination, type AllowList, type Resolver } from "./ssrf";

export const REQUEST_TIMEOUT_MS = 5_000;
/** We only need the status; a large or endless response body is cut here. */
export const MAX_RESPONSE_BYTES = 16 * 1024;

export type PostResult = { ok: boolean; status: number | null; error: string | null; durationMs: number };

/**
 * A failed answer is kept as its status and a hash of its body, never the text: receivers' error
 * pages have leaked secrets, and the delivery log is shown to every admin. The hash still lets an
 * operator match a failure against the receiver's own logs.
 */
export function failureSummary(status: number, body: Buffer): string {
  if (!body.length) return `HTTP ${status}`;
  return `HTTP ${status}; response body sha256 ${createHash("sha256").update(body).digest("hex")} (${body.length} bytes${body.length >= MAX_RESPONSE_BYTES ? ", first part" : ""})`;
}

/** Answers every lookup with the address we validated, so a second DNS answer can't redirect the socket. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

export async function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  opts: { allow: AllowList; resolver?: Resolver; timeoutMs?: number },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let dest;
  try {
    dest = await checkDestination(rawUrl, opts.allow, opts.resolver);
  } catch (err) {
    return { ok: false, status: null, error: `Refused: ${err instanceof Error ? err.message : String(err)}`, durationMs: elapsed() };
  }
  const { url, addresses } = dest;
  const pinned = addresses[0];
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...r, durationMs: elapsed() });
    };
    const request = url.protocol === "https:" ? https.request : http.request;
    const req = request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "Sentinel-Webhooks/1", "content-length": String(Buffer.byteLength(body)), ...headers },
        lookup: pinnedLookup(pinned.address, pinned.family),
        agent: false,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          if (status >= 200 && status < 300) finish({ ok: true, status, error: null });
          else if (status >= 300 && status < 400)
            finish({ ok: false, status, error: `Redirect to ${res.headers.location ?? "(no location)"} not followed; point the webhook at the final URL` });
          else finish({ ok: false, status, error: failureSummary(status, Buffer.concat(chunks)) });
          res.destroy();
        };
        res.on("data", (c: Buffer) => {
          if (size >= MAX_RESPONSE_BYTES) return;
          chunks.push(c.subarray(0, MAX_RESPONSE_BYTES - size));
          size += c.length;
          if (size >= MAX_RESPONSE_BYTES) done();
        });
        res.on("end", done);
        res.on("error", (err) => finish({ ok: false, status, error: err.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, error: `No answer within ${timeoutMs / 1000} s` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (err) => finish({ ok: false, status: null, error: err.message }));
    req.end(body);
  });
}
