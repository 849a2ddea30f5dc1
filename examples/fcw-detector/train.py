"""Train the forward-collision-warning detector on the portal's own frames, log the run with the unmodified MLflow
client, register the ONNX model and give the version its manifest and lineage.

  MLFLOW_TRACKING_URI=http://127.0.0.1:3000 MLFLOW_TRACKING_TOKEN=... \\
    python3 train.py --night-share 0.5 --out fcw-v2.onnx [--epochs 30] [--register forward-collision-warning]

Frames and ground truth come from GET /api/v1/frames?tag=<set> and /api/v1/frames/<id>/image with the same token.
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
import sentinel  # noqa: E402

from model import INPUT_H, INPUT_W, LABELS, STRIDE, FcwNet, count_params  # noqa: E402

LABEL_OF = {"car": 0, "truck": 0, "bus": 0, "pedestrian": 1}
MEAN, STD = [0.5, 0.5, 0.5], [0.25, 0.25, 0.25]
SEED = 1913


def fetch_frames(uri, s, tag, limit=None):
    out = []
    for f, rgb in sentinel.fetch_frames(uri, s, tag, limit):
        boxes = [(b["x"], b["y"], b["w"], b["h"], LABEL_OF[b["label"]]) for b in (f.get("groundTruth") or {}).get("boxes", []) if b["label"] in LABEL_OF]
        out.append({"name": f["name"], "night": "night" in f["tags"], "rgb": rgb, "boxes": boxes})
    return out


def to_input(rgb):
    """As the playground's preprocess: bilinear with half-pixel centres (no antialias), 1/255, (x - mean) / std."""
    x = torch.from_numpy(rgb.copy()).permute(2, 0, 1).float().unsqueeze(0)
    x = F.interpolate(x, size=(INPUT_H, INPUT_W), mode="bilinear", align_corners=False)
    x = x / 255.0
    return ((x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1))[0]


def targets(frame, flip):
    """CenterNet targets at stride 4: Gaussian peaks per class, and size/offset at each centre cell."""
    h, w = INPUT_H // STRIDE, INPUT_W // STRIDE
    src_h, src_w = frame["rgb"].shape[:2]
    sx, sy = INPUT_W / src_w, INPUT_H / src_h
    heat = torch.zeros(len(LABELS), h, w)
    size = torch.zeros(2, h, w)
    offset = torch.zeros(2, h, w)
    mask = torch.zeros(h, w)
    ys = torch.arange(h, dtype=torch.float32).view(h, 1)
    xs = torch.arange(w, dtype=torch.float32).view(1, w)
    for (bx, by, bw, bh, c) in frame["boxes"]:
        if flip:
            bx = src_w - bx - bw
        cx, cy = (bx + bw / 2) * sx / STRIDE, (by + bh / 2) * sy / STRIDE
        gw, gh = bw * sx, bh * sy
        ix, iy = min(int(cx), w - 1), min(int(cy), h - 1)
        sig_x, sig_y = max(gw / STRIDE / 6, 0.6), max(gh / STRIDE / 6, 0.6)
        g = torch.exp(-((xs - ix) ** 2) / (2 * sig_x**2) - ((ys - iy) ** 2) / (2 * sig_y**2))
        heat[c] = torch.maximum(heat[c], g)
        size[:, iy, ix] = torch.tensor([gw, gh])
        offset[:, iy, ix] = torch.tensor([cx - ix, cy - iy])
        mask[iy, ix] = 1
    return heat, size, offset, mask


def focal_loss(pred, gt):
    pred = pred.clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos
    pos_loss = torch.log(pred) * (1 - pred) ** 2 * pos
    neg_loss = torch.log(1 - pred) * pred**2 * (1 - gt) ** 4 * neg
    n = pos.sum().clamp(min=1)
    return -(pos_loss.sum() + neg_loss.sum()) / n


def decode(heat, size, offset, threshold=0.25, max_det=50):
    """Peaks of the heatmap (3x3 local maxima above threshold) -> boxes in source pixels; mirrors lib/playground's decoder."""
    peaks = (heat == F.max_pool2d(heat.unsqueeze(0), 3, 1, 1)[0]) & (heat >= threshold)
    c, ys, xs = torch.nonzero(peaks, as_tuple=True)
    out = []
    for k in range(len(c)):
        y, x = ys[k].item(), xs[k].item()
        cx = (x + offset[0, y, x].item()) * STRIDE
        cy = (y + offset[1, y, x].item()) * STRIDE
        w, h = size[0, y, x].item(), size[1, y, x].item()
        out.append((cx - w / 2, cy - h / 2, w, h, heat[c[k], y, x].item(), c[k].item()))
    out.sort(key=lambda b: -b[4])
    return out[:max_det]


