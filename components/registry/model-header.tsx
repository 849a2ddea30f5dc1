import { Badge, Card } from "@/components/ui/card";
import { AliasBadges } from "./alias-badges";
import { Breadcrumbs } from "./breadcrumbs";
import { MarkdownText } from "./markdown";
import type { ModelAlias, ModelDetail } from "./types";

export function ModelHeader({ model, aliases, actions }: { model: ModelDetail["model"]; aliases: ModelAlias[]; actions?: React.ReactNode }) {
  const tags = Object.entries(model.tags);
  return (
    <>
      <Breadcrumbs items={[{ label: "Models", href: "/models" }, { label: model.slug }]} />
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight">{model.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-muted">
            <code className="font-mono text-zinc-700 dark:text-zinc-300">{model.slug}</code>
            <span>team {model.team}</span>
            <span>task {model.task}</span>
          </p>
        </div>
        {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
      </div>
      <Card className="mb-6">
        {/* A dl may hold only dt/dd groups wrapped in one div each, so the right column is laid out by the grid, not a wrapper. */}
        <dl className="grid gap-x-4 gap-y-3 md:grid-cols-[2fr_1fr]">
          <div className="md:row-span-2">
            <dt className="text-xs font-semibold uppercase tracking-wide text-muted">Description</dt>
            <dd className="mt-1">
              {model.description ? <MarkdownText>{model.description}</MarkdownText> : <span className="text-sm text-muted">No description.</span>}
            </dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-muted">Aliases</dt>
            <dd className="mt-1 text-sm">
              <AliasBadges aliases={aliases} slug={model.slug} />
            </dd>
          </div>
          <div>
            <dt className="text-xs font-semibold uppercase tracking-wide text-muted">Tags</dt>
            <dd className="mt-1 flex flex-wrap gap-1 text-sm">
              {tags.length ? (
                tags.map(([k, v]) => (
                  <Badge key={k}>
                    {k}
                    {v ? `: ${v}` : ""}
                  </Badge>
                ))
              ) : (
                <span className="text-muted">none</span>
              )}
            </dd>
          </div>
        </dl>
      </Card>
    </>
  );
}
