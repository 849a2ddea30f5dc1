import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CsvImport } from "@/components/cost/csv-import";
import { PageHeader } from "@/components/ui/card";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

export const metadata: Metadata = { title: "Import costs" };

export default async function CostImportPage() {
  const { actor } = await serverApi();
  if (!roleAtLeast(actor.role, "engineer")) notFound();
  return (
    <>
      <PageHeader
        title="Import costs"
        description="Upload a FinOps FOCUS export. You see a preview first; the import is all or nothing, and rows imported before are skipped."
      />
      <CsvImport />
    </>
  );
}
