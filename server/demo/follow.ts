// A fleet that follows its manifests over the REST API: each device checks in at its own rate, fetches
// its manifest (If-None-Match), "installs" the desired version, reports it, and sends telemetry tagged
// with the version it runs. The transport is injected so the simulator script (fetch) and the browser
// test (Playwright's request context) drive the same logic. With `deviceCredentials`, the operator's
// token (devices:write) only mints each device its own credential, and every device then speaks for
// itself, as real devices do.
import { deviceWindow, type Regression, type SimDevice } from "./rollout-sim";
import type { TSummary } from "@/server/telemetry/schemas";

export type Transport = {
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; etag: string | null; body: unknown }>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: unknown }>;
};

export type FollowOptions = {
  fleet: string;
  model: string;
  rounds: number;
  /** A device checks in every this many rounds (staggered by device); everyone checks in on round 0. */
  checkInEvery?: number;
  /** Seconds between rounds; 0 runs them back to back, each window stamped when it is sent. */
  roundSeconds?: number;
  windowSeconds?: number;
  regress?: Regression;
  /** A version's measured recall by time of day (the real FCW detectors on generated frames); none: the fixed table. */
  recallOf?: (version: number) => { day: number; night: number } | undefined;
  /** This share of devices fail to download this version, and keep what they ran. */
  failVersion?: number;
  failRate?: number;
  seed?: number;
  /** Mint each device its own credential (POST /api/v1/devices/{id}/credentials) and act with it. */
  deviceCredentials?: boolean;
  log?: (line: string) => void;
};

type Manifest = { models: { model: string; version: number }[] };
type DeviceState = SimDevice & { etag: string | null; running: number | null; desired: number | null; index: number; auth: Record<string, string> };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type FollowResult = {
  checkIns: number;
  notModified: number;
  installs: number;
  failures: number;
  reports: number;
  windows: number;
  running: Record<number, number>;
};

export async function followManifests(http: Transport, o: FollowOptions): Promise<FollowResult> {
  const listed = await http.get(`/api/v1/targets/${o.fleet}/devices`);
  if (listed.status !== 200) throw new Error(`GET /api/v1/targets/${o.fleet}/devices: ${listed.status} ${JSON.stringify(listed.body)}`);
  const devices: DeviceState[] = (listed.body as { devices: { id: string; region: string; hardwareClass: string }[] }).devices.map((d, index) => ({
    ...d,
    etag: null,
    running: null,
    desired: null,
    index,
    auth: {},
  }));
  if (o.deviceCredentials) {
    for (const d of devices) {
      const r = await http.post(`/api/v1/devices/${d.id}/credentials`, {});
      if (r.status !== 201) throw new Error(`credential for ${d.id}: ${r.status} ${JSON.stringify(r.body)}`);
      d.auth = { authorization: `Bearer ${(r.body as { token: string }).token}` };
    }
  }
  const every = Math.max(1, o.checkInEvery ?? 2);
  // Report ids are unique per run, so a second run is not taken for a replay of the first.
  const run = Date.now().toString(36);
  const out: FollowResult = { checkIns: 0, notModified: 0, installs: 0, failures: 0, reports: 0, windows: 0, running: {} };
  for (let round = 0; round < o.rounds; round++) {
    const roundStart = Date.now();
    for (const d of devices) {
      if (round > 0 && (d.index + round) % every !== 0) continue;
      out.checkIns++;
      const res = await http.get(`/api/v1/devices/${d.id}/manifest`, { ...d.auth, ...(d.etag ? { "if-none-match": d.etag } : {}) });
      if (res.status === 304) {
        out.notModified++;
        continue;
      }
      if (res.status !== 200) throw new Error(`manifest of ${d.id}: ${res.status} ${JSON.stringify(res.body)}`);
      d.etag = res.etag;
      const m = (res.body as Manifest).models.find((x) => x.model === o.model);
      if (!m) continue;
      d.desired = m.version;
      if (d.desired === d.running) continue;
      // Deterministic failure draw per device and version.
      const failed = o.failVersion === d.desired && ((d.index * 2_654_435_761 + (o.seed ?? 11)) % 1000) / 1000 < (o.failRate ?? 0);
      const report = failed
        ? {
            reportId: `sim-${run}-${d.id}-r${round}-v${d.desired}-fail`,
            models: [{ model: o.model, running: d.running, failure: { version: d.desired, stage: "download", message: "simulated download failure" } }],
          }
        : { reportId: `sim-${run}-${d.id}-r${round}-v${d.desired}`, models: [{ model: o.model, running: d.desired }] };
      if (failed) out.failures++;
      else {
        d.running = d.desired;
        out.installs++;
      }
      const r = await http.post(`/api/v1/devices/${d.id}/reports`, report, d.auth);
      if (r.status !== 201 && r.status !== 200) throw new Error(`report of ${d.id}: ${r.status} ${JSON.stringify(r.body)}`);
      out.reports++;
    }
    const stamp = new Date(o.roundSeconds ? roundStart : Date.now());
    const running = devices.filter((d) => d.running !== null);
    const windowOf = (d: DeviceState): TSummary =>
      deviceWindow({
        model: o.model,
        version: d.running!,
        device: d,
        windowStart: stamp,
        windowIndex: round,
        windowSeconds: o.windowSeconds ?? 60,
        regress: o.regress,
        recall: o.recallOf?.(d.running!),
        seed: o.seed,
        fleet: o.fleet,
      });
    // A device credential sends only its own windows; an operator's token batches the fleet's.
    const batches: { summaries: TSummary[]; auth: Record<string, string> }[] = o.deviceCredentials
      ? running.map((d) => ({ summaries: [windowOf(d)], auth: d.auth }))
      : Array.from({ length: Math.ceil(running.length / 200) }, (_, i) => ({ summaries: running.slice(i * 200, i * 200 + 200).map(windowOf), auth: {} }));
    for (const b of batches) {
      const r = await http.post("/api/v1/telemetry/summaries", { summaries: b.summaries }, b.auth);
      if (r.status !== 200 && r.status !== 201) throw new Error(`POST /api/v1/telemetry/summaries: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const summaries = running;
    out.windows += summaries.length;
    o.log?.(
      `round ${round + 1}/${o.rounds}: ${summaries.length} windows, ${devices.filter((d) => d.running !== null && d.running === d.desired).length} devices on their desired version`,
    );
    if (o.roundSeconds && round < o.rounds - 1) await sleep(Math.max(0, roundStart + o.roundSeconds * 1000 - Date.now()));
  }
  for (const d of devices) if (d.running !== null) out.running[d.running] = (out.running[d.running] ?? 0) + 1;
  return out;
}
