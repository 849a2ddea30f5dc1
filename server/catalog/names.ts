// Catalog names of entities that have no slug of their own.

/** A runbook's catalog name: its title in lower-case words joined by dashes. */
export function runbookName(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100) || "runbook"
  );
}
