// The safety sign-off as a promotion gate, on the demo's own story: FCW v2 signed off and in production, v3 in a 5%
// canary without a sign-off. Promotion and steps past the canary limit are held; overrides, withdrawals and a race.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { auditLog, notifications, safetySignOffs } from "@/db/schema";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { gatesInTheWay } from "@/server/deployments/policy";
import { getDeployment, heldForSignOff, listDeployments, promote, stepRollout, withdrawApproval } from "@/server/deployments/service";
import { listSignOffs, releaseReview, shippedWithoutSignOff, signOff, withdrawSignOff } from "@/server/safety/service";
import { DEMO_REVIEWER } from "./signoff-story";

let database: Database;
const FCW = "forward-collision-warning";
let admin: Actor;
let engineer: Actor;
let reviewer: Actor;
let fcwCanary: string;

const actorOf = async (email: string): Promise<Actor> => {
  const u = (await findUserByEmail(database.db, email))!;
  return { userId: u.id, email: u.email, role: u.role, requestId: "test" };
};

beforeAll(async () => {
  database = await createSeededTestDatabase();
  [admin, engineer, reviewer] = await Promise.all([actorOf("admin@example.com"), actorOf("engineer@example.com"), actorOf(DEMO_REVIEWER.email)]);
  fcwCanary = (await listDeployments(database.db)).find((d) => d.model.slug === FCW && d.target.name === "EU-dashcam-v3")!.id;
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
}, SEED_HOOK_MS);

/** A sign-off by the demo reviewer of what the review shows now. */
async function signOffNow(version: number, decision: "approve" | "reject" = "approve") {
  const review = await releaseReview(database.db, { slug: FCW, candidate: version });
  return signOff(database.db, reviewer, {
    slug: FCW,
    version,
    decision,
    comment: "Checked the night slice again (test)",
    seen: { candidateEvaluationId: review.candidate.evaluationId!, productionEvaluationId: review.production?.evaluationId ?? null },
  });
}

