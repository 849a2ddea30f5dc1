// The forward-collision-warning frame sets: deterministic dashcam scenes with vehicles and pedestrians, by day and at
// night, each frame tagged with its set so a training job can fetch exactly the pinned set over the REST API.
import { generateFrame, type FrameSpec, type GeneratedFrame, type PedestrianSpec, type VehicleSpec } from "./frame-generator";
import { FCW_SETS, type FcwSetName } from "@/server/safety/fcw-sets";
import { mulberry32 } from "./raster";

export { FCW_SETS, type FcwSetName };
/** The objects the FCW detector learns; other ground-truth boxes (signs, plates, text) are not its business. */
export const FCW_LABELS = ["vehicle", "pedestrian"] as const;
export const FCW_LABEL_OF: Record<string, (typeof FCW_LABELS)[number]> = { car: "vehicle", truck: "vehicle", bus: "vehicle", pedestrian: "pedestrian" };

export function fcwFrameSpec(set: FcwSetName, i: number): FrameSpec {
  const seed = FCW_SETS[set].baseSeed + i;
  const rnd = mulberry32(seed * 7919 + 17);
  const r = (a: number, b: number) => a + (b - a) * rnd();
  const road = rnd() < 0.5 ? "highway" : "urban";
  const light = i % 2 === 1 ? "night" : "day";
  const lanes = road === "highway" ? [-3.6, 0, 3.6] : [-3.5, 0];
  const vehicles: VehicleSpec[] = [];
  const kinds: VehicleSpec["kind"][] = ["car", "car", "car", "suv", "truck", "bus"];
  const nVehicles = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < nVehicles; k++) {
    const x = lanes[Math.floor(rnd() * lanes.length)];
    const z = k === 0 ? r(5.5, 14) : r(9, 32);
    if (vehicles.some((v) => v.x === x && Math.abs(v.z - z) < 7)) continue;
    const kind = kinds[Math.floor(rnd() * kinds.length)];
    vehicles.push({ kind: road === "highway" && kind === "bus" ? "truck" : kind, x, z, oncoming: road === "urban" && x < 0 });
  }
  const pedestrians: PedestrianSpec[] = [];
  const nPeds = road === "urban" ? 1 + Math.floor(rnd() * 2) : rnd() < 0.6 ? 1 : 0;
  for (let k = 0; k < nPeds; k++) {
    const crossing = rnd() < 0.5;
    const x = crossing ? r(-2.5, 2.5) : (rnd() < 0.5 ? -1 : 1) * r(road === "highway" ? 6.2 : 4.6, 6.8);
    // Within braking distance of a city car: the people a collision warning is for.
    const z = r(5.5, 16);
    // Nobody stands inside a car: keep a metre and a half of road between a person and any vehicle near that line.
    if (vehicles.some((v) => Math.abs(v.x - x) < 2.2 && Math.abs(v.z - z) < 4)) continue;
    if (pedestrians.some((p) => Math.abs(p.x - x) < 1 && Math.abs(p.z - z) < 3)) continue;
    pedestrians.push({ x, z, height: r(1.55, 1.9) });
  }
  const signs: FrameSpec["signs"] =
    rnd() < 0.5
      ? [road === "urban" ? { kind: "stop", z: r(11, 16) } : { kind: "speed", z: r(13, 20), lines: ["SPEED", String(60 + 10 * Math.floor(rnd() * 6))] }]
      : [];
  return { name: `fcw-${set}-${String(i).padStart(3, "0")}-${road}-${light}`, seed, road, light, rain: rnd() < 0.15, vehicles, signs, pedestrians };
}

export function fcwFrameSpecs(set: FcwSetName, count = FCW_SETS[set].count): FrameSpec[] {
  return Array.from({ length: count }, (_, i) => fcwFrameSpec(set, i));
}

/**
 * The frames of a set with their ground truth, tagged with the set's tag (same bytes on every run). Frames named in
 * `skip` are left out without being rendered (rendering is most of the cost: about a fifth of a second a frame).
 */
export async function generateFcwFrames(set: FcwSetName, count = FCW_SETS[set].count, skip: ReadonlySet<string> = new Set()): Promise<GeneratedFrame[]> {
  const out: GeneratedFrame[] = [];
  for (const spec of fcwFrameSpecs(set, count)) {
    if (skip.has(spec.name)) continue;
    const f = await generateFrame(spec);
    out.push({ ...f, tags: [...f.tags, FCW_SETS[set].tag].sort() as GeneratedFrame["tags"] });
  }
  return out;
}
