"""Side-by-side benchmark: the real MLflow 2.12.2 server and Sentinel, one workload, 4 concurrent clients.

Starts both servers, one after the other, on 127.0.0.1 (random ports, fresh data directories), runs the
same workload against each with --clients threads (default 4) speaking MLflow's REST wire format as the
MLflow Python client does (the same paths, JSON bodies and query strings; keep-alive connections), and
prints p50/p95 and throughput per operation for each server with the speed-up MLflow/Sentinel (above 1
= Sentinel is faster; 2.0 = twice as fast). Run with the vendored Python (no packages beyond its own):

  ../shared/tools/mlflow-python scripts/bench-mlflow.py [--runs 2100] [--clients 4] [--json out.json]
  ../shared/tools/mlflow-python scripts/bench-mlflow.py --runs 100000      # search at scale
  ../shared/tools/mlflow-python scripts/bench-mlflow.py --backend postgres # both on PostgreSQL

Operations (the issue's performance goal):
  create_run+log_batch  run creation: runs/create then the run's first log-batch (3 params, 2 metrics);
                        --create-runs runs in all (default 2,100), split over the clients
  log_batch (1000 pts)  ingest: each client logs --ingest-batches batches of 1,000 points to its own run
  search_runs (filter)  runs/search `metrics.acc > 0.2 and params.lr = '0.01'`, 100 results, over an
                        experiment of --runs runs; with --runs above --create-runs the rest are seeded
                        first through each server's bulk path (Sentinel: importRuns before it starts;
                        MLflow: rows written into its sqlite database), not timed
  get_history (100k)    metrics/get-history of a 100,000-point metric, every page (25,000 a page)
  get_run (100 keys)    runs/get of a run with 100 metric keys and 10 params

MLflow runs on its sqlite backend with its default 4 gunicorn workers and its artifact proxy; Sentinel
on its embedded database (PGlite). With --backend postgres both run on PostgreSQL instead, each on its own
fresh database of one throwaway cluster (started here from Debian's PostgreSQL 15 as the postgres user, or
the server at --pg-url); MLflow then needs psycopg2 (`apt-get install python3-psycopg2`, done here when
root). Sentinel runs with DEMO=0 in production mode: `node scripts/serve.mjs` on the
existing `next build` output (run `npm run build` first; --build does it), else `node scripts/start.mjs`.
Every phase is bounded by --budget seconds per server (a phase out of time reports what it measured).
Before the timed phases each client does --warmup rounds of every operation on a side experiment, so both
servers are measured warm (Sentinel's V8 compiles its hot JavaScript and PGlite's WebAssembly as they run:
its first few hundred runs/get calls took about 30% longer than later ones).
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MLFLOW_PYTHON = os.environ.get("MLFLOW_PYTHON", os.path.join(ROOT, "..", "..", "shared", "tools", "mlflow-python"))
if not os.path.exists(MLFLOW_PYTHON):
    MLFLOW_PYTHON = "/work/shared/tools/mlflow-python"

# The vendored MLflow 2.12.2 server imports querystring_parser for every request, and that package is
# not installable here. This stand-in covers what the client sends: flat keys and repeated keys.
QS_SHIM = """from urllib.parse import parse_qs


def parse(qs, normalized=False):
    out = {}
    for k, vs in parse_qs(qs, keep_blank_values=True).items():
        out[k] = vs if len(vs) > 1 else vs[0]
    return out
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url, proc, timeout, log):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"the server at {url} exited early; see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(1)
    sys.exit(f"{url} did not answer within {timeout} s; see {log}")


def stop(proc):
    if proc and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def start_mlflow(work, args):
    shim = os.path.join(work, "shim", "querystring_parser")
    os.makedirs(shim)
    open(os.path.join(shim, "__init__.py"), "w").close()
    with open(os.path.join(shim, "parser.py"), "w") as f:
        f.write(QS_SHIM)
    port = free_port()
    log = os.path.join(work, "mlflow.log")
    env = {**os.environ, "PYTHONPATH": os.path.join(work, "shim")}
    store = args.pg_db("mlflow") if args.backend == "postgres" else f"sqlite:///{work}/mlflow.db"
    cmd = [MLFLOW_PYTHON, "-m", "mlflow", "server", "--backend-store-uri", store, "--artifacts-destination", f"{work}/artifacts",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.mlflow_workers)]
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(f"{url}/health", proc, 300, log)
    return proc, url, None, None


