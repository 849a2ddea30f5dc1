// Filters as a plain GET form: the URL is the state, so a filtered view can be shared, and it works before hydration.
import Link from "next/link";
import { RESOURCE_KIND_LABELS, RESOURCE_KINDS } from "@/server/cost/schemas";

type Props = {
  base: string;
  month: string;
  values: { model?: string | null; environment: string | null; kind: string | null };
  models?: { slug: string; name: string }[];
  environments: string[];
};

const select = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";

export function CostFilters({ base, month, values, models, environments }: Props) {
  const active = Boolean(values.model || values.environment || values.kind);
  return (
    <form method="get" action={base} aria-label="Filters" className="flex flex-wrap items-end gap-3 text-sm">
      <input type="hidden" name="month" value={month} />
      {models ? (
        <label className="text-xs">
          <span className="block font-medium">Model</span>
          <select name="model" aria-label="Model" defaultValue={values.model ?? ""} className={select}>
            <option value="">All models</option>
            {models.map((m) => (
              <option key={m.slug} value={m.slug}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="text-xs">
        <span className="block font-medium">Environment</span>
        <select name="environment" aria-label="Environment" defaultValue={values.environment ?? ""} className={select}>
          <option value="">All environments</option>
          {[...new Set([...environments, ...(values.environment ? [values.environment] : [])])].map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </label>
      <label className="text-xs">
        <span className="block font-medium">Resource kind</span>
        <select name="kind" aria-label="Resource kind" defaultValue={values.kind ?? ""} className={select}>
          <option value="">All kinds</option>
          {RESOURCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {RESOURCE_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="rounded-md border border-zinc-300 px-3 py-1 font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">
        Apply
      </button>
      {active ? (
        <Link className="text-link underline" href={`${base}?month=${month}`}>
          Clear filters
        </Link>
      ) : null}
    </form>
  );
}
