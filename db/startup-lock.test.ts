// Two replicas starting together on one empty PostgreSQL database: migrations and the demo seed take turns.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { count } from "drizzle-orm";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { LocalArtifactStore } from "@/server/artifacts/local";
import { openDatabase } from "./client";
import { models, users } from "./schema";
import { seedDemo } from "./seed";
import { testDriver } from "./test-db";

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe.runIf(testDriver === "postgres")("start-up on PostgreSQL", () => {
  it("two replicas migrating and seeding one fresh database at once both start, with one copy of the demo data", { timeout: 240_000 }, async () => {
    const name = `sentinel_start_${randomBytes(6).toString("hex")}`;
    await admin(`create database ${name}`);
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = `/${name}`;
    const roots = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-start-")));
    try {
      const replicas = await Promise.allSettled(
        roots.map((root) => openDatabase({ url: url.toString(), prepare: (db) => seedDemo(db, new LocalArtifactStore(root), { password: "sentinel-demo" }) })),
      );
      const opened = replicas.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
      try {
        expect(replicas.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok"]);
        const [{ n }] = await opened[0].db.select({ n: count() }).from(models);
        expect(n).toBeGreaterThan(0);
        const [{ n: people }] = await opened[1].db.select({ n: count() }).from(users);
        expect(people).toBeGreaterThan(0);
      } finally {
        for (const d of opened) await d.close();
      }
    } finally {
      await admin(`drop database if exists ${name} with (force)`);
      for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
    }
  });
});
