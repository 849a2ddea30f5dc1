// Server pages: a lookup whose "no such entity" (or unparseable input) becomes the 404 page.
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";

export async function orNotFound<T>(load: Promise<T>): Promise<T> {
  try {
    return await load;
  } catch (e) {
    if (e instanceof TRPCError && (e.code === "NOT_FOUND" || e.code === "BAD_REQUEST")) notFound();
    throw e;
  }
}

/** A positive integer from a route segment or search param, else null. */
export function positiveInt(s: string | string[] | undefined): number | null {
  const v = Array.isArray(s) ? s[0] : s;
  return v && /^\d{1,9}$/.test(v) && Number(v) > 0 ? Number(v) : null;
}
