// SIGTERM drains: a second server process (the build global setup made) finishes its in-flight request,
// refuses new connections, closes PGlite and removes its DATA_DIR lock.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../scripts/free-port";

const root = path.resolve(__dirname, "..");

/** Resolves with the first chunk of `socket` data that matches, with everything read so far. */
function readUntil(socket: net.Socket, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (b: Buffer) => {
      seen += b.toString("latin1");
      if (re.test(seen)) {
        socket.off("data", onData);
        resolve(seen);
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("close", () => (re.test(seen) ? resolve(seen) : reject(new Error(`connection closed after: ${JSON.stringify(seen)}`))));
  });
}

test("SIGTERM lets an in-flight request finish, refuses new connections, and removes the lock", async () => {
  test.setTimeout(180_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-drain-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["scripts/serve.mjs"], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOSTNAME_BIND: "127.0.0.1", DATA_DIR: dataDir, DEMO: "0", NEXTAUTH_URL: origin, SHUTDOWN_DRAIN_MS: "30000" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await expect.poll(async () => (await fetch(`${origin}/api/health`).catch(() => null))?.status, { timeout: 120_000 }).toBe(200);
    expect(fs.existsSync(path.join(dataDir, "sentinel.lock"))).toBe(true);

    // A slow client: headers now, body later. The 100-continue answer proves the server has the request.
    const body = JSON.stringify({ json: { slug: "drain-test", name: "Drain test" } });
    const socket = net.connect(port, "127.0.0.1");
    socket.write(
      `POST /api/trpc/registry.createModel HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    );
    await readUntil(socket, /100 Continue/);

    child.kill("SIGTERM");
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/draining [1-9]\d* in-flight request/);
    // No new connections while draining.
    const refused = await new Promise<boolean>((r) => {
      const probe = net.connect(port, "127.0.0.1");
      probe.once("connect", () => (probe.destroy(), r(false)));
      probe.once("error", () => r(true));
    });
    expect(refused).toBe(true);

    // The in-flight request still gets its whole answer (401: nobody is signed in), not a reset.
    const answer = readUntil(socket, /\r\n\r\n[\s\S]*"UNAUTHORIZED"/);
    socket.end(body);
    expect(await answer).toMatch(/^HTTP\/1\.1 401 /);

    expect(await exited).toBe(0);
    expect(fs.existsSync(path.join(dataDir, "sentinel.lock"))).toBe(false);
    expect(out).toContain("closing the database");
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
