// Input schemas for API tokens.
import { z } from "zod";
import { SCOPE_NAMES } from "@/server/auth/roles";

export const ZCreateToken = z.strictObject({
  name: z.string().trim().min(1, "Give the token a name").max(100),
  scopes: z.array(z.enum(SCOPE_NAMES)).min(1, "Choose at least one scope").max(SCOPE_NAMES.length),
  expiresAt: z.coerce
    .date()
    .refine((d) => d.getTime() > Date.now(), "The expiry must be in the future")
    .optional()
    .nullable(),
});
/** Tokens made over REST expire after this many days unless the caller picks an earlier date. */
export const DEFAULT_API_TOKEN_DAYS = 90;

export type TCreateToken = z.input<typeof ZCreateToken>;

export const ZRevokeToken = z.strictObject({ tokenId: z.string().uuid() });
