import { PageLoading } from "@/components/ui/page-loading";

export default function FramesLoading() {
  return <PageLoading label="Loading frames…" items="cards" />;
}
