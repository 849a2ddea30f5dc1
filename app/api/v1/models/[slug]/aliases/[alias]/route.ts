import { publicOrigin } from "@/server/http/request-id";
import { rest } from "@/server/http/rest";
import { ZSetAlias } from "@/server/registry/schemas";
import { deleteAlias, resolveAlias, setAlias, versionResource } from "@/server/registry/service";

// What devices and serving call: the version behind an alias, with manifest, hash, size and download URL.
export const GET = rest({ route: "/api/v1/models/[slug]/aliases/[alias]", scope: "models:read" }, async ({ db, params, req }) => {
  const r = versionResource(await resolveAlias(db, params.slug, params.alias), publicOrigin(req));
  return { alias: params.alias, ...r, size: r.artifact.held ? r.artifact.size : null, downloadUrl: r.artifact.held ? r.artifact.downloadUrl : null };
});

export const PUT = rest({ route: "/api/v1/models/[slug]/aliases/[alias]", scope: "models:write", body: ZSetAlias }, ({ db, actor, params, body }) =>
  setAlias(db, actor, params.slug, params.alias, body.version),
);

export const DELETE = rest({ route: "/api/v1/models/[slug]/aliases/[alias]", scope: "models:write" }, ({ db, actor, params }) =>
  deleteAlias(db, actor, params.slug, params.alias),
);
