import type { Metadata } from "next";
import Link from "next/link";
import { RunbookMarkdown } from "@/components/runbooks/runbook-markdown";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { orNotFound, positiveInt } from "@/components/ui/or-not-found";
import { Time } from "@/components/ui/time";
import { cn } from "@/lib/cn";
import { serverApi } from "@/server/caller";
import { canEditRunbook } from "@/server/runbooks/policy";

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;
export const metadata: Metadata = { title: "Runbook" };

export default async function RunbookPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const { id } = await params;
  const sp = await searchParams;
  const { api, actor } = await serverApi();
  const r = await orNotFound(api.runbooks.get({ id, version: positiveInt(sp.version) ?? undefined }));
  const from = positiveInt(sp.from);
  const to = positiveInt(sp.to);
  const diff = from && to ? await orNotFound(api.runbooks.diff({ id: r.id, from, to })) : null;
  const model = r.links.models[0] ?? null;
  return (
    <>
      <p className="mb-2 text-sm text-muted">
        <Link href="/runbooks" className="hover:underline">
          Runbooks
        </Link>{" "}
        / {r.title}
      </p>
      <PageHeader
        title={r.title}
        description={r.version === r.latest ? `Version ${r.version}, the current one.` : `Version ${r.version} of ${r.latest} (an older version).`}
        actions={
          canEditRunbook(actor).allowed ? (
            <Link href={`/runbooks/${r.id}/edit`} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700">
              Edit
            </Link>
          ) : undefined
        }
      />
      <div className="mb-4 flex flex-wrap gap-1 text-xs">
        {r.links.alertKinds.map((x) => (
          <Badge key={`k${x}`} tone="red">
            {x} alerts
          </Badge>
        ))}
        {r.links.rulePrefixes.map((x) => (
          <Badge key={`r${x}`} tone="amber">
            rule {x}…
          </Badge>
        ))}
        {r.links.models.map((x) => (
          <Badge key={`m${x}`} tone="blue">
            {x}
          </Badge>
        ))}
        {r.links.services.map((x) => (
          <Badge key={`s${x}`}>{x}</Badge>
        ))}
      </div>
      <div className="grid gap-4 lg:grid-cols-[1fr_18rem]">
        <div className="min-w-0 space-y-4">
          {diff ? (
            <Card>
              <h2 className="mb-2 text-sm font-semibold">
                Changes from v{diff.from} to v{diff.to}: <span className="text-emerald-700 dark:text-emerald-400">+{diff.added}</span>{" "}
                <span className="text-red-700 dark:text-red-400">−{diff.removed}</span>
                {diff.titleFrom !== diff.titleTo ? (
                  <span className="font-normal">
                    {" "}
                    · title “{diff.titleFrom}” → “{diff.titleTo}”
                  </span>
                ) : null}
              </h2>
              <pre className="overflow-x-auto text-xs leading-5" aria-label="Diff">
                {diff.lines.map((l, n) => (
                  <div
                    key={n}
                    className={cn(
                      "px-2",
                      l.op === "add" && "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
                      l.op === "del" && "bg-red-50 text-red-900 dark:bg-red-950 dark:text-red-200",
                    )}
                  >
                    <span className="select-none text-muted">{l.op === "add" ? "+ " : l.op === "del" ? "− " : "  "}</span>
                    {l.text || " "}
                  </div>
                ))}
              </pre>
            </Card>
          ) : null}
          <Card>
            <RunbookMarkdown body={r.body} model={model} />
          </Card>
        </div>
        <Card>
          <h2 className="mb-2 text-sm font-semibold">History</h2>
          <ol className="space-y-2 text-sm" aria-label="Versions">
            {r.history.map((h) => (
              <li key={h.number}>
                <Link
                  href={`/runbooks/${r.id}?version=${h.number}`}
                  aria-current={h.number === r.version ? "page" : undefined}
                  className={cn("font-medium hover:underline", h.number === r.version && "text-link")}
                >
                  v{h.number}
                </Link>{" "}
                <span className="text-xs text-muted">
                  {h.author ?? "unknown"}, <Time value={h.createdAt} />
                </span>
                {h.message ? <p className="text-xs text-zinc-600 dark:text-zinc-400">{h.message}</p> : null}
                {h.number > 1 ? (
                  <Link className="text-xs underline" href={`/runbooks/${r.id}?from=${h.number - 1}&to=${h.number}`}>
                    diff with v{h.number - 1}
                  </Link>
                ) : null}
              </li>
            ))}
          </ol>
          {r.history.length > 2 ? (
            <form className="mt-3 flex items-center gap-1 text-xs" action={`/runbooks/${r.id}`}>
              <label htmlFor="diff-from">Compare v</label>
              <input
                id="diff-from"
                name="from"
                type="number"
                min={1}
                max={r.latest}
                defaultValue={1}
                className="w-12 rounded border border-zinc-300 px-1 dark:border-zinc-700 dark:bg-zinc-900"
              />
              <label htmlFor="diff-to">with v</label>
              <input
                id="diff-to"
                name="to"
                type="number"
                min={1}
                max={r.latest}
                defaultValue={r.latest}
                className="w-12 rounded border border-zinc-300 px-1 dark:border-zinc-700 dark:bg-zinc-900"
              />
              <button type="submit" className="rounded border border-zinc-300 px-1.5 dark:border-zinc-700">
                Diff
              </button>
            </form>
          ) : null}
        </Card>
      </div>
    </>
  );
}
