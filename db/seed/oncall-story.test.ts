// The demo's on-call story joins up: the FCW canary alert, the deployment it names, the devices' reports and the
// engineer on call agree (only the seed areas the story needs, so it runs in reasonable time).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { ArtifactStore } from "@/server/artifacts/store";
import { findUserByEmail } from "@/server/auth/users";
import { allowedActions } from "@/server/deployments/policy";
import { firingNow } from "@/server/home/oncall";
import { seedDeployments } from "./deployments";
import { seedIdentity } from "./identity";
import { seedIncidents } from "./incidents";
import { seedRegistry } from "./registry";

let database: Database;
const root = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-story-"));

beforeAll(async () => {
  database = await createTestDatabase();
  await seedIdentity(database.db, "sentinel-demo");
  await seedRegistry(database.db, new ArtifactStore(root));
  await seedDeployments(database.db);
  await seedIncidents(database.db);
}, 300_000);
afterAll(async () => {
  await database.close();
  fs.rmSync(root, { recursive: true, force: true });
}, SEED_HOOK_MS);

describe("the demo on-call story", () => {
  it("the FCW canary alert fires at page severity and names the EU-dashcam-v3 canary of v3, with v2 to go back to", async () => {
    const [top] = await firingNow(database.db);
    expect(top.alert).toMatchObject({ severity: "page", model: "forward-collision-warning", subject: "forward-collision-warning/v3/brightness@canary" });
    expect(top.incident).toBeNull();
    const d = top.deployment!;
    expect(d.target.name).toBe("EU-dashcam-v3");
    expect(d.policy.state).toMatchObject({ state: "canary", stable: 2, candidate: 3 });
    expect(d.policy.rollbackTo).toBe(2);
  });

  it("the devices that report running v3 are about 5% of the fleet, not the whole fleet", async () => {
    const d = (await firingNow(database.db))[0].deployment!;
    const r = d.effectTarget.reported!;
    expect(r.version).toBe(3);
    expect(d.effectTarget.devices).toBe(4812);
    expect(r.running).toBeGreaterThan(150);
    expect(r.running).toBeLessThan(350);
    expect(r.pending).toBeGreaterThan(0);
    expect(r.unreported).toBeGreaterThan(0);
  });

  it("engineer@example.com is on call this week for the team that owns FCW, and may roll back with a reason", async () => {
    const d = (await firingNow(database.db))[0].deployment!;
    const engineer = (await findUserByEmail(database.db, "engineer@example.com"))!;
    expect(d.policy.onCall.map((o) => o.email)).toEqual(["engineer@example.com"]);
    const [rollback] = allowedActions({ userId: engineer.id, role: "engineer" }, d.policy, { only: ["rollback"] });
    expect(rollback.action).toEqual({ kind: "rollback", version: 2 });
    expect(rollback.decision).toMatchObject({ allowed: true, needsReason: true, as: "on-call" });
  });
});
