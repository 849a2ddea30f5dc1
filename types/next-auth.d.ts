import "next-auth";
import "next-auth/jwt";

declare module "next-auth" {
  interface Session {
    user?: { id?: string; name?: string | null; email?: string | null; image?: string | null };
    /** The server-side session row this cookie belongs to (user_sessions.id). */
    sessionId?: string;
  }
}
declare module "next-auth/jwt" {
  interface JWT {
    uid?: string;
    /** user_sessions.id, checked on every request. */
    sid?: string;
  }
}
