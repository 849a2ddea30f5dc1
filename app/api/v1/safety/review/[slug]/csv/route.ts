import { csvResponse } from "@/lib/csv";
import { rest } from "@/server/http/rest";
import { reviewCsv } from "@/server/safety/export";
import { releaseReview } from "@/server/safety/service";

export const GET = rest({ route: "/api/v1/safety/review/[slug]/csv", scope: "models:read" }, async ({ db, params, req }) => {
  const sp = new URL(req.url).searchParams;
  const review = await releaseReview(db, { slug: params.slug, candidate: Number(sp.get("candidate")), dataset: sp.get("dataset") || undefined });
  return csvResponse(`${review.model.slug}-v${review.candidate.version}-review.csv`, reviewCsv(review));
});
