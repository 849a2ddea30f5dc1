import { describe, expect, it } from "vitest";
import { effectText } from "@/lib/deployment-effects";
import { runtimeConfigProblems } from "./config";
import { blockingGates, compareVersions, evaluateGates, failingGates, type GateFacts } from "./gates";

const facts = (over: Partial<GateFacts> = {}): GateFacts => ({
  version: 13,
  integrity: { held: true, integrity: "ok", sha256: "ab".repeat(32), uri: null, checkedAt: new Date("2025-01-01T00:00:00Z") },
  compatibility: {
    contract: { minOnnxRuntime: "1.16", maxOpset: 17, deviceClasses: ["dashcam-gen3"], minFirmware: "3.2.0" },
    runtime: { onnxRuntime: "1.17", maxOpset: 17 },
    hardwareClasses: ["dashcam-gen3"],
    firmwares: ["3.2.0", "3.4.1"],
  },
  evaluation: {
    tolerance: 0.01,
    baseline: 12,
    candidateEvaluated: true,
    baselineEvaluated: true,
    dataset: "fleet-eval v1",
    rows: [{ eventType: "forward-collision-warning", dimension: "all", value: "all", candidate: 0.95, baseline: 0.955 }],
  },
  alerts: [],
  author: { userId: "author", email: "engineer@example.com" },
  approvals: [{ userId: "admin", email: "admin@example.com", role: "admin", at: new Date() }],
  signOff: {
    safetyRelevant: true,
    canaryMaxPercent: 5,
    href: "/safety/review/fcw?candidate=13",
    latest: {
      id: "s1",
      decision: "approve",
      reviewer: "reviewer@example.com",
      at: new Date("2026-12-01T10:00:00Z"),
      withdrawn: false,
      dataset: "fleet-eval@1",
      regressions: 1,
    },
  },
  ...over,
});
const gate = (f: GateFacts, key: string) => evaluateGates(f).find((g) => g.key === key)!;

describe("safety sign-off gate", () => {
  const so = facts().signOff;
  it("passes on an approval in force and names the reviewer and what they saw", () => {
    expect(gate(facts(), "signoff")).toMatchObject({
      state: "pass",
      label: "Safety sign-off",
      reason: "Signed off by reviewer@example.com on 2026-12-01 on fleet-eval@1, 1 regression seen",
    });
    expect(gate(facts(), "signoff").evidence).toMatchObject({ href: "/safety/review/fcw?candidate=13", signOff: { id: "s1" } });
  });
  it("fails without a sign-off, on a rejection and on a withdrawn one, and says what it is needed for", () => {
    expect(gate(facts({ signOff: { ...so, latest: null } }), "signoff")).toMatchObject({
      state: "fail",
      reason: expect.stringMatching(/no safety reviewer has signed it off; needed before promotion, or a canary past 5%/),
    });
    expect(gate(facts({ signOff: { ...so, latest: { ...so.latest!, decision: "reject" } } }), "signoff").reason).toMatch(
      /reviewer@example.com rejected it on 2026-12-01/,
    );
    expect(gate(facts({ signOff: { ...so, latest: { ...so.latest!, withdrawn: true } } }), "signoff").reason).toMatch(/withdrew the sign-off/);
  });
  it("does not apply to a model that is not safety-relevant", () => {
    expect(gate(facts({ signOff: { ...so, safetyRelevant: false, latest: null } }), "signoff").state).toBe("none");
  });
  it("is labelled apart from four-eyes approval", () => {
    expect(evaluateGates(facts()).map((g) => g.label)).toEqual(expect.arrayContaining(["Four-eyes approval", "Safety sign-off"]));
  });
});

