// Demo data: a hyperparameter sweep shaped the way Ray Tune logs one through MLflow: a parent run for the tuning
// job and one child run per trial carrying `mlflow.parentRunId`, the trial's config as params, and the metrics it
// reported each training iteration. Deterministic (seeded); the learning rate is built to matter most, so the sweep
// page's importance has a known answer.
import { mulberry32 } from "@/lib/prng";
import type { ImportRun } from "@/server/experiments/service";

export const DEMO_SWEEP_EXPERIMENT = "seatbelt-classifier-tune";
export const DEMO_SWEEP_PARENT = "tune-seatbelt-asha";
export const DEMO_SWEEP_OBJECTIVE = "val_accuracy";
/** The parameter the objective is built around (a bowl in log10(lr) centred on 1e-3). */
export const DEMO_SWEEP_TOP_PARAM = "lr";
export const DEMO_SWEEP_EXPERIMENT_TAGS: Record<string, string> = {
  demo: "true",
  team: "driver-monitoring",
  "mlflow.note.content": "Demo data: hyperparameter tuning of the seatbelt classifier with Ray Tune (random search, ASHA), one child run per trial.",
};

const BASE_TIME = Date.UTC(2026, 9, 5, 22, 0, 0);
const MINUTE = 60_000;
const round = (v: number, digits = 5) => Number(v.toFixed(digits));
const logUniform = (u: number, lo: number, hi: number) => 10 ** (Math.log10(lo) + u * (Math.log10(hi) - Math.log10(lo)));
const DEMO_TAGS = { demo: "true", "mlflow.source.type": "JOB", "mlflow.source.name": "tune_seatbelt.py", "mlflow.user": "kofi" };

/** The tuning job's parent run: Ray Tune's metric and mode are recorded as tags so the page opens on them. */
export function demoSweepParent(trials: number): ImportRun {
  return {
    runName: DEMO_SWEEP_PARENT,
    status: "FINISHED",
    startTime: BASE_TIME,
    endTime: BASE_TIME + (trials / 4 + 12) * 6 * MINUTE,
    params: { search_alg: "random", scheduler: "ASHA", num_samples: String(trials), max_concurrent_trials: "4", grace_period: "3", max_t: "12" },
    tags: {
      ...DEMO_TAGS,
      "sweep.metric": DEMO_SWEEP_OBJECTIVE,
      "sweep.mode": "max",
      team: "driver-monitoring",
      task: "seatbelt",
      "mlflow.note.content": `Demo data: a Ray Tune random search of ${trials} trials with ASHA early stopping for the seatbelt classifier, logged through MLflow with one child run per trial.`,
    },
  };
}

/** The trials, as children of `parentRunId`. ASHA stops weak trials after 3 or 6 iterations; one trial fails (out of memory). */
export function demoSweepTrials(parentRunId: string, trials = 50, seed = 20261005): ImportRun[] {
  const rng = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const out: ImportRun[] = [];
  for (let i = 0; i < trials; i++) {
    const lr = logUniform(rng(), 1e-5, 1e-1);
    const batchSize = [16, 32, 64, 128][Math.floor(rng() * 4)];
    const dropout = rng() * 0.5;
    const weightDecay = logUniform(rng(), 1e-6, 1e-2);
    const optimizer = rng() < 0.5 ? "adamw" : "sgd";
    // The final accuracy: a bowl in log10(lr), small nudges from dropout and the optimizer, a little noise.
    const ceiling = Math.max(
      0.5,
      0.955 - 0.045 * (Math.log10(lr) + 3) ** 2 - 0.02 * Math.abs(dropout - 0.2) - (optimizer === "sgd" ? 0.004 : 0) + 0.004 * normal(),
    );
    const failed = i === 37;
    // ASHA's rungs at 3 and 6 iterations: weak trials stop there (they are FINISHED, as Ray Tune marks them).
    const iterations = failed ? 2 : ceiling < 0.8 ? 3 : ceiling < 0.9 ? 6 : 12;
    const stepMs = (6 + batchSize / 32) * MINUTE;
    const startTime = BASE_TIME + Math.floor(i / 4) * 30 * MINUTE + (i % 4) * 7_000;
    const endTime = startTime + iterations * stepMs;
    const steps = Array.from({ length: iterations }, (_, e) => e + 1);
    const speed = 0.45 + rng() * 0.2;
    const acc = steps.map((s) => round(ceiling - (ceiling - 0.5) * Math.exp(-speed * s) + 0.003 * normal(), 4));
    const loss = acc.map((a) => round(Math.max(0.02, -Math.log(a) * 1.4 + 0.02 * normal()), 4));
    const ts = steps.map((s) => startTime + s * stepMs);
    const trialId = `a7c3e_${String(i).padStart(5, "0")}`;
    out.push({
      runName: `train_seatbelt_${trialId}`,
      status: failed ? "FAILED" : "FINISHED",
      startTime,
      endTime,
      params: {
        lr: String(round(lr, 8)),
        batch_size: String(batchSize),
        dropout: String(round(dropout, 3)),
        weight_decay: String(round(weightDecay, 8)),
        optimizer,
        epochs_max: "12",
      },
      tags: { ...DEMO_TAGS, "mlflow.parentRunId": parentRunId, trial_name: `train_seatbelt_${trialId}`, trial_id: trialId },
      metrics: [
        // Ray Tune reports these each iteration; a failed trial never reached its validation step.
        ...(failed
          ? []
          : [
              { key: "val_accuracy", steps, values: acc, timestamps: ts },
              { key: "val_loss", steps, values: loss, timestamps: ts },
            ]),
        { key: "training_iteration", steps, values: steps, timestamps: ts },
        { key: "time_total_s", steps, values: steps.map((s) => round((s * stepMs) / 1000, 1)), timestamps: ts },
      ],
    });
  }
  return out;
}
