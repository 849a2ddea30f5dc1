// Entities the command palette offers; each area adds its own: a bounded list up front (newest first), and a search
// for what is too many to list (runs), asked as the person types.
import { z } from "zod";
import type { Db } from "@/db/client";

export type PaletteEntity = { href: string; label: string; group: string };
type Source = (db: Db) => Promise<PaletteEntity[]>;

const sources: Source[] = [];
export function registerPaletteSource(source: Source): void {
  sources.push(source);
}

export async function paletteEntities(db: Db): Promise<PaletteEntity[]> {
  return (await Promise.all(sources.map((s) => s(db)))).flat();
}

type Search = (db: Db, q: string, limit: number) => Promise<PaletteEntity[]>;
const searches: Search[] = [];
export function registerPaletteSearch(search: Search): void {
  searches.push(search);
}

export const PaletteQuery = z.object({ q: z.string().trim().min(2, "Type at least two characters").max(100) });

/** What the areas find for `q` (a name fragment or the start of an id), at most `perArea` each. */
export async function paletteSearch(db: Db, input: unknown, perArea = 8): Promise<PaletteEntity[]> {
  const { q } = PaletteQuery.parse(input);
  return (await Promise.all(searches.map((s) => s(db, q, perArea)))).flat();
}

/** `%q%` for ILIKE with the pattern characters in `q` taken literally. */
export const containsPattern = (q: string) => `%${q.replace(/[%_\\]/g, "\\$&")}%`;
