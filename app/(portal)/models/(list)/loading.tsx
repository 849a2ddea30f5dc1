import { PageLoading } from "@/components/ui/page-loading";

export default function ModelsLoading() {
  return <PageLoading label="Loading models…" items="rows" />;
}
