import Link from "next/link";
import { formatBytes } from "@/lib/format";
import { GroundTruthBadges } from "./ground-truth-badges";
import type { Frame } from "./types";

/** Thumbnails load lazily at their real aspect ratio (width/height attributes), so the grid does not jump. */
export function FrameGrid({ frames }: { frames: Frame[] }) {
  return (
    <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" aria-label="Frames">
      {frames.map((f) => (
        <li key={f.id}>
          <Link
            href={`/frames/${f.id}`}
            className="group block h-full overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-sm hover:border-brand-500 focus-visible:outline-2 focus-visible:outline-focus dark:border-zinc-800 dark:bg-zinc-900"
          >
            <div className="flex aspect-video items-center justify-center bg-zinc-900">
              {/* A plain <img>: a server-made WebP thumbnail with a year of immutable caching, no optimiser needed. */}
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img
                src={f.thumbnailUrl}
                alt={f.name}
                width={f.width}
                height={f.height}
                loading="lazy"
                decoding="async"
                className="max-h-full w-auto max-w-full object-contain"
              />
            </div>
            <div className="space-y-1.5 p-3">
              <p className="truncate text-sm font-medium group-hover:text-link" title={f.name}>
                {f.name}
              </p>
              <p className="text-xs text-muted">
                {f.width}×{f.height} · {f.mediaType.replace("image/", "").toUpperCase()} · {formatBytes(f.sizeBytes)}
              </p>
              <p className="flex flex-wrap gap-1 text-xs text-zinc-600 dark:text-zinc-400" aria-label="Tags">
                {f.tags.map((t) => (
                  <span key={t} className="rounded bg-zinc-100 px-1.5 py-0.5 dark:bg-zinc-800">
                    {t}
                  </span>
                ))}
              </p>
              <GroundTruthBadges frame={f} />
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
