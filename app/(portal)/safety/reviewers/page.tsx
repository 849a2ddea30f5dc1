import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ReviewersAdmin } from "@/components/safety/reviewers-admin";
import { PageHeader } from "@/components/ui/card";
import { serverApi } from "@/server/caller";
import { canManageReviewers } from "@/server/safety/policy";

export const metadata: Metadata = { title: "Safety reviewers" };

export default async function SafetyReviewersPage() {
  const { api, actor } = await serverApi();
  // Admins only; others get the same 404 as a missing page.
  if (!canManageReviewers(actor).allowed) notFound();
  const rows = await api.safety.reviewers();
  return (
    <>
      <PageHeader
        title="Safety reviewers"
        description="Safety reviewers record approve or reject for release candidates. Any user can be one, whatever their role; PMs are usually viewers."
      />
      <ReviewersAdmin rows={rows} />
    </>
  );
}
