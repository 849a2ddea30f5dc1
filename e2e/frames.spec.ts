// The frames browser in the browser: tag filters live in the URL, a frame's page shows its ground truth, an engineer
// uploads an image through the dialog and finds it in the library; a viewer cannot upload.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { z } from "zod";
import { expect, expectHydrated, test, uniqueName } from "./fixtures";
import type { APIRequestContext, Page } from "@playwright/test";

const ZFrameList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      tags: z.array(z.string()),
      groundTruth: z
        .object({ boxes: z.array(z.object({ label: z.string() })).optional(), texts: z.array(z.string()).optional(), class: z.string().optional() })
        .nullable(),
    }),
  ),
  total: z.number(),
});

/** What the REST API lists for a frames query: the page must show the same frames. */
/** The grid's page size: the grid shows the API's first page of this size, newest first. */
const GRID_PAGE = 24;

async function listed(api: APIRequestContext, query: string, pageSize = 200) {
  const res = await api.get(`/api/v1/frames?${query}&pageSize=${pageSize}`);
  expect(res.status()).toBe(200);
  return ZFrameList.parse(await res.json());
}

/** Names of the frames in the grid (each thumbnail's alt text is the frame's name). */
function gridNames(page: Page) {
  return page
    .getByRole("list", { name: "Frames" })
    .getByRole("img")
    .evaluateAll((imgs) => imgs.map((i) => i.getAttribute("alt") ?? ""));
}

/** A PNG no earlier run has uploaded: the library refuses the same image twice. */
async function uniquePng(): Promise<string> {
  const w = 96,
    h = 64;
  const px = crypto.randomBytes(w * h * 3);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-frame-")), "dashcam.png");
  await sharp(px, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}

test("the frames browser filters by tag through the URL", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("viewer");
  const page = await signedInPage("viewer");

  const tunnel = await listed(api, "tag=tunnel", GRID_PAGE);
  expect(tunnel.total).toBeGreaterThan(0);
  await page.goto("/frames?tag=tunnel");
  await expect(page.getByRole("list", { name: "Tags" }).getByRole("link", { name: /^tunnel/ })).toHaveAttribute("aria-current", "true");
  await expect.poll(async () => (await gridNames(page)).sort()).toEqual(tunnel.items.map((f) => f.name).sort());
  expect(tunnel.items.every((f) => f.tags.includes("tunnel"))).toBe(true);
  await expect(page.getByRole("img", { name: "urban-day-stop", exact: true })).toHaveCount(0);

  // Two tags, either of them: more frames than one tag alone, exactly those the API lists.
  const either = await listed(api, "tag=tunnel&tag=night&match=any", GRID_PAGE);
  expect(either.total).toBeGreaterThan(tunnel.total);
  await page.goto("/frames?tag=tunnel&tag=night&match=any");
  await expect(page.getByRole("group", { name: "Match tags" }).getByRole("link", { name: "any of these tags" })).toHaveAttribute("aria-current", "true");
  await expect.poll(async () => (await gridNames(page)).sort()).toEqual(either.items.map((f) => f.name).sort());

  // Clearing the filters is a link back to the whole library.
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/frames$/);
  const all = await listed(api, "", GRID_PAGE);
  await expect.poll(async () => (await gridNames(page)).sort()).toEqual(all.items.map((f) => f.name).sort());
});

