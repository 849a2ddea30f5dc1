"""End-to-end check of Sentinel's MLflow-compatible API with the unmodified MLflow Python client.

Usage (against a running portal):
  MLFLOW_TRACKING_URI=http://127.0.0.1:3000 MLFLOW_TRACKING_TOKEN=snt_... python3 scripts/mlflow-e2e.py
The token needs runs:read, runs:write, models:read and models:write. Prints one PASS/FAIL line per
call and exits non-zero when any failed.
"""

import math
import os
import sys
import time
import traceback

import mlflow
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException

results = []


def check(name, fn):
    started = time.time()
    try:
        detail = fn()
        # A check that could not run here (a Python package this environment lacks) says so and is not counted as passed.
        skipped = isinstance(detail, str) and detail.startswith("skipped:")
        results.append((name, None if skipped else True))
        print(f"{'SKIP' if skipped else 'PASS'} {name} ({(time.time() - started) * 1000:.0f} ms){' - ' + str(detail) if detail else ''}", flush=True)
    except Exception as e:  # noqa: BLE001 - every failure is reported, then the run goes on
        results.append((name, False))
        print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
        if os.environ.get("E2E_TRACEBACK"):
            traceback.print_exc()


def expect(cond, message):
    if not cond:
        raise AssertionError(message)


def expect_error(code, fn):
    try:
        fn()
    except MlflowException as e:
        expect(e.error_code == code, f"expected {code}, got {e.error_code}: {e.message}")
        return f"{code}: {e.message.splitlines()[0][:90]}"
    raise AssertionError(f"expected {code}, but the call succeeded")


for var in ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN"):
    if not os.environ.get(var):
        sys.exit(f"Set {var} (the portal URL and a Sentinel API token with runs:write and models:write)")

suffix = str(int(time.time() * 1000))
client = MlflowClient()
state = {}

# ---------------------------------------------------------------- experiments


def set_experiment_new():
    exp = mlflow.set_experiment(f"e2e-fluent-{suffix}")
    state["fluent_exp"] = exp.experiment_id
    expect(exp.experiment_id.isdigit(), f"id {exp.experiment_id!r}")
    expect(exp.lifecycle_stage == "active", exp.lifecycle_stage)
    return f"experiment_id={exp.experiment_id}"


def set_experiment_existing():
    exp = mlflow.set_experiment(f"e2e-fluent-{suffix}")
    expect(exp.experiment_id == state["fluent_exp"], "same id")


def create_experiment():
    eid = client.create_experiment(f"e2e-client-{suffix}", tags={"team": "perception", "purpose": "e2e"})
    state["exp"] = eid
    return f"experiment_id={eid}"


def get_experiment():
    exp = client.get_experiment(state["exp"])
    expect(exp.name == f"e2e-client-{suffix}", exp.name)
    expect(exp.tags.get("team") == "perception", exp.tags)


def get_experiment_by_name():
    expect(client.get_experiment_by_name(f"e2e-client-{suffix}").experiment_id == state["exp"], "id")
    expect(client.get_experiment_by_name(f"no-such-experiment-{suffix}") is None, "missing name should be None")


def default_experiment():
    exp = client.get_experiment("0")
    expect(exp.name == "Default", exp.name)


def duplicate_experiment():
    return expect_error("RESOURCE_ALREADY_EXISTS", lambda: client.create_experiment(f"e2e-client-{suffix}"))


def set_experiment_tag():
    client.set_experiment_tag(state["exp"], "stage", "testing")
    expect(client.get_experiment(state["exp"]).tags.get("stage") == "testing", "tag")


def search_experiments():
    found = client.search_experiments(filter_string=f"name LIKE 'e2e-%-{suffix}'", max_results=1)
    expect(len(found) == 1 and found.token, "first page of one with a token")
    rest = client.search_experiments(filter_string=f"name LIKE 'e2e-%-{suffix}'", max_results=1, page_token=found.token)
    expect(len(rest) == 1, f"second page {len(rest)}")
    return f"{found[0].name}, {rest[0].name}"


