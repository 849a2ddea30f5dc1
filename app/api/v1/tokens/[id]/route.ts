import { rest } from "@/server/http/rest";
import { revokeToken } from "@/server/tokens/service";

// Revokes the token and every token it minted; another user's token needs an admin and, through a token, the admin scope.
export const DELETE = rest({ route: "/api/v1/tokens/[id]", scope: "tokens:write" }, ({ db, actor, params }) => revokeToken(db, actor, { tokenId: params.id }));
