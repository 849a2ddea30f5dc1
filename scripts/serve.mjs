// The production HTTP server: Next's request handler on our own http.Server, so SIGTERM can drain.
// On SIGTERM or SIGINT: stop accepting, let in-flight requests finish (up to SHUTDOWN_DRAIN_MS),
// then run the app's own shutdown (job queue, database close, DATA_DIR lock removal) and exit.
// WEB_CONCURRENCY=N (PostgreSQL only) runs N such servers as worker processes sharing the port, as gunicorn's
// workers do for MLflow: one Node thread per request path, N cores. They are replicas of one another (background
// work takes leases), so the primary only starts them, restarts one that dies and passes signals on.
import cluster from "node:cluster";
import http from "node:http";
import path from "node:path";
import next from "next";
import nextConfig from "../next.config.mjs";
import { configHeaders, directDoor } from "./direct-door.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT || 3000);
const host = process.env.HOSTNAME_BIND || undefined;
const drainMs = Number(process.env.SHUTDOWN_DRAIN_MS || 20_000);
const workers = Math.max(1, Math.min(64, Math.floor(Number(process.env.WEB_CONCURRENCY || 1)) || 1));

if (cluster.isPrimary && workers > 1 && !process.env.DATABASE_URL) {
  console.warn(`WEB_CONCURRENCY=${workers} ignored: the embedded database belongs to one process (set DATABASE_URL for several workers)`);
}
if (cluster.isPrimary && workers > 1 && process.env.DATABASE_URL) await supervise(workers);
else await serve();

/** The primary: N workers; one that dies is replaced unless it died young (then start-up itself fails: stop). */
async function supervise(n) {
  let stopping = false;
  const born = new Map();
  const restarts = [];
  const fork = () => born.set(cluster.fork().id, Date.now());
  for (let i = 0; i < n; i++) fork();
  console.log(`Sentinel primary ${process.pid}: ${n} workers`);
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    const lived = Date.now() - (born.get(worker.id) ?? 0);
    born.delete(worker.id);
    restarts.push(Date.now());
    while (restarts[0] < Date.now() - 60_000) restarts.shift();
    if (lived < 10_000 || restarts.length > 5) {
      console.error(`worker ${worker.process.pid} exited (${signal ?? code}) ${lived} ms after it started (${restarts.length} in a minute); stopping`);
      stop("SIGTERM", 1);
      return;
    }
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  function stop(signal, exitCode = 0) {
    if (stopping) return;
    stopping = true;
    const live = Object.values(cluster.workers ?? {});
    console.log(`${signal}: stopping ${live.length} worker(s)`);
    if (!live.length) process.exit(exitCode);
    let left = live.length;
    for (const w of live) {
      w.once("exit", () => --left === 0 && process.exit(exitCode));
      w.process.kill(signal);
    }
  }
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

async function serve() {
  // Tells the app's start-up hook that this server owns the signals and calls its shutdown after draining.
  globalThis.__sentinelDrains = true;

  const app = next({ dev: false, dir: root, port, hostname: host ?? "localhost" });
  const handle = app.getRequestHandler();
  await app.prepare();

  // The MLflow door's token calls skip Next's router once the door's routes have loaded (see direct-door.mjs).
  const tryDirect = directDoor({ headersFor: configHeaders((await nextConfig.headers?.()) ?? []) });
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    if (draining) res.setHeader("connection", "close");
    if (!tryDirect(req, res)) handle(req, res);
  });
  // Keep-alive sockets idle between requests would hold close() open until they time out.
  server.keepAliveTimeout = 5_000;
  // A client that half-closes after sending its body (FIN after the request) still gets its answer: by default Node
  // aborts the request on the client's FIN, which loses a response that is still being computed.
  server.httpAllowHalfOpen = true;
  let draining = false;

  server.listen(port, host, () => console.log(`Sentinel listening on http://${host ?? "localhost"}:${port} (pid ${process.pid})`));

  async function shutdown(signal) {
    if (draining) return;
    draining = true;
    console.log(`${signal}: no new connections; draining ${inFlight} in-flight request(s) for up to ${drainMs} ms`);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const deadline = new Promise((resolve) => setTimeout(resolve, drainMs).unref());
    await Promise.race([closed, deadline]);
    if (inFlight > 0) console.log(`drain deadline reached with ${inFlight} request(s) still open; closing them`);
    server.closeAllConnections();
    try {
      await globalThis.__sentinelShutdown?.();
    } catch (err) {
      console.error("shutdown failed", err);
    }
    process.exit(0);
  }
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}
