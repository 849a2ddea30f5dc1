// Logs the demo's Ray Tune sweep through the unmodified MLflow client (examples/ray-tune-sweep/log_sweep.py), from the
// same generator the demo seed imports, so the seed's sweep is exactly what the client would have logged.
import { spawn } from "node:child_process";
import path from "node:path";
import { DEMO_SWEEP_EXPERIMENT_TAGS, demoSweepParent, demoSweepTrials } from "@/server/demo/ray-tune-sweep";

const script = path.resolve(import.meta.dirname, "..", "examples", "ray-tune-sweep", "log_sweep.py");

export type LoggedSweep = { experiment_id: string; parent_run_id: string; trial_run_ids: string[] };

export function logSweepThroughClient(
  python: { command: string; args: string[] },
  o: { uri: string; token: string; experiment: string; trials: number },
): Promise<LoggedSweep> {
  // The trials' parent id is set by the client from the parent run it creates.
  const sweep = {
    experiment: o.experiment,
    experimentTags: DEMO_SWEEP_EXPERIMENT_TAGS,
    parent: demoSweepParent(o.trials),
    trials: demoSweepTrials("", o.trials),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(python.command, [...python.args, script], {
      env: { ...process.env, MLFLOW_TRACKING_URI: o.uri, MLFLOW_TRACKING_TOKEN: o.token, PYTHONDONTWRITEBYTECODE: "1" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code === 0 && line.startsWith("{")) resolve(JSON.parse(line) as LoggedSweep);
      else reject(new Error(`log_sweep.py exited with ${code}: ${err.slice(-3000)}`));
    });
    child.stdin.end(JSON.stringify(sweep));
  });
}
