// An alert with no explicit route (no runbook naming a service) pages the owning team's rotation from the catalog,
// not every rotation.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alerts, incidents, oncallRotations, teams } from "@/db/schema";
import { rotationsFor, type OnCallNow } from "@/server/incidents/oncall";
import { declareIncidentFromAlert } from "@/server/incidents/service";
import { createModel } from "@/server/registry/service";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";

let t: TestEnv;
const monday = new Date("2026-01-05T00:00:00Z");

beforeAll(async () => {
  t = await setupTestEnv();
  await t.db.insert(teams).values({ slug: "road", name: "Road" });
  // "Alpha" sorts first, so paging every rotation would hand command to its admin.
  await t.db.insert(oncallRotations).values([
    { name: "Alpha on-call", service: "alpha", members: [t.actors.admin.userId], startsAt: monday },
    { name: "Road on-call", service: "road services", members: [t.actors.engineer.userId], startsAt: monday },
  ]);
  await createModel(t.db, t.actors.admin, { slug: "road-model", name: "Road model", team: "road", task: "detection" });
  await t
    .caller("admin")
    .catalog.update({ kind: "model", name: "road-model", owner: "road", rotation: "Road on-call", links: [], lifecycle: "production", dependencies: [] });
});
afterAll(async () => {
  await t.close();
});

const row = (rotationId: string, service: string): OnCallNow => ({
  rotationId,
  rotation: rotationId,
  service,
  userId: `u-${rotationId}`,
  email: null,
  name: null,
  override: false,
  until: null,
});

describe("alert routing", () => {
  it("prefers the runbook's services, then the owning team's rotation, then every rotation", () => {
    const all = [row("a", "alpha"), row("b", "beta")];
    expect(rotationsFor(all, ["beta"], "a").map((r) => r.rotationId)).toEqual(["b"]);
    expect(rotationsFor(all, [], "b").map((r) => r.rotationId)).toEqual(["b"]);
    expect(rotationsFor(all, [], null).map((r) => r.rotationId)).toEqual(["a", "b"]);
    expect(rotationsFor(all, [], "gone").map((r) => r.rotationId)).toEqual(["a", "b"]);
  });

  it("hands a system-declared incident to whoever is on call in the model's catalog rotation", async () => {
    const [model] = await t.db.select().from(teams).where(eq(teams.slug, "road"));
    expect(model).toBeTruthy();
    const now = new Date();
    const [alert] = await t.db
      .insert(alerts)
      .values({
        ruleKey: "threshold:road",
        subject: "road-model/latency",
        kind: "threshold",
        severity: "page",
        modelId: (await t.caller("viewer").catalog.get({ kind: "model", name: "road-model" })).refId,
        title: "Road model latency",
        state: "firing",
        startedAt: now,
        firingAt: now,
        lastEvaluatedAt: now,
      })
      .returning();
    const incident = await declareIncidentFromAlert(t.db, alert.id, null, { now });
    const [stored] = await t.db.select().from(incidents).where(eq(incidents.id, incident.id));
    expect(stored.commanderId).toBe(t.actors.engineer.userId);
  });
});
