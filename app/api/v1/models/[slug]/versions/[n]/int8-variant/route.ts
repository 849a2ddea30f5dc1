import { z } from "zod";
import { artifactStore } from "@/server/artifacts";
import { rest } from "@/server/http/rest";
import { versionResource } from "@/server/registry/service";
import { makeInt8Variant } from "@/server/registry/variants";

// Quantises the version to int8 and registers the result as a new draft version derived from it. The body (optional)
// chooses the method: {} or {"method":"weight-only"}, or {"method":"static","calibrationTag":"fcw-calib-v1","calibrationFrames":32};
// the service parses it together with the path.
export const POST = rest(
  { route: "/api/v1/models/[slug]/versions/[n]/int8-variant", scope: "models:write", status: 201, body: z.record(z.string(), z.unknown()) },
  async ({ db, actor, params, body }) =>
    versionResource(await makeInt8Variant(db, artifactStore, actor, { ...body, slug: params.slug, version: Number(params.n) })),
);
