import { csvResponse } from "@/lib/csv";
import { rest } from "@/server/http/rest";
import { publicOrigin } from "@/server/http/request-id";
import { readinessCsv, readinessMarkdown } from "@/server/releases/export";
import { ZReadinessFormat } from "@/server/releases/schemas";
import { releaseReadiness } from "@/server/releases/service";

// One door, three shapes: JSON rows, a CSV for spreadsheets, a Markdown release note for an email.
export const GET = rest({ route: "/api/v1/releases", scope: "models:read" }, async ({ db, req }) => {
  const { format } = ZReadinessFormat.parse(Object.fromEntries(new URL(req.url).searchParams));
  const now = new Date();
  const rows = await releaseReadiness(db, now);
  const day = now.toISOString().slice(0, 10);
  if (format === "csv") return csvResponse(`release-readiness-${day}.csv`, readinessCsv(rows, publicOrigin(req)));
  if (format === "markdown") {
    return new Response(readinessMarkdown(rows, publicOrigin(req), now), {
      headers: {
        "content-type": "text/markdown; charset=utf-8",
        "content-disposition": `attachment; filename="release-note-${day}.md"`,
        "cache-control": "no-store",
      },
    });
  }
  return { items: rows };
});
