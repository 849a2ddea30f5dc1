"use client";
import { Button } from "@/components/ui/button";

export default function ReleasesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
      <h1 className="text-lg font-semibold">Release readiness could not load</h1>
      <p className="mt-1 text-sm">
        {error.message || "An unexpected error happened on the server."} Try again; if it keeps failing, the safety review and deployment pages still show each
        part.
      </p>
      {error.digest ? <p className="mt-1 font-mono text-xs">Reference: {error.digest}</p> : null}
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </div>
  );
}
