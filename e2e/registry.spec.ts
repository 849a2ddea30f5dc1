// The model registry in the browser: an engineer creates a model, uploads real ONNX files through the dialog
// (progress, signature, breaking change against production), sets aliases, compares and downloads; the server's
// reason for refusing a file reaches the dialog; a viewer gets no editing controls.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as ortNode from "onnxruntime-node";
import { expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";
import type { Page } from "@playwright/test";

const ASSETS = path.resolve(__dirname, "..", "node_modules", "@gutenye", "ocr-models", "assets");
const CLASSIFIER = path.join(ASSETS, "ch_ppocr_mobile_v2.0_cls_infer.onnx");
const DETECTOR = path.join(ASSETS, "ch_PP-OCRv4_det_infer.onnx");

const sha256 = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

async function inputNames(file: string): Promise<readonly string[]> {
  const session = await ortNode.InferenceSession.create(file);
  const names = session.inputNames;
  await session.release();
  return names;
}

type Progress = { shown: boolean; values: number[] };

/**
 * Records, inside the page, every value the upload progress bar reports. On loopback the bar can come and go between
 * two polls of an assertion, so it is watched with a MutationObserver; the upload's client-side navigation keeps
 * the window, so the record survives until it is read.
 */
async function watchUploadProgress(page: Page): Promise<() => Promise<Progress>> {
  await page.evaluate(() => {
    const seen: Progress = { shown: false, values: [] };
    (window as unknown as { __uploadProgress: Progress }).__uploadProgress = seen;
    const look = () => {
      const bar = document.querySelector('[role="progressbar"][aria-label="Upload progress"]');
      if (!bar) return;
      seen.shown = true;
      const now = Number(bar.getAttribute("aria-valuenow"));
      if (seen.values.at(-1) !== now) seen.values.push(now);
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-valuenow"] });
  });
  return () => page.evaluate(() => (window as unknown as { __uploadProgress: Progress }).__uploadProgress);
}

/** Opens "Upload version" on the model page, sends `file` and waits for the new version's page. */
async function uploadVersion(page: Page, slug: string, file: string, version: number): Promise<Progress> {
  await page.goto(`/models/${slug}`);
  const open = page.getByRole("button", { name: "Upload version" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Upload a new version" });
  await dialog.getByLabel("ONNX file").setInputFiles(file);
  await expect(dialog.getByTestId("upload-selected")).toContainText(path.basename(file));
  await dialog.getByLabel("Description (optional)").fill(`e2e upload of ${path.basename(file)}`);
  const progress = await watchUploadProgress(page);
  await dialog.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${slug}/versions/${version}$`), { timeout: 60_000 });
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`v${version}`);
  return progress();
}

async function setAlias(page: Page, alias: string) {
  const name = page.getByLabel("Alias name");
  await expectHydrated(name);
  await name.fill(alias);
  await page.getByRole("button", { name: "Set alias" }).click();
  await expect(page.getByRole("list", { name: "Aliases of this version" }).getByText(alias, { exact: true })).toBeVisible();
}

test("an engineer creates a model, uploads two versions, sets aliases, compares and downloads", async ({ signedInPage }) => {
  test.setTimeout(240_000);
  const slug = uniqueName("e2e-reg");
  const page = await signedInPage("engineer");

  // Create the model through its dialog.
  await page.goto("/models");
  const create = page.getByRole("button", { name: "Create model" });
  await expectHydrated(create);
  await create.click();
  const dialog = page.getByRole("dialog", { name: "Create a model" });
  await dialog.getByLabel("Slug").fill(slug);
  await dialog.getByLabel("Name").fill(`E2E ${slug}`);
  await dialog.getByLabel("Team").fill("perception");
  await dialog.getByLabel("Task").selectOption("classification");
  await dialog.getByRole("button", { name: "Create model" }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${slug}$`));
  await expect(page.getByText("No versions yet")).toBeVisible();

  // v1: the text-direction classifier. The bar appears and reaches 100 before the version page opens.
  const p1 = await uploadVersion(page, slug, CLASSIFIER, 1);
  console.log(`v1 upload progress values: ${p1.values.join(", ")}`);
  expect(p1.shown).toBe(true);
  expect(Math.max(...p1.values)).toBe(100);

  // The signature parsed by the server names the input the real runtime sees.
  expect(await inputNames(CLASSIFIER)).toEqual(["x"]);
  const signature = page.getByRole("table", { name: "Signature: inputs and outputs" });
  const input = signature.getByRole("row").filter({ has: page.getByRole("cell", { name: "x", exact: true }) });
  await expect(input).toHaveCount(1);
  await expect(input.getByRole("cell").first()).toHaveText("input");
  await expect(input).toContainText("float32");

  // Aliases on the version page: staging, then production (which the next upload is checked against).
  await setAlias(page, "staging");
  await setAlias(page, "production");

  // Download: the bytes equal the file sent and the SHA-256 the page shows.
  const artifact = page.getByRole("region", { name: "Artifact" });
  const shown = (await artifact.locator("dd code").first().innerText()).trim();
  const original = fs.readFileSync(CLASSIFIER);
  expect(shown).toBe(sha256(original));
  const [download] = await Promise.all([page.waitForEvent("download"), artifact.getByRole("link", { name: /^Download/ }).click()]);
  expect(download.suggestedFilename()).toBe(path.basename(CLASSIFIER));
  const downloaded = fs.readFileSync(await download.path());
  expect(downloaded.length).toBe(original.length);
  expect(sha256(downloaded)).toBe(shown);

  // v2: the detector, whose signature differs from production (v1).
  const p2 = await uploadVersion(page, slug, DETECTOR, 2);
  console.log(`v2 upload progress values: ${p2.values.join(", ")}`);
  expect(p2.shown).toBe(true);
  expect(Math.max(...p2.values)).toBe(100);
  const banner = page.getByRole("alert").filter({ hasText: "Breaking change against" });
  await expect(banner).toContainText("Breaking change against v1 (production when this version was registered)");
  await expect(banner.getByRole("listitem").first()).toBeVisible();

  // The model page marks v2, and only v2, as breaking.
  await page.goto(`/models/${slug}`);
  const rowOf = (n: number) => page.getByRole("row").filter({ has: page.getByRole("link", { name: `v${n}`, exact: true }) });
  await expect(rowOf(2)).toContainText("breaking change");
  await expect(rowOf(1)).not.toContainText("breaking change");
  await expect(rowOf(1)).toContainText("production");
  await expect(rowOf(1)).toContainText("staging");

  // Compare v1 with v2 from v2's page: differences are highlighted, equal rows are not.
  await page.goto(`/models/${slug}/versions/2`);
  await page.getByRole("link", { name: "Compare with v1" }).click();
  await expect(page).toHaveURL(new RegExp(`/models/${slug}/compare\\?a=1&b=2$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("v1 → v2");
  await expect(page.getByRole("region", { name: "Signature changes" }).getByRole("alert")).toContainText("A caller of v1 would notice");
  const sigRows = page.getByRole("table", { name: "Signature", exact: true }).getByRole("row");
  // Both take x with the same symbolic shape; their outputs are named differently.
  await expect(sigRows.filter({ hasText: "input x" })).not.toContainText("differs");
  await expect(
    sigRows
      .filter({ hasText: /^output / })
      .filter({ hasText: "differs" })
      .first(),
  ).toBeVisible();
  const overview = page.getByRole("table", { name: "Overview" }).getByRole("row");
  await expect(overview.filter({ hasText: "SHA-256" })).toContainText("differs");
  await expect(overview.filter({ hasText: "Status" })).not.toContainText("differs");
});

test("a file that is not ONNX shows the server's reason and creates no version", async ({ signedInPage, apiAs }) => {
  const slug = uniqueName("e2e-reg-bad");
  const api = await apiAs("engineer");
  const created = await trpcMutation(api, "registry.createModel", { slug, name: `E2E ${slug}`, team: "perception", task: "classification" });
  expect(created.status()).toBe(200);

  const page = await signedInPage("engineer");
  await page.goto(`/models/${slug}`);
  const open = page.getByRole("button", { name: "Upload version" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Upload a new version" });
  await dialog
    .getByLabel("ONNX file")
    .setInputFiles({ name: "notes.onnx", mimeType: "application/octet-stream", buffer: Buffer.from("These are release notes, not a model.\n") });
  await dialog.getByRole("button", { name: "Upload", exact: true }).click();
  await expect(dialog.getByText("This is not an ONNX model: it looks like a text file")).toBeVisible();
  // The dialog is usable again and nothing was registered.
  await expect(dialog.getByRole("button", { name: "Upload", exact: true })).toBeEnabled();
  await dialog.getByRole("button", { name: "Cancel", exact: true }).click();
  await expect(dialog).toBeHidden();
  const versions = await api.get(`/api/v1/models/${slug}/versions`);
  expect(versions.status()).toBe(200);
  expect(((await versions.json()) as { items: unknown[] }).items).toHaveLength(0);
});

test("a viewer sees no create, upload or alias controls", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/models");
  await expect(page.getByRole("heading", { name: "Models", level: 1 })).toBeVisible();
  await expect(page.getByRole("table")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create model" })).toHaveCount(0);

  await page.goto("/models/camera-health");
  await expect(page.getByRole("link", { name: "v1", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Upload version" })).toHaveCount(0);

  await page.goto("/models/camera-health/versions/1");
  await expect(page.getByRole("region", { name: "Summary", exact: true })).toBeVisible();
  await expect(page.getByLabel("Alias name")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Set alias" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove alias/ })).toHaveCount(0);
});
