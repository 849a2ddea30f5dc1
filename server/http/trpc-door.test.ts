// The tRPC endpoint's own limits, through its route handler: streamed bytes and batch size.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as trpcRoute from "@/app/api/trpc/[trpc]/route";
import { env } from "@/server/env";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { TRPC_MAX_BATCH } from "@/lib/limits";

// next-auth reads the cookie through Next's request scope, which a bare route-handler call lacks;
// these requests carry no cookie, so the session lookup is "nobody", as it would be in Next.
vi.mock("@/server/auth/session", () => ({ getSessionActor: async () => null }));

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
});
afterAll(async () => {
  await t.close();
});

/** A chunked body (no Content-Length) of `total` bytes of JSON, counting how much the server pulled. */
function chunkedJson(total: number) {
  const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
  let sent = 0;
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(new TextEncoder().encode('{"name":"'));
        sent = 1;
      }
      if (counter.pulled >= total) {
        controller.enqueue(new TextEncoder().encode('","scopes":["runs:read"]}'));
        controller.close();
        return;
      }
      counter.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return { stream, counter };
}

describe("tRPC door limits", () => {
  it("refuses a chunked 9 MiB body with 413 without reading it all", async () => {
    const { stream, counter } = chunkedJson(9 * 1024 * 1024);
    const req = new Request("http://portal.test/api/trpc/tokens.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    const res = await trpcRoute.POST(req);
    expect(res.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(env.MAX_BODY_BYTES + 2 * 64 * 1024);
  });

  it(`refuses a batch of more than ${TRPC_MAX_BATCH} procedures with a 400 naming the limit`, async () => {
    const paths = Array.from({ length: 200 }, () => "tokens.mine").join(",");
    const input = encodeURIComponent(JSON.stringify({}));
    const res = await trpcRoute.GET(new Request(`http://portal.test/api/trpc/${paths}?batch=1&input=${input}`));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(`at most ${TRPC_MAX_BATCH}`);
  });

  it("still answers a batch within the limit", async () => {
    const paths = Array.from({ length: TRPC_MAX_BATCH }, () => "tokens.mine").join(",");
    const res = await trpcRoute.GET(new Request(`http://portal.test/api/trpc/${paths}?batch=1&input=${encodeURIComponent("{}")}`));
    // Anonymous: every call is refused, but the batch itself is served.
    expect(res.status).toBe(401);
    expect(await res.json()).toHaveLength(TRPC_MAX_BATCH);
  });
});
