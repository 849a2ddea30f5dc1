// The catalog: a team page shows what the team owns, who is on call and its cost; /catalog filters by a failing
// scorecard check (in the URL); a Backstage catalog-info.yaml exported over REST and edited round-trips through the
// import form. Screenshots at 1280 and 390 px go to docs/catalog/.
import path from "node:path";
import { z } from "zod";
import { expect, expectHydrated, test } from "./fixtures";

const shots = path.join(__dirname, "..", "docs", "catalog");
const SIZES = [
  { name: "1280", width: 1280, height: 900 },
  { name: "390", width: 390, height: 844 },
];

test.describe("catalog", () => {
  test("a team page shows its models, who is on call and its cost this month", async ({ signedInPage }) => {
    const page = await signedInPage("viewer");
    await page.goto("/catalog?kind=model");
    const fcwRow = page.getByRole("table", { name: "Catalog entries" }).getByRole("row").filter({ hasText: "forward-collision-warning" });
    await fcwRow.getByRole("link", { name: "Perception" }).click();
    await expect(page).toHaveURL(/\/teams\/perception$/);
    await expect(page.getByRole("heading", { name: "Perception", level: 1 })).toBeVisible();
    const owns = page.getByRole("table", { name: "What Perception owns" });
    await expect(owns.getByRole("link", { name: "Forward collision warning" })).toBeVisible();
    await expect(page.getByRole("list", { name: "On call now" })).toContainText("Camera fleet models");
    await expect(page.getByLabel("Spent this month")).toHaveText(/^\$[\d,]+\.\d\d$/);
    await expect(page.getByText(/of \$14,500 budget for \d{4}-\d\d/)).toBeVisible();
    for (const s of SIZES) {
      await page.setViewportSize({ width: s.width, height: s.height });
      await page.screenshot({ path: path.join(shots, `team-${s.name}.png`), fullPage: true });
    }
  });

  test("filters by a failing scorecard check, kept in the URL", async ({ signedInPage, apiAs }) => {
    const page = await signedInPage("viewer");
    await page.goto("/catalog");
    await expect(page.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();
    const table = page.getByRole("table", { name: "Catalog entries" });
    const all = await table.locator("tbody tr").count();
    await page.getByLabel("Failing check").selectOption("slo");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/failing=slo/);
    const api = await apiAs("viewer");
    const res = await api.get("/api/v1/catalog?failing=slo");
    expect(res.status()).toBe(200);
    const expected = z.object({ entries: z.array(z.object({ name: z.string(), kind: z.string() })) }).parse(await res.json()).entries;
    expect(expected.length).toBeGreaterThan(0);
    const rows = table.locator("tbody tr");
    await expect(rows).toHaveCount(expected.length);
    expect(expected.length).toBeLessThan(all);
    for (const row of await rows.all()) await expect(row).toContainText("Missing:", { ignoreCase: true });
    for (const row of await rows.all()) await expect(row).toContainText("has an SLO");
    // A check's reasons are in words, behind the score.
    await rows.first().locator("summary").click();
    await expect(rows.first().getByRole("list")).toContainText("Fail Has an SLO: No SLO");
    // Reloading the URL gives the same view.
    await page.goto(page.url());
    await expect(page.getByLabel("Failing check")).toHaveValue("slo");
    await page.goto("/catalog");
    for (const s of SIZES) {
      await page.setViewportSize({ width: s.width, height: s.height });
      await page.screenshot({ path: path.join(shots, `catalog-${s.name}.png`), fullPage: s.name === "390" ? false : true });
    }
  });

  test("a Backstage catalog-info.yaml round-trips: exported over REST, edited, imported through the page", async ({ signedInPage, apiAs }) => {
    const api = await apiAs("engineer");
    const res = await api.get("/api/v1/catalog/backstage?kind=model&name=forward-collision-warning");
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("application/yaml");
    const yaml = await res.text();
    expect(yaml).toContain("apiVersion: backstage.io/v1alpha1");
    expect(yaml).toContain("type: ml-model");
    expect(yaml).toContain("owner: perception");
    expect(yaml).toContain("lifecycle: production");

    // Unchanged, it changes nothing.
    const same = await api.post("/api/v1/catalog/backstage", { data: { yaml } });
    expect(same.status(), await same.text()).toBe(200);
    expect(await same.json()).toMatchObject({ created: 0, updated: 0, unchanged: 1 });

    const page = await signedInPage("engineer");
    await page.goto("/catalog");
    const box = page.getByLabel("catalog-info.yaml to import");
    await expectHydrated(box);
    await box.fill(yaml.replace("lifecycle: production", "lifecycle: deprecated"));
    await page.getByRole("button", { name: "Import YAML" }).click();
    const status = page.getByRole("status").filter({ hasText: "Imported" });
    await expect(status).toContainText("0 created, 1 updated, 0 unchanged");
    await expect(status).toContainText("model/forward-collision-warning: changed lifecycle");
    await page.goto("/catalog?lifecycle=deprecated&kind=model");
    await expect(page.getByRole("table", { name: "Catalog entries" }).getByRole("link", { name: "Forward collision warning" })).toBeVisible();

    // An unknown owner is refused with what to fix, and nothing changes.
    await page.goto("/catalog");
    await expectHydrated(box);
    await box.fill(yaml.replace("owner: perception", "owner: nobody-team"));
    await page.getByRole("button", { name: "Import YAML" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Unknown owner team" })).toContainText(
      "Unknown owner team: nobody-team on model/forward-collision-warning. Known teams:",
    );

    // Put the demo back as it was, for the specs that follow.
    const back = await api.post("/api/v1/catalog/backstage", { data: { yaml } });
    expect(await back.json()).toMatchObject({ updated: 1 });
  });
});
