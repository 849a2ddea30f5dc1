import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/signin-form";
import { signInErrorMessage } from "@/lib/sign-in-messages";
import { getSessionActor } from "@/server/auth/session";
import { demoEnabled, env, oidcEnabled } from "@/server/env";
import { safeCallbackPath } from "@/lib/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string | string[] }> }) {
  const sp = await searchParams;
  if (await getSessionActor()) redirect(safeCallback(sp.callbackUrl));
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <h1 className="text-xl font-semibold">Sign in to Sentinel</h1>
        <p className="mt-1 text-sm text-muted">The ML platform portal.</p>
        <SignInForm
          callbackUrl={safeCallback(sp.callbackUrl)}
          initialError={sp.error ? signInErrorMessage(sp.error, env.SIGNIN_LOCK_MINUTES) : undefined}
          oidcName={oidcEnabled ? env.OIDC_NAME : undefined}
          lockMinutes={env.SIGNIN_LOCK_MINUTES}
        />
        {demoEnabled ? (
          <div className="mt-6 rounded-md bg-amber-50 p-3 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
            <p className="font-semibold">Demo mode</p>
            <p className="mt-1">
              Sign in as <code>admin@example.com</code>, <code>engineer@example.com</code> or <code>viewer@example.com</code> with the password{" "}
              <code>{env.DEMO_PASSWORD === "sentinel-demo" ? "sentinel-demo" : "set in DEMO_PASSWORD"}</code>.
            </p>
          </div>
        ) : null}
      </div>
    </main>
  );
}

/** Only same-origin paths are accepted, so the sign-in page cannot be used as an open redirect. */
function safeCallback(url: string | string[] | undefined): string {
  return safeCallbackPath(url, env.NEXTAUTH_URL);
}
