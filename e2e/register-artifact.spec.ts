// "Register as model version" from a run's artifact tree: an engineer registers a logged ONNX model
// directory under a new name (a bad name is refused in words first) and follows the link to the
// version; a viewer sees the same control disabled, with the reason written next to it.
import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

const CLASSIFIER = path.resolve(__dirname, "..", "node_modules", "@gutenye", "ocr-models", "assets", "ch_ppocr_mobile_v2.0_cls_infer.onnx");

/** A run with `model/model.onnx` and `model/MLmodel`, logged through the MLflow REST door and its artifact proxy. */
async function runWithOnnx(api: APIRequestContext) {
  const tokenRes = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-reg-artifact"), scopes: ["runs:write"] });
  expect(tokenRes.status()).toBe(200);
  const token = z.object({ result: z.object({ data: z.object({ json: z.object({ token: z.string() }) }) }) }).parse(await tokenRes.json()).result.data
    .json.token;
  const headers = { authorization: `Bearer ${token}` };
  const mlflow = async (p: string, data: unknown) => {
    const res = await api.post(`/api/2.0/mlflow/${p}`, { data, headers });
    expect(res.status(), `${p}: ${await res.text()}`).toBe(200);
    return res.json();
  };
  const { experiment_id: experimentId } = z.object({ experiment_id: z.string() }).parse(await mlflow("experiments/create", { name: uniqueName("e2e-onnx") }));
  const created = z
    .object({ run: z.object({ info: z.object({ run_id: z.string(), artifact_uri: z.string() }) }) })
    .parse(await mlflow("runs/create", { experiment_id: experimentId, run_name: "onnx-export", start_time: Date.now() }));
  const { run_id: runId, artifact_uri: artifactUri } = created.run.info;
  const root = artifactUri.replace(/^mlflow-artifacts:\/*/, "");
  for (const [file, data] of [
    ["model/model.onnx", fs.readFileSync(CLASSIFIER)],
    ["model/MLmodel", Buffer.from("artifact_path: model\nflavors:\n  onnx: {}\n")],
  ] as const) {
    const res = await api.put(`/api/2.0/mlflow-artifacts/artifacts/${root}/${file}`, {
      data,
      headers: { ...headers, "content-type": "application/octet-stream" },
    });
    expect(res.status(), `${file}: ${await res.text()}`).toBe(200);
  }
  return { experimentId, runId };
}

test("an engineer registers a run's ONNX model directory as a new model and lands on the version", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("engineer");
  const { experimentId, runId } = await runWithOnnx(api);
  const page = await signedInPage("engineer");
  await page.goto(`/experiments/${experimentId}/runs/${runId}`);

  const open = page.getByRole("button", { name: "Register model as a model version" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Register as model version" });
  await dialog.getByRole("radio", { name: "A new model" }).check();
  const nameInput = dialog.getByLabel("New model name");
  await nameInput.fill("vision/classifier");
  await dialog.getByRole("button", { name: "Register version" }).click();
  await expect(dialog.getByRole("alert")).toContainText("cannot contain a slash");

  const name = uniqueName("Text direction classifier");
  await nameInput.fill(name);
  await dialog.getByRole("button", { name: "Register version" }).click();
  const link = dialog.getByRole("link", { name: `${name} version 1` });
  await expect(link).toBeVisible();
  await link.click();
  await expect(page).toHaveURL(/\/models\/[a-z0-9-]+\/versions\/1$/);
  const slug = /\/models\/([a-z0-9-]+)\/versions\/1$/.exec(page.url())![1];

  // The version holds the ONNX bytes (copied into the registry) and names the run as its source.
  const version = await api.get(`/api/v1/models/${slug}/versions/1`);
  const body = z.object({ lineage: z.object({ sourceRunId: z.string() }), artifact: z.object({ held: z.boolean() }) }).parse(await version.json());
  expect(body.lineage.sourceRunId).toBe(runId);
  expect(body.artifact.held).toBe(true);
});

test("a viewer sees the register control disabled, with the reason in words", async ({ signedInPage, apiAs }) => {
  const { experimentId, runId } = await runWithOnnx(await apiAs("engineer"));
  const page = await signedInPage("viewer");
  await page.goto(`/experiments/${experimentId}/runs/${runId}`);
  const file = page.getByRole("button", { name: "Register model/model.onnx as a model version" });
  await expect(file).toBeDisabled();
  await expect(file).toHaveAccessibleDescription(/needs the engineer role/);
  await expect(page.getByText("Registering an artifact as a model version needs the engineer role")).toBeVisible();
});
