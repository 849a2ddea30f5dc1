// "Explain" on the playground: occlusion sensitivity of one detection, computed in the worker with a progress bar,
// drawn over the frame, and cancellable.
import path from "node:path";
import { expect, runOnFrame, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "explain");

for (const width of [1280, 390]) {
  test(`explaining a detection draws a map, and a long explanation can be cancelled (${width} px)`, async ({ signedInPage }) => {
    test.setTimeout(420_000);
    const page = await signedInPage("engineer");
    await page.setViewportSize({ width, height: 900 });
    await runOnFrame(page, "/models/ocr-text-detector/versions/1/playground", "urban-day-stop");
    await expect(page.getByRole("list", { name: "Text read" }).first()).toContainText("STOP", { timeout: 120_000 });

    const panel = page.getByRole("region", { name: "Explain a prediction" });
    const prediction = panel.getByLabel("Prediction to explain");
    const stop = (await prediction.locator("option").allInnerTexts()).find((t) => t.includes("STOP"));
    expect(stop, "the STOP sign is among the predictions to explain").toBeDefined();
    await prediction.selectOption({ label: stop! });
    await panel.getByLabel("Patch size").selectOption("96");
    await expect(panel).toContainText("29 forward passes");
    await panel.getByRole("button", { name: "Explain" }).click();
    await expect(panel.getByRole("progressbar", { name: "Explanation progress" })).toBeVisible();
    await expect(panel.getByTestId("explanation")).toContainText("29 forward passes", { timeout: 120_000 });
    await expect(panel.getByTestId("explanation")).toContainText("STOP");
    const canvas = page.locator("canvas[data-explained=true]");
    await expect(canvas).toHaveCount(1);
    await canvas.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, `explain-${width}.png`), fullPage: false });

    // Many passes, then cancel: the bar goes, no error, no stale map.
    await panel.getByLabel("Patch size").selectOption("24");
    await panel.getByRole("checkbox", { name: /Overlap/ }).check();
    await panel.getByRole("button", { name: "Explain" }).click();
    await expect(panel.getByRole("progressbar", { name: "Explanation progress" })).toBeVisible();
    await panel.getByRole("button", { name: "Cancel explanation" }).click();
    await expect(panel.getByRole("progressbar")).toHaveCount(0, { timeout: 60_000 });
    await expect(panel.getByRole("alert")).toHaveCount(0);
    await expect(page.locator("canvas[data-explained=true]")).toHaveCount(0);
    await expect(panel.getByRole("button", { name: "Explain" })).toBeEnabled();

    // A new run while a long explanation computes cancels it: no bar left behind, no map drawn over the new result,
    // and the worker is free for the next explanation. (Once: the width does not change this path.)
    if (width !== 1280) return;
    await panel.getByRole("button", { name: "Explain" }).click();
    await expect(panel.getByRole("progressbar", { name: "Explanation progress" })).toBeVisible();
    await page.getByRole("button", { name: "Run model" }).click();
    await expect(page.getByRole("list", { name: "Text read" }).first()).toContainText("STOP", { timeout: 120_000 });
    await expect(panel.getByRole("progressbar")).toHaveCount(0, { timeout: 60_000 });
    await expect(panel.getByRole("alert")).toHaveCount(0);
    await expect(page.locator("canvas[data-explained=true]")).toHaveCount(0);
    await panel.getByLabel("Patch size").selectOption("96");
    await panel.getByRole("checkbox", { name: /Overlap/ }).uncheck();
    await panel.getByRole("button", { name: "Explain" }).click();
    await expect(panel.getByTestId("explanation")).toContainText("96 px patch", { timeout: 120_000 });
    await expect(page.locator("canvas[data-explained=true]")).toHaveCount(1);
  });
}
