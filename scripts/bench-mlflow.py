"""Side-by-side benchmark: the real MLflow 2.12.2 server and Sentinel, one workload, one MLflow client.

Starts both servers on 127.0.0.1 (random ports, throwaway data directories), runs the same workload
against each through the unmodified MLflow client, and prints p50/p95 per operation for each server
with the ratio Sentinel/MLflow (below 1 = Sentinel is faster). Run with the vendored client:

  ../shared/tools/mlflow-python scripts/bench-mlflow.py [--runs 20] [--steps 20] [--budget 900]

MLflow runs on its own default backend (sqlite) with its artifact proxy on a local directory, one
gunicorn worker; Sentinel on its embedded database with DEMO=0, from the existing `.next` build
when there is one (`node scripts/serve.mjs`), otherwise through `node scripts/start.mjs`, which
builds. The workload is bounded in count (--runs, --steps) and in time (--budget seconds per server;
a server that runs out of time reports what it measured so far).
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

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


def start_mlflow(work):
    shim = os.path.join(work, "shim", "querystring_parser")
    os.makedirs(shim)
    open(os.path.join(shim, "__init__.py"), "w").close()
    with open(os.path.join(shim, "parser.py"), "w") as f:
        f.write(QS_SHIM)
    port = free_port()
    log = os.path.join(work, "mlflow.log")
    env = {**os.environ, "PYTHONPATH": os.path.join(work, "shim")}
    cmd = [MLFLOW_PYTHON, "-m", "mlflow", "server", "--backend-store-uri", f"sqlite:///{work}/mlflow.db", "--artifacts-destination", f"{work}/artifacts",
           "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(f"{url}/health", proc, 300, log)
    return proc, url, None


def start_sentinel(work):
    data = os.path.join(work, "data")
    os.makedirs(data)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATA_DIR": data, "DEMO": "0", "PORT": str(port), "NEXTAUTH_URL": url, "HOSTNAME_BIND": "127.0.0.1", "NEXT_TELEMETRY_DISABLED": "1"}
    log = os.path.join(work, "sentinel.log")
    tsx = os.path.join(ROOT, "node_modules", ".bin", "tsx")
    # The user and token are made before the server opens the embedded database (it holds a lock on it).
    subprocess.run([tsx, "scripts/user-create.ts", "--email", "bench@example.com", "--password", "bench-password-1", "--role", "engineer"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    token = subprocess.run([tsx, "scripts/token-create.ts", "--user", "bench@example.com", "--scopes", "runs:read,runs:write,models:read,models:write", "--name", "bench"],
                           cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    built = os.path.exists(os.path.join(ROOT, ".next", "BUILD_ID"))
    script = "serve.mjs" if built else "start.mjs"
    proc = subprocess.Popen(["node", f"scripts/{script}"], cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(f"{url}/api/health", proc, 1200, log)
    return proc, url, token


def workload(url, token, args, one_mb_file):
    """The same calls against either server; returns {operation: [seconds, ...]}."""
    os.environ["MLFLOW_TRACKING_URI"] = url
    if token:
        os.environ["MLFLOW_TRACKING_TOKEN"] = token
    else:
        os.environ.pop("MLFLOW_TRACKING_TOKEN", None)
    from mlflow import MlflowClient
    from mlflow.entities import Metric, Param

    client = MlflowClient(tracking_uri=url)
    times = {}
    deadline = time.time() + args.budget
    warming = [True]

    def timed(op, fn):
        t0 = time.perf_counter()
        out = fn()
        if not warming[0]:
            times.setdefault(op, []).append(time.perf_counter() - t0)
        return out

    # Warm-up, not measured: each server loads its handlers on first use (Next.js route modules, SQLAlchemy).
    wexp = client.create_experiment(f"bench-warmup-{int(time.time() * 1000)}-{random.randrange(1 << 30)}")
    for _ in range(args.warmup):
        wid = client.create_run(wexp).info.run_id
        client.log_param(wid, "lr", "0.1")
        client.log_metric(wid, "acc", 0.5)
        client.log_batch(wid, metrics=[Metric("loss", 0.1, int(time.time() * 1000), s) for s in range(10)])
        client.log_artifact(wid, one_mb_file)
        client.search_runs([wexp], "metrics.acc > 0.2 and params.lr = '0.1'")
        client.get_metric_history(wid, "loss")
        client.get_run(wid)
        client.set_terminated(wid)
    warming[0] = False

    exp = timed("create_experiment", lambda: client.create_experiment(f"bench-{int(time.time() * 1000)}-{random.randrange(1 << 30)}"))
    run_ids = []
    rng = random.Random(7)
    for i in range(args.runs):
        if time.time() > deadline:
            print(f"  budget reached after {i} runs", flush=True)
            break
        run = timed("create_run", lambda: client.create_run(exp, run_name=f"run-{i}"))
        rid = run.info.run_id
        run_ids.append(rid)
        lr = ["0.1", "0.01", "0.001"][i % 3]
        timed("log_param", lambda: client.log_param(rid, "lr", lr))
        timed("log_metric", lambda: client.log_metric(rid, "acc", rng.random(), step=0))
        now = int(time.time() * 1000)
        metrics = [Metric(k, rng.random(), now, s) for s in range(args.steps) for k in ("loss", "acc", "f1", "iou", "lr_now")]
        for start in range(0, len(metrics), 1000):
            chunk = metrics[start : start + 1000]
            timed("log_batch (metrics)", lambda: client.log_batch(rid, metrics=chunk, params=[Param("batch", "32"), Param("seed", str(i))] if start == 0 else []))
        timed("set_terminated", lambda: client.set_terminated(rid))
    for rid in run_ids[: max(1, min(len(run_ids), args.artifact_runs))]:
        if time.time() > deadline:
            break
        timed("log_artifact (1 MB)", lambda: client.log_artifact(rid, one_mb_file))
    for _ in range(args.reads):
        if time.time() > deadline:
            break
        rid = rng.choice(run_ids)
        timed("search_runs (filter)", lambda: client.search_runs([exp], "metrics.acc > 0.2 and params.lr = '0.01'", max_results=100))
        timed("get_metric_history", lambda: client.get_metric_history(rid, "loss"))
        timed("get_run", lambda: client.get_run(rid))
    return times


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=20, help="runs to create and log (default 20)")
    ap.add_argument("--steps", type=int, default=40, help="steps per run, 5 metrics each, sent by log_batch (default 40)")
    ap.add_argument("--artifact-runs", type=int, default=5, help="runs that log the 1 MB artifact (default 5)")
    ap.add_argument("--reads", type=int, default=30, help="rounds of search_runs, get_metric_history and get_run (default 30)")
    ap.add_argument("--warmup", type=int, default=2, help="unmeasured warm-up rounds of every call first (default 2)")
    ap.add_argument("--budget", type=float, default=900, help="seconds of workload per server at most (default 900)")
    ap.add_argument("--json", help="also write the figures to this file")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="bench-mlflow-")
    one_mb = os.path.join(work, "weights.bin")
    with open(one_mb, "wb") as f:
        f.write(os.urandom(1 << 20))
    results = {}
    procs = []
    try:
        for name, starter in (("mlflow", start_mlflow), ("sentinel", start_sentinel)):
            sub = os.path.join(work, name)
            os.makedirs(sub)
            print(f"starting {name}…", flush=True)
            proc, url, token = starter(sub)
            procs.append(proc)
            print(f"  {name} is up at {url}; running the workload", flush=True)
            t0 = time.time()
            results[name] = workload(url, token, args, one_mb)
            print(f"  {name}: {time.time() - t0:.1f} s", flush=True)
            # One server at a time, so they do not compete for the two cores.
            stop(proc)
    finally:
        for p in procs:
            stop(p)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)

    ops = [op for op in results["mlflow"] if op in results["sentinel"]]
    header = f"{'operation':<22} {'n':>4}  {'MLflow p50':>10} {'p95':>8}  {'Sentinel p50':>12} {'p95':>8}  {'ratio p50':>9} {'p95':>6}"
    print()
    print(header)
    print("-" * len(header))
    table = []
    for op in ops:
        m, s = results["mlflow"][op], results["sentinel"][op]
        row = {"operation": op, "n": min(len(m), len(s)), "mlflow_p50_ms": pct(m, 50) * 1000, "mlflow_p95_ms": pct(m, 95) * 1000,
               "sentinel_p50_ms": pct(s, 50) * 1000, "sentinel_p95_ms": pct(s, 95) * 1000}
        row["ratio_p50"] = row["sentinel_p50_ms"] / row["mlflow_p50_ms"]
        row["ratio_p95"] = row["sentinel_p95_ms"] / row["mlflow_p95_ms"]
        table.append(row)
        print(f"{op:<22} {row['n']:>4}  {row['mlflow_p50_ms']:>8.1f}ms {row['mlflow_p95_ms']:>6.1f}ms  {row['sentinel_p50_ms']:>10.1f}ms {row['sentinel_p95_ms']:>6.1f}ms"
              f"  {row['ratio_p50']:>9.2f} {row['ratio_p95']:>6.2f}")
    print("\nratio = Sentinel / MLflow latency: below 1 means Sentinel answered faster.")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"args": vars(args), "table": table, "median_all": statistics.median([r["ratio_p50"] for r in table]) if table else None}, f, indent=2)


if __name__ == "__main__":
    main()
