import { artifactStore } from "@/server/artifacts";
import { rest } from "@/server/http/rest";
import { versionResource } from "@/server/registry/service";
import { makeInt8Variant } from "@/server/registry/variants";

// Quantises the version's weights to int8 and registers the result as a new draft version derived from it.
export const POST = rest({ route: "/api/v1/models/[slug]/versions/[n]/int8-variant", scope: "models:write", status: 201 }, async ({ db, actor, params }) =>
  versionResource(await makeInt8Variant(db, artifactStore, actor, { slug: params.slug, version: Number(params.n) })),
);
