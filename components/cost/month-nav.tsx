import Link from "next/link";

function shift(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** Previous / next month links; the month lives in the URL. */
export function MonthNav({ month, base }: { month: string; base: string }) {
  return (
    <nav aria-label="Month" className="flex items-center gap-2 text-sm">
      <Link className="text-brand-600 underline" href={`${base}?month=${shift(month, -1)}`}>
        ← {shift(month, -1)}
      </Link>
      <span className="font-semibold">{month}</span>
      <Link className="text-brand-600 underline" href={`${base}?month=${shift(month, 1)}`}>
        {shift(month, 1)} →
      </Link>
    </nav>
  );
}