for name, fn in [
    ("mlflow.set_experiment (new name)", set_experiment_new),
    ("mlflow.set_experiment (existing)", set_experiment_existing),
    ("MlflowClient.create_experiment", create_experiment),
    ("MlflowClient.get_experiment", get_experiment),
    ("MlflowClient.get_experiment_by_name (+ missing is None)", get_experiment_by_name),
    ("MlflowClient.get_experiment('0') is Default", default_experiment),
    ("create_experiment duplicate -> RESOURCE_ALREADY_EXISTS", duplicate_experiment),
    ("MlflowClient.set_experiment_tag", set_experiment_tag),
    ("MlflowClient.search_experiments (filter + paging)", search_experiments),
]:
    check(name, fn)

# ---------------------------------------------------------------- fluent run


def fluent_run():
    mlflow.set_experiment(f"e2e-fluent-{suffix}")
    with mlflow.start_run(run_name="fluent-run") as run:
        state["fluent_run"] = run.info.run_id
        mlflow.log_param("lr", 0.01)
        mlflow.log_params({"batch_size": 32, "backbone": "resnet50"})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"acc": 0.91, "map": 0.55}, step=4)
        mlflow.log_metric("nan_metric", float("nan"))
        mlflow.log_metric("inf_metric", float("inf"))
        mlflow.set_tag("owner", "e2e")
        mlflow.set_tags({"dataset": "dashcam-v3", "note": "first"})
        mlflow.set_tag("note", "overwritten")
    return f"run_id={run.info.run_id}"


def fluent_get_run():
    run = client.get_run(state["fluent_run"])
    expect(run.info.status == "FINISHED", run.info.status)
    expect(run.info.end_time is not None, "end_time")
    expect(run.data.params == {"lr": "0.01", "batch_size": "32", "backbone": "resnet50"}, run.data.params)
    expect(abs(run.data.metrics["loss"] - 0.2) < 1e-12, run.data.metrics)
    expect(math.isnan(run.data.metrics["nan_metric"]), "NaN")
    expect(run.data.metrics["inf_metric"] == float("inf"), "inf")
    expect(run.data.tags["note"] == "overwritten", run.data.tags)
    expect(run.data.tags["mlflow.runName"] == "fluent-run", run.data.tags)
    expect(run.data.tags.get("mlflow.user"), "mlflow.user tag")
    return f"loss={run.data.metrics['loss']}, nan_metric=nan, inf_metric=inf"


def fluent_search_runs():
    runs = mlflow.search_runs(experiment_ids=[state["fluent_exp"]], output_format="list")
    expect(len(runs) == 1 and runs[0].info.run_id == state["fluent_run"], len(runs))


check("fluent start_run/log_param(s)/log_metric(s)/set_tag(s)/end_run", fluent_run)
check("MlflowClient.get_run after fluent run (latest values, NaN, inf)", fluent_get_run)
check("mlflow.search_runs(output_format='list')", fluent_search_runs)

# ---------------------------------------------------------------- client run, batch, history


def client_create_run():
    run = client.create_run(state["exp"], start_time=int(time.time() * 1000), tags={"kind": "client"}, run_name="client-run")
    state["run"] = run.info.run_id
    expect(run.info.status == "RUNNING", run.info.status)
    expect(run.info.run_name == "client-run", run.info.run_name)


def client_log_param_metric_tag():
    client.log_param(state["run"], "lr", "0.01")
    client.log_param(state["run"], "lr", "0.01")  # the same value again is fine
    client.log_metric(state["run"], "acc", 0.5, step=1)
    client.log_metric(state["run"], "acc", 0.75, step=3)
    client.log_metric(state["run"], "acc", 0.6, step=2, timestamp=int(time.time() * 1000) + 10_000)
    client.set_tag(state["run"], "phase", "train")


def param_change_refused():
    return expect_error("INVALID_PARAMETER_VALUE", lambda: client.log_param(state["run"], "lr", "0.02"))


def client_log_batch():
    now = int(time.time() * 1000)
    n = 30_000
    metrics = [Metric("curve", math.sin(i / 100), now + i, i) for i in range(n)]
    client.log_batch(state["run"], metrics=metrics, params=[Param("epochs", "30")], tags=[RunTag("batched", "yes")])
    return f"{n} points in client-side chunks of 1000"


