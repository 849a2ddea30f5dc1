// A readable message from a failed tRPC mutation: zod issues as "field: message", else the server's message.
type ZodIssueLike = { path: PropertyKey[]; message: string };
type ErrorLike = { message: string; data?: { zodIssues?: ZodIssueLike[] | null } | null };

export function mutationErrorText(error: ErrorLike): string {
  const issues = error.data?.zodIssues;
  if (issues?.length) return issues.map((i) => (i.path.length ? `${i.path.map(String).join(".")}: ${i.message}` : i.message)).join("; ");
  return error.message;
}
