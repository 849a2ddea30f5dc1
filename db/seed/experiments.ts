// Demo experiments: deterministic sweeps that look like this team's training work (seeded PRNG, tag
// demo=true), one run with a 100k-step history, some FAILED/KILLED/RUNNING runs, and one run linked
// as the lineage of each demo model version.
import { asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { createExperiment, importRuns, type ImportRun } from "@/server/experiments/service";
import { mulberry32 } from "@/lib/prng";
import type { TLineage } from "@/server/registry/schemas";
import { updateVersion } from "@/server/registry/service";

/** The shared mulberry32 generator with the helpers the run generator draws from. */
export function prng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
}
type Rng = ReturnType<typeof prng>;

const BASE_TIME = Date.UTC(2026, 8, 1, 8, 0, 0);
const HOUR = 3_600_000;
const DEMO_TAGS = { demo: "true", "mlflow.source.type": "JOB" };
const round = (v: number, digits = 5) => Number(v.toFixed(digits));

/** FAILED runs stop early, KILLED ones later, a few are still RUNNING; the rest FINISHED. */
function fate(rng: Rng, epochs: number): { status: ImportRun["status"]; epochs: number } {
  const r = rng.next();
  if (r < 0.04) return { status: "FAILED", epochs: 1 + Math.floor(rng.next() * epochs * 0.4) };
  if (r < 0.06) return { status: "KILLED", epochs: Math.max(2, Math.floor(epochs * (0.4 + rng.next() * 0.4))) };
  if (r < 0.065) return { status: "RUNNING", epochs: Math.max(2, Math.floor(epochs * rng.next())) };
  return { status: "FINISHED", epochs };
}

function series(key: string, epochs: number, start: number, stepMs: number, f: (e: number) => number) {
  const steps = Array.from({ length: epochs }, (_, e) => e);
  return { key, steps, values: steps.map((e) => round(f(e))), timestamps: steps.map((e) => start + (e + 1) * stepMs) };
}

function runTimes(rng: Rng, i: number, status: ImportRun["status"], epochs: number, stepMs: number) {
  const startTime = BASE_TIME + i * 0.35 * HOUR + Math.floor(rng.next() * HOUR);
  return { startTime, endTime: status === "RUNNING" ? null : startTime + (epochs + 1) * stepMs };
}

function detectorSweep(rng: Rng): ImportRun[] {
  const lrs = ["0.0001", "0.0003", "0.001", "0.003"];
  const batches = ["16", "32", "64"];
  const backbones = { yolov8n: 0.52, yolov8s: 0.58, "efficientdet-d0": 0.55, "mobilenetv3-ssd": 0.47 } as const;
  const augs = { none: 0, mosaic: 0.03, "mosaic+mixup": 0.045 } as const;
  const out: ImportRun[] = [];
  let i = 0;
  for (const lr of lrs)
    for (const bs of batches)
      for (const [backbone, base] of Object.entries(backbones))
        for (const [aug, gain] of Object.entries(augs))
          for (let seed = 0; seed < 3; seed++) {
            const f = fate(rng, 30);
            const lrPenalty = Math.abs(Math.log10(Number(lr)) + 3.2) * 0.04;
            const best = base + gain - lrPenalty + (bs === "32" ? 0.01 : 0) + rng.normal() * 0.008;
            const speed = 0.12 + rng.next() * 0.1;
            const stepMs = 20 * 60_000;
            const { startTime, endTime } = runTimes(rng, i++, f.status, f.epochs, stepMs);
            const noise = () => rng.normal() * 0.01;
            const diverged = f.status === "FAILED" && lr === "0.003";
            out.push({
              runName: `det-${backbone}-lr${lr}-bs${bs}-${aug}-s${seed}`,
              status: f.status,
              startTime,
              endTime,
              params: {
                learning_rate: lr,
                batch_size: bs,
                backbone,
                augmentation: aug,
                seed: String(seed),
                epochs: "30",
                image_size: "640",
                optimizer: "AdamW",
              },
              tags: { ...DEMO_TAGS, team: "perception", task: "forward-collision-warning", "mlflow.user": "erin", "mlflow.source.name": "train_detector.py" },
              metrics: [
                series("train_loss", f.epochs, startTime, stepMs, (e) => (diverged && e > f.epochs - 2 ? NaN : 2.4 * Math.exp(-speed * e) + 0.35 + noise())),
                series(
                  "val_loss",
                  f.epochs,
                  startTime,
                  stepMs,
                  (e) => 2.5 * Math.exp(-speed * 0.9 * e) + 0.42 + noise() * 1.5 + (e > 22 ? (e - 22) * 0.004 : 0),
                ),
                series("mAP50", f.epochs, startTime, stepMs, (e) => Math.max(0, best * (1 - Math.exp(-speed * (e + 1))) + noise())),
                series("mAP50-95", f.epochs, startTime, stepMs, (e) => Math.max(0, best * 0.62 * (1 - Math.exp(-speed * (e + 1))) + noise() * 0.7)),
                series("lr", f.epochs, startTime, stepMs, (e) => Number(lr) * 0.5 * (1 + Math.cos((Math.PI * e) / 30))),
              ],
            });
          }
  return out;
}

