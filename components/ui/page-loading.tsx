/** Skeleton for a page's loading.tsx. Kept out of the portal root so notFound() below it still answers 404. */
const bone = "bg-zinc-200 dark:bg-zinc-800";

type Props = {
  /** Read out by screen readers ("Loading frames…"). */
  label?: string;
  /** A list page: a title, its filter bar and eight placeholders, as cards in a grid or as table rows. */
  items?: "cards" | "rows";
};

export function PageLoading({ label = "Loading…", items }: Props) {
  if (!items) {
    return (
      <div role="status" aria-live="polite" className="animate-pulse space-y-3">
        <div className={`h-6 w-48 rounded ${bone}`} />
        <div className={`h-24 rounded ${bone}`} />
        <span className="sr-only">{label}</span>
      </div>
    );
  }
  const eight = Array.from({ length: 8 }, (_, i) => i);
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <div className={`h-7 w-48 rounded ${bone}`} />
      {/* The frames filter is a row of tag chips; the models filter a search box, a little taller. */}
      <div className={`${items === "cards" ? "h-8" : "h-9"} rounded ${bone}`} />
      {items === "cards" ? (
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4">
          {eight.map((i) => (
            <div key={i} className={`aspect-video rounded-lg ${bone}`} />
          ))}
        </div>
      ) : (
        <div className="space-y-2">
          {eight.map((i) => (
            <div key={i} className={`h-10 rounded ${bone}`} />
          ))}
        </div>
      )}
      <span className="sr-only">{label}</span>
    </div>
  );
}
