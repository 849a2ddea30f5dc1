// The OpenAPI document for /api/v1, generated from the same zod schemas the handlers parse with.
import { z } from "zod";
import type { Scope } from "@/server/auth/roles";
import { ZCreateToken } from "@/server/tokens/schemas";

export type Operation = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  scope?: Scope;
  body?: z.ZodType;
  /** Query-string parameters, from the schema the handler parses them with. */
  query?: z.ZodObject;
  /** For multipart uploads: the form parts, described in prose. */
  multipart?: Record<string, string>;
  success: number;
};

const operations: Operation[] = [
  { method: "get", path: "/api/v1/me", summary: "Who the caller is: user, role, token scopes", success: 200 },
  { method: "get", path: "/api/v1/tokens", summary: "List the caller's API tokens (never the secrets)", scope: "tokens:read", success: 200 },
  {
    method: "post",
    path: "/api/v1/tokens",
    summary:
      "Create an API token; the secret is returned once, in `token`. It expires after 90 days unless `expiresAt` is earlier; `expiresAt: null` (never) is refused here. A token minted by a token records it in `parentTokenId`, cannot expire after it, and is revoked with it",
    scope: "tokens:write",
    body: ZCreateToken,
    success: 201,
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{id}",
    summary:
      "Revoke an API token and every token it minted, at any depth. Another user's token is 404 unless the caller is an admin whose token holds the admin scope",
    scope: "tokens:write",
    success: 200,
  },
];

/** Areas add their operations here at import time (server/<area>/openapi.ts). */
export function registerOperations(ops: Operation[]): void {
  for (const op of ops) if (!operations.some((o) => o.method === op.method && o.path === op.path)) operations.push(op);
}

function toSchema(schema: z.ZodType) {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (op.query) {
      const q = toSchema(op.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {}))
        params.push({ name, in: "query", required: q.required?.includes(name) ?? false, schema: schema as { type: string } });
    }
    const requestBody = op.body
      ? { required: true, content: { "application/json": { schema: toSchema(op.body) } } }
      : op.multipart
        ? {
            required: true,
            content: {
              "multipart/form-data": {
                schema: {
                  type: "object",
                  properties: Object.fromEntries(Object.entries(op.multipart).map(([k, d]) => [k, { type: "string", description: d }])),
                },
              },
            },
          }
        : undefined;
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      ...(op.scope ? { security: [{ bearer: [op.scope] }], "x-required-scope": op.scope } : {}),
      parameters: params.length ? params : undefined,
      requestBody,
      responses: {
        [op.success]: { description: "Success" },
        "400": { description: "Invalid input", content: { "application/problem+json": {} } },
        "401": { description: "No or bad credentials" },
        "403": { description: "Role or token scope not enough" },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Sentinel API", version: "1", description: "REST for machines. Authenticate with `Authorization: Bearer <API token>`." },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    security: [{ bearer: [] }],
    paths,
  };
}
