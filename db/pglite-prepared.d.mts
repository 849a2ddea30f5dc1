import type { PGlite, QueryOptions, Results } from "@electric-sql/pglite";

export function queryPrepared(
  pg: PGlite,
  name: string,
  text: string,
  params: unknown[],
  options: QueryOptions | undefined,
  inTransaction: boolean,
): Promise<Results>;
