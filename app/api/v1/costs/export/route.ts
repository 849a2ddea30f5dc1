import { csvResponse, toCsv } from "@/lib/csv";
import { Invalid } from "@/server/errors";
import { microsToDecimal } from "@/server/cost/money";
import { costOverview, modelCost } from "@/server/cost/service";
import { rest } from "@/server/http/rest";

const dollars = (micros: number | null | undefined) => (micros === null || micros === undefined ? null : microsToDecimal(Math.round(micros)));
const OVERVIEW_TABLES = ["models", "budgets", "versions", "daily"] as const;
const MODEL_TABLES = ["breakdown", "model-versions", "ota"] as const;

// Any cost table as CSV (?table=…, default models), for a month and the page's filters (?month=&model=&environment=&kind=),
// in dollars with six decimals (exact: from integer micro-dollars). Model tables need ?slug=.
export const GET = rest({ route: "/api/v1/costs/export", scope: "models:read" }, async ({ db, req }) => {
  const sp = new URL(req.url).searchParams;
  const opt = (k: string) => sp.get(k) || undefined;
  const table = sp.get("table") || "models";
  const filters = { month: opt("month"), environment: opt("environment"), kind: opt("kind") };
  if ((MODEL_TABLES as readonly string[]).includes(table)) {
    const slug = opt("slug");
    if (!slug) throw new Invalid(`table=${table} needs slug=<model>`);
    const c = await modelCost(db, { slug, ...filters });
    const name = `cost-${slug}-${table}-${c.month}.csv`;
    if (table === "breakdown")
      return csvResponse(
        name,
        toCsv(
          ["month", "model", "environment", "resource_kind", "spend_usd"],
          c.breakdown.map((b) => [c.month, slug, b.environment, b.kind, dollars(b.micros)]),
        ),
      );
    if (table === "ota")
      return csvResponse(
        name,
        toCsv(
          ["model", "version", "artifact_bytes", "fleet_devices", "usd_per_gb", "ota_rollout_usd"],
          c.ota.versions.map((v) => [slug, v.version, v.sizeBytes, c.ota.fleetDevices, c.ota.usdPerGb, dollars(v.micros)]),
        ),
      );
    return csvResponse(
      name,
      toCsv(
        ["month", "model", "version", "spend_usd", "inferences", "inference_source", "cost_per_1k_inferences_usd", "devices", "cost_per_device_month_usd"],
        c.versions.map((v) => [
          c.month,
          slug,
          v.version,
          dollars(v.micros),
          v.inferences,
          v.inferenceSource,
          dollars(v.microsPer1k),
          v.devices,
          dollars(v.microsPerDeviceMonth),
        ]),
      ),
    );
  }
  if (!(OVERVIEW_TABLES as readonly string[]).includes(table))
    throw new Invalid(`Unknown table "${table}"; use one of ${[...OVERVIEW_TABLES, ...MODEL_TABLES].join(", ")}`);
  const o = await costOverview(db, { ...filters, model: opt("model") });
  const name = table === "models" ? `costs-${o.month}.csv` : `costs-${table}-${o.month}.csv`;
  if (table === "budgets") {
    return csvResponse(
      name,
      toCsv(
        ["month", "scope", "key", "budget_usd", "spent_usd", "linear_forecast_usd", "weekday_forecast_usd", "spent_level", "forecast_level"],
        o.budgets.map((b) => [
          o.month,
          b.scope,
          b.key,
          dollars(b.budgetMicros),
          dollars(b.spentMicros),
          dollars(b.linearForecastMicros),
          dollars(b.weekdayForecastMicros),
          b.spentLevel,
          b.forecastLevel,
        ]),
      ),
    );
  }
  if (table === "versions") {
    return csvResponse(
      name,
      toCsv(
        ["month", "model", "version", "spend_usd", "cost_per_1k_inferences_usd", "recall", "recall_lo", "recall_hi", "dataset"],
        o.scatter.map((p) => [o.month, p.slug, p.version, dollars(p.micros), dollars(p.microsPer1k), p.recall, p.recallLo, p.recallHi, p.dataset]),
      ),
    );
  }
  if (table === "daily")
    return csvResponse(
      name,
      toCsv(
        ["day", "resource_kind", "spend_usd"],
        o.dailyByKind.map((d) => [d.day, d.kind, dollars(d.micros)]),
      ),
    );
  return csvResponse(
    name,
    toCsv(
      ["month", "model", "team", "spend_usd", "inferences", "inference_source", "cost_per_1k_inferences_usd"],
      o.models.map((m) => [
        o.month,
        m.slug ?? "unallocated",
        m.team,
        dollars(m.micros),
        m.inferences,
        m.inferenceSource,
        m.microsPer1k === null ? null : dollars(Math.round(m.microsPer1k)),
      ]),
    ),
  );
});
