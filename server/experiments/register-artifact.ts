// "Register as model version" from the run page: an artifact directory or .onnx file of a run becomes
// a version whose source is that artifact, through the registry's registerVersionFromRun (as MLflow's
// create-model-version does).
import { eq, like } from "drizzle-orm";
import type { Db } from "@/db/client";
import { mlflowArtifactFiles } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { Invalid, NotFound } from "@/server/errors";
import { proxiedRootOf, safeArtifactPath } from "./artifacts";
import { registerVersionFromRun } from "@/server/registry/from-run";
import { liveModelBySlug } from "@/server/registry/lookup";
import { createModelNamed } from "@/server/registry/service";
import { registrableArtifact, ZRegisterArtifact } from "./schemas";
import { getRun } from "./service";

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function registerRunArtifact(db: Db, actor: Actor, raw: unknown) {
  const input = ZRegisterArtifact.parse(raw);
  const run = (await getRun(db, input.runId)).info;
  const rel = safeArtifactPath(input.path);
  const root = proxiedRootOf(run.artifactUri);
  if (root === null) throw new Invalid("This run's artifacts are not stored in the portal, so they cannot be registered from here");
  if (!rel) throw new Invalid("Choose a directory or an .onnx file inside the run's artifacts, not the whole artifact root");
  const full = `${root}/${rel}`;
  const [file] = await db.select({ path: mlflowArtifactFiles.path }).from(mlflowArtifactFiles).where(eq(mlflowArtifactFiles.path, full));
  const [inside] = file
    ? []
    : await db
        .select({ path: mlflowArtifactFiles.path })
        .from(mlflowArtifactFiles)
        .where(like(mlflowArtifactFiles.path, `${escapeLike(full)}/%`))
        .limit(1);
  if (!file && !inside) throw new NotFound(`Artifact ${rel} of run ${run.runId}`);
  if (file && !registrableArtifact(rel, false)) throw new Invalid(`Only a directory or an .onnx file can be registered; ${rel} is neither`);

  // One transaction: a new model is not left behind when its first version cannot be registered.
  const { model, number } = await db.transaction(async (tx) =>
    registerVersionFromRun(
      tx,
      actor,
      async () => (input.model.kind === "new" ? createModelNamed(tx, actor, { name: input.model.name }) : liveModelBySlug(tx, input.model.slug)),
      {
        // As MLflow's own UI registers: the artifact's full URI, with the run named by run_id.
        source: `${run.artifactUri.replace(/\/+$/, "")}/${rel}`,
        runId: run.runId,
        description: input.description ?? `Registered from ${rel} of run ${run.runName || run.runId}.`,
      },
    ),
  );
  return { slug: model.slug, name: model.name, version: number, href: `/models/${model.slug}/versions/${number}` };
}
