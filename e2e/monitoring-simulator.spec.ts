// The loop a new model goes through: the fleet simulator (real camera-health inferences with
// onnxruntime-node) posts three hours of telemetry with night falling after the first hour; an
// engineer adds a brightness monitor with the first hour as reference, and the drift alert fires with
// its evidence, the slice breakdown naming night time as where it comes from.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { auditRows, expect, expectHydrated, origin, test, trpcMutation, uniqueName } from "./fixtures";

const run = promisify(execFile);
const HOUR = 3600_000;

/** `datetime-local` value in the browser's zone (the test browser and this process share it). */
const localInput = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

test("the simulator's night shift on a new model raises a drift alert with its evidence", async ({ apiAs, signedInPage }) => {
  test.setTimeout(180_000);
  const api = await apiAs("engineer");
  const slug = uniqueName("night-cam");
  expect(
    (
      await api.post("/api/v1/models", {
        data: { slug, name: `Night camera ${slug}`, team: "perception", task: "classification" },
        headers: { origin: origin() },
      })
    ).status(),
  ).toBe(201);
  expect(
    (
      await api.post(`/api/v1/models/${slug}/versions`, {
        data: { artifactUri: "s3://e2e/camera-health.onnx", description: "e2e: telemetry only" },
        headers: { origin: origin() },
      })
    ).status(),
  ).toBe(201);
  const created = await trpcMutation(api, "tokens.create", { name: uniqueName("e2e-sim"), scopes: ["telemetry:write"] });
  const token = ((await created.json()) as { result: { data: { json: { token: string } } } }).result.data.json.token;

  // Windows end now; the simulator starts three hours back, aligned to 5 minutes. Night falls one hour in.
  const started = Date.now();
  const { stdout } = await run(
    "npx",
    [
      "tsx",
      "scripts/simulate-fleet.ts",
      "--url",
      origin(),
      "--token",
      token,
      "--model",
      slug,
      "--version",
      "1",
      "--devices",
      "6",
      "--hours",
      "3",
      "--shift",
      "night",
      "--shift-at",
      "1",
      "--seed",
      "11",
    ],
    { timeout: 120_000 },
  );
  expect(stdout).toMatch(/\d+ windows from 6 devices over 3 h: \d+ stored, 0 retries ignored/);
  const simStart = Math.floor((started - 3 * HOUR) / 300_000) * 300_000;

  const page = await signedInPage("engineer");
  await page.goto(`/monitoring/${slug}`);
  await expect(page.getByText("No drift monitors")).toBeVisible();
  const add = page.getByRole("button", { name: "Add monitor" });
  await expectHydrated(add);
  await add.click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Feature or prediction").selectOption("feature:brightness");
  await dialog.getByLabel("Window").selectOption("30");
  // The reference is the first daylight hour, ending well before the shift.
  await dialog.getByLabel("Reference from").fill(localInput(simStart));
  await dialog.getByLabel("Reference to").fill(localInput(simStart + 50 * 60_000));
  await dialog.getByRole("button", { name: "Add and evaluate" }).click();
  await expect(dialog).toHaveCount(0);

  // Two drifted half-hour windows in a row: pending, then firing, with the numbers that fired it.
  const alert = page.getByTestId("alert-row").filter({ hasText: "Brightness drift on" });
  await expect(alert).toContainText("firing", { timeout: 30_000 });
  await expect(alert).toContainText(/(Wasserstein distance \(normed\)|Kolmogorov-Smirnov p-value) \d/);
  const drift = page.getByRole("region", { name: "Drift" });
  const row = drift.getByRole("row").filter({ hasText: "brightness" }).first();
  await expect(row).toContainText("drift");
  await expect(row).not.toContainText("no drift");
  await expect(page.getByRole("figure", { name: "Reference and current distributions of brightness" })).toBeVisible();
  // Where it comes from: the night slice drifts (the latest window is all night).
  const night = page.getByTestId("slice-row").filter({ hasText: "time of day night" });
  await expect(night).toContainText("drift");
  await expect(night).not.toContainText("no drift");

  // A threshold rule on a serving series: p50 latency above 0.001 ms always breaches, so it fires at once.
  await page.getByRole("button", { name: "Add threshold rule" }).click();
  const ruleDialog = page.getByRole("dialog");
  await ruleDialog.getByLabel("Series").selectOption("latency_p50");
  await ruleDialog.getByLabel(/^Value/).fill("0.001");
  await ruleDialog.getByLabel("For (min)").fill("0");
  await ruleDialog.getByRole("button", { name: "Add rule" }).click();
  await expect(ruleDialog).toHaveCount(0);
  await expect(page.getByTestId("threshold-rule").filter({ hasText: "latency p50 above 0.001 ms" })).toBeVisible();
  await page.getByRole("button", { name: "Evaluate now" }).click();
  const latencyAlert = page.getByTestId("alert-row").filter({ hasText: `latency p50 of ${slug} above 0.001 ms` });
  await expect(latencyAlert).toContainText("firing", { timeout: 30_000 });
  await expect(latencyAlert.getByRole("img", { name: /Last \d+ windows of latency_p50/ })).toBeVisible();

  // Both alerts are on the alerts page too; the rule's creation is audited.
  await page.goto(`/alerts?state=firing&model=${slug}`);
  await expect(page.getByTestId("alert-row").filter({ hasText: "Brightness drift on" })).toBeVisible();
  await expect(page.getByTestId("alert-row").filter({ hasText: "latency p50" })).toBeVisible();
  const rows = await auditRows(await signedInPage("admin"), { action: "threshold_rule.create" });
  await expect(rows.filter({ hasText: "engineer@example.com" }).first()).toBeVisible();
});
