// The production HTTP server: Next's request handler on our own http.Server, so SIGTERM can drain.
// On SIGTERM or SIGINT: stop accepting, let in-flight requests finish (up to SHUTDOWN_DRAIN_MS),
// then run the app's own shutdown (job queue, database close, DATA_DIR lock removal) and exit.
import http from "node:http";
import path from "node:path";
import next from "next";

const root = path.resolve(import.meta.dirname, "..");
const port = Number(process.env.PORT || 3000);
const host = process.env.HOSTNAME_BIND || undefined;
const drainMs = Number(process.env.SHUTDOWN_DRAIN_MS || 20_000);

// Tells the app's start-up hook that this server owns the signals and calls its shutdown after draining.
globalThis.__sentinelDrains = true;

const app = next({ dev: false, dir: root, port, hostname: host ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();

let inFlight = 0;
const server = http.createServer((req, res) => {
  inFlight++;
  res.on("close", () => inFlight--);
  if (draining) res.setHeader("connection", "close");
  handle(req, res);
});
// Keep-alive sockets idle between requests would hold close() open until they time out.
server.keepAliveTimeout = 5_000;
// A client that half-closes after sending its body (FIN after the request) still gets its answer: by default Node
// aborts the request on the client's FIN, which loses a response that is still being computed.
server.httpAllowHalfOpen = true;
let draining = false;

server.listen(port, host, () => console.log(`Sentinel listening on http://${host ?? "localhost"}:${port}`));

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
