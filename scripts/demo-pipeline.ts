// `npm run demo:pipeline`: the FCW team's training pipeline, listening for Sentinel's "Trigger retraining" requests
// (scripts/fcw-pipeline.ts). Point a webhook target of format "retrain" at http://127.0.0.1:<port>/retrain, give this
// process the target's secret, and add a response rule (model page, Alert responses: drift -> Trigger retraining).
//   PIPELINE_SECRET=whsec_… MLFLOW_TRACKING_URI=http://127.0.0.1:3000 MLFLOW_TRACKING_TOKEN=… npm run demo:pipeline
// Options: --port N (default 8788), --model SLUG (default forward-collision-warning), --register NAME (the MLflow
// registered-model name; default: the model's name on the portal), --epochs N (default 40), --limit N, --max-steps N.
import { flags, main } from "./cli";
import { startRetrainPipeline } from "./fcw-pipeline";
import { findTrainingPython } from "./fcw-train-lib";

void main(async () => {
  const f = flags(process.argv.slice(2));
  const secret = process.env.PIPELINE_SECRET;
  const uri = process.env.MLFLOW_TRACKING_URI?.replace(/\/$/, "");
  const token = process.env.MLFLOW_TRACKING_TOKEN;
  if (!secret || !uri || !token)
    throw new Error("Set PIPELINE_SECRET (the webhook target's secret), MLFLOW_TRACKING_URI (the portal) and MLFLOW_TRACKING_TOKEN (runs and models write)");
  const python = findTrainingPython();
  if ("skip" in python) throw new Error(python.skip);
  const model = f.model ?? "forward-collision-warning";
  let registerAs = f.register;
  if (!registerAs) {
    const res = await fetch(`${uri}/api/v1/models/${encodeURIComponent(model)}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`The portal does not know model ${model} (${res.status}): pass --model with a model slug`);
    registerAs = ((await res.json()) as { name: string }).name;
  }
  const num = (k: string) => (f[k] ? Number(f[k]) : undefined);
  const p = await startRetrainPipeline(
    { secret, uri, token, python, model, registerAs, training: { epochs: num("epochs"), limit: num("limit"), maxSteps: num("max-steps") }, log: console.log },
    num("port") ?? 8788,
  );
  console.log(`Training pipeline for ${model} on ${p.url}/retrain (jobs: ${p.url}/jobs); new versions register as "${registerAs}"`);
  const stop = () => void p.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
});
