// next-auth configuration: local credentials (throttled), optional generic OIDC, JWT cookies that
// name a server-side session row, checked on every request so sign-out and deactivation take effect.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { getDb } from "@/server/db";
import { env, oidcEnabled } from "@/server/env";
import { logger } from "@/server/log";
import { clientAddress } from "@/server/http/client-address";
import { findUserByOidcSubject, resolveOidcSignIn, type OidcSignInResult } from "./oidc";
import { ZEmail } from "./schemas";
import { sessionSecret } from "./secret";
import { endSessionOnSignOut, isSessionLive, startSession } from "./sessions";
import { attemptSignIn } from "./throttle";
import { getUserById } from "./users";

/** Thrown from the jwt callback when the cookie's session is over; next-auth then clears the cookie. */
class SessionEnded extends Error {
  constructor() {
    super("SessionEnded");
    this.name = "SessionEnded";
  }
}

/** next-auth turns a thrown error or a returned path into ?error=<code>; the sign-in page explains each. */
const OIDC_ERROR: Record<Extract<OidcSignInResult, { ok: false }>["reason"], string> = {
  no_email: "OidcNoEmail",
  email_unverified: "OidcEmailUnverified",
  admin_not_linked: "OidcNotLinked",
  bound_elsewhere: "OidcNotLinked",
  inactive: "AccountDeactivated",
};

function oidcSubject(sub: string): string {
  return `${env.OIDC_ISSUER!.replace(/\/$/, "")}#${sub}`;
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (options) return options;
  const maxAgeSeconds = Math.round(env.SESSION_MAX_AGE_HOURS * 3600);
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const email = ZEmail.safeParse(credentials?.email);
        const password = credentials?.password;
        if (!email.success || !password || password.length > 200) return null;
        const result = await attemptSignIn(await getDb(), { email: email.data, password, address: clientAddress(req?.headers ?? {}) });
        if (!result.ok) {
          if (result.reason === "locked") throw new Error("AccountLocked");
          if (result.reason === "inactive") throw new Error("AccountDeactivated");
          return null;
        }
        return { id: result.user.id, email: result.user.email, name: result.user.name };
      },
    }),
  ];
  if (oidcEnabled) {
    providers.push({
      id: "oidc",
      name: env.OIDC_NAME,
      type: "oauth",
      wellKnown: `${env.OIDC_ISSUER!.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.OIDC_CLIENT_ID,
      clientSecret: env.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state"],
      authorization: { params: { scope: "openid email profile" } },
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? profile.sub };
      },
    });
  }
  options = {
    secret: sessionSecret(),
    session: { strategy: "jwt", maxAge: maxAgeSeconds },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    logger: {
      error(code, metadata) {
        // An ended session is routine (signed out elsewhere, deactivated): not an error worth a log line.
        if (metadata instanceof Error ? metadata.name === "SessionEnded" : (metadata as { name?: string } | undefined)?.name === "SessionEnded") return;
        logger.error({ code, err: metadata }, "next-auth error");
      },
      warn(code) {
        logger.warn({ code }, "next-auth warning");
      },
      debug() {},
    },
    callbacks: {
      async signIn({ account, profile }) {
        if (account?.provider !== "oidc") return true;
        const claims = (profile ?? {}) as { email?: unknown; email_verified?: unknown; name?: unknown };
        const result = await resolveOidcSignIn(await getDb(), {
          subject: oidcSubject(account.providerAccountId),
          email: typeof claims.email === "string" ? claims.email : null,
          emailVerified: claims.email_verified === true,
          name: typeof claims.name === "string" ? claims.name : "",
        });
        return result.ok ? true : `/signin?error=${OIDC_ERROR[result.reason]}`;
      },
      async jwt({ token, user, account }) {
        const db = await getDb();
        if (user) {
          // Signing in: the local user behind the credentials or the bound OIDC identity gets a session row.
          const local = account?.provider === "oidc" ? await findUserByOidcSubject(db, oidcSubject(account.providerAccountId)) : await getUserById(db, user.id);
          if (!local || !local.active) throw new SessionEnded();
          const h = await headers();
          const session = await startSession(db, local, {
            method: account?.provider === "oidc" ? "oidc" : "credentials",
            userAgent: h.get("user-agent"),
            address: clientAddress(h),
            maxAgeMs: maxAgeSeconds * 1000,
          });
          return { ...token, uid: local.id, sid: session.id };
        }
        // Every later request: the session row must still be open (cookies from before this check carry no sid).
        if (!token.uid || !token.sid || !(await isSessionLive(db, token.sid, token.uid))) throw new SessionEnded();
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        if (typeof token.sid === "string") session.sessionId = token.sid;
        return session;
      },
      async redirect({ url, baseUrl }) {
        return `${baseUrl.replace(/\/$/, "")}${safeCallbackPath(url, baseUrl)}`;
      },
    },
    events: {
      async signOut({ token }) {
        if (token?.sid && token.uid) await endSessionOnSignOut(await getDb(), token.sid, token.uid);
      },
    },
  };
  return options;
}
