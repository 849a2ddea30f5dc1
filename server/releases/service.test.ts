// Release readiness on the seeded demo: each column equals what the owning page's service says for the same version
// (the cross-page joins), the candidate rule, the verdict, and the REST exports through the real route handler.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as releasesRoute from "@/app/api/v1/releases/route";
import type { Database } from "@/db/client";
import { deploymentEvents } from "@/db/schema";
import { createSeededTestDatabase, SEED_HOOK_MS } from "@/db/test-db";
import type { Actor } from "@/server/auth/roles";
import { findUserByEmail } from "@/server/auth/users";
import { costOverview, modelCost } from "@/server/cost/service";
import { fleetVersions } from "@/server/deployments/reports";
import { getDeployment, listDeployments } from "@/server/deployments/service";
import { provideDatabase } from "@/server/db";
import { listIncidents } from "@/server/incidents/service";
import { createCaller } from "@/server/routers/_app";
import { grantPermission, releaseReview, safetyOverview, signOff } from "@/server/safety/service";
import { createToken } from "@/server/tokens/service";
import { pickCandidates, releaseReadiness, SIGNOFF_GATE_KEY, summarizeGates, verdictOf, type ReadinessRow } from "./service";

// No browser session here: a request without a token has no one signed in.
vi.mock("@/server/auth/session", () => ({ getSessionActor: async () => null }));

let database: Database;
const now = new Date();
let rows: ReadinessRow[];
let viewer: Actor;
let viewerToken: string;
const FCW = "forward-collision-warning";

beforeAll(async () => {
  database = await createSeededTestDatabase();
  provideDatabase(database);
  const u = await findUserByEmail(database.db, "viewer@example.com");
  viewer = { userId: u!.id, email: u!.email, role: "viewer", requestId: "test-viewer" };
  viewerToken = (await createToken(database.db, viewer, { name: "pm", scopes: ["models:read"] })).token;
  rows = await releaseReadiness(database.db, now);
}, SEED_HOOK_MS);
afterAll(async () => {
  await database.close();
});

const fcw3 = () => rows.find((r) => r.model.slug === FCW && r.version === 3)!;

describe("which versions are candidates", () => {
  const vs = [
    { modelId: "a", number: 1, status: "approved" },
    { modelId: "a", number: 2, status: "approved" },
    { modelId: "a", number: 3, status: "candidate" },
    { modelId: "a", number: 4, status: "draft" },
    { modelId: "b", number: 1, status: "approved" },
    { modelId: "c", number: 1, status: "approved" },
    { modelId: "c", number: 2, status: "archived" },
  ];
  it("takes versions newer than production (not drafts), versions in a canary, and a model's newest when it has no production", () => {
    const got = pickCandidates(
      vs,
      new Map([
        ["a", 2],
        ["b", 1],
      ]),
      new Set(["a|1"]),
    );
    expect(got).toEqual([
      { modelId: "a", number: 3, because: ["newer-than-production"] },
      { modelId: "a", number: 1, because: ["in-rollout"] },
      { modelId: "c", number: 1, because: ["newest"] },
    ]);
  });
  it("never lists the production version itself, and a draft only while a canary sends it out", () => {
    const got = pickCandidates(
      vs,
      new Map([
        ["a", 2],
        ["b", 1],
      ]),
      new Set(["a|2", "a|4"]),
    );
    expect(got.map((g) => `${g.modelId}${g.number}`)).toEqual(["a4", "a3", "c1"]);
  });
  it("on the demo: FCW v3 (in canary), distracted driving v2 and seatbelt v2 (newer than production), not the production versions", () => {
    expect(rows.map((r) => `${r.model.slug} v${r.version}`).sort()).toEqual(["distracted-driving v2", `${FCW} v3`, "seatbelt v2"]);
    expect(fcw3().candidateBecause).toEqual(["in-rollout", "newer-than-production"]);
    // The seatbelt classifier trained here: a candidate on staging, not rolled out anywhere yet.
    expect(rows.find((r) => r.model.slug === "seatbelt")!.candidateBecause).toEqual(["newer-than-production"]);
  });
});

