import { rest } from "@/server/http/rest";
import { ZCreateModel } from "@/server/registry/schemas";
import { createModel, listModels } from "@/server/registry/service";

export const GET = rest({ route: "/api/v1/models", scope: "models:read" }, ({ db, req }) => {
  const sp = new URL(req.url).searchParams;
  return listModels(db, undefinedIfEmpty(sp));
});

export const POST = rest({ route: "/api/v1/models", scope: "models:write", body: ZCreateModel, status: 201 }, ({ db, actor, body }) =>
  createModel(db, actor, body),
);

function undefinedIfEmpty(sp: URLSearchParams) {
  const get = (k: string) => sp.get(k) || undefined;
  return {
    q: get("q"),
    team: get("team"),
    task: get("task"),
    tag: get("tag"),
    alias: get("alias"),
    status: get("status"),
    sort: get("sort"),
    page: get("page"),
    pageSize: get("pageSize"),
  };
}
