import { describe, expect, it } from "vitest";
import type { Role } from "@/server/auth/roles";
import {
  allowedActions,
  canApproveRelease,
  canChangeDeployment,
  canCreateTarget,
  canDeployTo,
  canOverrideGates,
  gatesInTheWay,
  lastStableVersion,
  type PolicyContext,
} from "./policy";
import type { Action } from "./state-machine";

const ONCALL = "u-oncall";
const COMMANDER = "u-commander";
const OTHER = "u-other";
const canary: PolicyContext = {
  environment: { name: "Production", protected: true },
  state: { state: "canary", stable: 2, candidate: 3, step: 1, plan: [1, 5, 25, 100] },
  rollbackTo: 2,
  gateVersion: 3,
  failingGates: [],
  canaryMaxPercent: 5,
  onCall: [{ userId: ONCALL, email: "oncall@example.com" }],
  commanders: [COMMANDER],
};
const as = (userId: string, role: Role) => ({ userId, role });

// [who, action, allowed, needsReason]
const table: [string, Role, Action, boolean, boolean][] = [
  [OTHER, "admin", { kind: "rollback", version: 2 }, true, false],
  [OTHER, "admin", { kind: "advance" }, true, false],
  [ONCALL, "engineer", { kind: "rollback", version: 2 }, true, true],
  [ONCALL, "engineer", { kind: "pause" }, true, true],
  [ONCALL, "engineer", { kind: "abort" }, true, true],
  [ONCALL, "engineer", { kind: "advance" }, false, false],
  [ONCALL, "engineer", { kind: "rollback", version: 1 }, false, false],
  [COMMANDER, "engineer", { kind: "rollback", version: 2 }, true, true],
  [COMMANDER, "engineer", { kind: "advance" }, false, false],
  [OTHER, "engineer", { kind: "rollback", version: 2 }, false, false],
  [OTHER, "engineer", { kind: "pause" }, false, false],
  [ONCALL, "viewer", { kind: "rollback", version: 2 }, false, false],
];

describe("canChangeDeployment on a protected environment with a canary in flight", () => {
  it.each(table)("%s as %s: %j → allowed %s, reason needed %s", (userId, role, action, allowed, needsReason) => {
    const d = canChangeDeployment(as(userId, role), canary, action);
    expect(d.allowed).toBe(allowed);
    expect(d.needsReason).toBe(needsReason);
    expect(d.reason.length).toBeGreaterThan(5);
  });

  it("says who is on call when it refuses an engineer", () => {
    expect(canChangeDeployment(as(OTHER, "engineer"), canary, { kind: "rollback", version: 2 }).reason).toMatch(/oncall@example\.com/);
  });

  it("refuses what the state machine refuses, for everyone", () => {
    const d = canChangeDeployment(as(OTHER, "admin"), canary, { kind: "resume" });
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/not paused/);
  });

  it("the rollout analysis (no actor) follows its plan", () => {
    expect(canChangeDeployment(null, canary, { kind: "advance" }).allowed).toBe(true);
  });
});

describe("unprotected environments", () => {
  const staging = { ...canary, environment: { name: "Staging", protected: false }, onCall: [], commanders: [] };
  it("engineers change anything the state allows, without a reason", () => {
    for (const a of allowedActions(as(OTHER, "engineer"), staging)) expect(a.decision).toMatchObject({ allowed: true, needsReason: false });
  });
  it("viewers change nothing", () => {
    expect(allowedActions(as(OTHER, "viewer"), staging).every((a) => !a.decision.allowed)).toBe(true);
  });
});

describe("allowedActions", () => {
  it("offers the buttons of the state, rollback first", () => {
    expect(allowedActions(as(ONCALL, "engineer"), canary).map((a) => [a.action.kind, a.decision.allowed])).toEqual([
      ["rollback", true],
      ["advance", false],
      ["pause", true],
      ["abort", true],
    ]);
  });
  it("idle with a newer version: canary and promote, admin only in production, override reason when gates fail", () => {
    const idle: PolicyContext = {
      ...canary,
      state: { ...canary.state, state: "idle", candidate: null, step: 0 },
      rollbackTo: 1,
      failingGates: [
        { key: "integrity", label: "Integrity", reason: "no bytes" },
        { key: "evaluation", label: "Evaluation thresholds", reason: "recall dropped" },
      ],
    };
    const admin = allowedActions(as(OTHER, "admin"), idle);
    expect(admin.map((a) => a.action.kind)).toEqual(["rollback", "canary.start", "promote"]);
    expect(admin.find((a) => a.action.kind === "promote")?.decision.needsReason).toBe(true);
    expect(allowedActions(as(ONCALL, "engineer"), idle).find((a) => a.action.kind === "promote")?.decision.allowed).toBe(false);
    expect(allowedActions(as(ONCALL, "engineer"), idle, { only: ["rollback"] })).toHaveLength(1);
  });
});

