"""Train the seatbelt classifier on the portal's own cabin-camera crops, log the run with the unmodified MLflow client,
register the ONNX model and give the version its manifest and lineage.

  MLFLOW_TRACKING_URI=http://127.0.0.1:3000 MLFLOW_TRACKING_TOKEN=... \\
    python3 train.py --out seatbelt-v2.onnx [--epochs 30] [--register seatbelt]

Frames and their class come from GET /api/v1/frames?tag=<set> and /api/v1/frames/<id>/image with the same token.
Deterministic: fixed seeds, one thread, deterministic kernels, frames sorted by name: the same ONNX bytes every run.
"""
import hashlib
import json
import os
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "shared"))
from sentinel import deterministic, fetch_frames, git_commit, one_cycle, parse_tags, portal, register, training_args  # noqa: E402

from model import INPUT_H, INPUT_W, LABELS, SeatbeltNet, count_params  # noqa: E402

MEAN, STD = [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]
SEED = 1947


def to_input(rgb):
    """As the playground's preprocess: bilinear with half-pixel centres (no antialias), 1/255, (x - mean) / std."""
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1).float().unsqueeze(0)
    x = F.interpolate(x, size=(INPUT_H, INPUT_W), mode="bilinear", align_corners=False)
    x = x / 255.0
    return ((x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1))[0]


def load(uri, s, tag, limit):
    out = []
    for meta, rgb in fetch_frames(uri, s, tag, limit):
        label = (meta.get("groundTruth") or {}).get("class")
        if label in LABELS:
            out.append({"name": meta["name"], "night": "night" in meta["tags"], "x": to_input(rgb), "y": LABELS.index(label)})
    return out


def evaluate(model, frames):
    """Accuracy, and recall and precision per class (overall and per light)."""
    model.eval()
    with torch.no_grad():
        pred = model(torch.stack([f["x"] for f in frames])).argmax(dim=1).tolist()
    model.train()
    metrics = {"accuracy": sum(p == f["y"] for p, f in zip(pred, frames)) / len(frames)}
    for light in ("all", "day", "night"):
        pairs = [(p, f["y"]) for p, f in zip(pred, frames) if light == "all" or f["night"] == (light == "night")]
        suffix = "" if light == "all" else f"_{light}"
        for c, label in enumerate(LABELS):
            tp = sum(1 for p, y in pairs if p == c and y == c)
            npred = sum(1 for p, _ in pairs if p == c)
            ntrue = sum(1 for _, y in pairs if y == c)
            metrics[f"recall_{label}{suffix}"] = tp / ntrue if ntrue else 0.0
            metrics[f"precision_{label}{suffix}"] = tp / npred if npred else 0.0
    return metrics


def manifest_of():
    return {
        "input": {"name": "image", "layout": "NCHW", "width": INPUT_W, "height": INPUT_H, "channels": 3, "colorOrder": "RGB", "resize": "stretch", "scale": 1 / 255, "mean": MEAN, "std": STD},
        "labels": LABELS,
        "postprocess": {"kind": "softmax", "output": "probabilities"},
    }


