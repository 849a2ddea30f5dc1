import type { Metadata } from "next";
import { CreateToken } from "@/components/tokens/create-token";
import { TokenList } from "@/components/tokens/token-list";
import { PageHeader } from "@/components/ui/card";
import { roleAtLeast, SCOPE_NAMES, SCOPES } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const { api, actor } = await serverApi();
  const rows = await api.tokens.mine();
  const allowed = SCOPE_NAMES.filter((s) => roleAtLeast(actor.role, SCOPES[s]));
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let machines act as you, limited to the scopes you pick and never beyond your role."
        actions={<CreateToken allowed={allowed} />}
      />
      <TokenList rows={rows} />
    </>
  );
}
