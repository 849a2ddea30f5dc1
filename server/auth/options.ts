// next-auth configuration: local credentials, optional generic OIDC, JWT sessions holding the user id.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/server/db";
import { env, oidcEnabled } from "@/server/env";
import { sessionSecret } from "./secret";
import { upsertOidcUser, verifyCredentials } from "./users";
import { ZEmail } from "./schemas";

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  if (options) return options;
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = ZEmail.safeParse(credentials?.email);
        const password = credentials?.password;
        if (!email.success || !password || password.length > 200) return null;
        const result = await verifyCredentials(await getDb(), email.data, password);
        if (!result.ok) {
          // next-auth turns a thrown error into ?error=<message>; the sign-in page shows it.
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
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        if (!user.email) return false;
        const local = await upsertOidcUser(await getDb(), user.email, user.name ?? user.email);
        return local.active;
      },
      async jwt({ token, user, account }) {
        if (user && account?.provider === "oidc" && user.email) {
          const local = await upsertOidcUser(await getDb(), user.email, user.name ?? user.email);
          token.uid = local.id;
        } else if (user) {
          token.uid = user.id;
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
  return options;
}
