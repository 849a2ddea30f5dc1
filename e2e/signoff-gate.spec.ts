// The safety sign-off as a promotion gate: the demo's FCW v3 has none, so promoting it on the US fleet needs an admin
// override with a reason; the PM then sees "shipped without sign-off" on /safety and on the review, at 1280 and 390 px.
import type { APIRequestContext } from "@playwright/test";
import { z } from "zod";
import { expect, expectHydrated, test, trpcMutation, uniqueName } from "./fixtures";

const ZDeployments = z.object({
  result: z.object({
    data: z.object({
      json: z.array(
        z.object({
          id: z.string(),
          state: z.string(),
          revision: z.number(),
          stable: z.number(),
          target: z.object({ slug: z.string() }),
          model: z.object({ slug: z.string() }),
        }),
      ),
    }),
  }),
});

async function fcwUs(api: APIRequestContext) {
  const res = await api.get("/api/trpc/deployments.list");
  expect(res.status()).toBe(200);
  const d = ZDeployments.parse(await res.json()).result.data.json.find(
    (r) => r.target.slug === "us-dashcam-v3" && r.model.slug === "forward-collision-warning",
  );
  if (!d) throw new Error("the demo seed has no FCW deployment on us-dashcam-v3");
  return d;
}

test("an admin overrides the missing sign-off to promote FCW v3; the PM sees it shipped without sign-off", async ({ apiAs, signedInPage }) => {
  const adminApi = await apiAs("admin");
  // Re-runnable: start from v2 stable on the US fleet.
  let d = await fcwUs(adminApi);
  if (d.stable !== 2) {
    expect(
      (
        await trpcMutation(adminApi, "deployments.rollback", { deploymentId: d.id, version: 2, revision: d.revision, idempotencyKey: uniqueName("e2e-back") })
      ).status(),
    ).toBe(200);
    d = await fcwUs(adminApi);
  }
  expect(d.state).toBe("idle");

  const admin = await signedInPage("admin");
  await admin.goto(`/deployments/${d.id}?version=3`);
  const gates = admin.getByRole("list", { name: "Gates" });
  await expect(gates.getByRole("listitem").filter({ hasText: "Safety sign-off" })).toContainText(
    /v3 is safety-relevant and (no safety reviewer has signed it off|.* withdrew the sign-off|.* rejected it)/,
  );
  await expect(gates.getByRole("listitem").filter({ hasText: "Four-eyes approval" })).toBeVisible();
  await expect(gates.getByRole("link", { name: "Open the safety review" })).toHaveAttribute("href", "/safety/review/forward-collision-warning?candidate=3");

  const promote = admin.getByRole("button", { name: "Promote v3" });
  await expectHydrated(promote);
  await promote.click();
  const dialog = admin.getByRole("dialog");
  await expect(dialog).toContainText("Safety sign-off: v3 is safety-relevant");
  const reason = `Regulator deadline; the night retrain follows next week (${uniqueName("e2e")})`;
  await dialog.getByLabel("Override reason").fill(reason);
  await dialog.getByRole("button", { name: "Override and promote v3" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByText(/Overrode .*safety sign-off for v3/).first()).toBeVisible();

  const pm = await signedInPage("viewer");
  for (const width of [1280, 390]) {
    await pm.setViewportSize({ width, height: 900 });
    await pm.goto("/safety");
    const row = pm.getByRole("row").filter({ hasText: "Forward collision warning" }).first();
    await expect(row.getByText("v3 shipped without sign-off")).toBeVisible();
    await expect(row.getByText(/not signed off|sign-off rejected|sign-off withdrawn/)).toBeVisible();
  }
  await pm.goto("/safety/review/forward-collision-warning?candidate=3");
  await expect(pm.getByText("Shipped without sign-off:").first()).toBeVisible();
  await expect(pm.getByText(reason).first()).toBeVisible();

  // Leave the US fleet as the demo has it.
  d = await fcwUs(adminApi);
  expect(
    (
      await trpcMutation(adminApi, "deployments.rollback", { deploymentId: d.id, version: 2, revision: d.revision, idempotencyKey: uniqueName("e2e-restore") })
    ).status(),
  ).toBe(200);
});
