// The deployments area's REST operations in the OpenAPI document.
import { registerOperations } from "@/server/http/openapi";
import { ZCreateDeployment, ZCreateTarget, ZDeploymentAction, ZDeviceReport } from "./schemas";

registerOperations([
  {
    method: "get",
    path: "/api/v1/deployments",
    summary: "Deployments with target, environment, stable and candidate versions, rollout state and percent",
    scope: "deploy:read",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/deployments/{id}",
    summary: "One deployment: timeline, cohorts, device counts and the promotion gates with evidence (?version= to evaluate another version)",
    scope: "deploy:read",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/deployments/{id}/actions",
    summary:
      "Press a deploy button: promote, canary.start, advance, pause, resume, abort, rollback. Send the revision you saw (a newer one is 409) and an idempotencyKey (a repeat returns the first result with replayed: true). A state that does not allow the action, or a failing gate, is 412 with the reason; production needs an admin's token; gates can be overridden with override.reason",
    scope: "deploy:write",
    body: ZDeploymentAction,
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/devices/{id}/manifest",
    summary:
      "A device's desired state: per model the version (stable or canary by the device's hash bucket), artifact URL, sha256, size and runtime config. ETag; If-None-Match answers 304. Readable with deploy:read and with the device's own credential; another device's credential is 403",
    scope: "deploy:read",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/devices/{id}/reports",
    summary:
      "A device reports, per model, the version it runs and any download or activation failure. reportId is taken once: the same report again answers 200 with replayed: true and changes nothing; the same id with other content is 409. Needs the device's own credential (POST /api/v1/devices/{id}/credentials) or the devices:write scope; another device's credential is 403. A device's own writes are audited once per device and hour",
    scope: "deploy:read",
    body: ZDeviceReport,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/devices/{id}/credentials",
    summary:
      "Mint the device its own credential: a token bound to this device (scopes deploy:read and telemetry:write) that reads only its manifest, reports only for it and posts telemetry only tagged with its fleet. The secret is answered once; the device's previous credential is revoked",
    scope: "devices:write",
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/targets",
    summary: "Create a deployment target (cloud-online, cloud-batch or edge-fleet) in an environment; admins only; a taken slug is 409",
    scope: "deploy:write",
    body: ZCreateTarget,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/deployments",
    summary:
      "Deploy a model version (number or alias) to a target for the first time, with its runtime config. Engineers outside protected environments, admins anywhere. An archived version or a contract the target fails is 412, a config that does not fit the version's manifest 400, an existing deployment 409; refusals are audited",
    scope: "deploy:write",
    body: ZCreateDeployment,
    success: 201,
  },
  {
    method: "post",
    path: "/api/v1/infer/{deployment}",
    summary:
      "Inference on a cloud-online deployment served by the portal (onnxruntime-node): body { inputs: { name: { dims, data } }, key? }. The rollout's traffic split picks stable or candidate (sticky per key); the answer and the x-model-version header name the version that served",
    scope: "models:read",
    success: 200,
  },
  {
    method: "get",
    path: "/api/v1/targets/{slug}/devices",
    summary: "The devices of an edge fleet (first 10,000 by id) with hardware class, firmware, region and rollout bucket",
    scope: "deploy:read",
    success: 200,
  },
  {
    method: "post",
    path: "/api/v1/deployments/{id}/analyses",
    summary:
      "Run the canary analysis of the current rollout step now (candidate vs stable over the bake window) and apply the plan's decision: a failure pauses or rolls back at once, a pass advances or marks ready once the step has baked",
    scope: "deploy:write",
    success: 201,
  },
]);
