// The demo's on-call story joins up: the FCW canary alert, the deployment it names, the devices' reports and the
// engineer on call agree (on the whole demo seed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import { findUserByEmail } from "@/server/auth/users";
import { allowedActions } from "@/server/deployments/policy";
import { firingNow } from "@/server/home/oncall";
import { listAlerts } from "@/server/monitoring/alerts";
import { seriesFromEvidence } from "@/server/monitoring/evidence";
import { modelMonitoring, monitoringOverview } from "@/server/monitoring/pages";
import { FCW_EDGES } from "@/server/demo/fcw-fleet";

let database: Database;

beforeAll(async () => {
  database = await createSeededTestDatabase();
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
}, SEED_HOOK_MS);

/** The FCW canary's page among what fires now (the whole demo also pages for distracted-driving's availability SLO). */
async function fcwPage() {
  const firing = await firingNow(database.db);
  const item = firing.find((f) => f.alert.model === "forward-collision-warning" && f.alert.severity === "page");
  if (!item) throw new Error(`No FCW page fires; firing: ${firing.map((f) => f.alert.subject).join(", ")}`);
  return item;
}

describe("the demo on-call story", () => {
  it("the FCW canary alert fires at page severity and names the EU-dashcam-v3 canary of v3, with v2 to go back to", async () => {
    const top = await fcwPage();
    // Fired about an hour before the portal starts: a fresh page, not yesterday's.
    expect(Date.now() - top.alert.firingAt.getTime()).toBeLessThan(2 * 3600_000);
    expect(top.alert).toMatchObject({
      severity: "page",
      model: "forward-collision-warning",
      subject: "forward-collision-warning/v3/prediction:pedestrians@canary[timeOfDay:night]",
      title: "Predicted pedestrians drift on forward-collision-warning v3, canary devices at night",
    });
    expect(top.incident).toBeNull();
    const d = top.deployment!;
    expect(d.target.name).toBe("EU-dashcam-v3");
    expect(d.policy.state).toMatchObject({ state: "canary", stable: 2, candidate: 3 });
    expect(d.policy.rollbackTo).toBe(2);
  });

  it("the devices that report running v3 are about 5% of the fleet, not the whole fleet", async () => {
    const d = (await fcwPage()).deployment!;
    const r = d.effectTarget.reported!;
    expect(r.version).toBe(3);
    expect(d.effectTarget.devices).toBe(4812);
    expect(r.running).toBeGreaterThan(150);
    expect(r.running).toBeLessThan(350);
    expect(r.pending).toBeGreaterThan(0);
    expect(r.unreported).toBeGreaterThan(0);
  });

  it("engineer@example.com is on call this week for the team that owns FCW, and may roll back with a reason", async () => {
    const d = (await fcwPage()).deployment!;
    const engineer = (await findUserByEmail(database.db, "engineer@example.com"))!;
    expect(d.policy.onCall.map((o) => o.email)).toEqual(["engineer@example.com"]);
    const [rollback] = allowedActions({ userId: engineer.id, role: "engineer" }, d.policy, { only: ["rollback"] });
    expect(rollback.action).toEqual({ kind: "rollback", version: 2 });
    expect(rollback.decision).toMatchObject({ allowed: true, needsReason: true, as: "on-call" });
  });
});

