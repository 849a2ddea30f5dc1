// How a failed tRPC call reads on a page, in one place: zod issues as "field: message" (tRPC's own message for them is
// the issues as JSON), else the server's message, which says what to do.
import { ErrorNote } from "./card";

type ZodIssueLike = { path: PropertyKey[]; message: string };
type ErrorLike = { message: string; data?: { zodIssues?: ZodIssueLike[] | null } | null };

export function mutationErrorText(error: ErrorLike): string {
  const issues = error.data?.zodIssues;
  if (issues?.length) return issues.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message)).join("; ");
  return error.message;
}

/** The error of a mutation or query, or nothing. */
export function MutationError({ error }: { error: ErrorLike | null | undefined | false }) {
  return error ? <ErrorNote>{mutationErrorText(error)}</ErrorNote> : null;
}
