import { describe, expect, it } from "vitest";
import { percentOf, transition, type Action, type Snapshot } from "./state-machine";

const plan = [1, 5, 25, 50, 100];
const idle: Snapshot = { state: "idle", stable: 12, candidate: null, step: 0, plan };
const canary: Snapshot = { state: "canary", stable: 12, candidate: 13, step: 1, plan };
const paused: Snapshot = { ...canary, state: "paused" };
const last: Snapshot = { ...canary, step: 4 };

const ok = (s: Snapshot, a: Action) => {
  const t = transition(s, a);
  if (!t.ok) throw new Error(`refused: ${t.reason}`);
  return t;
};
const refused = (s: Snapshot, a: Action) => {
  const t = transition(s, a);
  if (t.ok) throw new Error(`accepted ${a.kind}`);
  return t.reason;
};

describe("deployment state machine", () => {
  it("promotes from idle and refuses the same version or a rollout in flight", () => {
    expect(ok(idle, { kind: "promote", version: 13 }).next).toMatchObject({ state: "idle", stable: 13, candidate: null });
    expect(refused(idle, { kind: "promote", version: 12 })).toMatch(/already the stable version/);
    expect(refused(canary, { kind: "promote", version: 13 })).toMatch(/rollout of v13 is in progress at 5%/);
    expect(refused(paused, { kind: "promote", version: 14 })).toMatch(/abort it first/);
  });

  it("starts a canary at the first step, only from idle", () => {
    const t = ok(idle, { kind: "canary.start", version: 13 });
    expect(t.next).toMatchObject({ state: "canary", candidate: 13, step: 0 });
    expect(percentOf(t.next)).toBe(1);
    expect(refused(canary, { kind: "canary.start", version: 14 })).toMatch(/in progress/);
    expect(refused(idle, { kind: "canary.start", version: 12 })).toMatch(/already the stable/);
  });

  it("advances step by step and completes past the last step", () => {
    expect(ok(canary, { kind: "advance" }).next.step).toBe(2);
    const done = ok(last, { kind: "advance" });
    expect(done.event).toBe("complete");
    expect(done.next).toMatchObject({ state: "idle", stable: 13, candidate: null, step: 0 });
    expect(refused(idle, { kind: "advance" })).toMatch(/no rollout is in progress/);
    expect(refused(paused, { kind: "advance" })).toMatch(/paused; resume it/);
  });

  it("pauses and resumes only the matching states", () => {
    expect(ok(canary, { kind: "pause" }).next.state).toBe("paused");
    expect(refused(paused, { kind: "pause" })).toMatch(/already paused/);
    expect(refused(idle, { kind: "pause" })).toMatch(/Nothing to pause/);
    expect(ok(paused, { kind: "resume" }).next.state).toBe("canary");
    expect(refused(canary, { kind: "resume" })).toMatch(/not paused/);
    expect(refused(idle, { kind: "resume" })).toMatch(/Nothing to resume/);
  });

  it("aborts a rollout back to the stable version", () => {
    for (const s of [canary, paused]) {
      const t = ok(s, { kind: "abort" });
      expect(t.next).toMatchObject({ state: "idle", stable: 12, candidate: null });
      expect([t.from, t.to]).toEqual([13, 12]);
    }
    expect(refused(idle, { kind: "abort" })).toMatch(/Nothing to abort/);
  });

  it("rolls back from any state, except to what already runs everywhere", () => {
    expect(ok(idle, { kind: "rollback", version: 11 }).next).toMatchObject({ stable: 11, state: "idle" });
    const t = ok(canary, { kind: "rollback", version: 12 });
    expect(t.next).toMatchObject({ stable: 12, candidate: null, state: "idle" });
    expect([t.from, t.to]).toEqual([13, 12]);
    expect(ok(paused, { kind: "rollback", version: 11 }).next.stable).toBe(11);
    expect(refused(idle, { kind: "rollback", version: 12 })).toMatch(/already runs v12/);
  });
});
