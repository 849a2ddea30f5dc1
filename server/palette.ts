// Entities the command palette offers; each area adds its own (bounded, newest first).
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
