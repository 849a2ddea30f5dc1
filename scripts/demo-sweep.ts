// `npm run demo:sweep`: logs the demo's Ray Tune sweep (a parent run and its trials, seatbelt classifier) through the
// unmodified MLflow client into a portal, the way Ray Tune's MLflow integration logs one.
//   MLFLOW_TRACKING_URI=http://127.0.0.1:3000 MLFLOW_TRACKING_TOKEN=… npm run demo:sweep -- --experiment my-sweep --trials 50
import { flags, main } from "./cli";
import { findMlflowPython } from "./fcw-train-lib";
import { logSweepThroughClient } from "./sweep-client";

void main(async () => {
  const f = flags(process.argv.slice(2));
  const uri = process.env.MLFLOW_TRACKING_URI?.replace(/\/$/, "");
  const token = process.env.MLFLOW_TRACKING_TOKEN;
  if (!uri || !token) throw new Error("Set MLFLOW_TRACKING_URI (the portal) and MLFLOW_TRACKING_TOKEN (a token with runs:write)");
  const python = findMlflowPython();
  if ("skip" in python) throw new Error(python.skip);
  const trials = Number(f.trials ?? 50);
  if (!Number.isInteger(trials) || trials < 1 || trials > 5000) throw new Error("--trials must be a whole number from 1 to 5000");
  const r = await logSweepThroughClient(python, { uri, token, experiment: f.experiment ?? "seatbelt-classifier-tune-client", trials });
  console.log(
    `Logged ${r.trial_run_ids.length} trials under parent run ${r.parent_run_id} in experiment ${r.experiment_id}: ${uri}/experiments/${r.experiment_id}`,
  );
});
