import { artifactStore } from "@/server/artifacts";
import { PreconditionFailed } from "@/server/errors";
import { rest } from "@/server/http/rest";
import { getVersion, verifyArtifact } from "@/server/registry/service";

// Re-hashes the stored file now and records the result.
export const POST = rest({ route: "/api/v1/models/[slug]/versions/[n]/verify", scope: "models:write" }, async ({ db, actor, params }) => {
  const v = await getVersion(db, params.slug, Number(params.n));
  if (!v.artifact) throw new PreconditionFailed("This version holds no file to verify");
  return { sha256: v.artifact.sha256, integrity: await verifyArtifact(db, artifactStore, actor, v.artifact.sha256) };
});