def sentinel_env(work, port, args):
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATA_DIR": os.path.join(work, "data"), "DEMO": "0", "PORT": str(port), "NEXTAUTH_URL": url, "HOSTNAME_BIND": "127.0.0.1",
           "NEXT_TELEMETRY_DISABLED": "1"}
    if args.backend == "postgres":
        env["DATABASE_URL"] = args.pg_db("sentinel").replace("postgresql://", "postgres://", 1)
    return env


PG_BIN = "/usr/lib/postgresql/15/bin"


class Postgres:
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1 (initdb and pg_ctl refuse root, so they run as postgres)."""

    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        os.makedirs(self.dir)
        self.port = free_port()
        as_pg = os.geteuid() == 0
        if as_pg:
            shutil.chown(self.dir, "postgres")
            os.chmod(work, 0o755)
        self.run = (lambda cmd: subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", cmd], check=True, stdout=subprocess.DEVNULL)) if as_pg else \
            (lambda cmd: subprocess.run(["sh", "-c", cmd], check=True, stdout=subprocess.DEVNULL))
        d = self.dir
        self.run(f"{PG_BIN}/initdb -D {d}/data -U sentinel --auth=trust >/dev/null && "
                 f"{PG_BIN}/pg_ctl -D {d}/data -o '-c listen_addresses=127.0.0.1 -p {self.port} -k {d} -c max_connections=200' -l {d}/log -w start")
        self.url = f"postgresql://sentinel@127.0.0.1:{self.port}"

    def stop(self):
        self.run(f"{PG_BIN}/pg_ctl -D {self.dir}/data -m fast -w stop")


def psql(url, statement):
    """One statement through Sentinel's own pg driver (no Python driver needed for the set-up)."""
    code = "const {Client}=require('pg');(async()=>{const c=new Client({connectionString:process.argv[1]});await c.connect();await c.query(process.argv[2]);await c.end()})()" \
        ".catch(e=>{console.error(e.message);process.exit(1)})"
    subprocess.run(["node", "-e", code, url.replace("postgresql://", "postgres://", 1), statement], cwd=ROOT, check=True)


