export default function FrameLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <div className="h-4 w-28 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-7 w-56 rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="aspect-video rounded-lg bg-zinc-200 dark:bg-zinc-800" />
        <div className="space-y-4">
          <div className="h-28 rounded-lg bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-40 rounded-lg bg-zinc-200 dark:bg-zinc-800" />
        </div>
      </div>
      <span className="sr-only">Loading frame…</span>
    </div>
  );
}