def get_run_latest():
    run = client.get_run(state["run"])
    expect(run.data.metrics["acc"] == 0.75, f"latest acc by step: {run.data.metrics['acc']}")
    expect(abs(run.data.metrics["curve"] - math.sin(29_999 / 100)) < 1e-12, "latest curve")
    expect(run.data.params == {"lr": "0.01", "epochs": "30"}, run.data.params)
    expect(run.data.tags["batched"] == "yes", run.data.tags)
    return f"acc={run.data.metrics['acc']} (step 3 wins over a later timestamp at step 2)"


def get_metric_history():
    history = client.get_metric_history(state["run"], "curve")
    expect(len(history) == 30_000, len(history))
    expect([m.step for m in history] == list(range(30_000)), "steps in order")
    return f"{len(history)} points over two pages of 25000"


def batch_limit():
    metrics = [Metric("x", 1.0, 1, i) for i in range(1001)]
    from mlflow.store.tracking.rest_store import RestStore  # the client chunks; go one level down

    store = client._tracking_client.store
    expect(isinstance(store, RestStore), type(store))
    return expect_error("INVALID_PARAMETER_VALUE", lambda: store.log_batch(state["run"], metrics=metrics, params=[], tags=[]))


def update_run():
    client.update_run(state["run"], name="client-run-renamed")
    run = client.get_run(state["run"])
    expect(run.info.run_name == "client-run-renamed", run.info.run_name)


def set_terminated():
    client.set_terminated(state["run"], "KILLED")
    run = client.get_run(state["run"])
    expect(run.info.status == "KILLED" and run.info.end_time, run.info)


def delete_tag():
    client.delete_tag(state["run"], "phase")
    expect("phase" not in client.get_run(state["run"]).data.tags, "tag gone")


for name, fn in [
    ("MlflowClient.create_run", client_create_run),
    ("MlflowClient.log_param / log_metric / set_tag", client_log_param_metric_tag),
    ("log_param with another value -> INVALID_PARAMETER_VALUE", param_change_refused),
    ("MlflowClient.log_batch (30000 metrics + param + tag)", client_log_batch),
    ("MlflowClient.get_run (latest per key: highest step, then timestamp)", get_run_latest),
    ("MlflowClient.get_metric_history (paged by max_results=25000)", get_metric_history),
    ("log-batch over 1000 metrics -> INVALID_PARAMETER_VALUE", batch_limit),
    ("MlflowClient.update_run (name)", update_run),
    ("MlflowClient.set_terminated (KILLED)", set_terminated),
    ("MlflowClient.delete_tag", delete_tag),
]:
    check(name, fn)

# ---------------------------------------------------------------- search


def seed_grid():
    for i in range(7):
        r = client.create_run(state["exp"], run_name=f"grid-{i}")
        client.log_batch(r.info.run_id, metrics=[Metric("acc", i / 10, 0, 0)], params=[Param("lr", "0.01" if i % 2 else "0.1")])
        client.set_terminated(r.info.run_id)


def search_runs_filter_order_paging():
    names, token, pages = [], None, 0
    while True:
        page = client.search_runs(
            [state["exp"]], "metrics.acc > 0.05 and params.lr = '0.01'", order_by=["metrics.acc DESC"], max_results=2, page_token=token
        )
        names += [r.info.run_name for r in page]
        pages += 1
        token = page.token
        if not token:
            break
    # The client-run (acc 0.75, lr 0.01) matches too.
    expect(names == ["client-run-renamed", "grid-5", "grid-3", "grid-1"], names)
    expect(pages == 2, pages)
    return f"{names} in {pages} pages"


def search_runs_attributes():
    runs = client.search_runs([state["exp"]], "attributes.status = 'KILLED' and tags.kind = 'client'")
    expect([r.info.run_id for r in runs] == [state["run"]], [r.info.run_id for r in runs])
    runs = client.search_runs([state["exp"]], "attributes.run_name LIKE 'grid-%'", order_by=["attributes.run_name ASC"])
    expect([r.info.run_name for r in runs] == [f"grid-{i}" for i in range(7)], [r.info.run_name for r in runs])