describe("blockingGates", () => {
  const fail = (key: "signoff" | "integrity") => ({ key, state: "fail" as const });
  it("promotion: every failing gate; canary within the limit: all but the sign-off; a step past it: only the sign-off", () => {
    expect(blockingGates([fail("signoff"), fail("integrity")], { kind: "promote", toPercent: 0 }, 5).map((g) => g.key)).toEqual(["signoff", "integrity"]);
    expect(blockingGates([fail("signoff"), fail("integrity")], { kind: "canary.start", toPercent: 5 }, 5).map((g) => g.key)).toEqual(["integrity"]);
    expect(blockingGates([fail("signoff"), fail("integrity")], { kind: "canary.start", toPercent: 5.5 }, 5).map((g) => g.key)).toEqual([
      "signoff",
      "integrity",
    ]);
    expect(blockingGates([fail("signoff"), fail("integrity")], { kind: "advance", toPercent: 25 }, 5).map((g) => g.key)).toEqual(["signoff"]);
    expect(blockingGates([fail("signoff")], { kind: "advance", toPercent: 5 }, 5)).toEqual([]);
    expect(blockingGates([fail("signoff")], { kind: "rollback", toPercent: 0 }, 5)).toEqual([]);
  });
});

describe("promotion gates", () => {
  it("all pass on a healthy release", () => {
    expect(failingGates(evaluateGates(facts()))).toEqual([]);
  });

  it("integrity fails without held bytes or on a hash mismatch", () => {
    expect(gate(facts({ integrity: { held: false, integrity: null, sha256: null, uri: "s3://b/m.onnx", checkedAt: null } }), "integrity")).toMatchObject({
      state: "fail",
      reason: expect.stringMatching(/holds no bytes.*s3:\/\/b\/m.onnx/),
    });
    expect(gate(facts({ integrity: { ...facts().integrity, integrity: "mismatch" } }), "integrity").state).toBe("fail");
  });

  it("compatibility names runtime, opset, hardware and firmware problems", () => {
    const f = facts({
      compatibility: {
        contract: { minOnnxRuntime: "1.18", maxOpset: 19, deviceClasses: ["dashcam-gen3"], minFirmware: "3.3.0" },
        runtime: { onnxRuntime: "1.17", maxOpset: 17 },
        hardwareClasses: ["dashcam-gen2", "dashcam-gen3"],
        firmwares: ["3.2.0", "3.4.1"],
      },
    });
    const g = gate(f, "compatibility");
    expect(g.state).toBe("fail");
    expect(g.reason).toMatch(/ONNX Runtime ≥ 1.18.*1.17/);
    expect(g.reason).toMatch(/opset 19/);
    expect(g.reason).toMatch(/dashcam-gen2/);
    expect(g.reason).toMatch(/firmware ≥ 3.3.0; cohorts run 3.2.0/);
    expect(gate(facts({ compatibility: { ...facts().compatibility, contract: null } }), "compatibility").reason).toMatch(/no compatibility contract/);
  });

  it("evaluation fails below baseline minus tolerance, also on one slice, and says when there is nothing to compare", () => {
    const slice = { eventType: "forward-collision-warning", dimension: "time_of_day", value: "night", candidate: 0.85, baseline: 0.93 };
    const f = facts({ evaluation: { ...facts().evaluation, rows: [...facts().evaluation.rows, slice] } });
    expect(gate(f, "evaluation")).toMatchObject({ state: "fail", reason: expect.stringMatching(/time_of_day: night.*85.0% vs 93.0%/) });
    expect(gate(facts({ evaluation: { ...facts().evaluation, candidateEvaluated: false, baselineEvaluated: false, rows: [] } }), "evaluation")).toMatchObject({
      state: "none",
      reason: expect.stringMatching(/No safety evaluations/),
    });
    expect(gate(facts({ evaluation: { ...facts().evaluation, candidateEvaluated: false, rows: [] } }), "evaluation").state).toBe("fail");
    expect(
      failingGates(evaluateGates(facts({ evaluation: { ...facts().evaluation, candidateEvaluated: false, baselineEvaluated: false, rows: [] } }))),
    ).toEqual([]);
  });

  it("an open page alert blocks; four-eyes needs an admin who is not the author", () => {
    expect(gate(facts({ alerts: [{ title: "camera-health availability SLO burning", severity: "page", state: "firing" }] }), "alerts").state).toBe("fail");
    expect(gate(facts({ alerts: [{ title: "drift", severity: "warning", state: "firing" }] }), "alerts").state).toBe("pass");
    expect(gate(facts({ approvals: [] }), "approval").state).toBe("fail");
    expect(gate(facts({ approvals: [{ userId: "author", email: "a@x", role: "admin", at: new Date() }] }), "approval").state).toBe("fail");
    expect(gate(facts({ approvals: [{ userId: "e2", email: "e2@x", role: "engineer", at: new Date() }] }), "approval").state).toBe("fail");
  });

  it("compares dotted versions numerically", () => {
    expect(compareVersions("1.17", "1.14.2")).toBe(1);
    expect(compareVersions("2.7.4", "2.8.0")).toBe(-1);
    expect(compareVersions("3.2", "3.2.0")).toBe(0);
  });
});

