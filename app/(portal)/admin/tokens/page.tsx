import type { Metadata } from "next";
import { TokenList } from "@/components/tokens/token-list";
import { PageHeader } from "@/components/ui/card";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "All tokens" };

export default async function AdminTokensPage() {
  const { api } = await serverApi();
  const rows = await api.admin.tokens();
  return (
    <>
      <PageHeader title="All API tokens" description="Every user's tokens. Revoking one takes effect on its next request." />
      <TokenList rows={rows} showOwner admin />
    </>
  );
}