def malformed_filter():
    return expect_error("INVALID_PARAMETER_VALUE", lambda: client.search_runs([state["exp"]], "metrics.acc > 0.5 or params.lr = '1'"))


def unknown_run():
    return expect_error("RESOURCE_DOES_NOT_EXIST", lambda: client.get_run("0123456789abcdef0123456789abcdef"))


def delete_restore_run():
    client.delete_run(state["run"])
    deleted = client.search_runs([state["exp"]], run_view_type=mlflow.entities.ViewType.DELETED_ONLY)
    expect([r.info.run_id for r in deleted] == [state["run"]], "deleted view")
    client.restore_run(state["run"])
    expect(client.get_run(state["run"]).info.lifecycle_stage == "active", "restored")


for name, fn in [
    ("create 7 grid runs (create_run + log_batch + set_terminated)", seed_grid),
    ("MlflowClient.search_runs (filter, order_by, max_results, page_token)", search_runs_filter_order_paging),
    ("MlflowClient.search_runs (attributes, tags, LIKE)", search_runs_attributes),
    ("search_runs with OR -> INVALID_PARAMETER_VALUE", malformed_filter),
    ("get_run unknown id -> RESOURCE_DOES_NOT_EXIST", unknown_run),
    ("MlflowClient.delete_run / restore_run", delete_restore_run),
]:
    check(name, fn)

# ---------------------------------------------------------------- model registry

model_name = f"E2E Lane Detector {suffix}"


def create_registered_model():
    rm = client.create_registered_model(model_name, tags={"team": "perception"}, description="from the e2e script")
    expect(rm.name == model_name, rm.name)


def get_registered_model():
    rm = client.get_registered_model(model_name)
    expect(rm.description == "from the e2e script" and rm.tags == {"team": "perception"}, rm)


def duplicate_registered_model():
    return expect_error("RESOURCE_ALREADY_EXISTS", lambda: client.create_registered_model(model_name))


def create_model_version():
    mv = client.create_model_version(model_name, f"runs:/{state['fluent_run']}/model", run_id=state["fluent_run"], description="v1")
    expect(mv.version == "1" and mv.status == "READY", (mv.version, mv.status))
    expect(mv.run_id == state["fluent_run"], mv.run_id)
    return f"version={mv.version!r} status={mv.status}"


def get_model_version():
    mv = client.get_model_version(model_name, "1")
    expect(mv.source == f"runs:/{state['fluent_run']}/model", mv.source)


def aliases():
    client.set_registered_model_alias(model_name, "champion", "1")
    mv = client.get_model_version_by_alias(model_name, "champion")
    expect(mv.version == "1" and "champion" in mv.aliases, mv)
    expect(client.get_registered_model(model_name).aliases == {"champion": "1"}, "aliases on the model")
    client.delete_registered_model_alias(model_name, "champion")
    try:
        client.get_model_version_by_alias(model_name, "champion")
    except MlflowException as e:
        return f"after delete: {e.error_code}"
    raise AssertionError("alias still resolves")


def search_registered_models():
    found = client.search_registered_models(filter_string=f"name = '{model_name}'")
    expect([m.name for m in found] == [model_name], [m.name for m in found])
    found = client.search_registered_models(filter_string="name LIKE 'E2E Lane%'", max_results=100)
    expect(model_name in [m.name for m in found], "LIKE")
    expect(any(v.version == "1" for v in found[0].latest_versions), "latest_versions")


def update_and_tags():
    client.update_registered_model(model_name, description="updated")
    client.set_registered_model_tag(model_name, "stage", "beta")
    client.update_model_version(model_name, "1", description="v1 updated")
    client.set_model_version_tag(model_name, "1", "validated", "yes")
    rm = client.get_registered_model(model_name)
    expect(rm.description == "updated" and rm.tags == {"team": "perception", "stage": "beta"}, rm.tags)
    mv = client.get_model_version(model_name, "1")
    expect(mv.description == "v1 updated" and mv.tags == {"validated": "yes"}, mv.tags)
    client.delete_model_version_tag(model_name, "1", "validated")
    client.delete_registered_model_tag(model_name, "stage")
    expect(client.get_registered_model(model_name).tags == {"team": "perception"}, "tag deleted")


