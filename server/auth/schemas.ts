// Input schemas for users; shared by tRPC, REST, forms and the shell scripts.
import { z } from "zod";
import { ROLES } from "./roles";

export const ZEmail = z.string().trim().toLowerCase().email("Enter a valid email address").max(254);
export const ZPassword = z.string().min(10, "Passwords need at least 10 characters").max(200);

export const ZCreateUser = z.strictObject({
  email: ZEmail,
  name: z.string().trim().min(1).max(120).optional(),
  role: z.enum(ROLES),
  password: ZPassword,
});
export type TCreateUser = z.infer<typeof ZCreateUser>;

export const ZChangeRole = z.strictObject({ userId: z.string().uuid(), role: z.enum(ROLES) });
export const ZSetActive = z.strictObject({ userId: z.string().uuid(), active: z.boolean() });

export const ZEndSession = z.strictObject({ sessionId: z.string().uuid() });
export const ZUnlockSignIn = z.strictObject({ kind: z.enum(["account", "address"]), key: z.string().trim().min(1).max(254) });
