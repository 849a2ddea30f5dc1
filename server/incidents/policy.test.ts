// The incidents policy as a table: who may declare and change, which commands carry rollback rights, who may hand command over.
import { describe, expect, it } from "vitest";
import type { Role } from "@/server/auth/roles";
import { canChangeIncident, canDeclareIncident, canSetCommander, commandRights, grantOf, myCommand, type CommandFacts, type CommandGrant } from "./policy";

const actor = (role: Role, userId = `u-${role}`) => ({ userId, role });
const command = (over: Partial<CommandFacts> = {}): CommandFacts => ({
  commanderId: "u-cmd",
  commanderRole: "engineer",
  commanderGrant: null,
  commanderOnCall: false,
  ...over,
});

describe("declaring and changing incidents", () => {
  it.each([
    ["viewer", false],
    ["engineer", true],
    ["admin", true],
  ] as const)("a %s may declare and change: %s", (role, allowed) => {
    expect(canDeclareIncident(actor(role)).allowed).toBe(allowed);
    for (const c of ["acknowledge", "status", "severity", "commander", "note", "checklist", "postmortem", "mitigate"] as const)
      expect(canChangeIncident(actor(role), c).allowed).toBe(allowed);
    if (!allowed) expect(canDeclareIncident(actor(role)).reason).toMatch(/needs the engineer role; you are a viewer/);
  });
});

describe("the authority handed over with command", () => {
  it.each([
    [null, "rotation"],
    [{ ...actor("admin"), onCall: false }, "admin"],
    [{ ...actor("engineer"), onCall: true }, "on-call"],
    [{ ...actor("engineer"), onCall: false }, null],
    [{ ...actor("viewer"), onCall: true }, null],
  ] as const)("%o hands over %s", (assigner, grant) => {
    expect(grantOf(assigner)).toBe(grant);
  });
});

describe("which commands count for the rollback rule", () => {
  const cases: [string, Partial<CommandFacts>, boolean][] = [
    ["nobody in command", { commanderId: null }, false],
    ["a hand declarer who is neither on call nor admin", {}, false],
    ["an admin commander", { commanderRole: "admin" }, true],
    ["the on-call engineer", { commanderOnCall: true }, true],
    ...(["admin", "on-call", "rotation"] as CommandGrant[]).map((g): [string, Partial<CommandFacts>, boolean] => [
      `assigned with ${g} authority`,
      { commanderGrant: g },
      true,
    ]),
  ];
  it.each(cases)("%s: %s", (_name, over, allowed) => {
    const d = commandRights(command(over));
    expect(d.allowed).toBe(allowed);
    expect(d.reason.length).toBeGreaterThan(10);
  });

  it("tells the commander in words when their command carries no rights, and says nothing to others", () => {
    expect(myCommand(actor("engineer", "u-cmd"), command())?.reason).toMatch(/does not carry production rollback/);
    expect(myCommand(actor("engineer", "u-cmd"), command({ commanderGrant: "on-call" }))?.allowed).toBe(true);
    expect(myCommand(actor("engineer", "u-else"), command())).toBeNull();
  });
});

describe("handing command over", () => {
  it("an engineer not on call may take command of an incident whose commander holds no rights, but hands over none", () => {
    const d = canSetCommander({ ...actor("engineer"), onCall: false }, command());
    expect(d).toMatchObject({ allowed: true, grant: null });
    expect(d.reason).toMatch(/no production rollback rights/);
  });

  it("only an admin, the on-call engineer or the commander replaces a commander who holds rights", () => {
    const held = command({ commanderGrant: "on-call" });
    expect(canSetCommander({ ...actor("engineer"), onCall: false }, held)).toMatchObject({ allowed: false });
    expect(canSetCommander({ ...actor("engineer"), onCall: true }, held)).toMatchObject({ allowed: true, grant: "on-call" });
    expect(canSetCommander({ ...actor("admin"), onCall: false }, held)).toMatchObject({ allowed: true, grant: "admin" });
    expect(canSetCommander({ ...actor("engineer", "u-cmd"), onCall: false }, held)).toMatchObject({ allowed: true, grant: null });
    expect(canSetCommander({ ...actor("viewer"), onCall: true }, command()).allowed).toBe(false);
  });
});
