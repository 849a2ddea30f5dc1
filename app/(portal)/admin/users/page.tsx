import type { Metadata } from "next";
import { CreateUser, SignInLocks, UsersAdmin } from "@/components/admin/users-admin";
import { PageHeader } from "@/components/ui/card";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const { api, actor } = await serverApi();
  const [rows, throttles] = await Promise.all([api.admin.users(), api.admin.signInThrottles()]);
  return (
    <>
      <PageHeader
        title="Users"
        description="Roles: viewers read everything, engineers change models, runs and non-production deploys, admins manage users and approve production."
        actions={<CreateUser />}
      />
      <UsersAdmin rows={rows} selfId={actor.userId} throttles={throttles} />
      <SignInLocks rows={throttles} knownEmails={rows.map((u) => u.email)} />
    </>
  );
}