def search_model_versions():
    found = client.search_model_versions(f"name = '{model_name}'")
    expect([v.version for v in found] == ["1"], [v.version for v in found])


def download_uri():
    uri = client.get_model_version_download_uri(model_name, "1")
    expect(uri == f"runs:/{state['fluent_run']}/model", uri)


def unknown_model():
    return expect_error("RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model(f"no-such-model-{suffix}"))


def rename_model():
    global model_name
    new = model_name + " renamed"
    client.rename_registered_model(model_name, new)
    model_name = new
    expect(client.get_registered_model(new).name == new, "renamed")


for name, fn in [
    ("MlflowClient.create_registered_model", create_registered_model),
    ("MlflowClient.get_registered_model", get_registered_model),
    ("create_registered_model duplicate -> RESOURCE_ALREADY_EXISTS", duplicate_registered_model),
    ("MlflowClient.create_model_version (runs:/ source, READY, no polling)", create_model_version),
    ("MlflowClient.get_model_version", get_model_version),
    ("set/get_by/delete registered model alias", aliases),
    ("MlflowClient.search_registered_models (= and LIKE)", search_registered_models),
    ("update model / version, set and delete tags", update_and_tags),
    ("MlflowClient.search_model_versions", search_model_versions),
    ("MlflowClient.get_model_version_download_uri", download_uri),
    ("get_registered_model unknown -> RESOURCE_DOES_NOT_EXIST", unknown_model),
    ("MlflowClient.rename_registered_model", rename_model),
]:
    check(name, fn)

# ---------------------------------------------------------------- artifacts (the mlflow-artifacts proxy)


def log_artifacts_and_list():
    import tempfile

    with mlflow.start_run(experiment_id=state["exp"], run_name="artifacts") as run:
        state["art_run"] = run.info.run_id
        expect(run.info.artifact_uri == f"mlflow-artifacts:/{state['exp']}/{run.info.run_id}/artifacts", run.info.artifact_uri)
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "notes.txt"), "w") as f:
                f.write("hello from the e2e check\n")
            mlflow.log_artifact(os.path.join(d, "notes.txt"))
            os.makedirs(os.path.join(d, "plots", "deep"))
            with open(os.path.join(d, "plots", "a.csv"), "w") as f:
                f.write("x,y\n1,2\n")
            with open(os.path.join(d, "plots", "deep", "b.json"), "w") as f:
                f.write('{"ok": true}')
            mlflow.log_artifacts(os.path.join(d, "plots"), artifact_path="plots")
        mlflow.log_text("inline text", "texts/inline.txt")
    top = [(f.path, f.is_dir) for f in client.list_artifacts(state["art_run"])]
    expect(top == [("notes.txt", False), ("plots", True), ("texts", True)], top)
    inner = [(f.path, f.is_dir, f.file_size) for f in client.list_artifacts(state["art_run"], "plots")]
    expect(inner == [("plots/a.csv", False, 8), ("plots/deep", True, None)], inner)
    return top


def download_artifacts():
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        local = mlflow.artifacts.download_artifacts(run_id=state["art_run"], artifact_path="plots", dst_path=d)
        with open(os.path.join(local, "deep", "b.json")) as f:
            expect(f.read() == '{"ok": true}', "b.json content")
        one = client.download_artifacts(state["art_run"], "notes.txt", d)
        with open(one) as f:
            expect(f.read() == "hello from the e2e check\n", "notes.txt content")
    expect(mlflow.artifacts.load_text(f"runs:/{state['art_run']}/texts/inline.txt") == "inline text", "load_text")


def artifact_traversal_refused():
    import requests

    base = os.environ["MLFLOW_TRACKING_URI"].rstrip("/")
    headers = {"Authorization": f"Bearer {os.environ['MLFLOW_TRACKING_TOKEN']}"}
    r = requests.get(f"{base}/api/2.0/mlflow/artifacts/list", params={"run_id": state["art_run"], "path": "../x"}, headers=headers, timeout=30)
    expect(r.status_code == 400 and r.json() == {"error_code": "INVALID_PARAMETER_VALUE", "message": "Invalid path"}, r.text)
    r = requests.put(f"{base}/api/2.0/mlflow-artifacts/artifacts/{state['exp']}/x/..%252F..%252Fetc", data=b"x", headers=headers, timeout=30)
    expect(r.status_code == 400, r.status_code)
    return "400 Invalid path"


