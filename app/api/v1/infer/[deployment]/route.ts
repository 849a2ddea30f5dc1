import { z } from "zod";
import { artifactStore } from "@/server/artifacts";
import { infer } from "@/server/deployments/adapters/local-onnx";
import { rest } from "@/server/http/rest";

const ZInfer = z.strictObject({
  inputs: z.record(
    z.string().min(1).max(200),
    z.strictObject({ dims: z.array(z.number().int().positive()).min(1).max(8), data: z.array(z.number()).max(4_000_000) }),
  ),
  /** Optional routing key (e.g. a vehicle id): the same key always gets the same side of the split. */
  key: z.string().min(1).max(200).optional(),
});

// Cloud-online serving by the portal itself: stable or candidate by the rollout's traffic split; the answer names the version.
export const POST = rest(
  { route: "/api/v1/infer/[deployment]", scope: "models:read", ids: { deployment: "Deployment" }, body: ZInfer },
  async ({ db, params, body }) => {
    const result = await infer(db, artifactStore, params.deployment, body.inputs, body.key ?? null);
    return Response.json(result, { headers: { "x-model-version": String(result.version), "x-model-channel": result.channel } });
  },
);