def iou(a, b):
    ix = max(0.0, min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def evaluate(model, frames):
    """Recall and precision per class and light at IoU >= 0.5 (greedy one-to-one matching), in source pixels."""
    model.eval()
    counts = {}
    with torch.no_grad():
        for f in frames:
            heat, size, offset = model(to_input(f["rgb"]).unsqueeze(0))
            sx, sy = f["rgb"].shape[1] / INPUT_W, f["rgb"].shape[0] / INPUT_H
            dets = [(x * sx, y * sy, w * sx, h * sy, s, c) for (x, y, w, h, s, c) in decode(heat[0], size[0], offset[0])]
            light = "night" if f["night"] else "day"
            for c, label in enumerate(LABELS):
                truth = [b for b in f["boxes"] if b[4] == c]
                pred = [d for d in dets if d[5] == c]
                used, tp = set(), 0
                for d in pred:
                    best, bj = 0.5, None
                    for j, t in enumerate(truth):
                        v = iou(d, t)
                        if j not in used and v >= best:
                            best, bj = v, j
                    if bj is not None:
                        used.add(bj)
                        tp += 1
                k = counts.setdefault(f"{label}_{light}", [0, 0, 0])
                k[0] += tp
                k[1] += len(pred) - tp
                k[2] += len(truth) - tp
    metrics = {}
    for key, (tp, fp, fn) in sorted(counts.items()):
        metrics[f"recall_{key}"] = tp / (tp + fn) if tp + fn else 0.0
        metrics[f"precision_{key}"] = tp / (tp + fp) if tp + fp else 0.0
    model.train()
    return metrics


def main():
    ap = sentinel.training_args(__doc__, train_tag="fcw-train-v1", eval_tag="fcw-eval-v1", epochs=40, batch=8, lr=3e-3, experiment="fcw-detector")
    ap.add_argument("--night-share", type=float, default=0.5, help="share of night frames kept in the training sample (0.5 = all of a balanced set)")
    args = ap.parse_args()
    extra_tags = sentinel.parse_tags(ap, args.tag)

    import mlflow

    sentinel.deterministic(torch, SEED)
    started = time.time()

    uri, s = sentinel.portal()
    train_all = fetch_frames(uri, s, args.train_tag, args.limit)
    eval_frames = fetch_frames(uri, s, args.eval_tag, args.limit)
    if not train_all or not eval_frames:
        sys.exit(f"No frames tagged {args.train_tag} / {args.eval_tag} on {uri}: run `npm run demo:train` (it uploads them) or seed the portal")
    day = [f for f in train_all if not f["night"]]
    night = [f for f in train_all if f["night"]]
    # Keep night frames so that they make up `night_share` of the sample: every k-th one, deterministic.
    want_night = round(len(day) * args.night_share / (1 - args.night_share)) if args.night_share < 1 else len(night)
    want_night = min(len(night), want_night)
    night_kept = [night[int(i * len(night) / want_night)] for i in range(want_night)] if want_night else []
    train = sorted(day + night_kept, key=lambda f: f["name"])
    fetched_s = time.time() - started
    print(f"{len(train)} training frames ({len(night_kept)} at night), {len(eval_frames)} evaluation frames, fetched in {fetched_s:.1f} s", flush=True)

    inputs = torch.stack([to_input(f["rgb"]) for f in train])
    inputs_flipped = torch.flip(inputs, dims=[3])
    tg = [targets(f, False) for f in train]
    tg_flipped = [targets(f, True) for f in train]

    model = FcwNet()
    opt, sched, gen = sentinel.one_cycle(torch, model, args, len(train), 0.15, SEED)

    mlflow.set_experiment(args.experiment)
    commit = sentinel.git_commit()
    with mlflow.start_run(run_name=args.run_name) as run:
        mlflow.log_params(
            {
                "architecture": "centernet-mobilenet-lite",
                "parameters": count_params(model),
                "input": f"{INPUT_W}x{INPUT_H}",
                "stride": STRIDE,
                "epochs": args.epochs,
                "batch_size": args.batch,
                "lr": args.lr,
                "optimizer": "AdamW+OneCycle",
                "seed": SEED,
                "train_tag": args.train_tag,
                "eval_tag": args.eval_tag,
                "night_share": args.night_share,
                "train_frames": len(train),
                "train_night_frames": len(night_kept),
                "eval_frames": len(eval_frames),
                "torch": torch.__version__,
            }
        )
        mlflow.set_tags({"dataset": args.train_tag, "eval_dataset": args.eval_tag, **({"git_commit": commit} if commit else {}), "task": "forward-collision-warning", **extra_tags})
        step = 0
        metrics = {}
        for epoch in range(args.epochs):
            order = torch.randperm(len(train), generator=gen).tolist()
            flips = torch.rand(len(train), generator=gen).lt(0.5).tolist()
            total = {"loss": 0.0, "heat_loss": 0.0, "size_loss": 0.0}
            for b in range(0, len(order), args.batch):
                idx = order[b : b + args.batch]
                x = torch.stack([inputs_flipped[i] if flips[i] else inputs[i] for i in idx])
                t = [tg_flipped[i] if flips[i] else tg[i] for i in idx]
                heat_t, size_t, off_t, mask = (torch.stack([u[k] for u in t]) for k in range(4))
                heat, size, offset = model(x)
                m = mask.unsqueeze(1)
                n = m.sum().clamp(min=1)
                heat_loss = focal_loss(heat, heat_t)
                # Sizes compared in log space: a pedestrian's 4 px matter as much as a truck's 40.
                size_loss = (torch.abs(torch.log(size.clamp(min=1)) - torch.log(size_t.clamp(min=1))) * m).sum() / n
                off_loss = (torch.abs(offset - off_t) * m).sum() / n
                loss = heat_loss + size_loss + off_loss
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                total["loss"] += loss.item() * len(idx)
                total["heat_loss"] += heat_loss.item() * len(idx)
                total["size_loss"] += size_loss.item() * len(idx)
                if args.max_steps and step >= args.max_steps:
                    break
            epoch_metrics = {k: v / len(train) for k, v in total.items()}
            if epoch == args.epochs - 1 or epoch % 5 == 4 or (args.max_steps and step >= args.max_steps):
                metrics = evaluate(model, eval_frames)
                epoch_metrics.update(metrics)
            mlflow.log_metrics(epoch_metrics, step=epoch)
            print(f"epoch {epoch + 1}/{args.epochs} loss {epoch_metrics['loss']:.4f} ({time.time() - started:.0f} s)", flush=True)
            if args.max_steps and step >= args.max_steps:
                break

        model.eval()
        out = os.path.abspath(args.out)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        torch.onnx.export(
            model,
            torch.zeros(1, 3, INPUT_H, INPUT_W),
            out,
            input_names=["image"],
            output_names=["heatmap", "size", "offset"],
            opset_version=13,
            do_constant_folding=True,
        )
        digest = hashlib.sha256(open(out, "rb").read()).hexdigest()
        train_s = time.time() - started
        mlflow.log_metrics({"train_seconds": train_s, **metrics})
        mlflow.set_tag("onnx_sha256", digest)
        with tempfile.TemporaryDirectory() as d:
            manifest = manifest_of()
            with open(os.path.join(d, "manifest.json"), "w") as fh:
                json.dump(manifest, fh, indent=2)
            mlflow.log_artifact(out, "model")
            mlflow.log_artifact(os.path.join(d, "manifest.json"), "model")
        print(json.dumps({"run_id": run.info.run_id, "onnx": out, "sha256": digest, "seconds": round(train_s, 1), "metrics": metrics}), flush=True)

        if args.register:
            version = sentinel.register(
                uri,
                s,
                run.info.run_id,
                out,
                args.register,
                manifest,
                {"dataset": {"name": args.train_tag, "version": f"night share {args.night_share}", "rowCount": len(train)}, "entryPoint": "examples/fcw-detector/train.py"},
                {"minOnnxRuntime": "1.14", "maxOpset": 13, "deviceClasses": ["cloud-cpu", "dashcam-gen3"]},
                {"dataset": args.train_tag, "night_share": str(args.night_share), "onnx_sha256": digest},
                args.description,
            )
            print(json.dumps({"registered": args.register, "version": version}), flush=True)


def manifest_of():
    return {
        "input": {"name": "image", "layout": "NCHW", "width": INPUT_W, "height": INPUT_H, "channels": 3, "colorOrder": "RGB", "resize": "stretch", "scale": 1 / 255, "mean": MEAN, "std": STD},
        "labels": LABELS,
        "postprocess": {"kind": "centernet", "heatmap": "heatmap", "size": "size", "offset": "offset", "scoreThreshold": 0.25, "iouThreshold": 0.5, "maxDetections": 50},
    }


if __name__ == "__main__":
    main()
