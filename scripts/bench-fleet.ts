// Fleet at scale: 10,000 devices polling their manifests with If-None-Match every 5 minutes (jittered), plus
// telemetry and reports, against one portal replica on PostgreSQL (started with scripts/cluster.ts, 127.0.0.1 only).
//   npx tsx scripts/bench-fleet.ts [--devices 10000] [--minutes 5] [--concurrency 8] [--max-seconds 600]
// Time is compressed: the polls of the simulated minutes are sent in the order their jittered schedule gives, as
// fast as `--concurrency` connections allow, and stop at --max-seconds. Prints:
//   - the portal's CPU seconds per 1,000 polls (utime+stime of the server process from /proc, over a pure-poll cycle),
//   - p50/p99 of a manifest poll (304s) and of one that changed (200s),
//   - what a 304 wrote to the database (pg_stat_user_tables row deltas and pg_stat_database commits over that cycle),
//   - after a rollout step (canary start), how many devices got a new manifest and the time until every device had
//     polled once since (wall time here; on the real cadence it is bounded by the 5-minute poll interval plus jitter).
// Set-up (10,000 devices and their own credentials) is written straight into the database: it is not what is measured.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { deviceWindow } from "@/server/demo/rollout-sim";
import { startCluster } from "./cluster";

const FLEET = "canary-rigs";
const MODEL = "forward-collision-warning";
const CADENCE_S = 300;
const JITTER = 0.1;

type Device = { id: string; token: string; etag: string | null; version: number | null; region: string; hardwareClass: string };

const percentile = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x: number) => `${x.toFixed(1)} ms`;

function cpuSeconds(pid: number): number {
  // /proc/<pid>/stat: fields after the command's closing parenthesis; utime and stime are the 12th and 13th of them.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100;
}

/** Runs `jobs` with at most `n` in flight, in order. */
async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>, deadline: number) {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length && Date.now() < deadline) await fn(items[i++]);
    }),
  );
}

/** One poll per device at its jittered time in [from, from + span) simulated seconds, sorted by time. */
function schedule(devices: Device[], minutes: number, seed: number) {
  const events: { at: number; d: Device }[] = [];
  devices.forEach((d, i) => {
    // A device's phase is fixed (when it booted); each interval is 5 min ± 10 %.
    let t = (((i * 2_654_435_761 + seed) % 1_000_003) / 1_000_003) * CADENCE_S;
    let k = 0;
    while (t < minutes * 60) {
      events.push({ at: t, d });
      const r = (((i + 1) * 40_503 * (k + 7) + seed) % 10_007) / 10_007;
      t += CADENCE_S * (1 - JITTER + 2 * JITTER * r);
      k++;
    }
  });
  return events.sort((a, b) => a.at - b.at);
}

async function tableWrites(db: pg.Client) {
  await db.query("SELECT pg_stat_clear_snapshot()");
  const { rows } = await db.query<{ relname: string; schemaname: string; w: string }>(
    "SELECT schemaname, relname, (n_tup_ins + n_tup_upd + n_tup_del)::text AS w FROM pg_stat_user_tables",
  );
  const { rows: d } = await db.query<{ c: string }>("SELECT xact_commit::text AS c FROM pg_stat_database WHERE datname = current_database()");
  return { tables: new Map(rows.map((r) => [`${r.schemaname}.${r.relname}`, Number(r.w)])), commits: Number(d[0].c) };
}

function writesBetween(a: Awaited<ReturnType<typeof tableWrites>>, b: Awaited<ReturnType<typeof tableWrites>>) {
  const out: Record<string, number> = {};
  for (const [k, v] of b.tables) if (v - (a.tables.get(k) ?? 0) > 0) out[k] = v - (a.tables.get(k) ?? 0);
  return { rows: out, commits: b.commits - a.commits };
}

