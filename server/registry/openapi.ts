// The registry's REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZCreateModel, ZMakeVariantBody, ZSetAlias, ZUpdateModel, ZUpdateVersion, ZVersionMetadata } from "./schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/models",
    summary: "Search models (q, team, task, tag, alias, status, sort, page, pageSize)",
    scope: "models:read",
    success: 200,
  },
  { method: "post", path: "/api/v1/models", summary: "Create a model", scope: "models:write", body: ZCreateModel, success: 201 },
  { method: "get", path: "/api/v1/models/{slug}", summary: "A model with its versions and aliases", scope: "models:read", success: 200 },
  { method: "patch", path: "/api/v1/models/{slug}", summary: "Update a model", scope: "models:write", body: ZUpdateModel, success: 200 },
  { method: "get", path: "/api/v1/models/{slug}/versions", summary: "Versions of a model", scope: "models:read", success: 200 },
  {
    method: "post",
    path: "/api/v1/models/{slug}/versions",
    summary: "Register a version: multipart with the ONNX file (parsed; refused with 400 if not ONNX), or JSON with artifactUri",
    scope: "models:write",
    multipart: { file: "The ONNX model bytes", metadata: `JSON: ${JSON.stringify(Object.keys(ZVersionMetadata.shape))}` },
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/models/{slug}/versions/{n}",
    summary: "A version with its parsed ONNX summary, manifest, contract and lineage",
    scope: "models:read",
    success: 200,
  },
  {
    method: "patch",
    path: "/api/v1/models/{slug}/versions/{n}",
    summary: "Update a version (status, card, manifest, contract)",
    scope: "models:write",
    body: ZUpdateVersion,
    success: 200,
  },
  { method: "get", path: "/api/v1/models/{slug}/versions/{n}/artifact", summary: "Download the file (ETag = sha256)", scope: "models:read", success: 200 },
  { method: "post", path: "/api/v1/models/{slug}/versions/{n}/verify", summary: "Re-hash the stored file now", scope: "models:write", success: 200 },
  {
    method: "post",
    path: "/api/v1/models/{slug}/versions/{n}/int8-variant",
    summary:
      "Quantise the version to int8 (weight-only, or static with activations calibrated on frames carrying calibrationTag), check the result in onnxruntime-node, and register it as a new draft version",
    scope: "models:write",
    body: ZMakeVariantBody,
    success: 201,
  },
  {
    method: "get",
    path: "/api/v1/models/{slug}/versions/{n}/comparison",
    summary: "A variant beside its parent: state (none, running, failed, done) and the stored sizes, latencies, output difference and safety metrics",
    scope: "models:read",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/models/{slug}/versions/{n}/comparison",
    summary: "Compare a variant with its parent on the evaluation frames and record it (once per parent file; a stored result is returned with reused: true)",
    scope: "models:write",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/models/{slug}/aliases/{alias}",
    summary: "Resolve an alias: version, manifest, sha256, size, download URL",
    scope: "models:read",
    success: 200,
  },
  {
    method: "put",
    path: "/api/v1/models/{slug}/aliases/{alias}",
    summary: "Point an alias at a version",
    scope: "models:write",
    body: ZSetAlias,
    success: 200,
  },
  { method: "delete", path: "/api/v1/models/{slug}/aliases/{alias}", summary: "Remove an alias", scope: "models:write", success: 200 },
]);