def main():
    ap = training_args(__doc__, train_tag="seatbelt-train-v1", eval_tag="seatbelt-eval-v1", epochs=30, batch=16, lr=1e-2, experiment="seatbelt-classifier")
    args = ap.parse_args()
    extra_tags = parse_tags(ap, args.tag)

    import mlflow

    deterministic(torch, SEED)
    started = time.time()
    uri, s = portal()
    train = load(uri, s, args.train_tag, args.limit)
    eval_frames = load(uri, s, args.eval_tag, args.limit)
    if not train or not eval_frames:
        sys.exit(f"No frames tagged {args.train_tag} / {args.eval_tag} with a class on {uri}: run `npm run demo:train -- --task seatbelt` (it uploads them)")
    print(f"{len(train)} training frames, {len(eval_frames)} evaluation frames, fetched in {time.time() - started:.1f} s", flush=True)

    inputs = torch.stack([f["x"] for f in train])
    labels = torch.tensor([f["y"] for f in train])
    model = SeatbeltNet()
    opt, sched, gen = one_cycle(torch, model, args, len(train), 0.2, SEED)

    mlflow.set_experiment(args.experiment)
    commit = git_commit()
    with mlflow.start_run(run_name=args.run_name) as run:
        mlflow.log_params(
            {
                "architecture": "cnn-4x-conv-gap",
                "parameters": count_params(model),
                "input": f"{INPUT_W}x{INPUT_H}",
                "epochs": args.epochs,
                "batch_size": args.batch,
                "lr": args.lr,
                "optimizer": "AdamW+OneCycle",
                "seed": SEED,
                "train_tag": args.train_tag,
                "eval_tag": args.eval_tag,
                "train_frames": len(train),
                "eval_frames": len(eval_frames),
                "torch": torch.__version__,
            }
        )
        mlflow.set_tags({"dataset": args.train_tag, "eval_dataset": args.eval_tag, **({"git_commit": commit} if commit else {}), "task": "seatbelt", **extra_tags})
        step = 0
        metrics = {}
        for epoch in range(args.epochs):
            order = torch.randperm(len(train), generator=gen)
            # Brightness and contrast jitter per sample (no flips: the belt's direction is part of what it learns).
            gain = 1 + (torch.rand(len(train), generator=gen) - 0.5) * 0.4
            shift = (torch.rand(len(train), generator=gen) - 0.5) * 0.4
            total = 0.0
            for b in range(0, len(order), args.batch):
                idx = order[b : b + args.batch]
                x = inputs[idx] * gain[idx].view(-1, 1, 1, 1) + shift[idx].view(-1, 1, 1, 1)
                loss = F.cross_entropy(model.logits(x), labels[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                total += loss.item() * len(idx)
                if args.max_steps and step >= args.max_steps:
                    break
            epoch_metrics = {"loss": total / len(train)}
            done = epoch == args.epochs - 1 or (args.max_steps and step >= args.max_steps)
            if done or epoch % 5 == 4:
                metrics = evaluate(model, eval_frames)
                epoch_metrics.update(metrics)
            mlflow.log_metrics(epoch_metrics, step=epoch)
            print(f"epoch {epoch + 1}/{args.epochs} loss {epoch_metrics['loss']:.4f} ({time.time() - started:.0f} s)", flush=True)
            if done:
                break

        model.eval()
        out = os.path.abspath(args.out)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        torch.onnx.export(model, torch.zeros(1, 3, INPUT_H, INPUT_W), out, input_names=["image"], output_names=["probabilities"], opset_version=13, do_constant_folding=True)
        digest = hashlib.sha256(open(out, "rb").read()).hexdigest()
        train_s = time.time() - started
        mlflow.log_metrics({"train_seconds": train_s, **metrics})
        mlflow.set_tag("onnx_sha256", digest)
        manifest = manifest_of()
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "manifest.json"), "w") as fh:
                json.dump(manifest, fh, indent=2)
            mlflow.log_artifact(out, "model")
            mlflow.log_artifact(os.path.join(d, "manifest.json"), "model")
        print(json.dumps({"run_id": run.info.run_id, "onnx": out, "sha256": digest, "seconds": round(train_s, 1), "metrics": metrics}), flush=True)

        if args.register:
            version = register(
                uri,
                s,
                run.info.run_id,
                out,
                args.register,
                manifest,
                {"dataset": {"name": args.train_tag, "version": "1", "rowCount": len(train)}, "entryPoint": "examples/seatbelt-classifier/train.py"},
                {"minOnnxRuntime": "1.14", "maxOpset": 13, "deviceClasses": ["cloud-cpu", "dashcam-gen2", "dashcam-gen3"]},
                {"dataset": args.train_tag, "onnx_sha256": digest},
                args.description,
            )
            print(json.dumps({"registered": args.register, "version": version}), flush=True)


if __name__ == "__main__":
    main()
