import { absoluteTime, relativeTime } from "@/lib/format";

/** A relative time with the absolute UTC time on hover. */
export function Time({ value }: { value: Date | string | null | undefined }) {
  if (!value) return <span className="text-muted">never</span>;
  const d = new Date(value);
  return (
    <time dateTime={d.toISOString()} title={absoluteTime(d)} suppressHydrationWarning>
      {relativeTime(d)}
    </time>
  );
}
