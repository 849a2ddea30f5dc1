// A throwaway portal for training jobs: the real route handlers (MLflow tracking, registry and artifact proxy, frames,
// models) on a plain Node HTTP server over an already-open database, without a Next build. Used by `npm run demo:train`
// when no MLFLOW_TRACKING_URI is given, and by the training smoke test.
import http from "node:http";
import type { AddressInfo } from "node:net";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
type RouteModule = Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;
type Route = { pattern: RegExp; keys: { name: string; rest: boolean }[]; load: () => Promise<RouteModule> };

function route(path: string, load: () => Promise<RouteModule>): Route {
  const keys: Route["keys"] = [];
  const re = path
    .split("/")
    .map((seg) => {
      const optionalRest = /^\[\[\.\.\.(\w+)\]\]$/.exec(seg);
      const rest = /^\[\.\.\.(\w+)\]$/.exec(seg);
      const one = /^\[(\w+)\]$/.exec(seg);
      if (optionalRest) return (keys.push({ name: optionalRest[1], rest: true }), "(?:/(.*))?");
      if (rest) return (keys.push({ name: rest[1], rest: true }), "/(.+)");
      if (one) return (keys.push({ name: one[1], rest: false }), "/([^/]+)");
      return seg ? `/${seg.replace(/\./g, "\\.")}` : "";
    })
    .join("");
  return { pattern: new RegExp(`^${re}/?$`), keys, load };
}

// Most specific first.
const ROUTES: Route[] = [
  route("/api/2.0/mlflow-artifacts/artifacts/[[...path]]", () => import("@/app/api/2.0/mlflow-artifacts/artifacts/[[...path]]/route")),
  route("/api/2.0/mlflow-artifacts/mpu/create/[...path]", () => import("@/app/api/2.0/mlflow-artifacts/mpu/create/[...path]/route")),
  route("/api/2.0/mlflow-artifacts/mpu/complete/[...path]", () => import("@/app/api/2.0/mlflow-artifacts/mpu/complete/[...path]/route")),
  route("/api/2.0/mlflow-artifacts/mpu/abort/[...path]", () => import("@/app/api/2.0/mlflow-artifacts/mpu/abort/[...path]/route")),
  route("/api/2.0/mlflow/[...path]", () => import("@/app/api/2.0/mlflow/[...path]/route")),
  route("/api/v1/frames/[id]/image", () => import("@/app/api/v1/frames/[id]/image/route")),
  route("/api/v1/frames/[id]", () => import("@/app/api/v1/frames/[id]/route")),
  route("/api/v1/frames", () => import("@/app/api/v1/frames/route")),
  route("/api/v1/models/[slug]/versions/[n]", () => import("@/app/api/v1/models/[slug]/versions/[n]/route")),
  route("/api/v1/models/[slug]/versions", () => import("@/app/api/v1/models/[slug]/versions/route")),
  route("/api/v1/models/[slug]", () => import("@/app/api/v1/models/[slug]/route")),
  route("/api/v1/models", () => import("@/app/api/v1/models/route")),
];

async function dispatch(req: http.IncomingMessage, res: http.ServerResponse, origin: string): Promise<void> {
  const url = new URL(req.url ?? "/", origin);
  const path = url.pathname;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    const mod = await r.load();
    const handler = mod[req.method as keyof RouteModule];
    if (!handler) {
      res.writeHead(405).end();
      return;
    }
    const params: Record<string, string | string[]> = {};
    r.keys.forEach((k, i) => {
      const v = m[i + 1];
      if (v !== undefined) params[k.name] = k.rest ? v.split("/").map(decodeURIComponent) : decodeURIComponent(v);
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const body = hasBody
      ? await new Promise<Buffer>((resolve, reject) => {
          const chunks: Buffer[] = [];
          req.on("data", (c: Buffer) => chunks.push(c));
          req.on("end", () => resolve(Buffer.concat(chunks)));
          req.on("error", reject);
        })
      : undefined;
    const out = await handler(new Request(url, { method: req.method, headers, body: body ? new Uint8Array(body) : undefined }), {
      params: Promise.resolve(params),
    });
    res.writeHead(out.status, Object.fromEntries(out.headers.entries()));
    res.end(Buffer.from(await out.arrayBuffer()));
    return;
  }
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: `No route for ${path} in the training portal` }));
}

/** Serves the handlers on 127.0.0.1 at a free port; the process-wide database must already be provided. */
export async function startTrainingPortal(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
    dispatch(req, res, origin).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
