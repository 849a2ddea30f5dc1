import { csvResponse, toCsv } from "@/lib/csv";
import { microsToDecimal } from "@/server/cost/money";
import { costOverview } from "@/server/cost/service";
import { rest } from "@/server/http/rest";

const dollars = (micros: number | null) => (micros === null ? null : microsToDecimal(micros));

// Spend per model for a month (?month=YYYY-MM), in dollars with six decimals (exact: from integer micro-dollars).
export const GET = rest({ route: "/api/v1/costs/export", scope: "models:read" }, async ({ db, req }) => {
  const month = new URL(req.url).searchParams.get("month") || undefined;
  const o = await costOverview(db, { month });
  const body = toCsv(
    ["month", "model", "team", "spend_usd", "inferences", "inference_source", "cost_per_1k_inferences_usd"],
    o.models.map((m) => [o.month, m.slug ?? "unallocated", m.team, dollars(m.micros), m.inferences, m.inferenceSource, m.microsPer1k === null ? null : dollars(Math.round(m.microsPer1k))]),
  );
  return csvResponse(`costs-${o.month}.csv`, body);
});
