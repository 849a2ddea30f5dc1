// The catalog through the tRPC door on the real database: who may change an entry, what is validated and audited.
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, catalogEntities, oncallRotations, slos, teams } from "@/db/schema";
import type { TCatalogUpdate } from "@/server/catalog/schemas";
import { createModel } from "@/server/registry/service";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
const entry = (over: Partial<TCatalogUpdate> = {}): TCatalogUpdate => ({
  kind: "model",
  name: "cat-vision",
  owner: "vision",
  rotation: "Vision on-call",
  links: [{ title: "Repository", url: "https://git.example.com/vision" }],
  lifecycle: "experimental",
  dependencies: [{ runtime: "onnxruntime 1.20" }],
  ...over,
});
const audits = async () => (await t.db.select({ n: count() }).from(auditLog).where(eq(auditLog.entityType, "catalog_entity")))[0].n;
const stored = async (name: string) =>
  (
    await t.db
      .select()
      .from(catalogEntities)
      .where(and(eq(catalogEntities.kind, "model"), eq(catalogEntities.name, name)))
  )[0];

beforeAll(async () => {
  t = await setupTestEnv();
  await t.db.insert(teams).values([
    { slug: "vision", name: "Vision" },
    { slug: "speech", name: "Speech" },
  ]);
  // The engineer is in the vision rotation only; the admin is in neither.
  await t.db.insert(oncallRotations).values([
    { name: "Vision on-call", service: "vision", members: [t.actors.engineer.userId], startsAt: new Date("2026-01-05T00:00:00Z") },
    { name: "Speech on-call", service: "speech", members: [t.actors.admin.userId], startsAt: new Date("2026-01-05T00:00:00Z") },
  ]);
  for (const slug of ["cat-vision", "cat-speech", "cat-loose"])
    await createModel(t.db, t.actors.admin, { slug, name: slug, team: slug === "cat-speech" ? "speech" : "vision", task: "detection" });
  // An admin puts the first entries in place (an engineer belongs to no team until an entry's rotation lists them).
  await t.caller("admin").catalog.update(entry());
  await t.caller("admin").catalog.update(entry({ name: "cat-speech", owner: "speech", rotation: "Speech on-call" }));
});
afterAll(async () => {
  await t.close();
});

describe("catalog updates", () => {
  it("lets an engineer of the owning team change the entry, with one audit row holding before and after", async () => {
    const before = await audits();
    const r = await t.caller("engineer").catalog.update(entry({ lifecycle: "production" }));
    expect(r.change).toEqual({ kind: "model", name: "cat-vision", action: "updated", fields: ["lifecycle"] });
    expect((await stored("cat-vision")).lifecycle).toBe("production");
    expect(await audits()).toBe(before + 1);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, "catalog.update")).orderBy(auditLog.id);
    expect(row).toMatchObject({ entityId: "model/cat-vision", before: { lifecycle: "experimental" }, after: { lifecycle: "production" } });
  });

  it("writes nothing when nothing changes", async () => {
    const before = await audits();
    const r = await t.caller("engineer").catalog.update(entry({ lifecycle: "production" }));
    expect(r.change.action).toBe("unchanged");
    expect(await audits()).toBe(before);
  });

  it("refuses an engineer changing another team's entry, or taking an entry for a team they are not in", async () => {
    const before = await stored("cat-speech");
    expect(await codeOf(t.caller("engineer").catalog.update(entry({ name: "cat-speech", owner: "vision", rotation: "Vision on-call" })))).toBe("FORBIDDEN");
    expect(await codeOf(t.caller("engineer").catalog.update(entry({ name: "cat-vision", owner: "speech" })))).toBe("FORBIDDEN");
    expect(await codeOf(t.caller("engineer").catalog.update(entry({ name: "cat-loose", owner: "speech", rotation: null })))).toBe("FORBIDDEN");
    expect(await stored("cat-speech")).toEqual(before);
    expect((await stored("cat-vision")).ownerTeamId).not.toBe(before.ownerTeamId);
  });

  it("lets an engineer catalogue an unowned model for their own team; a viewer changes nothing", async () => {
    expect(await codeOf(t.caller("viewer").catalog.update(entry({ name: "cat-loose" })))).toBe("FORBIDDEN");
    const r = await t.caller("engineer").catalog.update(entry({ name: "cat-loose", rotation: null }));
    expect(r.change.action).toBe("created");
    expect(r.entry.owner?.slug).toBe("vision");
  });

  it("refuses links that are not http(s), unknown owners and rotations, and missing dependencies, changing nothing", async () => {
    const before = await stored("cat-vision");
    const n = await audits();
    expect(await codeOf(t.caller("admin").catalog.update(entry({ links: [{ title: "x", url: "javascript:alert(1)" }] })))).toBe("BAD_REQUEST");
    expect(await codeOf(t.caller("admin").catalog.update(entry({ links: [{ title: "x".repeat(81), url: "https://a.example" }] })))).toBe("BAD_REQUEST");
    await expect(t.caller("admin").catalog.update(entry({ owner: "nobody" }))).rejects.toThrow(/Unknown owner team "nobody".*known teams: .*vision/);
    await expect(t.caller("admin").catalog.update(entry({ rotation: "Night shift" }))).rejects.toThrow(/Unknown on-call rotation "Night shift"/);
    await expect(t.caller("admin").catalog.update(entry({ dependencies: [{ kind: "dataset", name: "missing-set" }] }))).rejects.toThrow(
      /depends on dataset\/missing-set, which does not exist/,
    );
    expect(await codeOf(t.caller("admin").catalog.update(entry({ name: "not-a-model" })))).toBe("NOT_FOUND");
    expect(await stored("cat-vision")).toEqual(before);
    expect(await audits()).toBe(n);
  });
});

describe("catalog list", () => {
  it("lists a registered model with no catalog entry as failing the owner check, and filters by failing check", async () => {
    await createModel(t.db, t.actors.admin, { slug: "cat-orphan", name: "Orphan", team: "vision", task: "detection" });
    const all = await t.caller("viewer").catalog.list({ kind: "model" });
    const orphan = all.entries.find((e) => e.name === "cat-orphan")!;
    expect(orphan).toMatchObject({ catalogued: false, owner: null, scorecard: { total: 6 } });
    const noOwner = await t.caller("viewer").catalog.list({ failing: "owner" });
    expect(noOwner.entries.map((e) => e.name)).toEqual(["cat-orphan"]);
    const [vision] = await t.db.select().from(catalogEntities).where(eq(catalogEntities.name, "cat-vision"));
    await t.db.insert(slos).values({ modelId: vision.refId, target: "device", kind: "availability", objective: 0.99 });
    const noSlo = (await t.caller("viewer").catalog.list({ failing: "slo" })).entries.map((e) => e.name);
    expect(noSlo).not.toContain("cat-vision");
    expect(noSlo).toContain("cat-speech");
    expect((await t.caller("viewer").catalog.list({ owner: "speech" })).entries.map((e) => e.name)).toEqual(["cat-speech"]);
  });

  it("shows a team page with its entries and on-call rotation, and 404s an unknown team", async () => {
    const page = await t.caller("viewer").catalog.team({ slug: "vision" });
    expect(page.entries.map((e) => e.name).sort()).toEqual(["cat-loose", "cat-vision"]);
    expect(page.oncall.map((r) => r.rotation)).toEqual(["Vision on-call"]);
    expect(page.slos).toHaveLength(1);
    expect(await codeOf(t.caller("viewer").catalog.team({ slug: "nobody" }))).toBe("NOT_FOUND");
  });
});
