// `npm run cluster`: Sentinel as it runs past one machine, on 127.0.0.1 only, thrown away on exit:
// a PostgreSQL cluster, an S3-compatible server (s3rver), N portal replicas of the built app sharing them,
// and nginx as a round-robin load balancer that skips a dead replica (passive failover).
//   npm run cluster [-- --replicas 2] [--port 0] [--state-file path.json] [--rebuild] [--quiet]
// Ctrl-C or SIGTERM stops everything and deletes the temp directory. --state-file writes the URLs, the
// replicas' pids and DATABASE_URL once everything is healthy (the cluster test suite and the fleet benchmark read it).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { startTestS3, type TestS3 } from "@/server/artifacts/test-s3";
import { freePort } from "./free-port";
import { asPostgres, pgBin } from "./throwaway-postgres";

const root = path.resolve(__dirname, "..");
const DEMO_PASSWORD = "sentinel-demo";
const isRoot = process.getuid?.() === 0;

export type ClusterState = {
  url: string;
  databaseUrl: string;
  dir: string;
  replicas: { pid: number; port: number; url: string; log: string }[];
  s3Endpoint: string;
  nginxPid: number;
};

/** HEAD, or a value that never matches when the tree has uncommitted changes (as scripts/start.mjs decides). */
function revision(): string {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { cwd: root, stdio: ["ignore", "pipe", "ignore"] })
        .toString()
        .trim();
    const head = git(["rev-parse", "HEAD"]);
    return git(["status", "--porcelain", "--untracked-files=no"]) ? `${head}+dirty-${Date.now()}` : head;
  } catch {
    return "no-git";
  }
}

function nginxBin(): string {
  for (const c of ["/usr/sbin/nginx", "/usr/bin/nginx"]) if (fs.existsSync(c)) return c;
  throw new Error("nginx is not installed: apt-get install -y nginx");
}

async function waitHealthy(url: string, child: ChildProcess | null, what: string, timeoutMs: number, log?: string) {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) break;
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const tail = log && fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").slice(-40).join("\n") : "";
  throw new Error(`${what} did not become healthy at ${url} (${child?.exitCode != null ? `exited with ${child.exitCode}` : last})\n${tail}`);
}

function nginxConfig(dir: string, listen: number, upstreams: number[]): string {
  // Passive failover: a replica that refuses or resets a connection is marked down for fail_timeout and the request
  // goes to the next one. nginx never re-sends a POST that already reached a replica (it may have been applied):
  // the client gets 502 and retries with its idempotency key.
  return `${isRoot ? "user root root;\n" : ""}worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # The portal limits bodies itself (MAX_BODY_BYTES, MAX_ARTIFACT_BYTES).
  client_max_body_size 0;
  upstream sentinel {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join("\n")}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://sentinel;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_next_upstream error timeout http_502;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      proxy_read_timeout 300s;
      proxy_send_timeout 300s;
      # Stream downloads and uploads straight through instead of spooling them to disk.
      proxy_buffering off;
    }
  }
}
`;
}