test("a frame's page shows its ground truth", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("viewer");
  const [frame] = (await listed(api, "q=urban-day-stop")).items.filter((f) => f.name === "urban-day-stop");
  expect(frame, "the demo seed holds urban-day-stop").toBeDefined();
  const texts = frame.groundTruth?.texts ?? [];
  const boxes = frame.groundTruth?.boxes ?? [];
  expect(texts).toContain("STOP");
  expect(boxes.length).toBeGreaterThan(0);

  const page = await signedInPage("viewer");
  // The library lists newest first, a page at a time: open the page of the urban frames that holds it.
  const urban = await listed(api, "tag=urban");
  const at = urban.items.findIndex((f) => f.id === frame.id);
  expect(at).toBeGreaterThanOrEqual(0);
  await page.goto(`/frames?tag=urban&page=${Math.floor(at / GRID_PAGE) + 1}`);
  await page
    .getByRole("link")
    .filter({ has: page.getByRole("img", { name: "urban-day-stop", exact: true }) })
    .click();
  await expect(page).toHaveURL(new RegExp(`/frames/${frame.id}$`));
  await expect(page.getByRole("heading", { name: "urban-day-stop", level: 1 })).toBeVisible();
  await expect(page.getByText(boxes.length === 1 ? "1 box" : `${boxes.length} boxes`, { exact: true })).toBeVisible();
  for (const t of texts) await expect(page.getByRole("listitem").getByText(t, { exact: true }).first()).toBeVisible();
  const boxRows = page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("cell") });
  await expect(boxRows).toHaveCount(boxes.length);
  await expect(boxRows.filter({ hasText: "STOP" }).first()).toBeVisible();
});

test("an engineer uploads a PNG through the dialog and finds it in the library", async ({ signedInPage }) => {
  const name = uniqueName("e2e-frame");
  const file = await uniquePng();
  const page = await signedInPage("engineer");
  await page.goto("/frames");
  const open = page.getByRole("button", { name: "Upload frame" });
  await expectHydrated(open);
  await open.click();
  const dialog = page.getByRole("dialog", { name: "Upload a frame" });
  await dialog.getByLabel("Image file").setInputFiles(file);
  await expect(dialog.getByTestId("frame-selected")).toContainText("dashcam.png");
  await dialog.getByLabel("Name (optional)").fill(name);
  await dialog.getByRole("checkbox", { name: "rain" }).check();
  await dialog.getByRole("button", { name: "Upload", exact: true }).click();

  await expect(page).toHaveURL(/\/frames\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByText("96×64 PNG", { exact: false })).toBeVisible();
  await expect(page.getByRole("link", { name: "rain", exact: true })).toBeVisible();

  await page.goto("/frames?source=upload&tag=rain");
  await expect(page.getByRole("img", { name, exact: true })).toBeVisible();
});

test("a viewer sees no upload button", async ({ signedInPage }) => {
  const page = await signedInPage("viewer");
  await page.goto("/frames");
  await expect(page.getByRole("heading", { name: "Sample frames", level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Frames" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Upload frame" })).toHaveCount(0);
});

test("the grid loads server-made thumbnails: WebP at most 480 px wide and a fraction of the full image's bytes", async ({ signedInPage, apiAs }) => {
  const api = await apiAs("viewer");
  const { items } = await listed(api, "tag=night");
  const id = items[0].id;
  const full = await api.get(`/api/v1/frames/${id}/image`);
  const thumb = await api.get(`/api/v1/frames/${id}/image?size=thumb`);
  expect(thumb.status()).toBe(200);
  expect(thumb.headers()["content-type"]).toBe("image/webp");
  const [fullBytes, thumbBytes] = [await full.body(), await thumb.body()];
  const meta = await sharp(thumbBytes).metadata();
  expect(meta.format).toBe("webp");
  expect(meta.width).toBeLessThanOrEqual(480);
  expect(thumbBytes.length * 4).toBeLessThan(fullBytes.length);
  // Cached by content: the ETag names the frame's hash and the size; a second ask answers 304.
  const etag = thumb.headers()["etag"];
  expect(etag).toMatch(/^"[0-9a-f]{64}-w480"$/);
  expect((await api.get(`/api/v1/frames/${id}/image?size=thumb`, { headers: { "if-none-match": etag } })).status()).toBe(304);
  expect((await api.get(`/api/v1/frames/${id}/image?size=huge`)).status()).toBe(400);

  const page = await signedInPage("viewer");
  await page.goto("/frames");
  // evaluateAll does not wait: read the sources once the grid shows its first thumbnail.
  const thumbs = page.getByRole("list", { name: "Frames" }).locator("img");
  await expect(thumbs.first()).toBeVisible();
  const srcs = await thumbs.evaluateAll((imgs) => imgs.map((i) => i.getAttribute("src")));
  expect(srcs.length).toBeGreaterThan(0);
  for (const src of srcs) expect(src).toMatch(/\/image\?size=thumb$/);
});
