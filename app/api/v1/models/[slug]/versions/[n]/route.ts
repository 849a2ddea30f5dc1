import { rest } from "@/server/http/rest";
import { ZUpdateVersion } from "@/server/registry/schemas";
import { getVersion, updateVersion, versionResource } from "@/server/registry/service";

export const GET = rest({ route: "/api/v1/models/[slug]/versions/[n]", scope: "models:read" }, async ({ db, params }) =>
  versionResource(await getVersion(db, params.slug, Number(params.n))),
);

export const PATCH = rest({ route: "/api/v1/models/[slug]/versions/[n]", scope: "models:write", body: ZUpdateVersion }, async ({ db, actor, params, body }) =>
  versionResource(await updateVersion(db, actor, params.slug, Number(params.n), body)),
);