export async function startCluster(o: {
  replicas: number;
  port: number;
  rebuild: boolean;
  log: (s: string) => void;
  /** Receives the stop function before anything starts, so a signal during start-up still cleans up. */
  onStop?: (stop: () => Promise<void>) => void;
}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-cluster-"));
  const children: ChildProcess[] = [];
  let s3: TestS3 | null = null;
  let pgStarted = false;
  const bin = pgBin();
  const pgDir = path.join(dir, "pg");

  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= stopAll());
  const stopAll = async () => {
    for (const c of [...children].reverse()) {
      if (c.exitCode !== null || c.signalCode !== null || !c.pid) continue;
      try {
        process.kill(-c.pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && children.some((c) => c.exitCode === null && c.signalCode === null)) await new Promise((r) => setTimeout(r, 100));
    for (const c of children) {
      if (!c.pid) continue;
      try {
        // The whole process group: inference workers of a replica killed earlier with SIGKILL included.
        process.kill(-c.pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    if (s3) await s3.close().catch(() => undefined);
    if (pgStarted) {
      try {
        asPostgres(path.join(bin, "pg_ctl"), ["-D", path.join(pgDir, "data"), "-m", "fast", "-w", "stop"]);
      } catch (e) {
        o.log(String(e));
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  o.onStop?.(stop);

  try {
    // The same rule as `npm start` (scripts/start.mjs): build when there is no build of this source revision.
    const marker = path.join(root, ".next", "sentinel-build-rev");
    const rev = revision();
    const built = fs.existsSync(path.join(root, ".next", "BUILD_ID")) && fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === rev;
    if (o.rebuild || !built) {
      o.log("Building Sentinel (no build of this source revision yet)…");
      execFileSync(process.execPath, [path.join(root, "scripts", "copy-ort.mjs")], { stdio: "inherit" });
      execFileSync(path.join(root, "node_modules", ".bin", "next"), ["build"], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      });
      fs.writeFileSync(marker, rev);
    }

    fs.mkdirSync(pgDir);
    if (isRoot) {
      // The postgres user must reach its directory through ours (mkdtemp makes it 0700).
      fs.chmodSync(dir, 0o711);
      execFileSync("chown", ["postgres", pgDir]);
    }
    const pgPort = await freePort();
    asPostgres(path.join(bin, "initdb"), ["-D", path.join(pgDir, "data"), "-U", "sentinel", "--auth=trust", "-E", "UTF8"]);
    asPostgres(path.join(bin, "pg_ctl"), [
      "-D",
      path.join(pgDir, "data"),
      "-o",
      `-c listen_addresses=127.0.0.1 -p ${pgPort} -k ${pgDir} -c max_connections=100`,
      "-l",
      path.join(pgDir, "log"),
      "-w",
      "start",
    ]);
    pgStarted = true;
    const admin = new pg.Client({ connectionString: `postgres://sentinel@127.0.0.1:${pgPort}/postgres` });
    await admin.connect();
    await admin.query("CREATE DATABASE sentinel");
    await admin.end();
    const databaseUrl = `postgres://sentinel@127.0.0.1:${pgPort}/sentinel`;
    o.log(`PostgreSQL  ${databaseUrl}`);

    s3 = await startTestS3("sentinel-cluster", "artifacts/");
    o.log(`S3 (s3rver) ${s3.config.endpoint}`);

    const lbPort = o.port || (await freePort());
    const url = `http://127.0.0.1:${lbPort}`;
    const secret = randomBytes(32).toString("base64");
    const ports = await Promise.all(Array.from({ length: o.replicas }, () => freePort()));
    // Started together on an empty database on purpose: migrations and the demo seed take turns under their advisory lock.
    const replicas = ports.map((port, i) => {
      const log = path.join(dir, `replica-${i + 1}.log`);
      const fd = fs.openSync(log, "w");
      const dataDir = path.join(dir, `replica-${i + 1}`);
      fs.mkdirSync(dataDir);
      const child = spawn(process.execPath, [path.join(root, "scripts", "serve.mjs")], {
        cwd: root,
        detached: true,
        stdio: ["ignore", fd, fd],
        env: {
          ...process.env,
          NEXT_TELEMETRY_DISABLED: "1",
          PORT: String(port),
          HOSTNAME_BIND: "127.0.0.1",
          DATA_DIR: dataDir,
          DATABASE_URL: databaseUrl,
          NEXTAUTH_SECRET: secret,
          NEXTAUTH_URL: url,
          TRUSTED_PROXIES: "127.0.0.1",
          DEMO: "1",
          ARTIFACT_STORE_URL: "s3://sentinel-cluster/artifacts",
          S3_ENDPOINT: s3!.config.endpoint,
          S3_FORCE_PATH_STYLE: "1",
          AWS_REGION: "us-east-1",
          AWS_ACCESS_KEY_ID: s3!.config.credentials!.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3!.config.credentials!.secretAccessKey,
          INFER_WORKERS: process.env.INFER_WORKERS ?? "1",
        },
      });
      fs.closeSync(fd);
      children.push(child);
      return { child, port, url: `http://127.0.0.1:${port}`, log };
    });
    await Promise.all(replicas.map((r, i) => waitHealthy(r.url, r.child, `replica ${i + 1}`, 300_000, r.log)));
    replicas.forEach((r, i) => o.log(`replica ${i + 1}   ${r.url} (pid ${r.child.pid}, log ${r.log})`));

    const nginxDir = path.join(dir, "nginx");
    fs.mkdirSync(nginxDir);
    const conf = path.join(nginxDir, "nginx.conf");
    fs.writeFileSync(
      conf,
      nginxConfig(
        nginxDir,
        lbPort,
        replicas.map((r) => r.port),
      ),
    );
    const nginxLog = path.join(nginxDir, "stderr.log");
    const nfd = fs.openSync(nginxLog, "w");
    const nginx = spawn(nginxBin(), ["-p", nginxDir, "-e", path.join(nginxDir, "nginx-error.log"), "-c", conf], {
      detached: true,
      stdio: ["ignore", nfd, nfd],
    });
    fs.closeSync(nfd);
    children.push(nginx);
    await waitHealthy(url, nginx, "nginx", 20_000, nginxLog);
    o.log(`nginx       ${url} → ${replicas.map((r) => r.port).join(", ")} (round robin, passive failover)`);

    const state: ClusterState = {
      url,
      databaseUrl,
      dir,
      replicas: replicas.map((r) => ({ pid: r.child.pid!, port: r.port, url: r.url, log: r.log })),
      s3Endpoint: s3.config.endpoint!,
      nginxPid: nginx.pid!,
    };
    return { state, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function cli() {
  const { values } = parseArgs({
    options: {
      replicas: { type: "string", default: "2" },
      port: { type: "string", default: "0" },
      "state-file": { type: "string" },
      rebuild: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
    },
  });
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 8) throw new Error("--replicas 1..8");
  const log = values.quiet ? () => undefined : (s: string) => console.log(s);
  let stopping: Promise<void> | null = null;
  let stopFn: (() => Promise<void>) | null = null;
  const onSignal = (sig: string) => {
    if (stopping) return;
    console.log(`\n${sig}: stopping the cluster…`);
    stopping = (stopFn?.() ?? Promise.resolve()).then(() => {
      if (values["state-file"]) fs.rmSync(values["state-file"], { force: true });
      process.exit(0);
    });
  };
  process.on("SIGINT", () => onSignal("SIGINT"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  const { state } = await startCluster({ replicas, port: Number(values.port), rebuild: values.rebuild, log, onStop: (s) => (stopFn = s) });
  if (stopping) return;
  if (values["state-file"]) fs.writeFileSync(values["state-file"], JSON.stringify(state, null, 2));
  console.log(`\nSentinel is up at ${state.url} (${replicas} replica${replicas > 1 ? "s" : ""} behind nginx).`);
  console.log(`Sign in as admin@example.com, engineer@example.com or viewer@example.com with the password ${DEMO_PASSWORD}.`);
  console.log("Ctrl-C stops everything and deletes the temp directory.");
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  cli().catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}