def multipart_falls_back():
    """With proxied multipart upload switched on, the portal answers MLflow's 501 and the client falls back to one PUT."""
    import tempfile

    saved = {k: os.environ.get(k) for k in ("MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD", "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE")}
    os.environ.update({"MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD": "true", "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE": "1024", "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE": "1024"})
    try:
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "big.bin")
            with open(path, "wb") as f:
                f.write(os.urandom(5000))
            client.log_artifact(state["art_run"], path, "mpu")
            os.makedirs(os.path.join(d, "out"))
            back = client.download_artifacts(state["art_run"], "mpu/big.bin", os.path.join(d, "out"))
            with open(path, "rb") as a, open(back, "rb") as b:
                expect(a.read() == b.read(), "the bytes round-trip")
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return "501 NOT_IMPLEMENTED, then one PUT"


def log_onnx_model():
    try:
        import onnx
        from onnx import TensorProto, helper
        import mlflow.onnx
    except ImportError as e:
        return f"skipped: onnx flavor unavailable here ({e})"
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        # log_model only imports onnxruntime to validate session options (none are given here); running
        # the model is not part of this check, so a bare module stands in where the wheel is unavailable.
        import types

        sys.modules["onnxruntime"] = types.ModuleType("onnxruntime")
    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])],
        "relu",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    with mlflow.start_run(experiment_id=state["exp"], run_name="onnx") as run:
        info = mlflow.onnx.log_model(model, "model", pip_requirements=["onnx"])
        state["onnx_run"] = run.info.run_id
    files = sorted(f.path for f in client.list_artifacts(state["onnx_run"], "model"))
    expect("model/MLmodel" in files and "model/model.onnx" in files, files)
    loaded = mlflow.onnx.load_model(info.model_uri)
    expect(loaded.graph.node[0].op_type == "Relu", "loaded back")
    import json

    history = json.loads(client.get_run(state["onnx_run"]).data.tags["mlflow.log-model.history"])
    expect([h["artifact_path"] for h in history] == ["model"], history)
    return info.model_uri


for name, fn in [
    ("mlflow.log_artifact / log_artifacts / log_text and MlflowClient.list_artifacts", log_artifacts_and_list),
    ("mlflow.artifacts.download_artifacts / MlflowClient.download_artifacts / load_text", download_artifacts),
    ("artifacts/list ../ and a double-encoded upload path -> 400 Invalid path", artifact_traversal_refused),
    ("log_artifact with proxied multipart upload on: MLflow's 501, then the client's PUT", multipart_falls_back),
    ("mlflow.onnx.log_model and load_model", log_onnx_model),
]:
    check(name, fn)

# ---------------------------------------------------------------- datasets and inputs


def log_inputs():
    from mlflow.entities import Dataset, DatasetInput, InputTag

    ds = Dataset(name="frames-e2e", digest="d1g3st", source_type="http", source='{"url": "https://example.invalid/frames.csv"}', schema='{"mlflow_colspec": []}', profile='{"num_rows": 3}')
    client.log_inputs(state["art_run"], [DatasetInput(ds, [InputTag("mlflow.data.context", "training")])])
    run = client.get_run(state["art_run"])
    inputs = run.inputs.dataset_inputs
    expect(len(inputs) == 1 and inputs[0].dataset.name == "frames-e2e" and inputs[0].dataset.digest == "d1g3st", inputs)
    expect([(t.key, t.value) for t in inputs[0].tags] == [("mlflow.data.context", "training")], inputs[0].tags)
    found = client.search_runs([state["exp"]], filter_string=f"attributes.run_id = '{state['art_run']}'")
    expect(found[0].inputs.dataset_inputs[0].dataset.profile == '{"num_rows": 3}', "inputs in search_runs")


