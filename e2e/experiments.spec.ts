// Experiments in the browser: the runs table (filter with positioned errors, sort, columns, all in the URL),
// selecting runs into compare with its parallel-coordinates chart, and registering a model version from a run.
import type { APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { expect, expectHydrated, origin, test, trpcMutation, uniqueName } from "./fixtures";

type Seeded = { experimentId: string; runs: { name: string; id: string; lr: string; acc: number }[] };

/** An experiment with six finished runs logged through the MLflow REST door with a fresh runs:write token. */
async function seedExperiment(api: APIRequestContext): Promise<Seeded> {
  const tokenRes = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-exp"), scopes: ["runs:write"] });
  expect(tokenRes.status()).toBe(200);
  const token = z.object({ result: z.object({ data: z.object({ json: z.object({ token: z.string() }) }) }) }).parse(await tokenRes.json()).result.data
    .json.token;
  const mlflow = async (path: string, data: unknown) => {
    const res = await api.post(`/api/2.0/mlflow/${path}`, { data, headers: { authorization: `Bearer ${token}` } });
    expect(res.status(), `${path}: ${await res.text()}`).toBe(200);
    return res.json();
  };
  const { experiment_id: experimentId } = z.object({ experiment_id: z.string() }).parse(await mlflow("experiments/create", { name: uniqueName("e2e-sweep") }));
  const runs: Seeded["runs"] = [];
  const t0 = Date.UTC(2026, 0, 5, 9);
  for (let i = 0; i < 6; i++) {
    const name = `sweep-${i}`;
    const lr = ["0.1", "0.01", "0.001"][i % 3];
    const acc = Number((0.3 + i * 0.1).toFixed(2));
    const created = z
      .object({ run: z.object({ info: z.object({ run_id: z.string() }) }) })
      .parse(await mlflow("runs/create", { experiment_id: experimentId, run_name: name, start_time: t0 + i * 60_000 }));
    const id = created.run.info.run_id;
    await mlflow("runs/log-batch", {
      run_id: id,
      params: [
        { key: "lr", value: lr },
        { key: "backbone", value: i % 2 ? "resnet18" : "mobilenetv3" },
      ],
      metrics: Array.from({ length: 10 }, (_, s) => [
        { key: "acc", value: Number(((acc * (s + 1)) / 10).toFixed(4)), timestamp: t0 + i * 60_000 + s * 1000, step: s },
        { key: "loss", value: Number((2 / (s + 1) + 1 - acc).toFixed(4)), timestamp: t0 + i * 60_000 + s * 1000, step: s },
      ]).flat(),
    });
    await mlflow("runs/update", { run_id: id, status: "FINISHED", end_time: t0 + i * 60_000 + 20_000 });
    runs.push({ name, id, lr, acc });
  }
  return { experimentId, runs };
}

const total = (page: import("@playwright/test").Page) => page.getByTestId("runs-total");
const bodyRows = (page: import("@playwright/test").Page) => page.getByRole("rowgroup", { name: "All runs" }).getByRole("row");

test("filter, sort and choose columns in the runs table; the URL reproduces the view", async ({ signedInPage, apiAs }) => {
  const seeded = await seedExperiment(await apiAs("engineer"));
  const page = await signedInPage("viewer");
  await page.goto(`/experiments/${seeded.experimentId}`);
  await expect(total(page)).toHaveText("6 runs");

  const filter = page.getByRole("combobox", { name: "Filter runs" });
  await expectHydrated(filter);
  // A syntax error is shown at the parser's position, and the table says why it is empty.
  await filter.fill("metrics.acc >");
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(page.getByRole("search", { name: "Filter runs" }).getByRole("alert")).toContainText("Invalid filter at position 13");
  await expect(total(page)).toHaveText("No runs (fix the filter)");

  await filter.fill("metrics.acc > 0.5 and params.lr = '0.01'");
  await page.getByRole("button", { name: "Apply filter" }).click();
  await expect(total(page)).toHaveText("1 runs");
  await expect(bodyRows(page)).toHaveCount(1);
  await expect(bodyRows(page).first()).toContainText("sweep-4");
  expect(new URL(page.url()).searchParams.get("filter")).toBe("metrics.acc > 0.5 and params.lr = '0.01'");

  await page.getByRole("button", { name: "Clear", exact: true }).click();
  await expect(total(page)).toHaveText("6 runs");

  // Sort by the acc column: metrics start largest first, then flip.
  const accHeader = page.getByRole("columnheader", { name: /^metrics\.acc/ });
  await accHeader.getByRole("button").click();
  await expect(accHeader).toHaveAttribute("aria-sort", "descending");
  await expect(bodyRows(page).first()).toContainText("sweep-5");
  await accHeader.getByRole("button").click();
  await expect(accHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(bodyRows(page).first()).toContainText("sweep-0");

  // Choose a tag column through the searchable chooser.
  await page.getByRole("button", { name: /^Columns/ }).click();
  const dialog = page.getByRole("dialog", { name: "Choose columns" });
  await dialog.getByRole("searchbox", { name: "Search columns" }).fill("run_id");
  const runIdBox = dialog.getByRole("checkbox", { name: "attributes.run_id" });
  await runIdBox.click();
  await expect(runIdBox).toBeChecked();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("columnheader", { name: "attributes.run_id" })).toBeVisible();
  await expect(bodyRows(page).first()).toContainText(seeded.runs[0].id);

  // A fresh page on the same URL shows the same view.
  const url = page.url();
  expect(new URL(url).searchParams.get("order")).toBe("m:acc asc");
  const again = await signedInPage("viewer");
  await again.goto(url);
  await expect(again.getByRole("columnheader", { name: "attributes.run_id" })).toBeVisible();
  await expect(again.getByRole("columnheader", { name: /^metrics\.acc/ })).toHaveAttribute("aria-sort", "ascending");
  await expect(bodyRows(again).first()).toContainText("sweep-0");
});

test("select runs with shift-click and compare them with parallel coordinates", async ({ signedInPage, apiAs }) => {
  const seeded = await seedExperiment(await apiAs("engineer"));
  const page = await signedInPage("viewer");
  await page.goto(`/experiments/${seeded.experimentId}?order=${encodeURIComponent("a:run_name asc")}`);
  await expect(total(page)).toHaveText("6 runs");
  const first = page.getByRole("checkbox", { name: "Select sweep-1" });
  await expectHydrated(first);
  await first.click();
  await page.getByRole("checkbox", { name: "Select sweep-3" }).click({ modifiers: ["Shift"] });
  await expect(page.getByRole("checkbox", { name: "Select sweep-2" })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "Select sweep-4" })).not.toBeChecked();

  await page.getByRole("link", { name: "Compare 3 runs" }).click();
  await expect(page).toHaveURL(/\/compare\?runs=/);
  expect(new URL(page.url()).searchParams.get("runs")?.split(",").sort()).toEqual(
    seeded.runs
      .slice(1, 4)
      .map((r) => r.id)
      .sort(),
  );
  await expect(page.getByRole("heading", { name: "Compare 3 runs" })).toBeVisible();
  const parallel = page.getByRole("img", { name: /Parallel coordinates of .*lr.* to acc/ });
  await expect(parallel).toBeVisible();
  await expect(parallel.locator("path")).toHaveCount(3);
  // The diff lists params that differ, and marks the best acc (sweep-3, 0.6).
  const diff = page.getByRole("table", { name: "Run differences" });
  await expect(diff.getByRole("rowheader", { name: "params.lr" })).toBeVisible();
  await expect(diff.getByRole("row", { name: /metrics\.acc/ }).getByLabel("best acc")).toHaveCount(1);
  await expect(page.getByTestId("metric-chart")).toBeVisible();
});

