import type { Metadata } from "next";
import { CreateUser, UsersAdmin } from "@/components/admin/users-admin";
import { PageHeader } from "@/components/ui/card";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const { api, actor } = await serverApi();
  const rows = await api.admin.users();
  return (
    <>
      <PageHeader title="Users" description="Roles: viewers read everything, engineers change models, runs and non-production deploys, admins manage users and approve production." actions={<CreateUser />} />
      <UsersAdmin rows={rows} selfId={actor.userId} />
    </>
  );
}
