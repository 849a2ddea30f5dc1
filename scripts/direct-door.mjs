// The MLflow door's bearer-token calls, answered without Next's router. A training job's calls are small and many,
// and Next's routing and its request/response adaptation cost more of the server's one thread than the door's own
// work (a CPU profile of run creation on PostgreSQL: about half of the thread's busy time went to Next, a sixth to the
// door and its services). The function that answers is the one Next would call: each door route file offers its
// method handlers (server/mlflow/door.ts, offerDirectRoute) when Next first loads it, so the first call under a
// prefix goes through Next, and so does anything out of the ordinary: no Authorization header, a method the route
// does not export, a path with percent-escapes or empty segments, a body without Content-Length or over
// DIRECT_BODY_MAX (streamed uploads). Answers carry the same next.config.mjs headers Next would add.
export const DIRECT_BODY_MAX = 1 << 20;

/** next.config's `source` patterns (`/:path*`, `/:slug`, literal paths) as anchored regular expressions. */
export function sourcePattern(source) {
  let re = "";
  for (const part of source.split(/(\/:\w+[*+]?|:\w+)/).filter(Boolean)) {
    if (/^\/:\w+\*$/.test(part)) re += "(?:/.*)?";
    else if (/^\/:\w+\+$/.test(part)) re += "/.+";
    else if (/^\/:\w+$/.test(part)) re += "/[^/]+";
    else if (/^:\w+$/.test(part)) re += "[^/]+";
    else re += part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The headers next.config's `headers()` rules give a path, later rules overriding earlier ones as in Next. */
export function configHeaders(rules) {
  const compiled = rules.map((r) => ({ re: sourcePattern(r.source), headers: r.headers }));
  return (pathname) => {
    const out = new Map();
    for (const r of compiled) if (r.re.test(pathname)) for (const h of r.headers) out.set(h.key, h.value);
    return out;
  };
}

/** The routes offered so far: { prefix: { METHOD: (Request, ctx) => Promise<Response> } }. */
const offered = () => globalThis.__sentinelDirectRoutes;

/**
 * Returns tryDirect(req, res): true when it took the request (and will answer it), false to leave it to Next.
 * `headersFor(pathname)` gives the config headers for an answer.
 */
export function directDoor({ headersFor, log = console }) {
  return function tryDirect(req, res) {
    const routes = offered();
    if (!routes || !req.headers.authorization) return false;
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    const prefix = Object.keys(routes).find((p) => pathname.startsWith(p));
    const handler = prefix && routes[prefix][req.method];
    if (!handler || pathname.includes("%")) return false;
    const segments = pathname.slice(prefix.length).split("/");
    if (segments.some((s) => !s)) return false;
    const declared = req.headers["content-length"];
    const length = declared === undefined ? (req.headers["transfer-encoding"] ? NaN : 0) : Number(declared);
    if (!Number.isSafeInteger(length) || length < 0 || length > DIRECT_BODY_MAX) return false;
    answer(req, res, handler, url, segments, length, headersFor(pathname), log);
    return true;
  };
}

async function answer(req, res, handler, url, segments, length, extraHeaders, log) {
  try {
    const body = length > 0 ? await readBody(req) : undefined;
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const host = /^[\w.-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(req.headers.host ?? "") ? req.headers.host : "localhost";
    const request = new Request(`http://${host}${url}`, { method: req.method, headers, body });
    const response = await handler(request, { params: Promise.resolve({ path: segments }) });
    res.statusCode = response.status;
    for (const [k, v] of extraHeaders) res.setHeader(k, v);
    for (const [k, v] of response.headers) if (k !== "set-cookie") res.setHeader(k, v);
    const cookies = response.headers.getSetCookie();
    if (cookies.length) res.setHeader("set-cookie", cookies);
    await writeBody(res, response.body);
  } catch (err) {
    log.error?.("direct MLflow door call failed", err);
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: "Something went wrong on the server; see its log" }));
    } else res.destroy();
  }
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

/** One write with Content-Length for a body of one chunk (every JSON answer); a streamed body is streamed. */
async function writeBody(res, body) {
  if (!body) return void res.end();
  const reader = body.getReader();
  const first = await reader.read();
  const second = first.done ? first : await reader.read();
  if (second.done) {
    const buf = first.value ?? new Uint8Array(0);
    res.setHeader("content-length", buf.byteLength);
    return void res.end(buf);
  }
  const gone = () => void reader.cancel().catch(() => {});
  res.once("close", gone);
  for (let chunk = first; !chunk.done; chunk = chunk === first ? second : await reader.read()) {
    if (res.destroyed) return;
    if (!res.write(chunk.value)) await drained(res);
  }
  res.off("close", gone);
  res.end();
}

function drained(res) {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
