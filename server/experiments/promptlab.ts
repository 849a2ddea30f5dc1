// MLflow's prompt-lab run (runs/create-promptlab-run): a finished run holding the prompt's params, the evaluation
// table and a pyfunc MLmodel, as the MLflow UI's prompt engineering page makes it.
import { Readable } from "node:stream";
import type { Db } from "@/db/client";
import type { ArtifactStore } from "@/server/artifacts/store";
import type { Actor } from "@/server/auth/roles";
import { env } from "@/server/env";
import { putArtifact } from "./artifacts";
import { createRun, getRun, logBatch, updateRun, type RunView } from "./service";

type KeyValue = { key: string; value: string };

export type PromptlabRun = {
  experimentId: string;
  userId: string;
  runName?: string;
  startTime: number;
  tags: KeyValue[];
  promptTemplate: string;
  promptParameters: KeyValue[];
  modelRoute: string;
  modelParameters: KeyValue[];
  modelInput: string;
  modelOutput: string | null;
  outputParameters: KeyValue[];
};

/** Each step goes through its own service (validated and audited there); the run is FINISHED once all are written. */
export async function createPromptlabRun(db: Db, store: ArtifactStore, actor: Actor, p: PromptlabRun): Promise<RunView> {
  const run = await createRun(db, actor, { experimentId: p.experimentId, userId: p.userId, runName: p.runName, startTime: p.startTime, tags: p.tags });
  const runId = run.info.runId;
  await logBatch(db, actor, {
    runId,
    metrics: [],
    params: [...p.modelParameters, { key: "model_route", value: p.modelRoute }, { key: "prompt_template", value: p.promptTemplate }],
    tags: [
      { key: "mlflow.loggedArtifacts", value: JSON.stringify([{ path: "eval_results_table.json", type: "table" }]) },
      { key: "mlflow.source.type", value: "PROMPT_ENGINEERING" },
    ],
  });
  const table = {
    columns: [...p.promptParameters.map((x) => x.key), "prompt", "output", ...p.outputParameters.map((x) => x.key)],
    data: [[...p.promptParameters.map((x) => x.value), p.modelInput, p.modelOutput, ...p.outputParameters.map((x) => x.value)]],
  };
  const root = run.info.artifactUri.replace(/^mlflow-artifacts:\/*/, "");
  if (run.info.artifactUri.startsWith("mlflow-artifacts:")) {
    const write = (rel: string, text: string) => putArtifact(db, store, actor, `${root}/${rel}`, Readable.from([Buffer.from(text)]), env.MAX_ARTIFACT_BYTES);
    await write("eval_results_table.json", JSON.stringify(table));
    await write(
      "model/MLmodel",
      [
        `artifact_path: model`,
        `flavors:`,
        `  python_function:`,
        `    loader_module: mlflow._promptlab`,
        `run_id: ${runId}`,
        `utc_time_created: '${new Date().toISOString().replace("T", " ").replace("Z", "")}'`,
        `prompt_template: ${JSON.stringify(p.promptTemplate)}`,
        `model_route: ${JSON.stringify(p.modelRoute)}`,
        "",
      ].join("\n"),
    );
  }
  await updateRun(db, actor, { runId, status: "FINISHED", endTime: Date.now() });
  return getRun(db, runId);
}
