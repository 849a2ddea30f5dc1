import { CSV_MAX_BYTES } from "@/server/cost/focus-csv";
import { importCostCsv, previewCostCsv } from "@/server/cost/service";
import { readBodyText } from "@/server/http/body";
import { rest } from "@/server/http/rest";

// The body is the CSV itself (text/csv); ?dryRun=1 validates and previews without writing.
export const POST = rest({ route: "/api/v1/costs/csv", scope: "cost:write" }, async ({ db, actor, req }) => {
  const url = new URL(req.url);
  const text = await readBodyText(req, CSV_MAX_BYTES);
  if (url.searchParams.get("dryRun") === "1") return previewCostCsv(db, text);
  const result = await importCostCsv(db, actor, text, url.searchParams.get("fileName") ?? undefined);
  return Response.json(result, { status: 201 });
});