def fluent_log_input():
    try:
        import numpy as np
        import mlflow.data.numpy_dataset  # noqa: F401 - MLflow exports from_numpy only when this imports (it needs pandas)
    except ImportError as e:
        return f"skipped: numpy datasets unavailable here ({e})"
    dataset = mlflow.data.from_numpy(np.arange(12, dtype="float32").reshape(3, 4), source="https://example.invalid/x.npy", name="arange")
    with mlflow.start_run(experiment_id=state["exp"], run_name="dataset") as run:
        mlflow.log_input(dataset, context="eval")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    expect([(i.dataset.name, i.dataset.digest, i.tags[0].value) for i in inputs] == [("arange", dataset.digest, "eval")], inputs)


def ajax(method, path, **kw):
    import requests

    base = os.environ["MLFLOW_TRACKING_URI"].rstrip("/")
    headers = {"Authorization": f"Bearer {os.environ['MLFLOW_TRACKING_TOKEN']}"}
    return requests.request(method, f"{base}/ajax-api/2.0/mlflow/{path}", headers=headers, timeout=30, **kw)


def search_datasets():
    r = ajax("POST", "experiments/search-datasets", json={"experiment_ids": [state["exp"]]})
    expect(r.status_code == 200, r.text)
    summaries = r.json()["dataset_summaries"]
    expect({"experiment_id": state["exp"], "name": "frames-e2e", "digest": "d1g3st", "context": "training"} in summaries, summaries)


for name, fn in [
    ("MlflowClient.log_inputs, inputs in get_run and search_runs", log_inputs),
    ("mlflow.log_input(mlflow.data.from_numpy(...))", fluent_log_input),
    ("/ajax-api experiments/search-datasets", search_datasets),
]:
    check(name, fn)

# ---------------------------------------------------------------- bulk histories (the MLflow UI's chart endpoints)


def history_bulk():
    r = ajax("GET", "metrics/get-history-bulk", params={"run_id": [state["run"]], "metric_key": "curve", "max_results": 10})
    expect(r.status_code == 200 and len(r.json()["metrics"]) == 10 and r.json()["metrics"][0]["run_id"] == state["run"], r.text[:200])
    r = ajax("GET", "metrics/get-history-bulk", params={"metric_key": "curve"})
    expect(r.status_code == 400 and r.json()["message"] == "GetMetricHistoryBulk request must specify at least one run_id.", r.text)


def history_bulk_interval():
    r = ajax("GET", "metrics/get-history-bulk-interval", params={"run_ids": [state["run"]], "metric_key": "curve", "max_results": 5})
    steps = [m["step"] for m in r.json()["metrics"]]
    expect(r.status_code == 200 and 5 <= len(steps) <= 7 and steps == sorted(steps), steps)
    r = ajax("GET", "metrics/get-history-bulk-interval", params={"run_ids": [state["run"]], "metric_key": "curve", "max_results": 2501})
    expect(r.status_code == 400 and r.json()["message"].startswith("max_results must be between 1 and 2500."), r.text)
    return steps


def promptlab_run():
    r = ajax(
        "POST",
        "runs/create-promptlab-run",
        json={
            "experiment_id": state["exp"],
            "prompt_template": "Describe {{event}}",
            "prompt_parameters": [{"key": "event", "value": "rolling stop"}],
            "model_route": "chat",
            "model_input": "Describe rolling stop",
            "model_output": "The vehicle did not stop.",
            "mlflow_version": "2.12.2",
        },
    )
    expect(r.status_code == 200, r.text)
    run = client.get_run(r.json()["run"]["info"]["run_id"])
    expect(run.info.status == "FINISHED" and run.data.params["prompt_template"] == "Describe {{event}}", run.data.params)
    expect(mlflow.artifacts.load_dict(f"runs:/{run.info.run_id}/eval_results_table.json")["columns"] == ["event", "prompt", "output"], "table")


for name, fn in [
    ("/ajax-api metrics/get-history-bulk", history_bulk),
    ("/ajax-api metrics/get-history-bulk-interval (sampled steps)", history_bulk_interval),
    ("/ajax-api runs/create-promptlab-run", promptlab_run),
]:
    check(name, fn)

# ---------------------------------------------------------------- registry semantics


def external_run_version():
    client.create_registered_model(f"E2E external {suffix}")
    ext = "e" * 32
    mv = client.create_model_version(f"E2E external {suffix}", f"runs:/{ext}/model", run_id=ext)
    expect(mv.version == "1" and mv.run_id == ext and mv.status == "READY", mv)


