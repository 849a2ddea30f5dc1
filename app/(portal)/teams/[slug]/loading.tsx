import { PageLoading } from "@/components/ui/page-loading";

export default function TeamLoading() {
  return <PageLoading label="Loading the team…" items="rows" />;
}
