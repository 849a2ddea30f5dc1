import Link from "next/link";

/** The signature differences found against the production version when this version was registered. */
export function BreakingChangeBanner({ slug, againstVersion, changes }: { slug: string; againstVersion: number; changes: string[] }) {
  return (
    <div
      role="alert"
      className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-900 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
    >
      <p className="font-semibold">
        Breaking change against{" "}
        <Link href={`/models/${slug}/versions/${againstVersion}`} className="underline">
          v{againstVersion}
        </Link>{" "}
        (production when this version was registered)
      </p>
      <p className="mt-1 text-sm">Callers of the production version would notice these differences:</p>
      <ul className="mt-2 list-disc space-y-0.5 pl-5 font-mono text-sm">
        {changes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
    </div>
  );
}
