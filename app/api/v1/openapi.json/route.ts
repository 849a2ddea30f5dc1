import { openApiDocument } from "@/server/http/openapi";
import "@/server/http/openapi-areas";

// Public: the document describes the API, it grants nothing.
export function GET() {
  return Response.json(openApiDocument());
}
