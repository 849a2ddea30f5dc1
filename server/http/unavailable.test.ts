// A database that hangs or is down: every door answers 503 with Retry-After, quickly, instead of hanging or 500.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as healthRoute from "@/app/api/health/route";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import * as experimentsRoute from "@/app/api/v1/experiments/route";
import { openDatabase } from "@/db/client";
import { closeDatabase, provideDatabase } from "@/server/db";
import { env } from "@/server/env";
import { isDatabaseUnavailable } from "@/server/errors";

let silent: net.Server;
const sockets = new Set<net.Socket>();
let hangingUrl = "";
let closedUrl = "";

beforeAll(async () => {
  // Accepts TCP connections and never says a word: a partitioned or stopped (SIGSTOP) database.
  silent = net.createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
  hangingUrl = `postgres://sentinel@127.0.0.1:${(silent.address() as net.AddressInfo).port}/sentinel`;
  // A port that was just free: nothing listens, connections are refused.
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedUrl = `postgres://sentinel@127.0.0.1:${(probe.address() as net.AddressInfo).port}/sentinel`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => silent.close(() => r()));
  await closeDatabase().catch(() => {});
});

const open = (url: string) => openDatabase({ url, pool: { connectTimeoutMs: 400, statementTimeoutMs: 500 } });
const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
const bearer = new Request("http://portal.test/api/v1/experiments", { headers: { authorization: "Bearer snt_whatever_token_value" } });

async function timed<T>(p: Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const v = await p;
  return [v, performance.now() - started];
}

describe("database unavailable", () => {
  it("opening a database that never answers gives up after the connect timeout, as unavailable", async () => {
    const [err, ms] = await timed(
      open(hangingUrl).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(ms).toBeLessThan(3_000);
  });

  for (const [name, url] of [
    ["hangs", () => hangingUrl],
    ["is down", () => closedUrl],
  ] as const) {
    it(`REST answers 503 with Retry-After when the database ${name}`, async () => {
      provideDatabase(open(url()));
      const [res, ms] = await timed(experimentsRoute.GET(bearer.clone(), ctx()));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(((await res.json()) as { code: string }).code).toBe("UNAVAILABLE");
      expect(ms).toBeLessThan(3_000);
    });

    it(`tRPC answers 503 with Retry-After when the database ${name}`, async () => {
      provideDatabase(open(url()));
      const [res, ms] = await timed(trpcRoute.GET(new Request("http://portal.test/api/trpc/registry.list?input=%7B%7D")));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(ms).toBeLessThan(3_000);
    });
  }

  it("health answers 503 within its own deadline while the database hangs longer", async () => {
    // A connect timeout far beyond the health deadline: health must not wait for it.
    provideDatabase(openDatabase({ url: hangingUrl, pool: { connectTimeoutMs: 20_000 } }));
    const [res, ms] = await timed(healthRoute.GET());
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(ms).toBeLessThan(env.HEALTH_TIMEOUT_MS + 1_000);
  });
});
