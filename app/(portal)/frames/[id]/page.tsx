import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { DeleteFrame, EditTags } from "@/components/frames/frame-actions";
import { FrameView } from "@/components/frames/frame-view";
import { GroundTruthBadges } from "@/components/frames/ground-truth-badges";
import { Card, PageHeader } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatBytes } from "@/lib/format";
import { roleAtLeast } from "@/server/auth/roles";
import { serverApi } from "@/server/caller";

type Params = { id: string };

export const metadata: Metadata = { title: "Frame" };

export default async function FramePage({ params }: { params: Promise<Params> }) {
  const { id } = await params;
  const { api, actor } = await serverApi();
  const frame = await api.frames.get({ id }).catch((e: unknown) => {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  });
  const canEdit = roleAtLeast(actor.role, "engineer");
  const gt = frame.groundTruth;
  const boxes = gt?.boxes ?? [];
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/frames" className="text-link hover:underline">
          Sample frames
        </Link>
      </nav>
      <PageHeader
        title={frame.name}
        description={`${frame.width}×${frame.height} ${frame.mediaType.replace("image/", "").toUpperCase()} · ${formatBytes(frame.sizeBytes)} · ${frame.source === "generated" ? "generated" : "uploaded"}`}
        actions={canEdit ? <DeleteFrame frame={frame} /> : null}
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <FrameView frame={frame} />
        <div className="space-y-4">
          <Card>
            <h2 className="mb-2 text-sm font-semibold">Tags</h2>
            <div className="mb-3 flex flex-wrap gap-1.5">
              {frame.tags.length ? (
                frame.tags.map((t) => (
                  <Link
                    key={t}
                    href={`/frames?tag=${encodeURIComponent(t)}`}
                    className="rounded-full border border-zinc-300 px-2.5 py-0.5 text-sm hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  >
                    {t}
                  </Link>
                ))
              ) : (
                <span className="text-sm text-muted">No tags</span>
              )}
            </div>
            {canEdit ? <EditTags frame={frame} /> : null}
          </Card>
          <Card>
            <h2 className="mb-2 text-sm font-semibold">Ground truth</h2>
            <GroundTruthBadges frame={frame} />
            {gt?.texts?.length ? (
              <>
                <h3 className="mt-3 text-xs font-semibold uppercase tracking-wide text-muted">Text in the frame</h3>
                <ul className="mt-1 space-y-0.5 font-mono text-sm">
                  {gt.texts.map((t, i) => (
                    <li key={i}>{t}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </Card>
          <Card>
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-muted">Added</dt>
              <dd>
                <Time value={frame.createdAt} /> {frame.createdBy ? `by ${frame.createdBy}` : "by the demo seed"}
              </dd>
              <dt className="text-muted">sha256</dt>
              <dd className="break-all font-mono text-xs">{frame.sha256}</dd>
              <dt className="text-muted">Image</dt>
              <dd>
                <a href={frame.imageUrl} className="text-link hover:underline">
                  {frame.imageUrl}
                </a>
              </dd>
            </dl>
          </Card>
        </div>
      </div>
      {boxes.length ? (
        <section className="mt-6">
          <h2 className="mb-2 text-base font-semibold">Boxes</h2>
          <Table>
            <thead>
              <tr>
                <Th>Label</Th>
                <Th>Text</Th>
                <Th className="text-right">x</Th>
                <Th className="text-right">y</Th>
                <Th className="text-right">w</Th>
                <Th className="text-right">h</Th>
              </tr>
            </thead>
            <tbody>
              {boxes.map((b, i) => (
                <tr key={i}>
                  <Td>{b.label}</Td>
                  <Td className="font-mono">{b.text ?? ""}</Td>
                  <Td className="text-right tabular-nums">{b.x}</Td>
                  <Td className="text-right tabular-nums">{b.y}</Td>
                  <Td className="text-right tabular-nums">{b.w}</Td>
                  <Td className="text-right tabular-nums">{b.h}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </section>
      ) : null}
    </>
  );
}
