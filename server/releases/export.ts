// Release readiness as CSV (one line per candidate, for spreadsheets) and as a Markdown release note (for an email).
import { monthInWords } from "@/lib/cost-format";
import { toCsv } from "@/lib/csv";
import type { ReadinessRow } from "./service";
import { costChangeWords, fieldWords, gateWords, incidentWords, per1kWords, regressionWords, rolloutWords, rowTitle, signOffWords } from "@/lib/release-words";

const usd = (micros: number | null) => (micros === null ? null : Math.round(micros) / 1_000_000);

export function readinessCsv(rows: ReadinessRow[], baseUrl: string): string {
  return toCsv(
    [
      "verdict",
      "model",
      "version",
      "production_version",
      "sign_off",
      "sign_off_by",
      "sign_off_at",
      "gates",
      "regressed_event_types_and_slices",
      "dataset",
      "field_vs_lab",
      "usd_per_1000_inferences",
      "production_usd_per_1000_inferences",
      "change_usd_per_1000_inferences",
      "change_percent",
      "cost_month",
      "open_incidents",
      "rollout",
      "devices_running",
      "devices_pending",
      "devices_not_reporting",
      "link",
    ],
    rows.map((r) => {
      const fleets = r.rollout.filter((x) => x.role === "candidate" && x.devices);
      const sum = (k: "running" | "pending" | "unknown") => (fleets.length ? fleets.reduce((a, x) => a + x.devices![k], 0) : null);
      return [
        r.verdict.text,
        r.model.slug,
        r.version,
        r.production,
        r.signOff?.decision ?? "not signed off",
        r.signOff?.reviewer,
        r.signOff?.at.toISOString(),
        r.gates.map(gateWords).join("; "),
        r.regressions.map(regressionWords).join("; "),
        r.dataset,
        r.field.map(fieldWords).join("; "),
        usd(r.cost.microsPer1k),
        usd(r.cost.productionMicrosPer1k),
        usd(r.cost.changeMicrosPer1k),
        r.cost.changeRatio === null ? null : Math.round(r.cost.changeRatio * 1000) / 10,
        r.cost.month,
        r.incidents.map(incidentWords).join("; "),
        r.rollout.map((x) => rolloutWords(x, r.version)).join("; "),
        sum("running"),
        sum("pending"),
        sum("unknown"),
        `${baseUrl}${r.href}`,
      ];
    }),
  );
}

/** Markdown's own characters in free text (titles, reasons) would turn into formatting; escape them. */
function md(s: string): string {
  return s.replace(/([\\`*_[\]{}<>#|!])/g, "\\$1");
}

export function readinessMarkdown(rows: ReadinessRow[], baseUrl: string, now: Date): string {
  const date = now.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  const out = [`# Release readiness, ${date}`, ""];
  if (!rows.length) out.push("No candidate versions: every model's newest version is already in production.", "");
  for (const r of rows) {
    out.push(`## ${md(rowTitle(r))}: ${md(r.verdict.kind === "blocked" ? "Blocked" : r.verdict.text)}`, "");
    if (r.verdict.reasons.length)
      out.push(`**${r.verdict.kind === "blocked" ? "Why it cannot ship yet" : "Open points"}:** ${md(r.verdict.reasons.join("; "))}.`, "");
    else out.push("**Verdict:** ready to ship.", "");
    out.push(`- **Safety sign-off:** ${md(signOffWords(r))}.`);
    out.push(`- **Gates:** ${r.gates.length ? md(r.gates.map(gateWords).join("; ")) : "no protected deployment, so no promotion gates were checked"}.`);
    out.push(
      `- **Worse than production${r.dataset ? ` (evaluation set ${md(r.dataset)})` : ""}:** ${r.regressions.length ? md(r.regressions.map(regressionWords).join("; ")) : r.dataset ? "nowhere beyond chance" : "no safety evaluation"}.`,
    );
    out.push(`- **Fleet against lab:** ${r.field.length ? md(r.field.map(fieldWords).join("; ")) : "no fleet outcomes reported for this version yet"}.`);
    out.push(`- **Cost (${monthInWords(r.cost.month)} so far):** ${md(per1kWords(r.cost.microsPer1k))}; ${md(costChangeWords(r))}.`);
    out.push(`- **Open incidents:** ${r.incidents.length ? md(r.incidents.map(incidentWords).join("; ")) : "none"}.`);
    out.push(`- **Rollout:** ${r.rollout.length ? md(r.rollout.map((x) => rolloutWords(x, r.version)).join("; ")) : "not deployed anywhere yet"}.`);
    out.push(`- **Details:** ${baseUrl}${r.href}`, "");
  }
  return out.join("\n");
}
