"""What every example training project shares: the portal's REST API (frames with their ground truth, the model
registry's manifest and lineage), the git commit for lineage, and deterministic PyTorch settings.

The training scripts add this directory to sys.path; the MLflow client itself is used unmodified by each script.
"""
import argparse
import io
import os
import subprocess
import sys

import numpy as np
import requests
from PIL import Image


def portal():
    """The portal's URL and an authenticated session, from the same variables the MLflow client reads."""
    uri = os.environ.get("MLFLOW_TRACKING_URI", "").rstrip("/")
    token = os.environ.get("MLFLOW_TRACKING_TOKEN", "")
    if not uri.startswith("http") or not token:
        sys.exit("Set MLFLOW_TRACKING_URI (the portal's URL) and MLFLOW_TRACKING_TOKEN (a token with runs:write, models:write, models:read)")
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return uri, s


def fetch_frames(uri, s, tag, limit=None):
    """Every frame carrying `tag` as (metadata, RGB array), sorted by name so the order (and so the training) does not
    depend on upload order."""
    items, page = [], 1
    while True:
        r = s.get(f"{uri}/api/v1/frames", params={"tag": tag, "pageSize": 200, "page": page}, timeout=60)
        r.raise_for_status()
        body = r.json()
        items += body["items"]
        if len(items) >= body["total"] or not body["items"]:
            break
        page += 1
    items.sort(key=lambda f: f["name"])
    if limit:
        items = items[:limit]
    out = []
    for f in items:
        img = s.get(f"{uri}{f['imageUrl']}", timeout=60)
        img.raise_for_status()
        out.append((f, np.asarray(Image.open(io.BytesIO(img.content)).convert("RGB"))))
    return out


def git_commit():
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], cwd=os.path.dirname(os.path.abspath(__file__)), stderr=subprocess.DEVNULL).decode().strip()
    except Exception:
        return None


def deterministic(torch, seed):
    """Fixed seeds, one thread, deterministic kernels: the same frames give the same weights and ONNX bytes."""
    torch.manual_seed(seed)
    np.random.seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


def training_args(doc, *, train_tag, eval_tag, epochs, batch, lr, experiment):
    """The options every example training script takes; a script adds its own before parse_args()."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-tag", default=train_tag)
    ap.add_argument("--eval-tag", default=eval_tag)
    ap.add_argument("--epochs", type=int, default=epochs)
    ap.add_argument("--batch", type=int, default=batch)
    ap.add_argument("--lr", type=float, default=lr)
    ap.add_argument("--limit", type=int, default=None, help="use only the first N frames of each set (smoke tests)")
    ap.add_argument("--max-steps", type=int, default=None, help="stop after N optimiser steps (smoke tests)")
    ap.add_argument("--out", required=True, help="where to write the ONNX model")
    ap.add_argument("--experiment", default=experiment)
    ap.add_argument("--run-name", default=None)
    ap.add_argument("--register", default=None, help="registered model name to create a version in")
    ap.add_argument("--description", default="")
    ap.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", help="extra run tag, e.g. the alert a retraining answers (repeatable)")
    return ap


def one_cycle(torch, model, args, n_train, pct_start, seed):
    """AdamW under a one-cycle schedule sized to the run (capped by --max-steps), and the seeded generator for batches."""
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    total_steps = (n_train + args.batch - 1) // args.batch * args.epochs
    if args.max_steps:
        total_steps = min(total_steps, args.max_steps)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=max(total_steps, 1), pct_start=pct_start)
    return opt, sched, torch.Generator().manual_seed(seed)


def parse_tags(ap, pairs):
    tags = {}
    for kv in pairs:
        key, sep, value = kv.partition("=")
        if not sep or not key:
            ap.error(f"--tag wants KEY=VALUE, got {kv!r}")
        tags[key] = value
    return tags


def register(uri, s, run_id, onnx_path, name, manifest, lineage, contract, tags, description):
    """Registers the run's ONNX as a new version of `name` through the MLflow client, then gives it the runtime manifest,
    typed lineage and compatibility contract over the portal's REST API (MLflow has no place for them)."""
    import mlflow
    from mlflow.tracking import MlflowClient

    client = MlflowClient()
    try:
        client.create_registered_model(name)
    except mlflow.exceptions.MlflowException as e:
        if "RESOURCE_ALREADY_EXISTS" not in str(e.error_code):
            raise
    commit = git_commit()
    mv = client.create_model_version(
        name,
        source=f"runs:/{run_id}/model/{os.path.basename(onnx_path)}",
        run_id=run_id,
        tags={**tags, **({"git_commit": commit} if commit else {})},
        description=description,
    )
    # The REST API addresses models by slug; a registered name may differ from it ("FCW retrain" -> fcw-retrain).
    found = s.get(f"{uri}/api/v1/models", params={"q": name, "pageSize": 200}, timeout=60).json().get("items", [])
    slug = next((m["slug"] for m in found if m["name"] == name or m["slug"] == name), name)
    lineage = {"sourceRunId": run_id, **lineage, **({"gitCommit": commit} if commit else {})}
    r = s.patch(f"{uri}/api/v1/models/{slug}/versions/{mv.version}", json={"manifest": manifest, "lineage": lineage, "contract": contract}, timeout=60)
    if r.status_code >= 300:
        sys.exit(f"Setting the manifest of {slug} v{mv.version} failed: {r.status_code} {r.text}")
    return int(mv.version)
