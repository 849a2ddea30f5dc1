import type { Metadata } from "next";
import { FrameGrid } from "@/components/frames/frame-grid";
import { FramePager } from "@/components/frames/frame-pager";
import { TagFilter } from "@/components/frames/tag-filter";
import type { FrameFilters } from "@/components/frames/types";
import { UploadFrame } from "@/components/frames/upload-frame";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";
import { ZFrameTag, ZListFrames } from "@/server/frames/schemas";

export const metadata: Metadata = { title: "Sample frames" };

const PAGE_SIZE = 24;
type SP = Record<string, string | string[] | undefined>;

export default async function FramesPage({ searchParams }: { searchParams: Promise<SP> }) {
  const raw = await searchParams;
  const all = (k: string) => [raw[k] ?? []].flat();
  // Each param is checked on its own, so one bad value is ignored rather than failing the page.
  const tags = [...new Set(all("tag").flatMap((t) => ZFrameTag.safeParse(t).data ?? []))].slice(0, 20);
  const filters: FrameFilters = { tags, match: all("match")[0] === "any" ? "any" : "all", source: ZListFrames.shape.source.safeParse(all("source")[0]).data };
  const page = ZListFrames.shape.page.safeParse(all("page")[0]).data ?? 1;
  const { api, actor } = await serverApi();
  const [list, counts] = await Promise.all([api.frames.list({ ...filters, page, pageSize: PAGE_SIZE }), api.frames.tags()]);
  const canEdit = roleAtLeast(actor.role, "engineer");
  const filtered = tags.length > 0 || !!filters.source;

  return (
    <>
      <PageHeader
        title="Sample frames"
        description="Camera frames to try models on in the playground, with tags and ground truth (boxes, text, camera-health class)."
        actions={canEdit ? <UploadFrame /> : null}
      />
      <TagFilter filters={filters} counts={counts} />
      {list.items.length ? (
        <FrameGrid frames={list.items} />
      ) : filtered || page > 1 ? (
        <EmptyState title="No frames match these filters">Remove a tag, switch to “any of these tags”, or clear the filters.</EmptyState>
      ) : (
        <EmptyState title="No frames yet">
          {canEdit
            ? "Upload a JPEG, PNG or WebP image, or run npx tsx scripts/generate-frames.ts for the generated demo set."
            : "Engineers add frames here; ask one to upload yours."}
        </EmptyState>
      )}
      {list.total > PAGE_SIZE || page > 1 ? <FramePager filters={filters} page={list.page} pageSize={list.pageSize} total={list.total} /> : null}
    </>
  );
}
