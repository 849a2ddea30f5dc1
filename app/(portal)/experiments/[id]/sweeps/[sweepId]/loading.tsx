import { PageLoading } from "@/components/ui/page-loading";

export default function SweepLoading() {
  return <PageLoading label="Loading the sweep…" />;
}
