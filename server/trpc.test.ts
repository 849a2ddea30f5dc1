import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { listAudit } from "@/server/audit/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createCallerFactory, router, viewerProcedure } from "@/server/trpc";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

// Procedures built from the real role procedures and error middleware; their resolvers call a real
// service with input the procedure let through but the service's own schema refuses.
const probe = router({
  strictService: viewerProcedure.input(z.object({ limit: z.number() })).query(({ ctx, input }) => listAudit(ctx.db, input)),
  crash: viewerProcedure.query(() => {
    throw new Error("db_password=hunter2");
  }),
});

describe("tRPC error mapping", () => {
  it("answers a ZodError thrown inside a service as BAD_REQUEST with its issues", async () => {
    const caller = createCallerFactory(probe)({ db: t.db, actor: t.actors.viewer, requestId: "t" });
    const err = await caller.strictService({ limit: 5000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "BAD_REQUEST" });
    expect(String((err as Error).message)).toMatch(/^limit: /);
  });

  it("answers it over HTTP with status 400 and the zod issues, and still masks other errors", async () => {
    const call = (path: string) =>
      fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: { limit: 5000 } }))}`),
        router: probe,
        createContext: async () => ({ db: t.db, actor: t.actors.viewer, requestId: "t" }),
      });
    const bad = await call("strictService");
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { json: { data: { code: string; zodIssues: { path: string[] }[] } } } };
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(body.error.json.data.zodIssues[0].path).toEqual(["limit"]);

    const crash = await call("crash");
    expect(crash.status).toBe(500);
    expect(await crash.text()).not.toContain("hunter2");
  });
});