const DISTRACTION_CLASSES = ["safe", "phone", "eating", "smoking", "eyes_off_road"] as const;

function distractedSweep(rng: Rng, n: number): ImportRun[] {
  const backbones = { "mobilenetv3-large": 0.9, "efficientnet-b0": 0.92, resnet18: 0.89, "convnext-nano": 0.93 } as const;
  const difficulty: Record<(typeof DISTRACTION_CLASSES)[number], number> = { safe: 0.04, phone: 0.02, eating: 0.09, smoking: 0.11, eyes_off_road: 0.07 };
  return Array.from({ length: n }, (_, i) => {
    const backbone = rng.pick(Object.keys(backbones)) as keyof typeof backbones;
    const lr = rng.pick(["0.0005", "0.001", "0.002", "0.005"]);
    const size = rng.pick(["224", "256", "320"]);
    const smoothing = rng.pick(["0.0", "0.05", "0.1"]);
    const f = fate(rng, 20);
    const stepMs = 6 * 60_000;
    const { startTime, endTime } = runTimes(rng, i, f.status, f.epochs, stepMs);
    const quality = backbones[backbone] + (size === "320" ? 0.015 : size === "256" ? 0.008 : 0) - (lr === "0.005" ? 0.03 : 0) + rng.normal() * 0.01;
    const done = f.epochs / 20;
    const perClass = DISTRACTION_CLASSES.flatMap((c) => {
      const p = Math.min(0.995, quality - difficulty[c] + rng.normal() * 0.012) * (0.7 + 0.3 * done);
      const r = Math.min(0.995, quality - difficulty[c] * 1.3 + rng.normal() * 0.015) * (0.7 + 0.3 * done);
      const ts = endTime ?? startTime + f.epochs * stepMs;
      return [
        { key: `precision_${c}`, steps: [f.epochs - 1], values: [round(p, 4)], timestamps: [ts] },
        { key: `recall_${c}`, steps: [f.epochs - 1], values: [round(r, 4)], timestamps: [ts] },
      ];
    });
    const speed = 0.15 + rng.next() * 0.1;
    return {
      runName: `dd-${backbone}-${size}-${i}`,
      status: f.status,
      startTime,
      endTime,
      params: { learning_rate: lr, backbone, input_size: size, label_smoothing: smoothing, weight_decay: rng.pick(["0.0001", "0.0005"]), seed: String(i % 5) },
      tags: {
        ...DEMO_TAGS,
        team: "driver-monitoring",
        task: "distracted-driving",
        "mlflow.user": rng.pick(["dana", "erin", "kofi"]),
        "mlflow.source.name": "train_cls.py",
      },
      metrics: [
        series("train_loss", f.epochs, startTime, stepMs, (e) => 1.6 * Math.exp(-speed * e) + 0.08 + rng.normal() * 0.01),
        series("val_accuracy", f.epochs, startTime, stepMs, (e) => quality * (1 - Math.exp(-speed * 1.5 * (e + 1))) + rng.normal() * 0.005),
        ...perClass,
      ],
    };
  });
}