describe("evidence that matches the alert", () => {
  async function theAlert() {
    const [a] = (await listAlerts(database.db, { state: "firing", model: "forward-collision-warning" })).filter((x) => x.severity === "page");
    return a;
  }
  /** What the monitoring page shows when opened from the alert's link: the service it calls, with the link's parameters. */
  async function pageFromLink(href: string) {
    const url = new URL(href, "http://sentinel.test");
    const slug = url.pathname.split("/").pop()!;
    return modelMonitoring(database.db, { slug, ...Object.fromEntries(url.searchParams) });
  }

  it("the alert names its exact series and links to it with shareable parameters", async () => {
    const a = await theAlert();
    const s = seriesFromEvidence(a)!;
    expect(s).toMatchObject({
      model: "forward-collision-warning",
      version: 3,
      cohort: "canary",
      slice: { timeOfDay: "night" },
      source: "prediction",
      feature: "pedestrians",
      windowMinutes: 60,
    });
    const url = new URL(a.series!.href, "http://sentinel.test");
    expect(url.pathname).toBe("/monitoring/forward-collision-warning");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      version: "3",
      feature: "pedestrians",
      source: "prediction",
      cohort: "canary",
      slice: "timeOfDay:night",
      range: "24h",
      to: s.windowEnd!.toISOString(),
    });
    expect(a.series!.name).toBe("predicted pedestrians of forward-collision-warning v3, canary devices at night");
  });

  it("the monitoring page opened from that link shows that series, with the alert's numbers, titled in words", async () => {
    const a = await theAlert();
    const e = a.evidence as { statistic: number; threshold: number; currentCount: number; referenceCount: number; windowEnd: string; monitorId: string };
    const page = await pageFromLink(a.series!.href);
    expect(page.version).toBe(3);
    expect(page.versionRole).toBe("candidate");
    expect(page.selectedId).toBe(e.monitorId);
    expect(page.heading!.title).toBe("Predicted pedestrians of forward-collision-warning v3, canary devices at night");
    expect(page.heading!.window).toContain("60-minute windows");
    const row = page.monitors.find((m) => m.id === e.monitorId)!;
    expect(row.latest).toMatchObject({
      drifted: true,
      statistic: e.statistic,
      threshold: e.threshold,
      currentCount: e.currentCount,
      referenceCount: e.referenceCount,
    });
    expect(row.latest!.windowEnd.toISOString()).toBe(e.windowEnd);
    // The statistic over time ends at the alert's window, with the threshold to draw as a line.
    const points = page.detail!.series.filter((p) => p.value !== null);
    const last = points.at(-1)!;
    expect(last.value).toBeCloseTo(e.statistic, 10);
    expect(last.threshold).toBe(0.2);
    // The night started quiet and crossed the threshold in its last three hours, when v3 met darker frames: the alert's window is the newest.
    expect(points.map((p) => p.drifted)).toEqual([false, false, false, false, false, false, false, true, true, true]);
    // One bar per bin of pedestrians per frame (0, 1, ... 5, 6 and more).
    expect(page.detail!.overlay.length).toBe(FCW_EDGES.perFrame.length - 1);
    // Every slice row of the alerting series is at night and drifting: no "no drift" row contradicts the alert.
    expect(page.slices.length).toBeGreaterThan(0);
    expect(page.slices.every((sl) => sl.drifted)).toBe(true);
    expect(e.statistic).toBeGreaterThan(0.2);
    expect(e.statistic).toBeLessThan(0.6);
  });

  it("the overview's drift column shows the canary cohort drifting with the alert's number and link", async () => {
    const a = await theAlert();
    const e = a.evidence as { statistic: number };
    const { items } = await monitoringOverview(database.db, {});
    const fcw = items.find((i) => i.slug === "forward-collision-warning")!;
    expect(fcw.version).toBe(2);
    const canary = fcw.candidateDrift.find((c) => c.label === "v3 canary")!;
    expect(canary).toMatchObject({ drifted: true, feature: "pedestrians", statistic: e.statistic, href: a.series!.href });
    expect(canary.verdict).toMatch(/^drifting \(pedestrians PSI 0\.\d+ at night\)$/);
    expect((await monitoringOverview(database.db, { health: "drifting" })).items.map((i) => i.slug)).toContain("forward-collision-warning");
  });

  it("evidence reads in words, not field names", async () => {
    const a = await theAlert();
    const text = a.evidenceText.join("\n");
    expect(text).toMatch(/^PSI 0\.\d+ against a threshold of 0\.2 \(drift at or above it\)/);
    expect(text).toMatch(/[\d,]+ frames in the current window \(\d\d:00 to \d\d:00 UTC on \d{4}-\d\d-\d\d\) against [\d,]+ in the reference/);
    expect(text).toContain("Series: predicted pedestrians of forward-collision-warning v3, canary devices at night, 60-minute windows");
    expect(text).not.toMatch(/currentCount|referenceCount|pValue|windowStart/);
  });
});
