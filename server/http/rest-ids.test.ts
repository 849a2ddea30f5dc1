// rest()'s `ids` option: a malformed UUID in the path is "not there" (404), like an unknown one, and
// never reaches the database as a query it cannot parse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as deploymentRoute from "@/app/api/v1/deployments/[id]/route";
import * as inferRoute from "@/app/api/v1/infer/[deployment]/route";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";

let t: TestEnv;
let token = "";
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  token = (await createToken(t.db, t.actors.engineer, { name: "ids", scopes: ["deploy:read", "models:read"] })).token;
});
afterAll(async () => {
  await t.close();
});

const get = (id: string) =>
  deploymentRoute.GET(new Request(`http://portal.test/api/v1/deployments/${id}`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({ id }),
  });

describe("path ids", () => {
  it("answers a malformed and an unknown deployment id alike: 404 Deployment", async () => {
    for (const id of ["not-a-uuid", "1234", "00000000-0000-4000-8000-000000000000"]) {
      const res = await get(id);
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/Deployment/);
    }
  });

  it("checks the id after the body, so a bad body still says what is wrong with it", async () => {
    const bad = (body: string) =>
      inferRoute.POST(
        new Request("http://portal.test/api/v1/infer/x", {
          method: "POST",
          body,
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        }),
        { params: Promise.resolve({ deployment: "x" }) },
      );
    expect((await bad("{}")).status).toBe(400);
    expect((await bad(JSON.stringify({ inputs: {} }))).status).toBe(404);
  });
});
