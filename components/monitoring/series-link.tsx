import Link from "next/link";

/** The link from an alert (on /alerts, an incident or the home card) to the exact series that fired. */
export function SeriesLink({ series, className = "text-sm" }: { series: { href: string } | null | undefined; className?: string }) {
  if (!series) return null;
  return (
    <p className={className}>
      <Link className="text-link underline" href={series.href}>
        See the series that fired
      </Link>
    </p>
  );
}