async function main() {
  const { values } = parseArgs({
    options: {
      devices: { type: "string", default: "10000" },
      minutes: { type: "string", default: "5" },
      concurrency: { type: "string", default: "8" },
      "max-seconds": { type: "string", default: "600" },
    },
  });
  const n = Number(values.devices);
  const minutes = Number(values.minutes);
  const concurrency = Number(values.concurrency);
  if (!(n >= 10 && n <= 10_000) || !(minutes >= 5 && minutes <= 60) || !(concurrency >= 1 && concurrency <= 64)) {
    throw new Error("--devices 10..10000, --minutes 5..60, --concurrency 1..64");
  }
  const deadline = Date.now() + Number(values["max-seconds"]) * 1000;
  let stopCluster: (() => Promise<void>) | null = null;
  const cleanup = async () => {
    await stopCluster?.();
  };
  process.on("SIGINT", () => void cleanup().then(() => process.exit(130)));
  process.on("SIGTERM", () => void cleanup().then(() => process.exit(143)));
  try {
    const { state } = await startCluster({ replicas: 1, port: 0, rebuild: false, log: (s) => console.log(s), onStop: (s) => (stopCluster = s) });
    const replica = state.replicas[0];
    const base = replica.url;
    const db = new pg.Client({ connectionString: state.databaseUrl });
    await db.connect();

    // --- set-up: devices with their own credentials, and an admin token for the rollout step
    const [{ target_id: targetId, hardware_class: hw, firmware, region }] = (
      await db.query(
        "SELECT d.target_id, d.hardware_class, d.firmware, d.region FROM devices d JOIN deployment_targets t ON t.id = d.target_id WHERE t.slug = $1 LIMIT 1",
        [FLEET],
      )
    ).rows;
    const [{ id: engineerId }] = (await db.query("SELECT id FROM users WHERE email = 'engineer@example.com'")).rows;
    const [{ id: adminId }] = (await db.query("SELECT id FROM users WHERE email = 'admin@example.com'")).rows;
    const mint = () => {
      const secret = "snt_" + randomBytes(32).toString("base64url");
      return { secret, prefix: secret.slice(0, 10), hash: createHash("sha256").update(secret).digest("hex") };
    };
    const devices: Device[] = [];
    const t0 = Date.now();
    for (let i = 0; i < n; i += 1000) {
      const chunk = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ id: `bench-${String(i + j).padStart(5, "0")}`, bucket: i + j, ...mint() }));
      await db.query("BEGIN");
      const tokens = await db.query<{ id: string }>(
        `INSERT INTO api_tokens (user_id, name, prefix, token_hash, scopes)
         SELECT $1, 'device ' || x.id, x.prefix, x.hash, ARRAY['deploy:read','telemetry:write'] FROM unnest($2::text[], $3::text[], $4::text[]) AS x(id, prefix, hash)
         RETURNING id`,
        [engineerId, chunk.map((c) => c.id), chunk.map((c) => c.prefix), chunk.map((c) => c.hash)],
      );
      await db.query(
        `INSERT INTO devices (id, target_id, hardware_class, firmware, region, bucket, token_id)
         SELECT x.id, $1, $2, $3, $4, x.bucket, x.token FROM unnest($5::text[], $6::int[], $7::uuid[]) AS x(id, bucket, token)`,
        [targetId, hw, firmware, region, chunk.map((c) => c.id), chunk.map((c) => c.bucket % 10_000), tokens.rows.map((r) => r.id)],
      );
      await db.query("COMMIT");
      for (const c of chunk) devices.push({ id: c.id, token: c.secret, etag: null, version: null, region, hardwareClass: hw });
    }
    const admin = mint();
    await db.query(
      "INSERT INTO api_tokens (user_id, name, prefix, token_hash, scopes) VALUES ($1, 'bench-fleet', $2, $3, ARRAY['deploy:read','deploy:write'])",
      [adminId, admin.prefix, admin.hash],
    );
    console.log(`\nset-up: ${n} devices with their own credentials on ${FLEET} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const poll = async (d: Device) => {
      const started = performance.now();
      const res = await fetch(`${base}/api/v1/devices/${d.id}/manifest`, {
        headers: { authorization: `Bearer ${d.token}`, ...(d.etag ? { "if-none-match": d.etag } : {}) },
      });
      const body = res.status === 200 ? ((await res.json()) as { models: { model: string; version: number }[] }) : (await res.arrayBuffer(), null);
      const took = performance.now() - started;
      if (res.status !== 200 && res.status !== 304) throw new Error(`manifest of ${d.id}: ${res.status}`);
      let changed = false;
      if (body) {
        d.etag = res.headers.get("etag");
        const v = body.models.find((m) => m.model === MODEL)?.version ?? null;
        changed = v !== d.version;
        d.version = v;
      }
      return { status: res.status, took, changed, cacheControl: res.headers.get("cache-control"), etag: res.headers.get("etag") };
    };
    let reports = 0;
    let windows = 0;
    const report = async (d: Device) => {
      const res = await fetch(`${base}/api/v1/devices/${d.id}/reports`, {
        method: "POST",
        headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
        body: JSON.stringify({ reportId: `bench-${d.id}-v${d.version}-${Date.now().toString(36)}`, models: [{ model: MODEL, running: d.version }] }),
      });
      await res.arrayBuffer();
      if (res.status !== 200 && res.status !== 201) throw new Error(`report of ${d.id}: ${res.status}`);
      reports++;
    };
    const telemetry = async (d: Device, index: number) => {
      const summary = deviceWindow({
        model: MODEL,
        version: d.version ?? 2,
        device: d,
        windowStart: new Date(Math.floor(Date.now() / 300_000) * 300_000 - 300_000),
        windowIndex: index,
        fleet: FLEET,
      });
      const res = await fetch(`${base}/api/v1/telemetry/summaries`, {
        method: "POST",
        headers: { authorization: `Bearer ${d.token}`, "content-type": "application/json" },
        body: JSON.stringify({ summaries: [summary] }),
      });
      await res.arrayBuffer();
      if (res.status !== 200 && res.status !== 201) throw new Error(`telemetry of ${d.id}: ${res.status} ${await res.text().catch(() => "")}`);
      windows++;
    };

    // --- first contact: every device fetches its manifest (200) once; its ETag is what the later polls send
    let t = Date.now();
    await pool(devices, concurrency, poll, deadline);
    console.log(`first contact: ${n} manifests (200) in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    // --- steady state: the polls of `minutes` simulated minutes, nothing changed, so all 304
    const events = schedule(devices, minutes, 7);
    // An idle backend flushes its statistics within 10 s (PGSTAT_IDLE_INTERVAL): wait, so each phase counts its own.
    await new Promise((r) => setTimeout(r, 11_000));
    const before = await tableWrites(db);
    const cpu0 = cpuSeconds(replica.pid);
    t = Date.now();
    const lat304: number[] = [];
    const statuses: Record<number, number> = {};
    const seen: { headers: { cacheControl: string | null; etag: string | null } | null } = { headers: null };
    await pool(
      events,
      concurrency,
      async (e) => {
        const r = await poll(e.d);
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 304) lat304.push(r.took);
        seen.headers ??= r;
      },
      deadline,
    );
    const wall = (Date.now() - t) / 1000;
    const cpu = cpuSeconds(replica.pid) - cpu0;
    await new Promise((r) => setTimeout(r, 11_000));
    const writes = writesBetween(before, await tableWrites(db));
    const polls = lat304.length + (statuses[200] ?? 0);
    console.log(
      `\nsteady state: ${polls} polls (${minutes} simulated minutes) in ${wall.toFixed(1)} s = ${(polls / wall).toFixed(0)} polls/s; answers ${JSON.stringify(statuses)}`,
    );
    console.log(`  portal CPU: ${((cpu / polls) * 1000).toFixed(2)} s per 1,000 polls (${cpu.toFixed(1)} s in all)`);
    console.log(`  304 latency: p50 ${ms(percentile(lat304, 50))}, p99 ${ms(percentile(lat304, 99))}`);
    console.log(`  headers of a 304: cache-control "${seen.headers?.cacheControl}", etag ${seen.headers?.etag}`);
    const appWrites = Object.entries(writes.rows).filter(([k]) => !k.startsWith("pgboss."));
    console.log(
      `  database during these polls: ${writes.commits} transactions (reads included); rows written by the portal: ${appWrites.length ? JSON.stringify(Object.fromEntries(appWrites)) : "none"}` +
        `; by the job queue's own polling: ${JSON.stringify(Object.fromEntries(Object.entries(writes.rows).filter(([k]) => k.startsWith("pgboss."))))}`,
    );

    // --- one client alone: the latency of a poll without queueing behind the others
    const single: number[] = [];
    await pool(
      devices.slice(0, Math.min(1000, n)),
      1,
      async (d) => {
        single.push((await poll(d)).took);
      },
      deadline,
    );
    console.log(`  one client alone, ${single.length} polls: p50 ${ms(percentile(single, 50))}, p99 ${ms(percentile(single, 99))}`);

    // --- mixed traffic: one cadence of polls, each device also posting its 5-minute telemetry window with its credential
    windows = 0;
    t = Date.now();
    const cpu1 = cpuSeconds(replica.pid);
    const mixed = schedule(devices, 5, 11);
    await pool(
      mixed,
      concurrency,
      async (e) => {
        await poll(e.d);
        await telemetry(e.d, 1);
      },
      deadline,
    );
    const mixedWall = (Date.now() - t) / 1000;
    console.log(
      `\npolls with telemetry: ${mixed.length} polls + ${windows} telemetry windows in ${mixedWall.toFixed(1)} s; portal CPU ${(cpuSeconds(replica.pid) - cpu1).toFixed(1)} s`,
    );

    // --- a rollout step: canary of v3 starts; every device polls once more on its jittered schedule
    const [dep] = (
      await db.query(
        "SELECT dep.id, dep.revision, dep.state FROM deployments dep JOIN deployment_targets t ON t.id = dep.target_id JOIN models m ON m.id = dep.model_id WHERE t.slug = $1 AND m.slug = $2",
        [FLEET, MODEL],
      )
    ).rows;
    const step = await fetch(`${base}/api/v1/deployments/${dep.id}/actions`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.secret}`, "content-type": "application/json" },
      // A canary of v3 when the demo's deployment is idle, else the next step of the rollout in flight.
      body: JSON.stringify({
        ...(dep.state === "idle" ? { action: "canary.start", version: 3 } : { action: "advance" }),
        revision: dep.revision,
        idempotencyKey: `bench-${Date.now()}`,
      }),
    });
    const stepBody = await step.text();
    if (step.status !== 200) throw new Error(`rollout step (${dep.state}): ${step.status} ${stepBody}`);
    t = Date.now();
    const lat200: number[] = [];
    const after: number[] = [];
    let changed = 0;
    const rollout = schedule(devices, 5, 13);
    await pool(
      rollout,
      concurrency,
      async (e) => {
        const r = await poll(e.d);
        (r.status === 200 ? lat200 : after).push(r.took);
        if (r.changed) {
          changed++;
          await report(e.d);
        }
      },
      deadline,
    );
    const reach = (Date.now() - t) / 1000;
    const lastAt = rollout[rollout.length - 1]?.at ?? 0;
    console.log(
      `\nrollout step (${dep.state === "idle" ? "canary of v3 started" : "rollout advanced"}): ${changed} of ${n} devices got a new manifest and reported it (${reports} reports); every device had polled again ${reach.toFixed(1)} s later here`,
    );
    console.log(`  (on the real cadence: ${(lastAt / 60).toFixed(1)} simulated minutes, the poll interval plus jitter)`);
    console.log(
      `  changed manifests (200): p50 ${ms(percentile(lat200, 50))}, p99 ${ms(percentile(lat200, 99))}; unchanged (304): p50 ${ms(percentile(after, 50))}, p99 ${ms(percentile(after, 99))}`,
    );
    if (Date.now() >= deadline) console.log("\n(stopped at --max-seconds: the figures cover the polls sent until then)");
    await db.end();
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
