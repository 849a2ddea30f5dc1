import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFound } from "@/server/errors";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { COLLAPSE_AT, devicesRunningDataset, getImpact, getLineage, incidentsFromRun, type LineageGraph } from "./service";
import { seedLineageChain } from "./test-fixture";

let t: TestEnv;
let c: Awaited<ReturnType<typeof seedLineageChain>>;

beforeAll(async () => {
  t = await setupTestEnv();
  c = await seedLineageChain(t.db);
});
afterAll(() => t.close());

const edge = (g: LineageGraph, from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to)?.label;
const ids = (g: LineageGraph) => g.nodes.map((n) => n.id).sort();

describe("lineage graph", () => {
  it("one hop around a run: its dataset upstream, its version downstream, with params and commit on the run", async () => {
    const g = await getLineage(t.db, { entity: `run:${c.trainRun}` });
    expect(g.focus).toBe(`run:${c.trainRun}`);
    expect(edge(g, `dataset:${c.dataset.id}`, `run:${c.trainRun}`)).toBe("trained on");
    expect(edge(g, `run:${c.trainRun}`, `version:${c.v1.id}`)).toBe("registered from");
    expect(ids(g)).toEqual([`dataset:${c.dataset.id}`, `run:${c.trainRun}`, `version:${c.v1.id}`].sort());
    const run = g.nodes.find((n) => n.kind === "run")!;
    expect(run.meta).toMatchObject({ "param.lr": "0.001", "param.epochs": "30" });
    expect(run.href).toBe(`/experiments/${c.exp.id}/runs/${c.trainRun}`);
  });

  it("depth 4 from the dataset reaches the derived version, the deployment, its target and device cohorts", async () => {
    const g = await getLineage(t.db, { entity: `dataset:${c.dataset.id}`, depth: 4 });
    expect(edge(g, `version:${c.v1.id}`, `version:${c.v2.id}`)).toBe("derived from");
    expect(edge(g, `version:${c.v2.id}`, `deployment:${c.dep.id}`)).toBe("deployed to");
    // Four hops: dataset → run → v1 → v2 → deployment; the target is a fifth hop away.
    expect(g.nodes.some((n) => n.kind === "target")).toBe(false);
    const deeper = await getLineage(t.db, { entity: `version:${c.model.slug}/2`, depth: 2 });
    expect(edge(deeper, `deployment:${c.dep.id}`, `target:${c.target.id}`)).toBe("ran on");
    const cohorts = deeper.nodes.filter((n) => n.kind === "cohort");
    expect(cohorts.map((n) => [n.label, n.count]).sort()).toEqual([
      ["dashcam-gen3 · 3.2.0 · eu-west (v2)", 1],
      ["dashcam-gen3 · 3.2.0 · eu-west (v3)", 1],
      ["dashcam-gen3 · 3.4.1 · eu-west (v2)", 3],
    ]);
  });

  it("walks upstream only from upstream nodes: a version's run does not bring the run's other versions", async () => {
    const g = await getLineage(t.db, { entity: `version:${c.v2.id}`, depth: 2 });
    expect(edge(g, `version:${c.v1.id}`, `version:${c.v2.id}`)).toBe("derived from");
    expect(edge(g, `run:${c.trainRun}`, `version:${c.v1.id}`)).toBe("registered from");
    expect(edge(g, `version:${c.v2.id}`, `alert:${c.alert.id}`)).toBe("fired for");
    expect(edge(g, `alert:${c.alert.id}`, `incident:${c.incident.id}`)).toBe("escalated to");
    expect(edge(g, `alert:${c.alert.id}`, `run:${c.retrainRun}`)).toBe("triggered");
    // Upstream of v1 is the run; its siblings (runs of the same dataset) are not lineage of v2.
    expect(g.nodes.some((n) => n.id === `dataset:${c.dataset.id}`)).toBe(false);
  });

  it("an incident leads to its alert, versions, deployment and the retraining run", async () => {
    const g = await getLineage(t.db, { entity: `incident:${c.incident.id}` });
    expect(edge(g, `alert:${c.alert.id}`, `incident:${c.incident.id}`)).toBe("escalated to");
    expect(edge(g, `version:${c.v2.id}`, `incident:${c.incident.id}`)).toBe("affected");
    expect(edge(g, `deployment:${c.dep.id}`, `incident:${c.incident.id}`)).toBe("affected");
    expect(edge(g, `incident:${c.incident.id}`, `run:${c.retrainRun}`)).toBe("triggered");
    // incident → v2 → v1 → run → dataset: four hops upstream.
    const fourUp = await getLineage(t.db, { entity: `incident:${c.incident.id}`, depth: 4 });
    expect(edge(fourUp, `dataset:${c.dataset.id}`, `run:${c.trainRun}`)).toBe("trained on");
  });

  it(`collapses more than ${COLLAPSE_AT} neighbours of one kind into one counted node`, async () => {
    const g = await getLineage(t.db, { entity: `dataset:${c.wide.id}`, depth: 2 });
    expect(g.nodes.filter((n) => n.kind === "run")).toHaveLength(0);
    const group = g.nodes.find((n) => n.kind === "group")!;
    expect(group).toMatchObject({ label: "9 runs", count: 9, groupKind: "run", expandable: false });
    expect(edge(g, `dataset:${c.wide.id}`, group.id)).toBe("trained on");
    expect(g.nodes).toHaveLength(2);
  });

  it("refuses bad entities and depths with a parse error, and unknown ids with NotFound", async () => {
    await expect(getLineage(t.db, { entity: "model:abc" })).rejects.toBeInstanceOf(ZodError);
    await expect(getLineage(t.db, { entity: "run:not-hex" })).rejects.toBeInstanceOf(ZodError);
    await expect(getLineage(t.db, { entity: `run:${c.trainRun}`, depth: 9 })).rejects.toBeInstanceOf(ZodError);
    await expect(getLineage(t.db, { entity: `run:${"f".repeat(32)}` })).rejects.toBeInstanceOf(NotFound);
    await expect(getLineage(t.db, { entity: `version:${c.model.slug}/99` })).rejects.toBeInstanceOf(NotFound);
  });
});

describe("impact", () => {
  it("which deployments, targets and devices run a version trained on the dataset", async () => {
    const i = await devicesRunningDataset(t.db, { dataset: c.dataset.id });
    expect(i.versions.map((v) => v.label)).toEqual([`FCW a v1`, `FCW a v2`]);
    expect(i.deployments.map((d) => d.id)).toEqual([`deployment:${c.dep.id}`]);
    expect(i.targets.map((d) => d.label)).toEqual(["EU fleet a"]);
    // Four on v2; the fifth runs v3, which no run of this dataset produced.
    expect(i.devices).toBe(4);
  });

  it("which incidents touched versions from the run, and none from the retraining run", async () => {
    const i = await incidentsFromRun(t.db, { run: c.trainRun });
    expect(i.incidents.map((x) => x.id)).toEqual([`incident:${c.incident.id}`]);
    const none = await incidentsFromRun(t.db, { run: c.retrainRun });
    expect(none.incidents).toEqual([]);
  });

  it("the generic impact of a version lists what is downstream", async () => {
    const i = await getImpact(t.db, { entity: `version:${c.v1.id}` });
    expect(i.deployments).toHaveLength(1);
    expect(i.incidents).toHaveLength(1);
    expect(i.devices).toBe(4);
  });
});
