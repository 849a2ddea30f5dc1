"use client";
// "Variant vs parent" on a derived version's page: the stored comparison as a table, or the state that stands in for
// it (not compared yet, being computed, failed) with the button that computes it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { Section } from "@/components/registry/section";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { MutationError } from "@/components/ui/mutation-error";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { useTRPC } from "@/lib/trpc";
import { comparisonRows, methodWords } from "@/lib/variant-comparison-rows";

export function VariantComparisonPanel({
  slug,
  version,
  parentVersion,
  blocked,
  method = null,
}: {
  slug: string;
  version: number;
  parentVersion: number;
  blocked: string | null;
  /** How the variant was made (lib/variants' quantizationSummary), shown above the comparison. */
  method?: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = { slug, version };
  const stored = useQuery({
    ...trpc.registry.variantComparison.queryOptions(ref),
    // Another request (or replica) is computing it: look again until it lands.
    refetchInterval: (q) => (q.state.data?.state === "running" ? 5_000 : false),
  });
  const compare = useMutation({
    ...trpc.registry.compareWithParent.mutationOptions(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.registry.variantComparison.queryKey(ref) }),
  });
  const data = stored.data;
  const button = (label: string) => (
    <div className="space-y-1">
      <Button
        variant="secondary"
        disabled={Boolean(blocked) || compare.isPending}
        onClick={() => compare.mutate(ref)}
        aria-describedby={blocked ? "compare-blocked" : undefined}
      >
        {compare.isPending ? "Comparing…" : label}
      </Button>
      {blocked ? (
        <p id="compare-blocked" className="text-xs text-muted">
          {blocked}.
        </p>
      ) : null}
    </div>
  );

  let body: React.ReactNode;
  if (compare.isPending) {
    body = (
      <div role="status" className="space-y-2 text-sm">
        <div className="h-1.5 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800" aria-hidden>
          <div className="h-full w-1/3 animate-pulse rounded bg-blue-600" />
        </div>
        <p>
          Running v{parentVersion} and v{version} in onnxruntime-node on the same frames, then evaluating both on the evaluation frames. This takes from a few
          seconds to a minute; the result is stored, so nobody has to wait for it again.
        </p>
      </div>
    );
  } else if (stored.isPending) {
    body = (
      <p role="status" className="text-sm text-muted">
        Loading the comparison…
      </p>
    );
  } else if (stored.error) {
    body = <MutationError error={stored.error} />;
  } else if (data?.state === "running") {
    body = (
      <p role="status" className="text-sm">
        Being computed since <Time value={data.startedAt} /> by another request; this panel updates by itself when it is done.
      </p>
    );
  } else if (data?.state === "done") {
    const r = data.result;
    body = (
      <div className="space-y-2">
        <Table label={`v${version} beside its parent v${parentVersion}`}>
          <thead>
            <tr>
              <Th>Measure</Th>
              <Th>v{r.parent.version} (parent)</Th>
              <Th>v{r.variant.version} (variant)</Th>
              <Th>Variant vs parent</Th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {comparisonRows(r).map((row) => (
              <tr key={row.measure}>
                <th scope="row" className="border-t border-zinc-200 px-3 py-2 text-left align-top font-medium dark:border-zinc-800">
                  {row.measure}
                </th>
                <Td>{row.parent}</Td>
                <Td>{row.variant}</Td>
                <Td>{row.change}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        <p className="text-xs text-muted">
          {methodWords(r)} Computed <Time value={r.computedAt} />.
        </p>
      </div>
    );
  } else {
    body = (
      <div className="space-y-2 text-sm">
        {data?.state === "failed" ? (
          <ErrorNote>The last comparison failed: {data.error}. Check that both versions still hold their files and a manifest, then compare again.</ErrorNote>
        ) : (
          <p className="text-muted">Not compared yet: sizes, Node latency, output difference and safety metrics of both versions appear here once computed.</p>
        )}
        {button(data?.state === "failed" ? "Compare again" : "Compare with parent")}
        <MutationError error={compare.error} />
      </div>
    );
  }

  return (
    <Section
      id="variant-vs-parent"
      title="Variant vs parent"
      actions={
        <>
          <Link className="text-sm text-link underline" href={`/models/${slug}/versions/${version}/playground`}>
            Browser latency in the playground
          </Link>
          <Link className="text-sm text-link underline" href={`/safety/review/${slug}?candidate=${version}`}>
            Release review
          </Link>
        </>
      }
    >
      {method ? <p className="mb-2 text-sm">{method}</p> : null}
      {body}
    </Section>
  );
}