def source_rules():
    name = f"E2E external {suffix}"
    first = expect_error("INVALID_PARAMETER_VALUE", lambda: client.create_model_version(name, "/tmp/model"))
    expect_error("INVALID_PARAMETER_VALUE", lambda: client.create_model_version(name, "s3://bucket/a/../b"))
    expect_error("INVALID_PARAMETER_VALUE", lambda: client.create_model_version(name, "s3://bucket/a/%252E%252E/b"))
    client.create_model_version(name, "s3://bucket/models/m.onnx")
    return first


def models_uri_sources():
    name = f"E2E external {suffix}"
    derived = f"E2E derived {suffix}"
    client.create_registered_model(derived)
    client.set_registered_model_alias(name, "champion", "2")
    for source in (f"models:/{name}/2", f"models:/{name}@champion", f"models:/{name}/latest"):
        mv = client.create_model_version(derived, source)
        expect(mv.source == source, mv.source)
        expect(client.get_model_version_download_uri(derived, mv.version) == "s3://bucket/models/m.onnx", source)
    return expect_error("INVALID_PARAMETER_VALUE", lambda: client.create_model_version(derived, f"models:/{name}/99"))


def onnx_source_copied():
    if "onnx_run" not in state:
        return "skipped: no ONNX run"
    name = f"E2E onnx {suffix}"
    client.create_registered_model(name)
    mv = client.create_model_version(name, f"runs:/{state['onnx_run']}/model", run_id=state["onnx_run"])
    uri = client.get_model_version_download_uri(name, mv.version)
    expect("/api/v1/models/" in uri, f"the registry holds the bytes: {uri}")
    return uri


def search_pages():
    for n in ("a", "B", "c"):
        client.create_registered_model(f"e2e-page-{suffix}-{n}")
    seen, token = [], None
    while True:
        page = client.search_registered_models(filter_string=f"name LIKE 'e2e-page-{suffix}-%'", max_results=1, page_token=token)
        seen += [m.name for m in page]
        token = page.token
        if not token:
            break
    expect(seen == [f"e2e-page-{suffix}-{n}" for n in ("B", "a", "c")], seen)
    found = client.search_registered_models(filter_string=f"name ILIKE 'E2E-PAGE-{suffix}-%'")
    expect(len(found) == 3, [m.name for m in found])


def delete_frees_name():
    name = f"e2e-page-{suffix}-a"
    client.delete_registered_model(name)
    expect_error("RESOURCE_DOES_NOT_EXIST", lambda: client.get_registered_model(name))
    client.create_registered_model(name)
    expect(client.get_registered_model(name).latest_versions == [], "a fresh model")


for name, fn in [
    ("create_model_version with a run_id the portal does not know (external run)", external_run_version),
    ("create_model_version source rules (local path, ../, double-encoded)", source_rules),
    ("create_model_version from models:/ sources (number, alias, latest) shares the named version's storage", models_uri_sources),
    ("create_model_version from an ONNX run artifact copies the bytes into the registry", onnx_source_copied),
    ("search_registered_models LIKE / ILIKE with page tokens", search_pages),
    ("delete_registered_model: get -> RESOURCE_DOES_NOT_EXIST, name free again", delete_frees_name),
]:
    check(name, fn)

# ---------------------------------------------------------------- cleanup of the experiment (soft delete)


def delete_restore_experiment():
    client.delete_experiment(state["exp"])
    expect(client.get_experiment(state["exp"]).lifecycle_stage == "deleted", "deleted")
    client.restore_experiment(state["exp"])
    client.rename_experiment(state["exp"], f"e2e-client-{suffix}-done")
    expect(client.get_experiment(state["exp"]).name.endswith("-done"), "renamed")


check("MlflowClient.delete_experiment / restore_experiment / rename_experiment", delete_restore_experiment)

passed = sum(1 for _, ok in results if ok is True)
skipped = sum(1 for _, ok in results if ok is None)
failed = sum(1 for _, ok in results if ok is False)
print(f"{passed} passed, {skipped} skipped, {failed} failed")
sys.exit(1 if failed else 0)
