import { rest } from "@/server/http/rest";
import { ZCreateToken } from "@/server/tokens/schemas";
import { createToken, listTokens } from "@/server/tokens/service";

export const GET = rest({ route: "/api/v1/tokens", scope: "tokens:read" }, ({ db, actor }) => listTokens(db, actor).then((items) => ({ items })));

// The secret is in `token` and is shown only in this response. Tokens made here always expire (90 days by default).
export const POST = rest({ route: "/api/v1/tokens", scope: "tokens:write", body: ZCreateToken, status: 201 }, ({ db, actor, body }) =>
  createToken(db, actor, body),
);