describe("runtime config against the manifest", () => {
  const manifest = {
    input: {
      name: "x",
      layout: "NCHW" as const,
      width: 1,
      height: 1,
      channels: 3 as const,
      colorOrder: "RGB" as const,
      resize: "stretch" as const,
      scale: 1,
      mean: [0],
      std: [1],
    },
    labels: ["ok", "too_dark"],
    postprocess: { kind: "softmax" as const },
  };
  it("accepts thresholds for known labels and refuses unknown ones or a missing manifest", () => {
    expect(runtimeConfigProblems({ thresholds: { too_dark: 0.7 }, batchSize: 4 }, manifest, "v2")).toEqual([]);
    expect(runtimeConfigProblems({ thresholds: { blurry_x: 0.7 } }, manifest, "v2")[0]).toMatch(/thresholds.blurry_x: v2 has no label/);
    expect(runtimeConfigProblems({ thresholds: { a: 0.5 } }, null, "v2")[0]).toMatch(/no manifest/);
    expect(runtimeConfigProblems({ featureFlags: { x: true } }, null, "v2")).toEqual([]);
  });
});

describe("confirmation texts", () => {
  const fleet = { name: "EU-dashcam-v3", kind: "edge-fleet" as const, devices: 4812, environment: "production" };
  it("say the effect in plain words", () => {
    expect(effectText(fleet, { state: "canary", stable: 12, candidate: 13, step: 1, plan: [1, 5, 25, 50, 100] }, { kind: "rollback", version: 12 })).toBe(
      "Roll back fleet EU-dashcam-v3 (production) from v13 to v12: about 241 devices (expected from the plan; no device reports yet) switch back",
    );
    // With device reports, the count is what devices say they run, not the fleet's nominal size.
    expect(
      effectText(
        { ...fleet, reported: { version: 13, running: 262, pending: 3, unreported: 40 } },
        { state: "canary", stable: 12, candidate: 13, step: 1, plan: [1, 5, 25, 50, 100] },
        { kind: "rollback", version: 12 },
      ),
    ).toBe(
      "Roll back fleet EU-dashcam-v3 (production) from v13 to v12: 262 devices report running v13 and return to v12 at their next check-in (of 4,812: 3 not yet on their assigned version, 40 not reported)",
    );
    expect(effectText(fleet, { state: "canary", stable: 12, candidate: 13, step: 1, plan: [1, 5, 25, 50, 100] }, { kind: "advance" })).toBe(
      "Advance the canary of v13 on fleet EU-dashcam-v3 from 5% to 25%: about 1,203 devices on v13",
    );
    expect(
      effectText({ ...fleet, devices: 40 }, { state: "idle", stable: 2, candidate: null, step: 0, plan: [1, 100] }, { kind: "canary.start", version: 3 }),
    ).toMatch(/1% of 40 devices first/);
    expect(
      effectText(
        { ...fleet, kind: "cloud-online", name: "Events API" },
        { state: "idle", stable: 1, candidate: null, step: 0, plan: [1, 100] },
        { kind: "canary.start", version: 2 },
      ),
    ).toMatch(/online service Events API.*1% of requests first/);
  });
});
