import Link from "next/link";
import { monthInWords } from "@/lib/cost-format";

function shift(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** Previous / next month links; the month lives in the URL, beside any other filters (kept). */
export function MonthNav({ month, base, keep = {} }: { month: string; base: string; keep?: Record<string, string | null> }) {
  const extra = Object.entries(keep)
    .filter((e): e is [string, string] => Boolean(e[1]))
    .map(([k, v]) => `&${k}=${encodeURIComponent(v)}`)
    .join("");
  return (
    <nav aria-label="Month" className="flex items-center gap-2 text-sm">
      <Link className="text-link underline" href={`${base}?month=${shift(month, -1)}${extra}`}>
        ← {monthInWords(shift(month, -1))}
      </Link>
      <span className="font-semibold">{monthInWords(month)}</span>
      <Link className="text-link underline" href={`${base}?month=${shift(month, 1)}${extra}`}>
        {monthInWords(shift(month, 1))} →
      </Link>
    </nav>
  );
}