describe("the demo's sign-off story", () => {
  it("v2 is signed off by the demo reviewer; v3 is not, and its review shows the regressed night slice", async () => {
    const v2 = await listSignOffs(database.db, FCW, 2);
    expect(v2[0]).toMatchObject({ decision: "approve", reviewer: DEMO_REVIEWER.email, withdrawn: null });
    expect(await listSignOffs(database.db, FCW, 3)).toEqual([]);
    const review = await releaseReview(database.db, { slug: FCW, candidate: 3 });
    expect(review.regressions.some((r) => r.value.includes("night"))).toBe(true);
  });

  it("the deployment page's gates for v3 label sign-off apart from four-eyes approval, and the sign-off fails with a link to the review", async () => {
    const d = await getDeployment(database.db, { id: fcwCanary });
    expect(d.policy.state).toMatchObject({ state: "canary", candidate: 3 });
    const approval = d.gates!.find((g) => g.key === "approval")!;
    const gate = d.gates!.find((g) => g.key === "signoff")!;
    expect(approval).toMatchObject({ label: "Four-eyes approval", state: "pass" });
    expect(gate).toMatchObject({
      label: "Safety sign-off",
      state: "fail",
      reason: expect.stringMatching(/no safety reviewer has signed it off; needed before promotion, or a canary past 5%/),
    });
    expect(gate.evidence.href).toBe(`/safety/review/${FCW}?candidate=3`);
    // The buttons' rule and the server's agree: the next step (25%) is held.
    expect(gatesInTheWay(d.policy, { kind: "advance" }).map((g) => g.key)).toEqual(["signoff"]);
    expect(await heldForSignOff(database.db, fcwCanary)).toMatch(/Safety|safety/);
  });

  it("the approval that started the canary was used by it and cannot be withdrawn", async () => {
    await expect(withdrawApproval(database.db, admin, { deploymentId: fcwCanary, version: 3, reason: "changed my mind" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });
});

describe("the gate holds", () => {
  it("refuses promotion and a step past 5% without a sign-off, in words", async () => {
    const d = await getDeployment(database.db, { id: fcwCanary });
    await expect(
      stepRollout(database.db, admin, "advance", { deploymentId: fcwCanary, revision: d.revision, idempotencyKey: "test-advance-held-1" }),
    ).rejects.toThrow(/Safety sign-off: v3 is safety-relevant/);
    await expect(
      promote(database.db, admin, { deploymentId: fcwCanary, version: 3, revision: d.revision, idempotencyKey: "test-promote-held-1" }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((await getDeployment(database.db, { id: fcwCanary })).revision).toBe(d.revision);
  });

  it("a withdrawn sign-off is in force for nothing; only its reviewer or an admin may withdraw it; the audit log has it", async () => {
    const s = await signOffNow(3);
    expect((await getDeployment(database.db, { id: fcwCanary })).gates!.find((g) => g.key === "signoff")!.state).toBe("pass");
    await expect(withdrawSignOff(database.db, engineer, { slug: FCW, version: 3, signOffId: s.id, reason: "not mine" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const w = await withdrawSignOff(database.db, reviewer, { slug: FCW, version: 3, signOffId: s.id, reason: "The night numbers need another look" });
    expect(w.withdrawn).toMatchObject({ by: DEMO_REVIEWER.email });
    const gate = (await getDeployment(database.db, { id: fcwCanary })).gates!.find((g) => g.key === "signoff")!;
    expect(gate).toMatchObject({ state: "fail", reason: expect.stringMatching(/withdrew the sign-off/) });
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "signoff.withdraw"), eq(auditLog.entityId, `${FCW}/3`)));
    expect(audit).toHaveLength(1);
    await expect(withdrawSignOff(database.db, reviewer, { slug: FCW, version: 3, signOffId: s.id, reason: "again" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });

  it("a withdrawal racing a step forward: one of them wins, never both", async () => {
    const s = await signOffNow(3);
    const d = await getDeployment(database.db, { id: fcwCanary });
    const [step, withdraw] = await Promise.allSettled([
      stepRollout(database.db, admin, "advance", { deploymentId: fcwCanary, revision: d.revision, idempotencyKey: "test-race-advance-1" }),
      withdrawSignOff(database.db, reviewer, { slug: FCW, version: 3, signOffId: s.id, reason: "Racing the promotion" }),
    ]);
    expect([step.status, withdraw.status].filter((x) => x === "fulfilled")).toHaveLength(1);
    const [row] = await database.db.select().from(safetySignOffs).where(eq(safetySignOffs.id, s.id));
    if (step.status === "fulfilled") {
      expect(row.usedAt).not.toBeNull();
      expect(row.withdrawnAt).toBeNull();
    } else {
      expect(row.usedAt).toBeNull();
      expect(row.withdrawnAt).not.toBeNull();
      // Leave the rollout where the other branch does, for the tests that follow.
      await signOffNow(3);
      const again = await getDeployment(database.db, { id: fcwCanary });
      await stepRollout(database.db, admin, "advance", { deploymentId: fcwCanary, revision: again.revision, idempotencyKey: "test-race-advance-2" });
    }
    expect((await getDeployment(database.db, { id: fcwCanary })).percent).toBe(25);
    expect(await shippedWithoutSignOff(database.db, { slug: FCW, version: 3 })).toEqual([]);
  });

  it("an admin override past a missing sign-off needs a reason, shows as shipped without sign-off, and tells the reviewers", async () => {
    const used = (await listSignOffs(database.db, FCW, 3)).find((s) => s.usedAt !== null)!;
    // A used sign-off stays on record; a reject supersedes it and the gate fails again.
    await expect(withdrawSignOff(database.db, reviewer, { slug: FCW, version: 3, signOffId: used.id, reason: "too late" })).rejects.toThrow(
      /already went ahead/,
    );
    await signOffNow(3, "reject");
    const d = await getDeployment(database.db, { id: fcwCanary });
    await expect(
      promote(database.db, admin, {
        deploymentId: fcwCanary,
        version: 3,
        revision: d.revision,
        idempotencyKey: "test-promote-override-0",
        override: { reason: "short" },
      }),
    ).rejects.toThrow(/at least 10 characters/);
    const reason = "Regulator deadline; night slice retrain ships next week (test)";
    await stepRollout(database.db, admin, "advance", {
      deploymentId: fcwCanary,
      revision: d.revision,
      idempotencyKey: "test-advance-override-1",
      override: { reason },
    });
    const shipped = await shippedWithoutSignOff(database.db, { slug: FCW, version: 3 });
    expect(shipped).toHaveLength(1);
    expect(shipped[0]).toMatchObject({ by: admin.email, reason, target: "EU-dashcam-v3" });
    const told = await database.db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, reviewer.userId), eq(notifications.kind, "signoff.overridden")));
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ href: `/safety/review/${FCW}?candidate=3`, title: expect.stringMatching(/v3 shipped without safety sign-off/) });
  });
});