describe("cross-page joins: /releases shows the figure the owning page shows for the same version", () => {
  it("sign-off and regressions equal the safety review's, and the regressed slices equal /safety's", async () => {
    for (const r of rows) {
      const review = await releaseReview(database.db, { slug: r.model.slug, candidate: r.version }, now);
      expect(r.signOff?.reviewer ?? null).toBe(review.latestSignOff?.reviewer ?? null);
      expect(r.dataset).toBe(review.dataset);
      expect(r.regressions).toEqual(review.regressions);
      expect(r.field.map((f) => [f.eventType, f.fieldRecall, f.labRecall])).toEqual(
        review.field.filter((f) => f.role === "candidate").map((f) => [f.eventType, f.pooled.recall, f.lab?.recall ?? null]),
      );
    }
    const overview = await safetyOverview(database.db, now);
    const fromSafety = overview
      .filter((o) => o.model.slug === FCW && o.candidate?.version === 3)
      .flatMap((o) => o.candidate!.regressedSlices.map((s) => `${o.eventType}|${s.dimension}|${s.value}|${s.metric}`))
      .sort();
    const fromReleases = fcw3()
      .regressions.flatMap((x) =>
        [x.recall === "regressed" ? "recall" : null, x.precision === "regressed" ? "precision" : null]
          .filter(Boolean)
          .map((m) => `${x.eventType}|${x.dimension}|${x.value}|${m}`),
      )
      .sort();
    expect(fromReleases.length).toBeGreaterThan(0);
    expect(fromReleases).toEqual(fromSafety);
  });

  it("gates equal the deployment page's gates for the same version, target by target", async () => {
    const r = fcw3();
    const deps = await listDeployments(database.db, { modelId: (await findModelId(FCW))! });
    const pages = await Promise.all(deps.map((d) => getDeployment(database.db, { id: d.id, version: 3 })));
    const gated = pages.filter((p) => p.gates);
    expect(r.gatesByTarget.map((t) => t.deploymentId).sort()).toEqual(gated.map((p) => p.id).sort());
    for (const p of gated) {
      const mine = r.gatesByTarget.find((t) => t.deploymentId === p.id)!;
      expect(mine.gates).toEqual(p.gates!.map((g) => ({ key: g.key, label: g.label, state: g.state, reason: g.reason })));
    }
  });

  it("cost per 1,000 inferences equals the model's cost page and the /costs scatter; the change is against production's figure there", async () => {
    const r = fcw3();
    const cost = await modelCost(database.db, { slug: FCW }, now);
    expect(r.cost.microsPer1k).toBe(cost.versions.find((v) => v.version === 3)!.microsPer1k);
    expect(r.cost.productionMicrosPer1k).toBe(cost.versions.find((v) => v.version === 2)!.microsPer1k);
    expect(r.cost.microsPer1k).not.toBeNull();
    expect(r.cost.changeMicrosPer1k).toBe(r.cost.microsPer1k! - r.cost.productionMicrosPer1k!);
    const overview = await costOverview(database.db, {}, now);
    expect(overview.scatter.find((s) => s.slug === FCW && s.version === 3)?.microsPer1k).toBeCloseTo(r.cost.microsPer1k!, 6);
  });

  it("rollout device counts are the device reports' (reports.ts), not the fleet's nominal size", async () => {
    const r = fcw3();
    const canary = r.rollout.find((x) => x.role === "candidate")!;
    expect(canary).toBeDefined();
    const d = await getDeployment(database.db, { id: canary.deploymentId });
    const f = await fleetVersions(database.db, {
      targetId: d.target.id,
      modelId: (await findModelId(FCW))!,
      stable: d.stable,
      candidate: d.candidate,
      percent: d.percent,
    });
    expect(canary.devices).toEqual({
      running: f.byVersion.find((b) => b.version === 3)?.devices ?? 0,
      pending: f.pending,
      failed: f.failed,
      unknown: f.unreported,
      total: f.total,
    });
    expect(canary.percent).toBe(d.percent);
    // Reported devices fall short of the canary's nominal share: some have not reported.
    expect(canary.devices!.unknown).toBeGreaterThan(0);
  });

  it("open incidents are the incident list's for the model", async () => {
    for (const r of rows) {
      const open = await listIncidents(database.db, { status: "open", model: r.model.slug });
      expect(r.incidents.map((i) => i.id)).toEqual(open.filter((i) => !i.versions.length || i.versions.includes(r.version)).map((i) => i.id));
    }
  });

  it("the version page's row (tRPC releases.version) is the same row", async () => {
    const api = createCaller({ db: database.db, actor: viewer, requestId: "t" });
    const one = await api.releases.version({ slug: FCW, version: 3 });
    expect(one?.cost).toEqual(fcw3().cost);
    expect(one?.verdict).toEqual(fcw3().verdict);
    // A production version has a row on its page even though it is not a candidate.
    expect((await api.releases.version({ slug: FCW, version: 2 }))?.candidateBecause).toEqual([]);
  });
});