def ensure_psycopg2():
    if subprocess.run(["/usr/bin/python3", "-c", "import psycopg2"], capture_output=True).returncode == 0:
        return
    if os.geteuid() != 0:
        sys.exit("MLflow on PostgreSQL needs psycopg2: as root run `apt-get install -y python3-psycopg2`")
    subprocess.run(["apt-get", "install", "-y", "-qq", "python3-psycopg2"], check=True, stdout=subprocess.DEVNULL, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def start_sentinel(work, args):
    os.makedirs(os.path.join(work, "data"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = sentinel_env(work, port, args)
    log = os.path.join(work, "sentinel.log")
    tsx = os.path.join(ROOT, "node_modules", ".bin", "tsx")
    # The user, token and bulk runs are written before the server opens the embedded database (one process holds it).
    subprocess.run([tsx, "scripts/user-create.ts", "--email", "bench@example.com", "--password", "bench-password-1", "--role", "engineer"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    token = subprocess.run([tsx, "scripts/token-create.ts", "--user", "bench@example.com", "--scopes", "runs:read,runs:write,models:read,models:write", "--name", "bench"],
                           cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    exp_id = None
    seeded = max(0, args.runs - args.create_runs)
    if seeded:
        t0 = time.time()
        exp_id = subprocess.run([tsx, "scripts/bench-mlflow-seed.ts", "--experiment", "bench-search", "--runs", str(seeded), "--user", "bench@example.com"],
                                cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        print(f"  seeded {seeded} runs through importRuns in {time.time() - t0:.1f} s", flush=True)
    built = os.path.exists(os.path.join(ROOT, ".next", "BUILD_ID"))
    script = "serve.mjs" if built else "start.mjs"
    # BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the server (written when it stops).
    proc = subprocess.Popen(["node", *os.environ.get("BENCH_NODE_ARGS", "").split(), f"scripts/{script}"], cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(f"{url}/api/health", proc, 1200, log)
    return proc, url, token, exp_id


# ---------------------------------------------------------------- the client side

class Client:
    """One keep-alive HTTP connection speaking MLflow's REST wire format (one per thread)."""

    def __init__(self, url, token):
        host, port = url.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.headers = {"Content-Type": "application/json", "User-Agent": "mlflow-python-client/2.12.2"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn = None

    def call(self, method, path, body=None, query=None):
        target = f"/api/2.0/mlflow/{path}"
        if query:
            target += "?" + urllib.parse.urlencode(query, doseq=True)
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=300)
            try:
                self.conn.request(method, target, body=data, headers=self.headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                if resp.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed while idle: reconnect once, as requests does.
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        if resp.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {resp.status} {raw[:300]!r}")
        return json.loads(raw) if raw else {}


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.walls = {}
        self.errors = {}
        self.units = {}

    def timed(self, op, fn):
        t0 = time.perf_counter()
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001 - counted and shown, the phase goes on
            with self.lock:
                self.errors.setdefault(op, []).append(str(e)[:200])
            return None
        dt = time.perf_counter() - t0
        with self.lock:
            self.times.setdefault(op, []).append(dt)
        return out


def phase(rec, op, clients, per_client, budget, unit=None):
    """Runs per_client(client_index, deadline) on every client at once; records the phase's wall time."""
    deadline = time.time() + budget
    t0 = time.perf_counter()
    with ThreadPoolExecutor(len(clients)) as pool:
        for f in [pool.submit(per_client, i, c, deadline) for i, c in enumerate(clients)]:
            f.result()
    rec.walls[op] = time.perf_counter() - t0
    if unit:
        rec.units[op] = unit


def metric(key, value, ts, step):
    return {"key": key, "value": value, "timestamp": ts, "step": step}


def create_experiment(client, name):
    return client.call("POST", "experiments/create", {"name": name})["experiment_id"]


def new_run(client, exp, name):
    return client.call("POST", "runs/create", {"experiment_id": exp, "user_id": "unknown", "run_name": name, "start_time": int(time.time() * 1000), "tags": []})["run"]["info"]["run_id"]


def log_batch(client, rid, metrics=(), params=()):
    body = {"run_id": rid}
    if metrics:
        body["metrics"] = list(metrics)
    if params:
        body["params"] = list(params)
    client.call("POST", "runs/log-batch", body)


def read_history(client, rid, key):
    n, token = 0, None
    while True:
        q = {"run_id": rid, "run_uuid": rid, "metric_key": key, "max_results": "25000"}
        if token:
            q["page_token"] = token
        r = client.call("GET", "metrics/get-history", query=q)
        n += len(r.get("metrics", []))
        token = r.get("next_page_token")
        if not token:
            return n


def seed_mlflow(work, exp_id, n):
    """Writes n runs shaped like the created ones straight into MLflow's sqlite store (its bulk path)."""
    db = sqlite3.connect(os.path.join(work, "mlflow.db"), timeout=60)
    rnd = [7]

    def nxt():
        rnd[0] = (rnd[0] * 1103515245 + 12345) % 2**31
        return rnd[0] / 2**31

    t0 = 1_700_000_000_000
    run_rows, params, tags, mets, latest = [], [], [], [], []
    for i in range(n):
        rid = uuid.uuid4().hex
        run_rows.append((rid, f"seed-{i}", "UNKNOWN", "", "", "bench", "FINISHED", t0 + i, t0 + i + 1000, "", "active", f"mlflow-artifacts:/{exp_id}/{rid}/artifacts", int(exp_id)))
        for k, v in (("lr", ["0.1", "0.01", "0.001"][i % 3]), ("batch", "32"), ("seed", str(i))):
            params.append((k, v, rid))
        tags.append(("mlflow.runName", f"seed-{i}", rid))
        for k in ("acc", "loss"):
            v = nxt()
            mets.append((k, v, t0 + i, rid, 0, 0))
            latest.append((k, v, t0 + i, 0, 0, rid))
    with db:
        db.executemany("insert into runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time, source_version, lifecycle_stage, artifact_uri, experiment_id) "
                       "values (?,?,?,?,?,?,?,?,?,?,?,?,?)", run_rows)
        db.executemany("insert into params (key, value, run_uuid) values (?,?,?)", params)
        db.executemany("insert into tags (key, value, run_uuid) values (?,?,?)", tags)
        db.executemany("insert into metrics (key, value, timestamp, run_uuid, step, is_nan) values (?,?,?,?,?,?)", mets)
        db.executemany("insert into latest_metrics (key, value, timestamp, step, is_nan, run_uuid) values (?,?,?,?,?,?)", latest)
    db.close()


def workload(name, work, url, token, seeded_exp, args):
    """The same calls against either server; returns a Recorder."""
    rec = Recorder()
    clients = [Client(url, token) for _ in range(args.clients)]
    c0 = clients[0]
    tag = f"{int(time.time() * 1000)}-{random.randrange(1 << 30)}"
    seeded = max(0, args.runs - args.create_runs)
    if seeded_exp:
        exp = seeded_exp
    else:
        exp = create_experiment(c0, "bench-search")
        if seeded:
            if args.backend == "postgres":
                raise SystemExit("--runs above --create-runs seeds MLflow's sqlite file; on PostgreSQL create every run (--create-runs = --runs)")
            t0 = time.time()
            seed_mlflow(work, exp, seeded)
            print(f"  seeded {seeded} runs into sqlite in {time.time() - t0:.1f} s", flush=True)
    side = create_experiment(c0, f"bench-side-{tag}")

    # Warm-up, not measured: each server loads its handlers on first use (Next.js route modules, SQLAlchemy).
    for c in clients:
        for _ in range(args.warmup):
            rid = new_run(c, side, "warm")
            log_batch(c, rid, [metric("loss", 0.1, 1, s) for s in range(10)], [{"key": "lr", "value": "0.1"}])
            c.call("POST", "runs/search", {"experiment_ids": [side], "filter": "metrics.loss > 0.05 and params.lr = '0.1'", "run_view_type": "ACTIVE_ONLY", "max_results": 100})
            read_history(c, rid, "loss")
            c.call("GET", "runs/get", query={"run_id": rid, "run_uuid": rid})

    # Run creation: runs/create + the first log-batch, --create-runs in all, into the search experiment.
    per = [args.create_runs // args.clients + (1 if i < args.create_runs % args.clients else 0) for i in range(args.clients)]

    def creator(i, c, deadline):
        rng = random.Random(100 + i)
        for j in range(per[i]):
            if time.time() > deadline:
                return
            k = i * 1_000_000 + j

            def one():
                rid = new_run(c, exp, f"run-{k}")
                now = int(time.time() * 1000)
                log_batch(c, rid, [metric("acc", rng.random(), now, 0), metric("loss", rng.random(), now, 0)],
                          [{"key": "lr", "value": ["0.1", "0.01", "0.001"][k % 3]}, {"key": "batch", "value": "32"}, {"key": "seed", "value": str(k)}])
            rec.timed("create_run+log_batch", one)

    phase(rec, "create_run+log_batch", clients, creator, args.budget, "runs")
    print(f"  {name}: run creation {rec.walls['create_run+log_batch']:.1f} s", flush=True)

    # Ingest: each client logs 1,000-point batches (5 keys x 200 steps) to its own run.
    ingest_runs = [new_run(c0, side, f"ingest-{i}") for i in range(args.clients)]

    def ingester(i, c, deadline):
        rid = ingest_runs[i]
        rng = random.Random(200 + i)
        for b in range(args.ingest_batches):
            if time.time() > deadline:
                return
            now = int(time.time() * 1000)
            batch = [metric(k, rng.random(), now, b * 200 + s) for s in range(200) for k in ("loss", "acc", "f1", "iou", "lr_now")]
            rec.timed("log_batch (1000 pts)", lambda: log_batch(c, rid, batch))

    phase(rec, "log_batch (1000 pts)", clients, ingester, args.budget, "points")
    print(f"  {name}: ingest {rec.walls['log_batch (1000 pts)']:.1f} s", flush=True)

    # A 100,000-point history and a run with 100 metric keys, logged (not timed), then read by every client.
    long_run = new_run(c0, side, "long")
    for b in range(args.history_points // 1000):
        log_batch(c0, long_run, [metric("loss", (b * 1000 + s) / 1e5, 1_700_000_000_000 + b * 1000 + s, b * 1000 + s) for s in range(1000)])
    wide_run = new_run(c0, side, "wide")
    log_batch(c0, wide_run, [metric(f"m{k:03d}", s / 10, 1_700_000_000_000 + s, s) for k in range(100) for s in range(9)],
              [{"key": f"p{k}", "value": str(k)} for k in range(10)])

    def reader(op, count, fn):
        def run(i, c, deadline):
            for _ in range(count):
                if time.time() > deadline:
                    return
                fn(c)
        phase(rec, op, clients, run, args.budget, "calls")

    hist_label = f"get_history ({args.history_points // 1000 * 1000} pts)"

    def history(c):
        n = read_history(c, long_run, "loss")
        if n != args.history_points // 1000 * 1000:
            raise RuntimeError(f"history has {n} points")
    reader(hist_label, args.history_reads, lambda c: rec.timed(hist_label, lambda: history(c)))
    reader("get_run (100 keys)", args.get_reads, lambda c: rec.timed("get_run (100 keys)", lambda: c.call("GET", "runs/get", query={"run_id": wide_run, "run_uuid": wide_run})))
    search = {"experiment_ids": [exp], "filter": "metrics.acc > 0.2 and params.lr = '0.01'", "run_view_type": "ACTIVE_ONLY", "max_results": 100}
    label = f"search_runs ({args.runs} runs)"

    def searched(c):
        found = c.call("POST", "runs/search", search).get("runs", [])
        # A third of the runs have lr 0.01 and most of those acc > 0.2: a short page means the filter went wrong.
        if len(found) < min(100, args.runs // 6):
            raise RuntimeError(f"search found only {len(found)} runs")
    reader(label, args.search_reads, lambda c: rec.timed(label, lambda: searched(c)))
    return rec


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


UNITS_PER_CALL = {"log_batch (1000 pts)": 1000}


def summary(rec, op):
    xs = rec.times.get(op, [])
    wall = rec.walls.get(op, float("nan"))
    units = len(xs) * UNITS_PER_CALL.get(op, 1)
    return {"n": len(xs), "errors": len(rec.errors.get(op, [])), "p50_ms": pct(xs, 50) * 1000, "p95_ms": pct(xs, 95) * 1000,
            "throughput": units / wall if wall else float("nan"), "unit": ("points" if op in UNITS_PER_CALL else rec.units.get(op, "calls")) + "/s"}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    ap.add_argument("--runs", type=int, default=2100, help="runs in the searched experiment (default 2,100; e.g. 100000 for search at scale)")
    ap.add_argument("--create-runs", type=int, default=2100, help="runs created through runs/create + log-batch, timed (default 2,100)")
    ap.add_argument("--ingest-batches", type=int, default=25, help="1,000-point log-batch calls per client (default 25)")
    ap.add_argument("--history-points", type=int, default=100_000, help="points in the metric history read back (default 100,000)")
    ap.add_argument("--history-reads", type=int, default=1, help="full history reads per client (default 1: MLflow needs minutes for one)")
    ap.add_argument("--get-reads", type=int, default=250, help="runs/get calls per client (default 250)")
    ap.add_argument("--search-reads", type=int, default=50, help="runs/search calls per client (default 50)")
    ap.add_argument("--warmup", type=int, default=10, help="unmeasured warm-up rounds per client (default 10)")
    ap.add_argument("--mlflow-workers", type=int, default=4, help="gunicorn workers for MLflow (default 4, its own default)")
    ap.add_argument("--budget", type=float, default=240, help="seconds per phase per server at most (default 240)")
    ap.add_argument("--only", choices=["mlflow", "sentinel"], help="run one server only (for profiling)")
    ap.add_argument("--build", action="store_true", help="run `npm run build` first so Sentinel serves the current source")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--backend", choices=["embedded", "postgres"], default="embedded",
                    help="embedded: MLflow on sqlite, Sentinel on PGlite (default); postgres: both on PostgreSQL")
    ap.add_argument("--pg-url", help="with --backend postgres: a PostgreSQL server to use (postgresql://user@host:port) instead of a throwaway cluster")
    args = ap.parse_args()
    args.create_runs = min(args.create_runs, args.runs)
    if args.backend == "postgres" and args.runs > args.create_runs:
        ap.error("on PostgreSQL every searched run is created through the API: give --create-runs as large as --runs")

    if args.build:
        subprocess.run(["npm", "run", "build"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="bench-mlflow-")
    results = {}
    procs = []
    cluster = None
    try:
        if args.backend == "postgres":
            ensure_psycopg2()
            base = args.pg_url
            if not base:
                cluster = Postgres(work)
                base = cluster.url
            suffix = uuid.uuid4().hex[:8]
            for n in ("mlflow", "sentinel"):
                psql(f"{base}/postgres", f"create database bench_{n}_{suffix}")
            args.pg_db = lambda n: f"{base}/bench_{n}_{suffix}"
            print(f"PostgreSQL at {base} (databases bench_*_{suffix})", flush=True)
        for name, starter in (("mlflow", start_mlflow), ("sentinel", start_sentinel)):
            if args.only and name != args.only:
                continue
            sub = os.path.join(work, name)
            os.makedirs(sub)
            print(f"starting {name}…", flush=True)
            proc, url, token, exp = starter(sub, args)
            procs.append(proc)
            print(f"  {name} is up at {url}; running the workload with {args.clients} clients", flush=True)
            t0 = time.time()
            rec = workload(name, sub, url, token, exp, args)
            results[name] = rec
            print(f"  {name}: {time.time() - t0:.1f} s", flush=True)
            for op, errs in rec.errors.items():
                print(f"  {name}: {len(errs)} failed {op} call(s), first: {errs[0]}", flush=True)
            # One server at a time, so they do not compete for the two cores.
            stop(proc)
    finally:
        for p in procs:
            stop(p)
        if cluster:
            cluster.stop()
        elif args.backend == "postgres":
            for n in ("mlflow", "sentinel"):
                psql(f"{args.pg_url}/postgres", f"drop database if exists bench_{n}_{suffix} with (force)")
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)

    names = list(results)
    ops = []
    for n in names:
        for op in list(results[n].times) + list(results[n].errors):
            if op not in ops:
                ops.append(op)
    table = []
    print()
    head = f"{'operation':<24} " + " ".join(f"{n + ' p50/p95 ms':>22} {'thru':>10}" for n in names) + ("  speed-up p50 / p95 / thru" if len(names) == 2 else "")
    print(head)
    print("-" * len(head))
    for op in ops:
        row = {"operation": op, **{n: summary(results[n], op) for n in names}}
        cells = " ".join(f"{row[n]['p50_ms']:>10.1f} /{row[n]['p95_ms']:>9.1f} {row[n]['throughput']:>10.1f}" if row[n]["n"] else f"{'all ' + str(row[n]['errors']) + ' failed':>33}"
                         for n in names)
        extra = ""
        if len(names) == 2 and row["mlflow"]["n"] and row["sentinel"]["n"]:
            m, s = row["mlflow"], row["sentinel"]
            row["speedup_p50"] = m["p50_ms"] / s["p50_ms"]
            row["speedup_p95"] = m["p95_ms"] / s["p95_ms"]
            row["speedup_throughput"] = s["throughput"] / m["throughput"]
            extra = f"  {row['speedup_p50']:>5.2f}x / {row['speedup_p95']:>5.2f}x / {row['speedup_throughput']:>5.2f}x"
        print(f"{op:<24} {cells}{extra}")
        table.append(row)
    print(f"\nthroughput: {', '.join(sorted({summary(results[names[0]], op)['unit'] for op in ops}))} over the phase's wall time with {args.clients} clients;")
    print("speed-up = MLflow latency / Sentinel latency, and Sentinel throughput / MLflow throughput: above 1 means Sentinel is faster.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": {k: v for k, v in vars(args).items() if not callable(v)}, "table": table}, f, indent=2)


if __name__ == "__main__":
    main()
