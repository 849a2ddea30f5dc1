import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";

/** Picks two versions and opens the comparison; a GET form, so it works without JavaScript. */
export function CompareForm({ slug, versions, a, b }: { slug: string; versions: number[]; a?: number; b?: number }) {
  const [newest, previous] = versions;
  return (
    <form action={`/models/${slug}/compare`} className="flex flex-wrap items-end gap-2" aria-label="Compare versions">
      <label className="w-24 text-sm">
        <span className="mb-1 block font-medium text-zinc-700 dark:text-zinc-300">From</span>
        <Select name="a" defaultValue={String(a ?? previous ?? newest)}>
          {versions.map((n) => (
            <option key={n} value={n}>
              v{n}
            </option>
          ))}
        </Select>
      </label>
      <label className="w-24 text-sm">
        <span className="mb-1 block font-medium text-zinc-700 dark:text-zinc-300">To</span>
        <Select name="b" defaultValue={String(b ?? newest)}>
          {versions.map((n) => (
            <option key={n} value={n}>
              v{n}
            </option>
          ))}
        </Select>
      </label>
      <Button type="submit" variant="secondary">
        Compare
      </Button>
    </form>
  );
}
