// The health endpoint load balancers and the e2e setup poll.
import { expect, test } from "./fixtures";

test("GET /api/health answers 200 with the database up", async ({ anonApi }) => {
  const res = await anonApi.get("/api/health");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("application/json");
  const body = await res.json();
  expect(body).toMatchObject({ status: "ok", database: { status: "up" } });
});
