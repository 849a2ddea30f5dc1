import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { MODEL_TASKS, VERSION_STATUSES } from "@/server/registry/schemas";

export type ModelFilterValues = { q?: string; team?: string; task?: string; alias?: string; status?: string; sort?: string };

function Labelled({ id, label, children }: { id: string; label: string; children: React.ReactNode }) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">
        {label}
      </label>
      {children}
    </div>
  );
}

/** A plain GET form: works without JavaScript, and every filter lands in the URL. Submitting returns to page 1. */
export function ModelFilters({ values }: { values: ModelFilterValues }) {
  const active = Object.entries(values).some(([k, v]) => v && !(k === "sort" && v === "updated"));
  return (
    <form role="search" aria-label="Filter models" action="/models" className="mb-4 space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <Input
          name="q"
          type="search"
          placeholder="Search name, slug, description, tags"
          defaultValue={values.q}
          aria-label="Search models"
          className="min-w-64 flex-1"
        />
        <Button type="submit">Filter</Button>
        {active ? (
          <Link href="/models" className="px-1 text-sm text-link underline">
            Clear filters
          </Link>
        ) : null}
      </div>
      <div className="grid grid-cols-2 gap-2 md:grid-cols-5">
        <Labelled id="filter-team" label="Team">
          <Input id="filter-team" name="team" placeholder="any team" defaultValue={values.team} />
        </Labelled>
        <Labelled id="filter-task" label="Task">
          <Select id="filter-task" name="task" defaultValue={values.task ?? ""}>
            <option value="">any task</option>
            {MODEL_TASKS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Labelled>
        <Labelled id="filter-alias" label="Has alias">
          <Input id="filter-alias" name="alias" placeholder="e.g. production" defaultValue={values.alias} />
        </Labelled>
        <Labelled id="filter-status" label="Has a version that is">
          <Select id="filter-status" name="status" defaultValue={values.status ?? ""}>
            <option value="">any status</option>
            {VERSION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Labelled>
        <Labelled id="filter-sort" label="Sort by">
          <Select id="filter-sort" name="sort" defaultValue={values.sort ?? "updated"}>
            <option value="updated">last updated</option>
            <option value="name">name (slug)</option>
            <option value="versions">most versions</option>
          </Select>
        </Labelled>
      </div>
    </form>
  );
}
