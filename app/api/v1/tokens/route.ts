import { rest } from "@/server/http/rest";
import { ZCreateToken } from "@/server/tokens/schemas";
import { createToken, listTokens } from "@/server/tokens/service";

export const GET = rest({ route: "/api/v1/tokens" }, ({ db, actor }) => listTokens(db, actor).then((items) => ({ items })));

// The secret is in `token` and is shown only in this response.
export const POST = rest({ route: "/api/v1/tokens", body: ZCreateToken, status: 201 }, ({ db, actor, body }) => createToken(db, actor, body));
