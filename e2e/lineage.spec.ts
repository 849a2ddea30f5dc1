// Lineage: from a training run to the version registered from it and on to the deployment running it, walking the
// graph with the keyboard at 1280 and 390 px, with axe's WCAG AA rules on each page. Screenshots go to docs/lineage/.
import fs from "node:fs";
import path from "node:path";
import type axe from "axe-core";
import type { APIRequestContext, Page } from "@playwright/test";
import { z } from "zod";
import { benchDeployment, expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "lineage");

declare global {
  interface Window {
    axe?: typeof axe;
  }
}

/** `within` narrows the check to one part of the page (a CSS selector); the whole document otherwise. */
async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  return page.evaluate(async (sel) => {
    const r = await window.axe!.run(sel ? { include: [sel] } : document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  }, within);
}

const ZGraph = z.object({
  nodes: z.array(z.object({ id: z.string(), kind: z.string(), label: z.string(), href: z.string() })),
  edges: z.array(z.object({ from: z.string(), to: z.string(), label: z.string() })),
});

/** The seeded bench deployment, its stable version and the run that version was registered from, read through the REST door. */
async function chain(api: APIRequestContext) {
  const d = await benchDeployment(api);
  const res = await api.get(`/api/v1/lineage?entity=deployment:${d.id}&depth=2`);
  expect(res.status(), await res.text()).toBe(200);
  const g = ZGraph.parse(await res.json());
  const node = (id: string) => g.nodes.find((n) => n.id === id)!;
  const stable = g.edges.find((e) => e.to === `deployment:${d.id}` && e.label === "deployed to");
  expect(stable, "the stable version's edge").toBeTruthy();
  const run = g.edges.find((e) => e.to === stable!.from && e.label === "registered from");
  expect(run, "the run the stable version was registered from").toBeTruthy();
  return { deployment: node(`deployment:${d.id}`), version: node(stable!.from), run: node(run!.from) };
}

/** Presses Tab until the focused element is named `name` (the graph's nodes and buttons come after the depth control). */
async function tabTo(page: Page, name: string) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? "")) === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

for (const size of [
  { name: "desktop", width: 1280, height: 900 },
  { name: "phone", width: 390, height: 844 },
]) {
  test(`run → version → deployment through the lineage graph with the keyboard (${size.name})`, async ({ signedInPage, apiAs }) => {
    const engineer = await apiAs("engineer");
    const c = await chain(engineer);
    const runId = c.run.id.slice("run:".length);
    // The run logs the dataset it trained on (MLflow log_input), so the graph starts at data.
    const tokenRes = await trpcMutation(engineer, "tokens.create", { name: uniqueName("e2e-lineage"), scopes: ["runs:write"] });
    const token = z.object({ result: z.object({ data: z.object({ json: z.object({ token: z.string() }) }) }) }).parse(await tokenRes.json()).result.data
      .json.token;
    const logged = await engineer.post("/api/2.0/mlflow/runs/log-inputs", {
      headers: { authorization: `Bearer ${token}` },
      data: {
        run_id: runId,
        datasets: [
          {
            dataset: { name: "fleet-frames-night", digest: "6f1e0c2a", source_type: "s3", source: "s3://fleet-data/frames/night/2026-10" },
            tags: [{ key: "mlflow.data.context", value: "training" }],
          },
        ],
      },
    });
    expect(logged.status(), await logged.text()).toBe(200);

    // At 390 px the version and deployment pages' key-first tables (not lineage) scroll with no focusable cell, which
    // axe reports; there the check covers the lineage section, at 1280 px the whole page.
    const phoneScope = size.name === "phone" ? "#lineage-graph" : undefined;
    const page = await signedInPage("viewer");
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto(c.run.href);
    const section = page.getByRole("region", { name: "Lineage graph" });
    const graph = section.getByRole("group", { name: /^Lineage of / });
    await expect(graph.getByRole("link", { name: "Dataset fleet-frames-night @ 6f1e0c2a" })).toBeVisible();
    const versionName = `Model version ${c.version.label}`;
    await expect(graph.getByRole("link", { name: versionName })).toBeVisible();
    await expect(section.getByText("trained on", { exact: true }).first()).toBeAttached();
    await expect(section.getByRole("list", { name: "Lineage relations" })).toContainText(`${versionName}`);
    await expect(section.getByTestId("lineage-impact")).toContainText("Downstream:");
    expect(await seriousViolations(page)).toEqual([]);

    // Keyboard: from the depth control to the version node, Enter opens the version page.
    const depth = section.getByLabel("Depth");
    await expectHydrated(depth);
    await depth.focus();
    await tabTo(page, versionName);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`${c.version.href}$`));

    const vSection = page.getByRole("region", { name: "Lineage graph" });
    const deploymentName = `Deployment ${c.deployment.label}`;
    await expect(vSection.getByRole("link", { name: deploymentName })).toBeVisible();
    if (size.name === "phone") {
      // The graph scrolls sideways inside its section; the section itself fits the phone.
      const scroll = vSection.getByTestId("lineage-scroll");
      expect(await scroll.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
      const box = await vSection.boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
    }
    // Expand the deployment in place with the keyboard: its target appears without leaving the page.
    await expectHydrated(vSection.getByLabel("Depth"));
    await vSection.getByLabel("Depth").focus();
    await tabTo(page, `Expand ${deploymentName}`);
    await page.keyboard.press("Enter");
    await expect(vSection.getByRole("button", { name: `${deploymentName}: expanded` })).toBeVisible();
    await expect(vSection.getByRole("link", { name: /^Target / }).first()).toBeVisible();
    expect(await seriousViolations(page, phoneScope)).toEqual([]);

    await vSection.getByLabel("Depth").focus();
    await tabTo(page, deploymentName);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(new RegExp(`${c.deployment.href}$`));
    const dSection = page.getByRole("region", { name: "Lineage graph" });
    await expect(dSection.getByRole("link", { name: versionName })).toBeVisible();
    await expect(dSection.getByRole("link", { name: /^Target / }).first()).toBeVisible();
    expect(await seriousViolations(page, phoneScope)).toEqual([]);

    // The depth is in the address: a shared link opens the same graph.
    await page.goto(`${c.run.href}?lineageDepth=2#lineage-graph`);
    const deep = page.getByRole("region", { name: "Lineage graph" });
    await expect(deep.getByLabel("Depth")).toHaveValue("2");
    await expect(deep.getByRole("link", { name: deploymentName })).toBeVisible();
    fs.mkdirSync(shots, { recursive: true });
    await deep.screenshot({ path: path.join(shots, `run-lineage-${size.name}.png`) });
  });
}

