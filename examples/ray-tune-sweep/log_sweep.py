"""Logs a hyperparameter sweep through the unmodified MLflow client the way Ray Tune's MLflow integration does:
one parent run for the tuning job and one child run per trial, tagged mlflow.parentRunId, with the trial's config
as params and the metrics it reported each training iteration.

The trials come as JSON on stdin (written by `npm run demo:sweep` from the same generator as the portal's demo seed),
so what this logs is what the seed imports. MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN point at the portal.
Prints one JSON line: the experiment id, the parent run id and the trial run ids.
"""
import json
import sys

from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient


def log_run(client, experiment_id, run, extra_tags):
    tags = {**run.get("tags", {}), **extra_tags}
    created = client.create_run(experiment_id, start_time=run["startTime"], tags=tags, run_name=run["runName"])
    run_id = created.info.run_id
    params = [Param(k, v) for k, v in run.get("params", {}).items()]
    metrics = [
        Metric(m["key"], value, timestamp, step)
        for m in run.get("metrics", [])
        for step, value, timestamp in zip(m["steps"], m["values"], m["timestamps"])
    ]
    # MLflow's limits per log_batch call: 100 params, 1000 metrics.
    for i in range(0, max(len(params), 1), 100):
        client.log_batch(run_id, params=params[i : i + 100])
    for i in range(0, len(metrics), 1000):
        client.log_batch(run_id, metrics=metrics[i : i + 1000])
    if run["status"] != "RUNNING":
        client.set_terminated(run_id, status=run["status"], end_time=run.get("endTime"))
    return run_id


def main():
    sweep = json.load(sys.stdin)
    client = MlflowClient()
    existing = client.get_experiment_by_name(sweep["experiment"])
    if existing is not None:
        sys.exit(f"Experiment {sweep['experiment']} already exists on this tracking server: pick another name")
    experiment_id = client.create_experiment(sweep["experiment"], tags=sweep.get("experimentTags", {}))
    parent_id = log_run(client, experiment_id, sweep["parent"], {})
    trial_ids = [log_run(client, experiment_id, t, {"mlflow.parentRunId": parent_id}) for t in sweep["trials"]]
    print(json.dumps({"experiment_id": experiment_id, "parent_run_id": parent_id, "trial_run_ids": trial_ids}), flush=True)


if __name__ == "__main__":
    main()
