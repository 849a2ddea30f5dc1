import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { codeOf, setupTestEnv, type TestEnv } from "@/server/test-utils";
import { bestRunbook } from "./match";
import { matchRunbook } from "./service";

let t: TestEnv;
beforeAll(async () => {
  t = await setupTestEnv();
});
afterAll(async () => {
  await t.close();
});

const links = { alertKinds: ["slo"], rulePrefixes: ["slo:"], models: [], services: ["cloud serving"] };

describe("runbooks", () => {
  it("saves each edit as a new version with its author, keeps history, and diffs two versions by line", async () => {
    const eng = t.caller("engineer");
    const admin = t.caller("admin");
    const a = await eng.runbooks.save({ title: "Latency burn", body: "one\ntwo\nthree", links });
    expect(a.version).toBe(1);
    const b = await admin.runbooks.save({ id: a.id, baseVersion: 1, title: "Latency burn", body: "one\n2\nthree\nfour", links, message: "numbers" });
    expect(b.version).toBe(2);
    // Saving the same content again is not a new version.
    expect((await admin.runbooks.save({ id: a.id, baseVersion: 2, title: "Latency burn", body: "one\n2\nthree\nfour", links })).changed).toBe(false);
    const doc = await t.caller("viewer").runbooks.get({ id: a.id });
    expect(doc.history.map((h) => [h.number, h.author, h.message])).toEqual([
      [2, "admin@test.local", "numbers"],
      [1, "engineer@test.local", "First version"],
    ]);
    expect((await t.caller("viewer").runbooks.get({ id: a.id, version: 1 })).body).toBe("one\ntwo\nthree");
    const d = await t.caller("viewer").runbooks.diff({ id: a.id, from: 1, to: 2 });
    expect(d.lines.filter((l) => l.op !== "same").map((l) => `${l.op}:${l.text}`)).toEqual(["del:two", "add:2", "add:four"]);
    expect([d.added, d.removed]).toEqual([2, 1]);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.entityId, a.id));
    expect(audit.map((r) => r.action).sort()).toEqual(["runbook.create", "runbook.update"]);
  });

  it("refuses a save over a newer version, unknown directives, and viewers", async () => {
    const eng = t.caller("engineer");
    const a = await eng.runbooks.save({ title: "Freshness", body: "x", links });
    await eng.runbooks.save({ id: a.id, baseVersion: 1, title: "Freshness", body: "y", links });
    expect(await codeOf(eng.runbooks.save({ id: a.id, baseVersion: 1, title: "Freshness", body: "z", links }))).toBe("CONFLICT");
    expect(await codeOf(eng.runbooks.save({ id: a.id, title: "Freshness", body: "::action{drop-table}", links }))).toBe("BAD_REQUEST");
    expect(await codeOf(t.caller("viewer").runbooks.save({ title: "Nope", body: "x", links }))).toBe("FORBIDDEN");
    expect((await t.caller("viewer").runbooks.get({ id: a.id })).latest).toBe(2);
    expect(
      await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, a.id), eq(auditLog.action, "runbook.update"))),
    ).toHaveLength(1);
  });

  it("matches the most specific runbook: rule prefix over model over alert kind", async () => {
    const eng = t.caller("engineer");
    await eng.runbooks.save({ title: "Model one", body: "m", links: { alertKinds: [], rulePrefixes: [], models: ["fcw"], services: [] } });
    await eng.runbooks.save({ title: "Rule one", body: "r", links: { alertKinds: [], rulePrefixes: ["drift:abc"], models: [], services: [] } });
    expect((await matchRunbook(t.db, { model: "fcw", alertKind: "drift", ruleKey: "drift:abc" }))?.title).toBe("Rule one");
    expect((await matchRunbook(t.db, { model: "fcw", alertKind: "drift", ruleKey: "drift:zzz" }))?.title).toBe("Model one");
    // The slo: prefix of the earlier runbooks beats the model link.
    expect((await matchRunbook(t.db, { model: "fcw", alertKind: "slo", ruleKey: "slo:1" }))?.title).not.toBe("Model one");
    expect(await matchRunbook(t.db, { model: "other", alertKind: "drift", ruleKey: "drift:zzz" })).toBeNull();
    const now = new Date();
    expect(bestRunbook([{ links: { ...links, alertKinds: ["x"] }, updatedAt: now }], { model: null, alertKind: null, ruleKey: null })).toBeNull();
  });
});
