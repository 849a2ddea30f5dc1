// Fleet simulator: N camera devices across cohorts run a real ONNX model (onnxruntime-node) on generated frames and
// post 5-minute summaries to Sentinel through the REST API, like real devices.
//   npx tsx scripts/simulate-fleet.ts --url http://127.0.0.1:3000 --token snt_... [--devices 12] [--hours 2]
//        [--version 1] [--shift night|obstruction --shift-at 1] [--fault latency|errors --fault-at 1.5] [--seed 7]
//        [--device-ms 6]  (median device service time; default 6 ms, or "measured" for this machine's ONNX time x3)
// The default model is camera-health. `--model forward-collision-warning --version 2|3` runs that FCW detector (the
// committed ONNX files) on generated dashcam frames instead, one summary per cohort gateway and window, with pedestrians
// and vehicles per frame, detections per class and the frames' brightness; `--shift night --shift-at H` turns night on
// at hour H and `--darker-at H` makes the night frames darker from hour H (v3 loses its pedestrians there, v2 does not).
// The windows end now, so they are within the lateness limit. Re-running posts the same idempotency
// keys for the same start time, and the server counts each window once.
//
// Following manifests (devices of a fleet pick up what the rollout gives them, report, and send telemetry
// tagged with the version they run; one version can be made worse on one slice so the canary analysis catches it):
//   npx tsx scripts/simulate-fleet.ts --follow-manifests --fleet canary-rigs --model forward-collision-warning --token snt_...
//        [--rounds 6] [--check-in-every 2] [--round-seconds 0] [--regress-version 3 --regress-slice night]
//        [--fail-version 3 --fail-rate 0.1]
//        [--shared-token]  (act for every device with --token instead of minting each its own credential)
//   For forward-collision-warning, versions with weights (v2, v3) report collision outcomes at the recall the detector
//   measured on generated day and night frames, so v3's night regression comes from the model and --regress-version is
//   not needed (it still works, for models without weights and to make a version worse on purpose).
//   The token needs deploy:read and devices:write (an engineer's): it mints each device its own credential
//   (the previous one is revoked), and each device then reads, reports and sends telemetry with its own.
import { flags, main } from "./cli";
import { createCameraHealthRunner, simulateFleet, type Fault, type Shift } from "@/server/demo/fleet";
import { FCW_MODEL, fcwPool, isRunnableFcwVersion, measuredFcwRecall, poolStats, simulateFcwFleet } from "@/server/demo/fcw-fleet";
import { COHORTS } from "@/server/demo/fleet";
import { followManifests, type Transport } from "@/server/demo/follow";
import type { TSummary } from "@/server/telemetry/schemas";

const BATCH = 200;

