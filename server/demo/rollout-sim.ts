// Devices following their manifests, pure: what one device reports for one window while running a
// given version, with ground-truth safety outcomes per slice, and an optional regression of one version
// on one slice (e.g. night), or the recall measured by running the version (server/demo/fcw-fleet.ts). No ONNX here, so
// the browser test and the simulator script share it.
import { mulberry32 } from "@/lib/prng";
import { latencyHistogram } from "@/server/telemetry/histogram";
import type { TSummary } from "@/server/telemetry/schemas";

export type Regression = { version: number; slice: "night" | "day" };
export type SimDevice = { id: string; region: string; hardwareClass: string };

/** Recall of the collision warning by time of day; a regressed version keeps only half of it on its slice. */
const RECALL = { day: 0.92, night: 0.88 } as const;
const REGRESSED_FACTOR = 0.5;

/** Half the fleet drives at night in any window (by device and window, deterministic). */
export function drivesAtNight(deviceId: string, windowIndex: number): boolean {
  let h = windowIndex * 2_654_435_761;
  for (let i = 0; i < deviceId.length; i++) h = Math.imul(h ^ deviceId.charCodeAt(i), 16_777_619);
  return ((h >>> 0) & 1) === 1;
}

export function deviceWindow(o: {
  model: string;
  version: number;
  device: SimDevice;
  windowStart: Date;
  windowIndex: number;
  windowSeconds?: number;
  requests?: number;
  /** Real collision risks the camera sees per window. */
  events?: number;
  regress?: Regression;
  /** This version's recall by time of day when it was measured (the real FCW detectors); otherwise the fixed table. */
  recall?: { day: number; night: number };
  seed?: number;
  /** The fleet (deployment target slug) the device belongs to, sent as the `fleet` slice key. */
  fleet?: string;
}): TSummary {
  const windowSeconds = o.windowSeconds ?? 300;
  const requests = o.requests ?? 300;
  const events = o.events ?? 40;
  const night = drivesAtNight(o.device.id, o.windowIndex);
  const timeOfDay = night ? "night" : "day";
  let seed = o.seed ?? 11;
  for (let i = 0; i < o.device.id.length; i++) seed = Math.imul(seed ^ o.device.id.charCodeAt(i), 0x01000193);
  const rnd = mulberry32((seed ^ (o.windowIndex * 0x9e3779b1) ^ o.version) >>> 0);
  const recall = (o.recall ?? RECALL)[timeOfDay] * (o.regress && o.regress.version === o.version && o.regress.slice === timeOfDay ? REGRESSED_FACTOR : 1);
  let tp = 0;
  for (let i = 0; i < events; i++) if (rnd() < recall) tp++;
  const fp = rnd() < 0.3 ? 1 : 0;
  const errors = rnd() < 0.02 ? 1 : 0;
  const latencies = Array.from({ length: requests - errors }, () => 8 * Math.exp(0.2 * (rnd() + rnd() + rnd() - 1.5)));
  return {
    idempotencyKey: `follow-${o.model}-v${o.version}-${o.fleet ? `${o.fleet}-` : ""}${o.device.id}-${o.windowStart.toISOString()}`,
    model: o.model,
    version: o.version,
    target: "device",
    cohort: `${o.device.hardwareClass}-${o.device.region}`,
    slice: { timeOfDay, region: o.device.region, ...(o.fleet ? { fleet: o.fleet } : {}) },
    windowStart: o.windowStart.toISOString(),
    windowSeconds,
    requests,
    errors,
    latencyMs: { counts: latencyHistogram(latencies) },
    outcomes: { forward_collision: { tp, fp, fn: events - tp } },
  };
}
