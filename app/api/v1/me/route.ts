import { rest } from "@/server/http/rest";

export const GET = rest({ route: "/api/v1/me" }, async ({ actor }) => ({
  userId: actor.userId,
  email: actor.email,
  role: actor.role,
  tokenId: actor.tokenId ?? null,
  scopes: actor.scopes ?? null,
}));