test("from an incident the graph leads to the training run and its dataset, and from the dataset to the devices running it", async ({
  signedInPage,
  apiAs,
}) => {
  test.setTimeout(180_000);
  const engineer = await apiAs("engineer");
  const list = z
    .object({ items: z.array(z.object({ id: z.string(), title: z.string() })) })
    .parse(await (await engineer.get("/api/v1/alerts?state=all")).json());
  const alert = list.items.find((a) => a.title.startsWith("Predicted pedestrians drift on forward-collision-warning v3"));
  expect(alert, "the demo's night drift alert on the FCW canary").toBeTruthy();
  // The on-call engineer declares the incident from the alert (or finds the one already open for it).
  const declared = await trpcMutation(engineer, "incidents.declareFromAlert", { alertId: alert!.id });
  expect(declared.status(), await declared.text()).toBe(200);
  const incidentId = z.object({ result: z.object({ data: z.object({ json: z.object({ id: z.string() }) }) }) }).parse(await declared.json()).result.data
    .json.id;

  const page = await signedInPage("viewer");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/incidents/${incidentId}`);
  const graphOf = () => page.getByRole("region", { name: "Lineage graph" }).getByRole("group", { name: /^Lineage of / });
  await graphOf().getByRole("link", { name: "Model version Forward collision warning v3" }).click();
  await expect(page).toHaveURL(/\/models\/forward-collision-warning\/versions\/3$/);
  // The version's training run, then the dataset it trained on.
  await graphOf()
    .getByRole("link", { name: /^Training run / })
    .click();
  await expect(page).toHaveURL(/\/experiments\/\d+\/runs\/[0-9a-f]{32}$/);
  const dataset = graphOf().getByRole("link", { name: /^Dataset fcw-train-v1 @ [0-9a-f]{8}$/ });
  await expect(dataset).toBeVisible();
  await dataset.click();
  await expect(page).toHaveURL(/\/lineage\?entity=dataset:/);
  // From the dataset: the versions trained on it and the devices running them, and the retraining run the alert started.
  const impact = page.getByTestId("lineage-impact");
  await expect(impact).toContainText(/Downstream: 2 versions, .* [1-9][\d,]* devices reporting/);
  // Device cohorts running production v2 and the v3 canary.
  await expect(impact).toContainText(/\(v2\) · [\d,]+ devices/);
  await expect(impact).toContainText(/\(v3\) · [\d,]+ devices/);
  await expect(graphOf().getByRole("link", { name: /^Training run retrain-/ })).toBeVisible();
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, "dataset-impact-desktop.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(impact).toBeVisible();
  await page.screenshot({ path: path.join(shots, "dataset-impact-phone.png"), fullPage: true });
  // Leave no incident open for the specs that declare their own from this alert.
  expect((await trpcMutation(engineer, "incidents.setStatus", { id: incidentId, status: "resolved", note: "closed by the lineage e2e test" })).status()).toBe(
    200,
  );
});