test("register a model version from a run by referencing its artifact, and land on the version", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("engineer");
  const seeded = await seedExperiment(api);
  const slug = uniqueName("e2e-from-run").toLowerCase();
  const created = await api.post("/api/v1/models", {
    data: { slug, name: `From run ${slug}`, team: "perception", task: "detection" },
    headers: { origin: origin() },
  });
  expect(created.status(), await created.text()).toBe(201);

  const run = seeded.runs[5];
  const page = await signedInPage("engineer");
  await page.goto(`/experiments/${seeded.experimentId}/runs/${run.id}`);
  await expect(page.getByRole("heading", { name: new RegExp(run.name) })).toBeVisible();
  await expect(page.getByRole("table", { name: "Parameters" })).toContainText("0.001");
  await expect(page.getByTestId("metric-chart").first()).toBeVisible();

  const open = page.getByRole("button", { name: "Register as model version" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Register as model version" });
  await dialog.getByLabel("Model", { exact: true }).selectOption(slug);
  await expect(dialog).toContainText(`runs:/${run.id}/model`);
  await dialog.getByRole("button", { name: "Register version" }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${slug}/versions/1$`));

  const version = await api.get(`/api/v1/models/${slug}/versions/1`);
  const body = z.object({ lineage: z.object({ sourceRunId: z.string() }), metrics: z.record(z.string(), z.number()) }).parse(await version.json());
  expect(body.lineage.sourceRunId).toBe(run.id);
  expect(body.metrics.acc).toBeCloseTo(run.acc);

  // The run now links to the version it produced.
  await page.goto(`/experiments/${seeded.experimentId}/runs/${run.id}`);
  await expect(page.getByRole("link", { name: new RegExp(`v1$`) })).toHaveAttribute("href", `/models/${slug}/versions/1`);
});

test("the MLflow door answers with the portal's security headers, also once its calls skip Next's router", async ({ apiAs }) => {
  const api = await apiAs("engineer");
  const tokenRes = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-door"), scopes: ["runs:read"] });
  const token = z.object({ result: z.object({ data: z.object({ json: z.object({ token: z.string() }) }) }) }).parse(await tokenRes.json()).result.data
    .json.token;
  // The first call may load the route through Next; the later ones are answered by scripts/direct-door.mjs.
  for (let i = 0; i < 3; i++) {
    const res = await api.get("/api/2.0/mlflow/experiments/get-by-name?experiment_name=Default", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ experiment: { experiment_id: "0", name: "Default" } });
    const h = res.headers();
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(h["content-type"]).toBe("application/json");
  }
  const unknown = await api.post("/api/2.0/mlflow/no/such-endpoint", { data: {}, headers: { authorization: `Bearer ${token}` } });
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
  expect(unknown.headers()["x-frame-options"]).toBe("DENY");
});