function ecoRegression(rng: Rng, n: number): ImportRun[] {
  const kinds = { xgboost: 3.0, lightgbm: 3.1, mlp: 3.6, linear: 4.8 } as const;
  return Array.from({ length: n }, (_, i) => {
    const model = rng.pick(Object.keys(kinds)) as keyof typeof kinds;
    const depth = rng.pick(["4", "6", "8", "10"]);
    const features = rng.pick(["base", "base+weather", "base+weather+terrain"]);
    const f = fate(rng, 10);
    const stepMs = 90_000;
    const { startTime, endTime } = runTimes(rng, i, f.status, f.epochs, stepMs);
    const floor =
      kinds[model] - (features === "base+weather+terrain" ? 0.35 : features === "base+weather" ? 0.2 : 0) - (depth === "8" ? 0.1 : 0) + rng.normal() * 0.08;
    return {
      runName: `eco-${model}-d${depth}-${i}`,
      status: f.status,
      startTime,
      endTime,
      params: {
        model,
        max_depth: depth,
        n_estimators: rng.pick(["200", "400", "800"]),
        learning_rate: rng.pick(["0.03", "0.05", "0.1"]),
        features,
        target: "eco_score",
      },
      tags: { ...DEMO_TAGS, team: "platform", task: "eco-driving-score", "mlflow.user": "priya", "mlflow.source.name": "fit_eco.py" },
      metrics: [
        series("val_mae", f.epochs, startTime, stepMs, (e) => floor + 4 * Math.exp(-0.5 * e) + rng.normal() * 0.03),
        series("val_rmse", f.epochs, startTime, stepMs, (e) => (floor + 4 * Math.exp(-0.5 * e)) * 1.35 + rng.normal() * 0.04),
        {
          key: "r2",
          steps: [f.epochs - 1],
          values: [round(Math.max(0, 0.92 - (floor - 2.6) * 0.12 + rng.normal() * 0.01), 4)],
          timestamps: [startTime + f.epochs * stepMs],
        },
      ],
    };
  });
}

/** One long run (100k steps): what the charts downsample and the history pages through. */
function longRun(rng: Rng): ImportRun {
  const n = 100_000;
  const stepMs = 600;
  const steps = Array.from({ length: n }, (_, i) => i);
  const loss = steps.map((s) => round(2.2 * Math.exp(-s / 15_000) + 0.25 + 0.04 * Math.sin(s / 700) + rng.normal() * 0.03 + (s === 61_234 ? 4.5 : 0)));
  const ts = steps.map((s) => BASE_TIME + 12 * HOUR + s * stepMs);
  return {
    runName: "fcw-yolov8s-long-schedule",
    status: "FINISHED",
    startTime: BASE_TIME + 12 * HOUR,
    endTime: BASE_TIME + 12 * HOUR + n * stepMs,
    params: { learning_rate: "0.0005", batch_size: "32", backbone: "yolov8s", augmentation: "mosaic+mixup", steps: String(n) },
    tags: {
      ...DEMO_TAGS,
      team: "perception",
      task: "forward-collision-warning",
      "mlflow.user": "erin",
      "mlflow.note.content": "100k-step schedule; the loss spike at step 61234 is a corrupted batch (kept on purpose).",
    },
    metrics: [
      { key: "train_loss", steps, values: loss, timestamps: ts },
      {
        key: "mAP50",
        steps: steps.filter((s) => s % 1000 === 999),
        values: steps.filter((s) => s % 1000 === 999).map((s) => round(0.62 * (1 - Math.exp(-s / 20_000)))),
        timestamps: steps.filter((s) => s % 1000 === 999).map((s) => ts[s]),
      },
    ],
  };
}

/** Which demo experiment a demo model's versions come from (others get an evaluation run each). */
const LINEAGE_EXPERIMENT: Record<string, string> = {
  "forward-collision-warning": "fcw-detector-sweep",
  "distracted-driving": "distracted-driving-classifier-sweep",
  "eco-driving-score": "eco-driving-regression",
};

