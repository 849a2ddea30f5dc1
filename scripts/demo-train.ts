// `npm run demo:train`: trains the safety models the demo ships, end to end through the portal: uploads the pinned frame
// sets over REST if missing, runs the example's train.py (MLflow client) and writes the ONNX files the seed registers:
// the FCW detector (examples/fcw-detector) v2 (balanced day/night) and v3 (night under-represented), and the seatbelt
// classifier (examples/seatbelt-classifier) v2.
// Against a running portal: MLFLOW_TRACKING_URI=http://… MLFLOW_TRACKING_TOKEN=… npm run demo:train
// Without them it starts a throwaway portal (the real route handlers over an in-memory database).
// Options: --task fcw|seatbelt|all (default all), --epochs N (default 40 for FCW, 30 for seatbelt), --only v2|v3 (FCW),
// --limit N (frames per set), --max-steps N, --out DIR.
import os from "node:os";
import path from "node:path";
import { findTrainingPython, runTraining, uploadFcwFrames, uploadFrameSets, FCW_VERSIONS, SEATBELT_EXAMPLE_DIR, SEATBELT_FRAME_SETS } from "./fcw-train-lib";

const given = { uri: process.env.MLFLOW_TRACKING_URI, token: process.env.MLFLOW_TRACKING_TOKEN };
const throwaway = !given.uri || !given.token;
// Before anything reads the server's environment: the throwaway portal keeps its artifacts in a fresh directory.
if (throwaway) {
  process.env.DATA_DIR = path.join(os.tmpdir(), `sentinel-demo-train-${process.pid}`);
  process.env.DEMO = "0";
  process.env.LOG_LEVEL ??= "warn";
}
void (async () => {
  const { flags, main } = await import("./cli");
  await main(async () => {
    const f = flags(process.argv.slice(2));
    const python = findTrainingPython();
    if ("skip" in python) throw new Error(python.skip);
    let close = async () => {};
    let uri = given.uri ?? "";
    let token = given.token ?? "";
    if (throwaway) {
      const { startThrowawayPortal } = await import("./fcw-train-lib");
      const p = await startThrowawayPortal();
      ({ url: uri, token, close } = p);
      console.log(`Throwaway portal on ${uri} (in-memory database, artifacts under ${process.env.DATA_DIR})`);
    }
    const task = f.task ?? "all";
    if (!["fcw", "seatbelt", "all"].includes(task)) throw new Error(`--task is fcw, seatbelt or all, not ${task}`);
    try {
      const limit = f.limit ? Number(f.limit) : undefined;
      const maxSteps = f["max-steps"] ? Number(f["max-steps"]) : undefined;
      if (task !== "fcw") {
        const t0 = Date.now();
        const uploaded = await uploadFrameSets(uri, token, SEATBELT_FRAME_SETS, limit, (msg) => console.log(msg));
        console.log(`Cabin frames: ${uploaded} uploaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
        const r = await runTraining(python, {
          uri,
          token,
          exampleDir: SEATBELT_EXAMPLE_DIR,
          out: path.resolve(f.out ?? path.join(SEATBELT_EXAMPLE_DIR, "models"), "seatbelt-v2.onnx"),
          epochs: f.epochs ? Number(f.epochs) : 30,
          limit,
          maxSteps,
          register: "seatbelt",
          runName: "seatbelt-v2",
          description: "Trained on the cabin-camera crops seatbelt-train-v1",
          log: (line) => console.log(`[seatbelt] ${line}`),
        });
        console.log(`seatbelt v2: ${r.sha256} in ${r.seconds} s; ${JSON.stringify(r.metrics)}`);
      }
      if (task === "seatbelt") return;
      const t0 = Date.now();
      const uploaded = await uploadFcwFrames(uri, token, limit, (msg) => console.log(msg));
      console.log(`Frames: ${uploaded} uploaded in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      const outDir = path.resolve(f.out ?? path.join("examples", "fcw-detector", "models"));
      for (const v of FCW_VERSIONS.filter((x) => !f.only || x.label === f.only)) {
        const r = await runTraining(python, {
          uri,
          token,
          nightShare: v.nightShare,
          out: path.join(outDir, `fcw-${v.label}.onnx`),
          epochs: f.epochs ? Number(f.epochs) : 40,
          limit,
          maxSteps,
          register: "forward-collision-warning",
          runName: `fcw-${v.label}`,
          description: v.description,
          log: (line) => console.log(`[${v.label}] ${line}`),
        });
        console.log(`${v.label}: ${r.sha256} in ${r.seconds} s; ${JSON.stringify(r.metrics)}`);
      }
    } finally {
      await close();
    }
  });
})();
