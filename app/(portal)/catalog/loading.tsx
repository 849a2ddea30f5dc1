import { PageLoading } from "@/components/ui/page-loading";

export default function CatalogLoading() {
  return <PageLoading label="Loading the catalog…" items="rows" />;
}