describe("gatesInTheWay: the safety sign-off holds a canary at its limit and blocks promotion", () => {
  const signOff = { key: "signoff" as const, label: "Safety sign-off", reason: "v3 has no sign-off" };
  const idle: PolicyContext = { ...canary, state: { ...canary.state, state: "idle", candidate: null, step: 0 }, failingGates: [signOff] };
  it("promotion needs it", () => expect(gatesInTheWay(idle, { kind: "promote", version: 3 }).map((g) => g.key)).toEqual(["signoff"]));
  it("a canary starting at 1% does not; one starting at 25% does", () => {
    expect(gatesInTheWay(idle, { kind: "canary.start", version: 3 })).toEqual([]);
    expect(gatesInTheWay(idle, { kind: "canary.start", version: 3 }, [25, 100]).map((g) => g.key)).toEqual(["signoff"]);
  });
  it("advancing to 5% passes, to 25% does not, completing does not", () => {
    const at1: PolicyContext = { ...canary, state: { ...canary.state, step: 0 }, failingGates: [signOff] };
    expect(gatesInTheWay(at1, { kind: "advance" })).toEqual([]);
    const at5: PolicyContext = { ...canary, failingGates: [signOff] };
    expect(gatesInTheWay(at5, { kind: "advance" }).map((g) => g.key)).toEqual(["signoff"]);
    const last: PolicyContext = { ...canary, state: { ...canary.state, step: 2, plan: [1, 5, 100] }, failingGates: [signOff] };
    expect(gatesInTheWay(last, { kind: "advance" }).map((g) => g.key)).toEqual(["signoff"]);
    expect(canChangeDeployment(as(OTHER, "admin"), at5, { kind: "advance" }).needsReason).toBe(true);
  });
  it("other failing gates do not hold a rollout already in flight; nothing holds outside protected environments", () => {
    const at5: PolicyContext = { ...canary, failingGates: [{ key: "evaluation", label: "Evaluation thresholds", reason: "x" }] };
    expect(gatesInTheWay(at5, { kind: "advance" })).toEqual([]);
    expect(gatesInTheWay({ ...idle, environment: { name: "Staging", protected: false } }, { kind: "promote", version: 3 })).toEqual([]);
  });
  it("rollback, pause and abort never wait for a sign-off", () => {
    const at5: PolicyContext = { ...canary, failingGates: [signOff] };
    for (const a of [{ kind: "rollback", version: 2 }, { kind: "pause" }, { kind: "abort" }] as Action[]) expect(gatesInTheWay(at5, a)).toEqual([]);
  });
});

describe("canDeployTo", () => {
  it("production needs an admin; staging an engineer", () => {
    expect(canDeployTo(as(OTHER, "engineer"), { name: "Production", protected: true }).allowed).toBe(false);
    expect(canDeployTo(as(OTHER, "engineer"), { name: "Staging", protected: false }).allowed).toBe(true);
    expect(canDeployTo(as(OTHER, "viewer"), { name: "Staging", protected: false }).allowed).toBe(false);
  });
});

describe("lastStableVersion", () => {
  const versions = [
    { number: 4, status: "approved" },
    { number: 3, status: "archived" },
    { number: 2, status: "approved" },
    { number: 1, status: "approved" },
  ];
  it("in flight: the stable version", () => expect(lastStableVersion({ stable: 2, candidate: 3 }, [], versions)).toBe(2));
  it("idle: the version the last promotion replaced", () =>
    expect(lastStableVersion({ stable: 4, candidate: null }, [{ kind: "promote", fromVersion: 2 }], versions)).toBe(2));
  it("not one already rolled back from", () =>
    expect(
      lastStableVersion(
        { stable: 4, candidate: null },
        [
          { kind: "rollback", fromVersion: 2 },
          { kind: "promote", fromVersion: 2 },
        ],
        versions,
      ),
    ).toBe(2));
  it("else the newest older version not archived", () => expect(lastStableVersion({ stable: 4, candidate: null }, [], versions)).toBe(2));
});

describe("approvals, gate overrides and targets", () => {
  const who = (role: "viewer" | "engineer" | "admin", userId = `u-${role}`) => ({ userId, role });
  it("approval is four-eyes: an admin who did not author the version", () => {
    expect(canApproveRelease(who("engineer"))).toMatchObject({ allowed: false, reason: "Approving a release needs an admin" });
    expect(canApproveRelease(who("admin"))).toMatchObject({ allowed: true });
    expect(canApproveRelease(who("admin"), { number: 3, createdBy: "u-admin" })).toMatchObject({
      allowed: false,
      reason: "You authored v3; four-eyes approval needs another admin",
    });
    expect(canApproveRelease(who("admin"), { number: 3, createdBy: "u-other" }).allowed).toBe(true);
  });
  it("only admins override failing gates (with a reason) and create targets", () => {
    expect(canOverrideGates(who("admin"))).toMatchObject({ allowed: true, needsReason: true });
    expect(canOverrideGates(who("engineer")).reason).toMatch(/needs an admin; you are an engineer/);
    expect(canCreateTarget(who("engineer")).reason).toBe("Creating a deployment target needs an admin; you are an engineer");
    expect(canCreateTarget(who("viewer")).reason).toBe("Creating a deployment target needs an admin; you are a viewer");
    expect(canCreateTarget(who("admin")).allowed).toBe(true);
  });
});
