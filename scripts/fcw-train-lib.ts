// What `npm run demo:train` and the training smoke tests share: finding a Python with torch and the MLflow client,
// uploading a task's pinned frame sets over REST, running an example's train.py (examples/fcw-detector,
// examples/seatbelt-classifier), starting a throwaway portal.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { generateCabinFrames, SEATBELT_SETS } from "@/server/demo/cabin-frames";
import { FCW_SETS, generateFcwFrames } from "@/server/demo/fcw-frames";

const root = path.resolve(import.meta.dirname, "..");
export const FCW_EXAMPLE_DIR = path.join(root, "examples", "fcw-detector");
export const SEATBELT_EXAMPLE_DIR = path.join(root, "examples", "seatbelt-classifier");

type UploadFrame = { name: string; fileName: string; tags: string[]; png: Buffer; groundTruth: unknown };
/** A pinned set: its tag, its size, and how to render its first n frames. */
type FrameSet = { tag: string; count: number; generate: (n: number) => Promise<UploadFrame[]> };

export const FCW_FRAME_SETS: FrameSet[] = [
  { ...FCW_SETS.train, generate: (n) => generateFcwFrames("train", n) },
  { ...FCW_SETS.eval, generate: (n) => generateFcwFrames("eval", n) },
];
export const SEATBELT_FRAME_SETS: FrameSet[] = [
  { ...SEATBELT_SETS.train, generate: (n) => generateCabinFrames("train", n) },
  { ...SEATBELT_SETS.eval, generate: (n) => generateCabinFrames("eval", n) },
];

/** v2: trained on the balanced set; v3: night frames cut to a tenth of the sample, the regression the demo tells. */
export const FCW_VERSIONS = [
  { label: "v2", nightShare: 0.5, description: "Trained on the balanced day/night set fcw-train-v1" },
  { label: "v3", nightShare: 0.1, description: "Trained on fcw-train-v1 with night frames cut to 10% of the sample" },
] as const;

export type TrainingPython = { command: string; args: string[] } | { skip: string };

const MLFLOW_MISSING = "The MLflow client is not importable: set MLFLOW_PYTHON to a launcher that runs python3 with mlflow 2.x on its path";

/** A Python that imports `modules`: MLFLOW_PYTHON (a launcher such as the shared tools' mlflow-python), else python3. */
function pythonWith(modules: string): { command: string; args: string[] } | null {
  const py = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const launchers = [process.env.MLFLOW_PYTHON, path.join(root, "..", "..", "shared", "tools", "mlflow-python"), "/work/shared/tools/mlflow-python"];
  for (const l of launchers) {
    if (!l || !fs.existsSync(l)) continue;
    if (spawnSync(l, ["-c", `import ${modules}`], { stdio: "ignore" }).status === 0) return { command: l, args: [] };
  }
  if (spawnSync(py, ["-c", `import ${modules}`], { stdio: "ignore" }).status === 0) return { command: py, args: [] };
  return null;
}

/** Debian's python3-torch lives in /usr/bin/python3's dist-packages; the MLflow client comes from a launcher or that interpreter. */
export function findTrainingPython(): TrainingPython {
  const py = fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const torch = spawnSync(py, ["-c", "import torch, onnx"], { stdio: "ignore" });
  if (torch.status !== 0) return { skip: "PyTorch is not installed: apt-get install -y python3-torch python3-onnx (Debian 12) to train the FCW detector" };
  return pythonWith("mlflow, torch") ?? { skip: MLFLOW_MISSING };
}

/** A Python with the MLflow client only (jobs that log without training). */
export function findMlflowPython(): TrainingPython {
  return pythonWith("mlflow") ?? { skip: MLFLOW_MISSING };
}

type Json = Record<string, unknown>;

