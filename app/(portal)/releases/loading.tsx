import { PageLoading } from "@/components/ui/page-loading";

export default function ReleasesLoading() {
  return <PageLoading label="Loading release readiness…" items="rows" />;
}