async function findModelId(slug: string) {
  const api = createCaller({ db: database.db, actor: viewer, requestId: "t" });
  return (await api.registry.model({ slug })).model.id;
}

describe("verdict", () => {
  it("blocks FCW v3 in words: no sign-off, failing gates, the night regression", () => {
    const v = fcw3().verdict;
    expect(v.kind).toBe("blocked");
    expect(v.text).toMatch(/^Blocked: not signed off by a safety reviewer; gates fail: /);
    expect(v.text).toContain("time of day: night");
  });

  it("without a protected target, asks the sign-off gate's own rule: only a safety-relevant model needs one", () => {
    const { verdict: _, ...base } = fcw3();
    const labels = { eventType: (k: string) => k, slice: (d: string, v: string) => `${d}: ${v}` };
    const bare = { ...base, gates: [], regressions: [], incidents: [], signOff: null };
    expect(verdictOf({ ...bare, signOffMissing: true }, labels).reasons).toEqual(["not signed off by a safety reviewer"]);
    expect(verdictOf({ ...bare, signOffMissing: false }, labels).kind).toBe("ready");
    const rejected = { decision: "reject" as const, reviewer: "sam", at: new Date(), comment: "no", withdrawn: false };
    expect(verdictOf({ ...bare, signOffMissing: false, signOff: rejected }, labels).reasons).toEqual(["safety sign-off rejected by sam"]);
  });

  it("marks a gate overridden for this version on that target, and keeps failing elsewhere", () => {
    const byTarget = [
      {
        deploymentId: "d1",
        target: "EU",
        environment: "Production",
        gates: [{ key: "integrity" as const, label: "Integrity", state: "fail" as const, reason: "no bytes" }],
      },
      {
        deploymentId: "d2",
        target: "US",
        environment: "Production",
        gates: [{ key: "integrity" as const, label: "Integrity", state: "fail" as const, reason: "no bytes" }],
      },
    ];
    const overrides = [{ deploymentId: "d1", target: "EU", at: new Date(), by: "admin", reason: "ok", gates: ["integrity"] }];
    expect(summarizeGates(byTarget, overrides)).toEqual([{ key: "integrity", label: "Integrity", state: "fail", reason: "US: no bytes" }]);
    expect(summarizeGates(byTarget.slice(0, 1), overrides)).toEqual([{ key: "integrity", label: "Integrity", state: "overridden", reason: "no bytes" }]);
  });

  it("reads “Shipped without sign-off” once an override of the sign-off gate is recorded for the version", async () => {
    const r = fcw3();
    const canary = r.rollout.find((x) => x.role === "candidate")!;
    // The sign-off gate's override is recorded like any gate override: an override event naming the gate's key.
    await database.db.insert(deploymentEvents).values({
      deploymentId: canary.deploymentId,
      actorLabel: "admin@example.com",
      kind: "override",
      fromVersion: 2,
      toVersion: 3,
      summary: "Overrode safety sign-off for v3",
      detail: { reason: "test", gates: [{ key: SIGNOFF_GATE_KEY, label: "Safety sign-off", reason: "not signed off" }] },
      revision: 1,
    });
    const after = (await releaseReadiness(database.db, now)).find((x) => x.model.slug === FCW && x.version === 3)!;
    expect(after.verdict.kind).toBe("shipped-without-signoff");
    expect(after.verdict.text).toBe("Shipped without sign-off");
    await database.db.delete(deploymentEvents).where(eqSummary("Overrode safety sign-off for v3"));
  });
});

