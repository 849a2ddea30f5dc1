import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/card";
import { GLOSSARY } from "@/lib/glossary";

export const metadata: Metadata = { title: "Glossary" };

export default function GlossaryPage() {
  return (
    <>
      <PageHeader
        title="Glossary"
        description="What the numbers on the safety, cost and monitoring pages mean, in one sentence each. Every term links here from where it is used."
      />
      <dl className="max-w-3xl space-y-4">
        {Object.entries(GLOSSARY).map(([k, g]) => (
          <div
            key={k}
            id={k}
            className="scroll-mt-20 rounded-lg border border-zinc-200 bg-white p-4 target:border-brand-500 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <dt className="font-semibold">{g.term}</dt>
            <dd className="mt-1 text-sm">{g.meaning}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}