export async function seedExperiments(db: Db): Promise<void> {
  const engineer = await findUserByEmail(db, "engineer@example.com");
  if (!engineer) return;
  const actor: Actor = { userId: engineer.id, email: engineer.email, role: engineer.role, requestId: "demo-seed" };
  const rng = prng(20260901);
  const make = async (name: string, tags: Record<string, string>, runs: ImportRun[]) => {
    const e = await createExperiment(db, actor, { name, tags: Object.entries({ ...tags, demo: "true" }).map(([key, value]) => ({ key, value })) });
    const ids = await importRuns(
      db,
      actor,
      String(e.id),
      runs.map((r) => ({ ...r, userId: r.tags?.["mlflow.user"] })),
    );
    return { id: String(e.id), ids, runs };
  };
  const created = new Map<string, Awaited<ReturnType<typeof make>>>();
  created.set(
    "fcw-detector-sweep",
    await make(
      "fcw-detector-sweep",
      { team: "perception", "mlflow.note.content": "Grid over learning rate, batch size, backbone and augmentation for the forward collision detector." },
      detectorSweep(rng),
    ),
  );
  await make("fcw-long-schedule", { team: "perception" }, [longRun(rng)]);
  created.set(
    "distracted-driving-classifier-sweep",
    await make("distracted-driving-classifier-sweep", { team: "driver-monitoring" }, distractedSweep(rng, 1200)),
  );
  created.set("eco-driving-regression", await make("eco-driving-regression", { team: "platform" }, ecoRegression(rng, 1400)));

  // Lineage: each demo model version points at a run; best finished runs go to the newest versions.
  const versions = await db
    .select({ slug: models.slug, number: modelVersions.number, lineage: modelVersions.lineage, tags: modelVersions.tags, metrics: modelVersions.metrics })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .orderBy(asc(models.slug), asc(modelVersions.number));
  const evals: ImportRun[] = [];
  const evalFor: { slug: string; number: number; index: number }[] = [];
  const linked: { slug: string; number: number; runId: string; lineage: TLineage; tags: Record<string, string> }[] = [];
  for (const v of versions) {
    const lineage = (v.lineage ?? {}) as TLineage;
    if (lineage.sourceRunId) continue;
    const exp = created.get(LINEAGE_EXPERIMENT[v.slug]);
    if (exp) {
      const finished = exp.runs.map((r, i) => ({ r, id: exp.ids[i] })).filter((x) => x.r.status === "FINISHED");
      const pickIdx = Math.floor((finished.length * (v.number * 0.29)) % finished.length);
      linked.push({ slug: v.slug, number: v.number, runId: finished[pickIdx].id, lineage, tags: v.tags });
    } else {
      evalFor.push({ slug: v.slug, number: v.number, index: evals.length });
      const t0 = BASE_TIME + 40 * 24 * HOUR + evals.length * HOUR;
      evals.push({
        runName: `${v.slug}-v${v.number}-evaluation`,
        status: "FINISHED",
        startTime: t0,
        endTime: t0 + 20 * 60_000,
        params: { model: v.slug, version: String(v.number), dataset: "fleet-eval-2026-08" },
        tags: { ...DEMO_TAGS, "mlflow.user": "erin", "mlflow.source.name": "evaluate.py" },
        metrics: Object.entries(v.metrics).map(([key, value]) => ({ key, steps: [0], values: [value], timestamps: [t0 + 20 * 60_000] })),
      });
    }
  }
  if (evals.length) {
    const e = await make("model-evaluations", { team: "platform" }, evals);
    const versionsBySlug = new Map(versions.map((v) => [`${v.slug}/${v.number}`, v]));
    for (const x of evalFor) {
      const v = versionsBySlug.get(`${x.slug}/${x.number}`)!;
      linked.push({ slug: x.slug, number: x.number, runId: e.ids[x.index], lineage: (v.lineage ?? {}) as TLineage, tags: v.tags });
    }
  }
  for (const l of linked) {
    // `tags` is passed along because the registry's update schema would otherwise reset them.
    await updateVersion(db, actor, l.slug, l.number, { lineage: { ...l.lineage, sourceRunId: l.runId }, tags: l.tags });
  }
}
