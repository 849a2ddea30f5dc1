import { rest } from "@/server/http/rest";
import { revokeToken } from "@/server/tokens/service";

export const DELETE = rest({ route: "/api/v1/tokens/[id]" }, ({ db, actor, params }) => revokeToken(db, actor, { tokenId: params.id }));
