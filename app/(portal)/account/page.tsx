import type { Metadata } from "next";
import Link from "next/link";
import { SessionList } from "@/components/account/session-list";
import { PageHeader } from "@/components/ui/card";
import { serverApi } from "@/server/caller";
import { env } from "@/server/env";

export const metadata: Metadata = { title: "Your sessions" };

export default async function AccountPage() {
  const { api, actor } = await serverApi();
  const sessions = await api.sessions.mine();
  return (
    <>
      <PageHeader
        title="Your sessions"
        description={`Browsers signed in as ${actor.email}. A session ends when you sign out, after ${env.SESSION_MAX_AGE_HOURS} hours, or when you end it here.`}
      />
      <SessionList rows={sessions} />
      <p className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
        API tokens are separate and keep working after you sign out; manage them on the{" "}
        <Link href="/tokens" className="font-medium text-blue-700 underline underline-offset-2 dark:text-blue-400">
          API tokens
        </Link>{" "}
        page.
      </p>
    </>
  );
}
