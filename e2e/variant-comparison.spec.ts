// "Variant vs parent" as an engineer uses it: an int8 variant of the FCW v2 detector, compared with its parent on the
// evaluation frames; the table shows size, Node latency, output difference and safety metrics for both. A viewer sees
// why they cannot start it. Screenshots at 1280 and 390 px go to docs/variants/ for a person to look at.
import path from "node:path";
import { expect, expectHydrated, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "variants");

test("an engineer compares an int8 variant of FCW v2 with its parent: size, latency and accuracy for both", async ({ signedInPage }) => {
  test.setTimeout(480_000);
  const page = await signedInPage("engineer");
  await page.goto("/models/forward-collision-warning/versions/2");
  const make = page.getByRole("button", { name: "Make an int8 variant" });
  await expectHydrated(make);
  await make.click();
  await page.waitForURL((u) => /\/models\/forward-collision-warning\/versions\/\d+$/.test(u.pathname) && !u.pathname.endsWith("/versions/2"), {
    timeout: 180_000,
  });
  const n = Number(page.url().split("/").pop());
  const panel = page.getByRole("region", { name: "Variant vs parent" });
  await expect(panel.getByText(/Not compared yet/)).toBeVisible();

  // A viewer sees the same empty state, with the button disabled and the reason in words.
  const viewer = await signedInPage("viewer");
  await viewer.goto(`/models/forward-collision-warning/versions/${n}`);
  const viewerPanel = viewer.getByRole("region", { name: "Variant vs parent" });
  await expect(viewerPanel.getByRole("button", { name: "Compare with parent" })).toBeDisabled();
  await expect(viewerPanel.getByText(/ask an engineer or an admin to start it/)).toBeVisible();

  const compare = panel.getByRole("button", { name: "Compare with parent" });
  await expectHydrated(compare);
  await compare.click();
  await expect(panel.getByRole("status")).toContainText(/Running v2 and v\d+ in onnxruntime-node/);
  const table = panel.getByRole("table", { name: `v${n} beside its parent v2` });
  await expect(table).toBeVisible({ timeout: 300_000 });
  await expect(table.getByRole("columnheader", { name: "v2 (parent)" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: `v${n} (variant)` })).toBeVisible();
  const row = (name: string | RegExp) => table.getByRole("row").filter({ has: page.getByRole("rowheader", { name }) });
  await expect(row("File size")).toContainText(/0\.[0-4]\dx/);
  await expect(row("Inference p50 (Node)")).toContainText(/\d ms.*\d ms/);
  await expect(row("Inference p95 (Node)")).toContainText(/ms/);
  await expect(row("Session load (Node)")).toContainText(/ms/);
  await expect(row(/^Box agreement/)).toContainText(/matched/);
  await expect(row("Pedestrian warning: recall")).toContainText(/%\s*\[[\d.]+, [\d.]+\].*%\s*\[[\d.]+, [\d.]+\]/);
  await expect(row("Forward collision warning: precision")).toContainText(/%/);
  await expect(panel.getByText(/N = 96 timed runs per version after 3 warm-up runs/)).toBeVisible();
  await expect(panel.getByRole("link", { name: "Browser latency in the playground" })).toHaveAttribute(
    "href",
    `/models/forward-collision-warning/versions/${n}/playground`,
  );

  // The variant's own evaluation is recorded, so its version page shows safety numbers like any version's.
  await page.reload();
  await expect(page.getByText(/Source: evaluation on fcw-eval-v1/)).toBeVisible();
  await expect(panel.getByRole("table")).toBeVisible();

  for (const size of [
    { name: "desktop", width: 1280, height: 900 },
    { name: "phone", width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(shots, `variant-vs-parent-${size.name}.png`) });
  }
});