async function api(uri: string, token: string, p: string, init: RequestInit = {}): Promise<Json> {
  const res = await fetch(`${uri}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
  const body = (await res.json().catch(() => ({}))) as Json;
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${p}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Uploads the frames of the sets the portal does not hold yet (by name under the set's tag); returns how many. */
export async function uploadFrameSets(uri: string, token: string, sets: FrameSet[], limit?: number, log: (m: string) => void = () => {}): Promise<number> {
  let uploaded = 0;
  for (const { tag, count, generate } of sets) {
    const have = new Set<string>();
    for (let page = 1; ; page++) {
      const body = (await api(uri, token, `/api/v1/frames?tag=${tag}&pageSize=200&page=${page}`)) as { items: { name: string }[]; total: number };
      for (const f of body.items) have.add(f.name);
      if (!body.items.length || have.size >= body.total) break;
    }
    const n = Math.min(limit ?? count, count);
    if (have.size >= n) continue;
    log(`Rendering and uploading ${n - have.size} ${tag} frames…`);
    for (const f of await generate(n)) {
      if (have.has(f.name)) continue;
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(f.png)], { type: "image/png" }), f.fileName);
      form.append("metadata", JSON.stringify({ name: f.name, tags: f.tags, groundTruth: f.groundTruth }));
      await api(uri, token, "/api/v1/frames", { method: "POST", body: form });
      uploaded++;
    }
  }
  return uploaded;
}

export function uploadFcwFrames(uri: string, token: string, limit?: number, log?: (m: string) => void): Promise<number> {
  return uploadFrameSets(uri, token, FCW_FRAME_SETS, limit, log);
}

export type TrainingOptions = {
  uri: string;
  token: string;
  /** Which example's train.py (default the FCW detector). */
  exampleDir?: string;
  /** FCW only: the share of night frames kept in the sample. */
  nightShare?: number;
  out: string;
  epochs: number;
  limit?: number;
  maxSteps?: number;
  register?: string;
  runName?: string;
  description?: string;
  /** Extra run tags (the retraining pipeline sets the alert it answers). */
  tags?: Record<string, string>;
  log?: (line: string) => void;
};
export type TrainingResult = { run_id: string; onnx: string; sha256: string; seconds: number; metrics: Record<string, number>; version?: number };

export function runTraining(python: { command: string; args: string[] }, o: TrainingOptions): Promise<TrainingResult> {
  const dir = o.exampleDir ?? FCW_EXAMPLE_DIR;
  const args = [
    ...python.args,
    path.join(dir, "train.py"),
    ...(o.nightShare !== undefined ? ["--night-share", String(o.nightShare)] : []),
    "--epochs",
    String(o.epochs),
    "--out",
    o.out,
    ...(o.limit ? ["--limit", String(o.limit)] : []),
    ...(o.maxSteps ? ["--max-steps", String(o.maxSteps)] : []),
    ...(o.register ? ["--register", o.register] : []),
    ...(o.runName ? ["--run-name", o.runName] : []),
    ...(o.description ? ["--description", o.description] : []),
    ...Object.entries(o.tags ?? {}).flatMap(([k, v]) => ["--tag", `${k}=${v}`]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(python.command, args, {
      cwd: dir,
      env: { ...process.env, MLFLOW_TRACKING_URI: o.uri, MLFLOW_TRACKING_TOKEN: o.token, OMP_NUM_THREADS: "1", PYTHONDONTWRITEBYTECODE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let result: Partial<TrainingResult> = {};
    let stderr = "";
    let buf = "";
    child.stdout.on("data", (c: Buffer) => {
      buf += c.toString();
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        o.log?.(line);
        if (line.startsWith("{")) {
          const j = JSON.parse(line) as Json;
          result = { ...result, ...(j.sha256 ? (j as TrainingResult) : {}), ...(j.registered ? { version: j.version as number } : {}) };
        }
      }
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 && result.sha256) resolve(result as TrainingResult);
      else reject(new Error(`train.py exited with ${code}: ${stderr.slice(-3000)}`));
    });
  });
}

/** The real route handlers over an in-memory database, with one engineer and a training token. */
export async function startThrowawayPortal(): Promise<{ url: string; token: string; close: () => Promise<void> }> {
  const { openDatabase } = await import("@/db/client");
  const { provideDatabase, closeDatabase } = await import("@/server/db");
  const { createUser } = await import("@/server/auth/users");
  const { createToken } = await import("@/server/tokens/service");
  const { startTrainingPortal } = await import("./fcw-portal");
  const database = await openDatabase({});
  provideDatabase(database);
  const u = await createUser(database.db, null, { email: "trainer@example.com", role: "engineer", password: "training job only" });
  const actor = { userId: u.id, email: u.email, role: "engineer" as const, requestId: "demo-train" };
  const { token } = await createToken(database.db, actor, {
    name: "fcw-training",
    scopes: ["runs:read", "runs:write", "models:read", "models:write", "frames:write"],
  });
  const portal = await startTrainingPortal();
  return {
    url: portal.url,
    token,
    close: async () => {
      await portal.close();
      await closeDatabase();
    },
  };
}
