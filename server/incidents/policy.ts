// Who may declare and change incidents, who may set the commander, and when a command carries the right to roll back a
// protected deployment; pure and client-importable: the service enforces it, pages and controls render from it.
import { roleAtLeast, type Role } from "@/server/auth/roles";

export type IncidentActor = { userId: string; role: Role };

/**
 * How a commander's command came to carry deployment rights, recorded when command is handed over:
 * `admin` (an admin assigned it or took it), `on-call` (the on-call engineer of the model's team assigned it or took it),
 * `rotation` (the system handed it to whoever was on call). null: taken or given by someone with neither authority.
 */
export const COMMAND_GRANTS = ["admin", "on-call", "rotation"] as const;
export type CommandGrant = (typeof COMMAND_GRANTS)[number];

export type IncidentDecision = { allowed: boolean; reason: string };

export type IncidentChange = "acknowledge" | "status" | "severity" | "commander" | "note" | "checklist" | "postmortem" | "mitigate";

const allow = (reason: string): IncidentDecision => ({ allowed: true, reason });
const deny = (reason: string): IncidentDecision => ({ allowed: false, reason });

/** Declaring an incident (by hand or from an alert): engineers and admins. */
export function canDeclareIncident(actor: IncidentActor): IncidentDecision {
  if (!roleAtLeast(actor.role, "engineer"))
    return deny("Declaring incidents needs the engineer role; you are a viewer. Ask the on-call engineer, or request a rollback");
  return allow("Engineers and admins declare incidents");
}

/** Acknowledging, moving the status, severity, notes, checklist ticks and the postmortem: engineers and admins. */
export function canChangeIncident(actor: IncidentActor, change: IncidentChange): IncidentDecision {
  if (!roleAtLeast(actor.role, "engineer"))
    return deny(
      change === "postmortem"
        ? "Writing the postmortem needs the engineer role; you are a viewer"
        : "Changing incidents needs the engineer role; you are a viewer",
    );
  return allow("Engineers and admins work on incidents");
}

/** The authority an assigner hands over with command (or takes with it); null when they have none to hand over. */
export function grantOf(assigner: (IncidentActor & { onCall: boolean }) | null): CommandGrant | null {
  if (!assigner) return "rotation";
  if (assigner.role === "admin") return "admin";
  if (assigner.onCall && assigner.role === "engineer") return "on-call";
  return null;
}

export type CommandFacts = {
  commanderId: string | null;
  commanderRole: Role | null;
  commanderGrant: CommandGrant | null;
  /** The commander is on call now for the incident's model's team. */
  commanderOnCall: boolean;
};

/**
 * Whether an incident's command counts for the deployment rollback rule (server/deployments/policy.ts). A command counts
 * when the commander is an admin, is the on-call engineer of the model's team, or was given command by an admin, the
 * on-call engineer or the rotation. Anyone else who declares by hand commands the incident but gets no deployment rights:
 * otherwise declaring would be a way to grant oneself production rollback.
 */
export function commandRights(c: CommandFacts): IncidentDecision {
  if (!c.commanderId) return deny("Nobody commands this incident");
  if (c.commanderRole === "admin") return allow("The commander is an admin");
  if (c.commanderOnCall) return allow("The commander is on call for this model's team");
  if (c.commanderGrant === "admin") return allow("An admin gave this command, so the commander may roll back protected deployments of the model");
  if (c.commanderGrant === "on-call") return allow("The on-call engineer gave this command, so the commander may roll back protected deployments of the model");
  if (c.commanderGrant === "rotation")
    return allow("The on-call rotation was given this command, so the commander may roll back protected deployments of the model");
  return deny(
    "This command does not carry production rollback: it was taken or given by someone who is neither an admin nor on call for the model's team. The on-call engineer or an admin can assign the commander again to grant it",
  );
}

/** The same rule in the words the page shows the actor about their own command. */
export function myCommand(actor: IncidentActor, c: CommandFacts): IncidentDecision | null {
  if (c.commanderId !== actor.userId) return null;
  const d = commandRights(c);
  if (d.allowed) return allow(`You command this incident: ${d.reason.charAt(0).toLowerCase()}${d.reason.slice(1)}`);
  return deny(
    "You command this incident, but your command does not carry production rollback: you are neither on call for this model's team nor an admin, and no admin or on-call engineer assigned you. Ask them to assign you, or request a rollback",
  );
}

/**
 * Handing command to someone (or taking it). Engineers and admins may; but a command that carries deployment rights is
 * taken away only by an admin, the on-call engineer, or its commander, so nobody can strip the rightful commander.
 */
export function canSetCommander(actor: IncidentActor & { onCall: boolean }, current: CommandFacts): IncidentDecision & { grant: CommandGrant | null } {
  if (!roleAtLeast(actor.role, "engineer")) return { ...deny("Setting the commander needs the engineer role; you are a viewer"), grant: null };
  const grant = grantOf(actor);
  if (current.commanderId && current.commanderId !== actor.userId && commandRights(current).allowed && !grant) {
    return { ...deny("The current commander holds rollback rights; only an admin, the on-call engineer or the commander can hand command over"), grant: null };
  }
  return {
    allowed: true,
    reason: grant
      ? "The commander you assign may roll back protected deployments of the model"
      : "The commander you assign runs the incident, but gets no production rollback rights from you (you are neither an admin nor on call)",
    grant,
  };
}
