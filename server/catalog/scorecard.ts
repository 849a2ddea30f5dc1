// A model's scorecard from the facts about it: pure, so the catalog list, the team page and tests judge alike.
import type { RunbookLinks } from "@/db/schema/deployments";
import { MODEL_CARD_TEMPLATE } from "@/server/registry/model-card";
import { bestRunbook } from "@/server/runbooks/match";
import type { CheckKey } from "./schemas";

/** A sign-off older than this no longer counts as recent: a quarter, about one release train. */
export const SIGNOFF_MAX_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

export const CHECK_LABELS: Record<CheckKey, string> = {
  owner: "Has an owner",
  oncall: "Has an on-call rotation",
  runbooks: "Every alert rule has a runbook",
  "model-card": "Has a model card",
  signoff: `Safety sign-off in the last ${SIGNOFF_MAX_AGE_DAYS} days`,
  slo: "Has an SLO",
};

export type AlertRuleFact = { ruleKey: string; alertKind: string; label: string };
export type ModelFacts = {
  slug: string;
  owner: string | null;
  rotation: string | null;
  /** Services the model's team answers to (slug and name), as runbook links name them. */
  services: readonly string[];
  alertRules: readonly AlertRuleFact[];
  runbooks: readonly { title: string; links: RunbookLinks; updatedAt: Date }[];
  /** The newest non-archived version's model card; null when there is no such version. */
  modelCard: string | null;
  /** The newest approving sign-off in force (not withdrawn). */
  lastSignOffAt: Date | null;
  sloCount: number;
};

export type Check = { key: CheckKey; label: string; passed: boolean; detail: string };
export type Scorecard = { passed: number; total: number; checks: Check[] };

export function scoreModel(f: ModelFacts, now: Date): Scorecard {
  const unlinked = f.alertRules.filter((r) => !bestRunbook(f.runbooks, { model: f.slug, alertKind: r.alertKind, ruleKey: r.ruleKey, services: f.services }));
  const card = f.modelCard?.trim() ?? "";
  const signOffAgeDays = f.lastSignOffAt ? Math.floor((now.getTime() - f.lastSignOffAt.getTime()) / DAY_MS) : null;
  const checks: Check[] = [
    { key: "owner", label: CHECK_LABELS["owner"], passed: Boolean(f.owner), detail: f.owner ? `Owned by ${f.owner}` : "No owner team in the catalog" },
    { key: "oncall", label: CHECK_LABELS["oncall"], passed: Boolean(f.rotation), detail: f.rotation ? `Paged through ${f.rotation}` : "No on-call rotation" },
    {
      key: "runbooks",
      label: CHECK_LABELS["runbooks"],
      passed: unlinked.length === 0,
      detail: !f.alertRules.length
        ? "No alert rules target it"
        : unlinked.length
          ? `No runbook for ${unlinked.map((r) => r.label).join(", ")}`
          : `${f.alertRules.length} alert rule${f.alertRules.length === 1 ? "" : "s"}, each with a runbook`,
    },
    {
      key: "model-card",
      label: CHECK_LABELS["model-card"],
      passed: card !== "" && card !== MODEL_CARD_TEMPLATE.trim(),
      detail:
        f.modelCard === null
          ? "No current version"
          : card === ""
            ? "The newest version has no model card"
            : card === MODEL_CARD_TEMPLATE.trim()
              ? "The model card is the empty template"
              : "The newest version has a model card",
    },
    {
      key: "signoff",
      label: CHECK_LABELS["signoff"],
      passed: signOffAgeDays !== null && signOffAgeDays <= SIGNOFF_MAX_AGE_DAYS,
      detail:
        signOffAgeDays === null
          ? "Never signed off"
          : signOffAgeDays <= SIGNOFF_MAX_AGE_DAYS
            ? `Signed off ${signOffAgeDays} days ago`
            : `Last sign-off ${signOffAgeDays} days ago`,
    },
    { key: "slo", label: CHECK_LABELS["slo"], passed: f.sloCount > 0, detail: f.sloCount ? `${f.sloCount} SLO${f.sloCount === 1 ? "" : "s"}` : "No SLO" },
  ];
  return { passed: checks.filter((c) => c.passed).length, total: checks.length, checks };
}
