import { artifactStore } from "@/server/artifacts";
import { rest } from "@/server/http/rest";
import { compareWithParent, getVariantComparison } from "@/server/registry/variant-comparison";

// The stored "variant vs parent" comparison of this version, or its state: none, running or failed.
export const GET = rest({ route: "/api/v1/models/[slug]/versions/[n]/comparison", scope: "models:read" }, async ({ db, actor, params }) =>
  getVariantComparison(db, actor, { slug: params.slug, version: Number(params.n) }),
);

// Computes the comparison (seconds to a minute) and records it, or returns the stored one with `reused: true`.
export const POST = rest({ route: "/api/v1/models/[slug]/versions/[n]/comparison", scope: "models:write" }, async ({ db, actor, params }) =>
  compareWithParent(db, artifactStore, actor, { slug: params.slug, version: Number(params.n) }),
);