main(async () => {
  const f = flags(process.argv.slice(2));
  const url = (f.url ?? process.env.SENTINEL_URL ?? "http://127.0.0.1:3000").replace(/\/$/, "");
  const token = f.token ?? process.env.SENTINEL_TOKEN;
  if (!token) throw new Error("Pass --token (an API token with the telemetry:write scope) or set SENTINEL_TOKEN");
  if (f["follow-manifests"]) return follow(f, url, token);
  const devices = Number(f.devices ?? 12);
  const hours = Number(f.hours ?? 2);
  const windowMinutes = Number(f["window-minutes"] ?? 5);
  if (!(devices >= 1 && devices <= 10_000) || !(hours > 0 && hours <= 6)) throw new Error("--devices 1..10000, --hours up to 6 (the lateness limit)");
  const shift: Shift | undefined = f.shift ? { kind: parseKind(f.shift, ["night", "obstruction"], "--shift"), atHour: Number(f["shift-at"] ?? 0) } : undefined;
  const fault: Fault | undefined = f.fault ? { kind: parseKind(f.fault, ["latency", "errors"], "--fault"), atHour: Number(f["fault-at"] ?? 0) } : undefined;
  const windowMs = windowMinutes * 60_000;
  const start = new Date(Math.floor((Date.now() - hours * 3600_000) / windowMs) * windowMs);

  async function cameraHealthSummaries(): Promise<TSummary[]> {
    const runner = await createCameraHealthRunner();
    console.log(`camera-health pool ready: 40 inferences, median ${runner.inferenceMsMedian.toFixed(2)} ms`);
    const deviceMs = f["device-ms"] === "measured" ? runner.inferenceMsMedian * 3 : Number(f["device-ms"] ?? 6);
    try {
      return simulateFleet(runner, {
        model: f.model ?? "camera-health",
        version: Number(f.version ?? 1),
        devices,
        hours,
        start,
        windowMinutes,
        seed: Number(f.seed ?? 7),
        shift,
        fault,
        deviceMs,
      });
    } finally {
      await runner.close();
    }
  }
  if (f.model === FCW_MODEL && fault) throw new Error(`--fault is for camera-health; ${FCW_MODEL} windows come from its detector only`);
  const summaries = f.model === FCW_MODEL ? await fcwSummaries(f, { devices, hours, start, windowMinutes, shift }) : await cameraHealthSummaries();

  const t0 = performance.now();
  let accepted = 0;
  let duplicates = 0;
  for (let i = 0; i < summaries.length; i += BATCH) {
    const res = await fetch(`${url}/api/v1/telemetry/summaries`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ summaries: summaries.slice(i, i + BATCH) }),
    });
    const body = (await res.json()) as { accepted?: number; duplicates?: number; detail?: string };
    if (!res.ok) throw new Error(`POST /api/v1/telemetry/summaries: ${res.status} ${body.detail ?? JSON.stringify(body)}`);
    accepted += body.accepted ?? 0;
    duplicates += body.duplicates ?? 0;
  }
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${summaries.length} windows from ${devices} devices over ${hours} h: ${accepted} stored, ${duplicates} retries ignored, ${(summaries.length / s).toFixed(0)} windows/s`,
  );
});

/** The FCW detector on generated dashcam frames: one summary per cohort gateway and window, from the model's outputs. */
async function fcwSummaries(
  f: Record<string, string>,
  o: { devices: number; hours: number; start: Date; windowMinutes: number; shift?: Shift },
): Promise<TSummary[]> {
  const version = Number(f.version ?? 2);
  if (!isRunnableFcwVersion(version)) throw new Error(`--version must be 2 or 3 for ${FCW_MODEL} (the versions with weights in examples/fcw-detector/models)`);
  if (o.shift && o.shift.kind !== "night") throw new Error(`--shift for ${FCW_MODEL} is night only`);
  const t0 = performance.now();
  const pool = await fcwPool(version);
  const [day, night, dark] = [poolStats(pool.day), poolStats(pool.night), poolStats(pool["dark-night"])];
  console.log(
    `${FCW_MODEL} v${version} on ${day.frames + night.frames + dark.frames} generated frames in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
      `pedestrians per frame ${day.pedestriansPerFrame.toFixed(2)} by day, ${night.pedestriansPerFrame.toFixed(2)} at night, ${dark.pedestriansPerFrame.toFixed(2)} on darker night frames`,
  );
  const hourOf = (t: Date) => (t.getTime() - o.start.getTime()) / 3600_000;
  const darkerAt = f["darker-at"] !== undefined ? Number(f["darker-at"]) : undefined;
  return simulateFcwFleet(pool, {
    version,
    cohorts: COHORTS.slice(0, Math.min(COHORTS.length, o.devices)).map((c) => c.name),
    start: o.start,
    hours: o.hours,
    windowMinutes: o.windowMinutes,
    // Each gateway summarises its devices' frames: 12 per device per window, as the camera-health simulation.
    framesPerWindow: 12 * Math.max(1, Math.round(o.devices / COHORTS.length)),
    seed: Number(f.seed ?? 7),
    timeOfDay: (t) => (o.shift && hourOf(t) >= o.shift.atHour ? "night" : "day"),
    darkerFrom: darkerAt !== undefined ? new Date(o.start.getTime() + darkerAt * 3600_000) : undefined,
    keyPrefix: `sim-${f.seed ?? 7}`,
  });
}

function parseKind<T extends string>(v: string, allowed: readonly T[], flag: string): T {
  const found = allowed.find((a) => a === v);
  if (!found) throw new Error(`${flag} must be one of ${allowed.join(", ")}`);
  return found;
}

async function follow(f: Record<string, string>, url: string, token: string) {
  if (!f.fleet) throw new Error("--follow-manifests needs --fleet <target slug>");
  const auth = { authorization: `Bearer ${token}` };
  const http: Transport = {
    async get(path, headers = {}) {
      const res = await fetch(`${url}${path}`, { headers: { ...auth, ...headers } });
      return { status: res.status, etag: res.headers.get("etag"), body: res.status === 304 ? null : await res.json() };
    },
    async post(path, body, headers = {}) {
      const res = await fetch(`${url}${path}`, {
        method: "POST",
        headers: { ...auth, ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
  };
  const regress = f["regress-version"]
    ? { version: Number(f["regress-version"]), slice: parseKind(f["regress-slice"] ?? "night", ["night", "day"], "--regress-slice") }
    : undefined;
  const model = f.model ?? FCW_MODEL;
  // The real FCW detectors' measured recall by time of day, for the versions with weights.
  const measured = new Map<number, { day: number; night: number }>();
  if (model === FCW_MODEL)
    for (const v of [2, 3]) {
      measured.set(v, await measuredFcwRecall(v));
      console.log(`${FCW_MODEL} v${v} measured vehicle recall: ${JSON.stringify(measured.get(v))}`);
    }
  const result = await followManifests(http, {
    fleet: f.fleet,
    model,
    recallOf: (v) => measured.get(v),
    rounds: Number(f.rounds ?? 6),
    checkInEvery: Number(f["check-in-every"] ?? 2),
    roundSeconds: Number(f["round-seconds"] ?? 0),
    regress,
    failVersion: f["fail-version"] ? Number(f["fail-version"]) : undefined,
    failRate: Number(f["fail-rate"] ?? 0),
    seed: Number(f.seed ?? 11),
    deviceCredentials: !f["shared-token"],
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(result));
}
