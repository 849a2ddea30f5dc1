// Two delivery workers (two replicas) against one slow receiver: every delivery is sent exactly once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookAttempts, webhookDeliveries } from "@/db/schema";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { addAllowEntry, createTarget, deliverDue, enqueueDelivery } from "./service";
import { DELIVERY_HEADER } from "./sign";

const SLOW_MS = 300;
let t: TestEnv;
let server: http.Server;
let base = "";
const hits = new Map<string, number>();

beforeAll(async () => {
  t = await setupTestEnv();
  server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers[DELIVERY_HEADER.toLowerCase()]);
      hits.set(id, (hits.get(id) ?? 0) + 1);
      // A slow receiver: the answer comes after a while, as from a busy chat service.
      setTimeout(() => res.writeHead(200).end("ok"), SLOW_MS);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await addAllowEntry(t.db, t.actors.admin, { entry: "127.0.0.1", note: "test receiver" });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

describe("webhook delivery across replicas", () => {
  it("two workers sharing the queue send each delivery once, with one attempt recorded each", async () => {
    const { target } = await createTarget(t.db, t.actors.admin, { name: "Slow receiver", url: `${base}/hook`, format: "generic" });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await enqueueDelivery(t.db, { target, alertId: null, event: "alert.firing", payload: { n: i } })).id);
    // A lease shorter than a whole batch of slow sends (as 60 s was against 20 sends of up to 5 s), longer than one send.
    const deps = { leaseMs: 5 * SLOW_MS, timeoutMs: 10_000 };
    const pending = async () => (await t.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.state, "pending"))).length;
    const worker = async () => {
      while ((await pending()) > 0) {
        // A worker with nothing to claim lets the event loop run (on PGlite, queries alone never yield to I/O).
        if (!(await deliverDue(t.db, deps)).length) await new Promise((r) => setImmediate(r));
      }
    };
    await Promise.all([worker(), worker()]);
    expect(ids.map((id) => hits.get(id) ?? 0)).toEqual(ids.map(() => 1));
    const rows = await t.db.select().from(webhookDeliveries);
    expect(rows.map((r) => [r.state, r.attempts])).toEqual(rows.map(() => ["succeeded", 1]));
    expect(await t.db.select().from(webhookAttempts)).toHaveLength(8);
  });
});