const eqSummary = (s: string) => eq(deploymentEvents.summary, s);

describe("REST /api/v1/releases", () => {
  const get = (query: string, token?: string) =>
    releasesRoute.GET(new Request(`http://portal.test/api/v1/releases${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} }), {
      params: Promise.resolve({}),
    });

  it("refuses without a token (401)", async () => {
    expect((await get("?format=csv")).status).toBe(401);
    expect((await get("?format=markdown", "not-a-token")).status).toBe(401);
  });

  it("refuses an unknown format with a 400 that names it", async () => {
    const res = await get("?format=pdf", viewerToken);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("format");
  });

  it("gives a viewer the rows as JSON", async () => {
    const res = await get("", viewerToken);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { model: { slug: string }; version: number; verdict: { text: string } }[] };
    expect(body.items.find((i) => i.model.slug === FCW && i.version === 3)?.verdict.text).toBe(fcw3().verdict.text);
  });

  it("CSV: text/csv, a header, one line per candidate, fields with commas and quotes quoted", async () => {
    const res = await get("?format=csv", viewerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="release-readiness-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await res.text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0].startsWith("verdict,model,version,")).toBe(true);
    const line = lines.find((l) => l.includes(`,${FCW},3,`))!;
    // The verdict holds commas and semicolons, so it is quoted; the cost is the service's figure in dollars.
    expect(line.startsWith(`"${fcw3().verdict.text.replace(/"/g, '""')}",`)).toBe(true);
    expect(line).toContain(`,${Math.round(fcw3().cost.microsPer1k!) / 1_000_000},`);
  });

  it("Markdown: text/markdown, one section per candidate with the verdict first and units in words", async () => {
    const res = await get("?format=markdown", viewerToken);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    const text = await res.text();
    expect(text).toMatch(/^# Release readiness, \d{1,2} \w+ \d{4}\n/);
    const section = text.split("\n## ").find((s) => s.startsWith("Forward collision warning v3"))!;
    expect(section.split("\n")[0]).toBe("Forward collision warning v3: Blocked");
    expect(section.split("\n")[2]).toMatch(/^\*\*Why it cannot ship yet:\*\* not signed off/);
    expect(section).toContain("per 1,000 inferences");
    expect(section).toMatch(/devices report running v3, [\d,]+ pending/);
    expect(text.match(/\n## /g)?.length).toBe(rows.length);
  });
});

// Last: it records a sign-off, which changes FCW v3's row for anything after it.
describe("a recorded sign-off", () => {
  it("shows who decided and when, as the review does, and a rejection blocks in words", async () => {
    const admin = await findUserByEmail(database.db, "admin@example.com");
    const eng = await findUserByEmail(database.db, "engineer@example.com");
    const adminActor: Actor = { userId: admin!.id, email: admin!.email, role: "admin", requestId: "t" };
    const reviewer: Actor = { userId: eng!.id, email: eng!.email, role: "engineer", requestId: "t" };
    await grantPermission(database.db, adminActor, { userId: reviewer.userId, permission: "safety_reviewer" });
    const before = await releaseReview(database.db, { slug: FCW, candidate: 3 }, now);
    await signOff(database.db, reviewer, {
      slug: FCW,
      version: 3,
      decision: "reject",
      comment: "Night recall is below production",
      seen: { candidateEvaluationId: before.candidate.evaluationId!, productionEvaluationId: before.production?.evaluationId ?? null },
    });
    const review = await releaseReview(database.db, { slug: FCW, candidate: 3 }, now);
    const row = (await releaseReadiness(database.db, now)).find((r) => r.model.slug === FCW && r.version === 3)!;
    expect(row.signOff).toEqual({
      decision: "reject",
      reviewer: review.latestSignOff!.reviewer,
      at: review.latestSignOff!.createdAt,
      comment: review.latestSignOff!.comment,
      withdrawn: false,
    });
    expect(row.verdict.reasons[0]).toBe(`safety sign-off rejected by ${eng!.email}`);
  });
});
