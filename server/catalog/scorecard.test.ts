import { describe, expect, it } from "vitest";
import { MODEL_CARD_TEMPLATE } from "@/server/registry/model-card";
import { scoreModel, SIGNOFF_MAX_AGE_DAYS, type ModelFacts } from "./scorecard";

const now = new Date("2026-12-06T12:00:00Z");
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const links = (l: Partial<ModelFacts["runbooks"][number]["links"]>) => ({ alertKinds: [], rulePrefixes: [], models: [], services: [], ...l });
const good: ModelFacts = {
  slug: "fcw",
  owner: "Perception",
  rotation: "Camera fleet models",
  services: ["perception", "Perception"],
  alertRules: [
    { ruleKey: "drift:1", alertKind: "drift", label: "drift on brightness" },
    { ruleKey: "slo:2", alertKind: "slo", label: "the availability SLO on device" },
  ],
  runbooks: [
    { title: "Drift", links: links({ alertKinds: ["drift"] }), updatedAt: now },
    { title: "SLO", links: links({ rulePrefixes: ["slo:2"] }), updatedAt: now },
  ],
  modelCard: "## Intended use\nWarns drivers.",
  lastSignOffAt: daysAgo(10),
  sloCount: 1,
};
const failed = (f: ModelFacts) =>
  scoreModel(f, now)
    .checks.filter((c) => !c.passed)
    .map((c) => c.key);

describe("scoreModel", () => {
  it("passes a model with every fact in place", () => {
    expect(scoreModel(good, now)).toMatchObject({ passed: 6, total: 6 });
  });

  it("fails each check on its own missing fact, and says what is missing in words", () => {
    expect(failed({ ...good, owner: null })).toEqual(["owner"]);
    expect(failed({ ...good, rotation: null })).toEqual(["oncall"]);
    expect(failed({ ...good, sloCount: 0 })).toEqual(["slo"]);
    const r = scoreModel({ ...good, runbooks: [good.runbooks[0]] }, now);
    expect(r.checks.find((c) => c.key === "runbooks")).toMatchObject({ passed: false, detail: "No runbook for the availability SLO on device" });
  });

  it("counts a runbook linked by model as covering every rule of that model", () => {
    expect(failed({ ...good, runbooks: [{ title: "All", links: links({ models: ["fcw"] }), updatedAt: now }] })).toEqual([]);
    expect(failed({ ...good, runbooks: [{ title: "Other", links: links({ models: ["seatbelt"] }), updatedAt: now }] })).toEqual(["runbooks"]);
  });

  it("passes the runbook check when no alert rule targets the model", () => {
    const r = scoreModel({ ...good, alertRules: [], runbooks: [] }, now);
    expect(r.checks.find((c) => c.key === "runbooks")).toMatchObject({ passed: true, detail: "No alert rules target it" });
  });

  it("does not count an empty card, the bare template or a missing version as a model card", () => {
    expect(failed({ ...good, modelCard: "" })).toEqual(["model-card"]);
    expect(failed({ ...good, modelCard: `\n${MODEL_CARD_TEMPLATE}` })).toEqual(["model-card"]);
    expect(failed({ ...good, modelCard: null })).toEqual(["model-card"]);
  });

  it(`counts a sign-off as recent up to ${SIGNOFF_MAX_AGE_DAYS} days`, () => {
    expect(failed({ ...good, lastSignOffAt: daysAgo(SIGNOFF_MAX_AGE_DAYS) })).toEqual([]);
    expect(failed({ ...good, lastSignOffAt: daysAgo(SIGNOFF_MAX_AGE_DAYS + 1) })).toEqual(["signoff"]);
    expect(failed({ ...good, lastSignOffAt: null })).toEqual(["signoff"]);
  });
});
