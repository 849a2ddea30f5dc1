// Cabin-camera crops for the seatbelt classifier: a driver's head and torso seen from the driver-facing camera, with the
// belt strap across the chest (fastened), hanging by the pillar (unfastened), or hidden behind an arm or a held object
// (obstructed); by day in colour and at night under the camera's infrared light (grey, grainy). Deterministic: the same
// set and index give the same pixels and PNG bytes on every run, and a 96x96 crop renders in well under a millisecond.
import { createHash } from "node:crypto";
import type { FrameGroundTruth } from "@/db/schema";
import { SEATBELT_LABELS, SEATBELT_SETS, type SeatbeltLabel, type SeatbeltSetName } from "@/server/safety/seatbelt-sets";
import { encodePng } from "./frame-generator";
import {
  addGlow,
  addGrain,
  blendEllipse,
  blendLine,
  blendRect,
  boxBlur,
  fillRowsGradient,
  mix,
  mulberry32,
  scale,
  vignette,
  type Raster,
  type Rgb,
} from "./raster";

export { SEATBELT_LABELS, SEATBELT_SETS, type SeatbeltLabel, type SeatbeltSetName };

export const CABIN_SIZE = 96;

export type CabinSpec = {
  name: string;
  seed: number;
  label: SeatbeltLabel;
  light: "day" | "night";
  /** What hides the belt when obstructed. */
  occluder?: "arm" | "bag" | "jacket";
  /** Whether a belt is under the occluder (an obstructed frame does not say). */
  beltUnder?: boolean;
};

export type CabinFrame = {
  name: string;
  fileName: string;
  tags: string[];
  width: number;
  height: number;
  png: Buffer;
  sha256: string;
  groundTruth: FrameGroundTruth & { class: SeatbeltLabel };
};

const SHIRTS: Rgb[] = [
  [200, 40, 40],
  [40, 70, 160],
  [230, 230, 225],
  [60, 120, 70],
  [120, 120, 125],
  [210, 170, 60],
  [150, 90, 160],
  [95, 60, 40],
];
const SKIN: Rgb[] = [
  [240, 200, 170],
  [215, 170, 130],
  [175, 125, 90],
  [120, 80, 55],
  [80, 55, 40],
];
const OBJECTS: Rgb[] = [
  [70, 50, 35],
  [30, 30, 34],
  [150, 110, 70],
  [190, 60, 60],
];

export function cabinSpec(set: SeatbeltSetName, i: number): CabinSpec {
  const seed = SEATBELT_SETS[set].baseSeed + i;
  const label = SEATBELT_LABELS[i % 3];
  const light = Math.floor(i / 3) % 2 === 1 ? "night" : "day";
  const rnd = mulberry32(seed * 7919 + 29);
  const spec: CabinSpec = { name: `seatbelt-${set}-${String(i).padStart(3, "0")}-${label}-${light}`, seed, label, light };
  if (label === "obstructed") {
    const k = rnd();
    spec.occluder = k < 0.45 ? "arm" : k < 0.75 ? "bag" : "jacket";
    spec.beltUnder = rnd() < 0.5;
  }
  return spec;
}

export function cabinSpecs(set: SeatbeltSetName, count = SEATBELT_SETS[set].count): CabinSpec[] {
  return Array.from({ length: count }, (_, i) => cabinSpec(set, i));
}

/** Renders the crop's RGBA pixels. */
export function renderCabin(spec: CabinSpec): Raster {
  const S = CABIN_SIZE;
  const rnd = mulberry32(spec.seed);
  const r = (a: number, b: number) => a + (b - a) * rnd();
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const img: Raster = { data: new Uint8Array(S * S * 4), width: S, height: S };
  const night = spec.light === "night";

  // Cabin: headliner, the side window behind the driver's left shoulder (image right), the seat back.
  const trim: Rgb = pick([
    [58, 58, 62],
    [88, 82, 74],
    [40, 40, 44],
  ]);
  fillRowsGradient(img, 0, S, scale(trim, 1.15), scale(trim, 0.7));
  const winX = r(62, 72);
  blendRect(img, winX, r(4, 10), S - winX, r(34, 44), night ? [25, 28, 35] : mix([170, 195, 220], [235, 240, 245], rnd()), 1);
  const cx = r(40, 52);
  const seat: Rgb = scale(trim, r(0.5, 0.8));
  blendRect(img, cx - 30, 18, 60, S - 18, seat, 1);
  blendEllipse(img, cx, 14, 17, 10, seat, 1, 0.3); // headrest

  // Driver: torso, neck, head, hair.
  const shirt = pick(SHIRTS);
  const skin = pick(SKIN);
  const shoulderY = r(44, 50);
  const halfW = r(25, 31);
  blendEllipse(img, cx, shoulderY + 6, halfW, 12, shirt, 1, 0.15);
  blendRect(img, cx - halfW, shoulderY + 6, halfW * 2, S - shoulderY, shirt, 1, scale(shirt, 0.8));
  blendRect(img, cx - 5, shoulderY - 10, 10, 12, scale(skin, 0.85), 1);
  const headY = shoulderY - r(20, 24);
  blendEllipse(img, cx + r(-2, 2), headY, r(10, 12), r(12, 14), skin, 1, 0.2);
  blendEllipse(
    img,
    cx,
    headY - 7,
    r(10, 12.5),
    r(6, 8),
    pick<Rgb>([
      [30, 25, 20],
      [90, 60, 30],
      [160, 150, 140],
      [20, 20, 20],
    ]),
    1,
    0.3,
  );
  // Arms down to the wheel.
  blendLine(img, cx - halfW + 3, shoulderY + 10, cx - halfW + 1, S, scale(shirt, 0.7), 1, 8);
  blendLine(img, cx + halfW - 3, shoulderY + 10, cx + halfW - 1, S, scale(shirt, 0.7), 1, 8);

  // The belt: the upper anchor sits on the pillar by the driver's left shoulder (image right).
  const webbing: Rgb = mix([35, 35, 38], [75, 75, 80], rnd());
  const edge = scale(webbing, 1.5);
  const anchor = { x: Math.min(S - 4, cx + halfW + r(6, 12)), y: r(26, 34) };
  const shoulder = { x: cx + halfW * r(0.45, 0.6), y: shoulderY + 2 };
  const hip = { x: cx - halfW * r(0.75, 0.95), y: S + 2 };
  const strap = (a: { x: number; y: number }, b: { x: number; y: number }, w: number) => {
    blendLine(img, a.x, a.y, b.x, b.y, webbing, 1, w);
    blendLine(img, a.x + w / 2, a.y, b.x + w / 2, b.y, edge, 0.7, 1);
  };
  const beltAcross = spec.label === "fastened" || (spec.label === "obstructed" && spec.beltUnder);
  if (beltAcross) {
    strap(anchor, shoulder, 5);
    strap(shoulder, hip, r(6, 8));
  } else {
    // Unbuckled, the retractor pulls the strap up against the pillar.
    strap(anchor, { x: anchor.x + r(-2, 2), y: S + 2 }, 5);
  }

  // Whatever hides the chest.
  if (spec.label === "obstructed") {
    const mid = { x: (shoulder.x + hip.x) / 2, y: (shoulder.y + hip.y) / 2 };
    if (spec.occluder === "arm") {
      // The right forearm raised across the chest along the belt's path (reaching for the mirror, holding a phone).
      blendLine(img, hip.x - 4, hip.y, shoulder.x + 4, shoulder.y - 4, scale(shirt, 0.75), 1, 15);
      blendEllipse(img, shoulder.x + 3, shoulder.y - 4, 7, 6, skin, 1, 0.2);
      blendLine(img, mid.x - 6, mid.y + 6, shoulder.x + 2, shoulder.y, skin, 1, 6);
    } else if (spec.occluder === "bag") {
      const w = r(38, 48);
      const h = r(34, 42);
      blendRect(img, mid.x - w / 2 + r(-3, 3), mid.y - h / 2 + r(-3, 3), w, h, pick(OBJECTS), 1);
      blendEllipse(img, mid.x - w / 2 + 4, mid.y, 5, 4, skin, 1, 0.2);
    } else {
      // A jacket thrown over the driver from the shoulders down.
      const coat = pick(OBJECTS);
      blendRect(img, cx - halfW - 2, shoulderY - 2, halfW * 2 + 4, S - shoulderY + 2, coat, 1, scale(coat, 0.75));
      blendLine(img, cx, shoulderY, cx + r(-4, 4), S, scale(coat, 0.6), 1, 2);
    }
  }

  if (night) {
    // Infrared: no colour, the illuminator lights the face and chest and falls off toward the edges.
    const gain = r(0.6, 0.85);
    for (let p = 0; p < S * S * 4; p += 4) {
      const y = 0.3 * img.data[p] + 0.59 * img.data[p + 1] + 0.11 * img.data[p + 2];
      img.data[p] = img.data[p + 1] = img.data[p + 2] = Math.min(255, Math.round(18 + y * gain));
    }
    addGlow(img, cx, shoulderY + 4, 26, [70, 70, 70], 0.7);
    vignette(img, 0.5);
    boxBlur(img, 1, 1, 1);
    addGrain(img, rnd, 10);
  } else {
    const k = r(0.75, 1.15);
    for (let p = 0; p < S * S * 4; p += 4) for (let c = 0; c < 3; c++) img.data[p + c] = Math.min(255, Math.round(img.data[p + c] * k));
    vignette(img, 0.25);
    addGrain(img, rnd, 5);
  }
  for (let p = 3; p < S * S * 4; p += 4) img.data[p] = 255;
  return img;
}

export async function generateCabinFrame(spec: CabinSpec, tags: string[] = []): Promise<CabinFrame> {
  const img = renderCabin(spec);
  const png = await encodePng({ rgba: img.data, width: img.width, height: img.height });
  return {
    name: spec.name,
    fileName: `${spec.name}.png`,
    tags: [...new Set(["cabin", spec.light, ...tags])].sort(),
    width: img.width,
    height: img.height,
    png,
    sha256: createHash("sha256").update(png).digest("hex"),
    groundTruth: { class: spec.label },
  };
}

/** The crops of a set with their class, tagged with the set's tag (same bytes on every run). */
export async function generateCabinFrames(set: SeatbeltSetName, count = SEATBELT_SETS[set].count): Promise<CabinFrame[]> {
  const out: CabinFrame[] = [];
  for (const spec of cabinSpecs(set, count)) out.push(await generateCabinFrame(spec, [SEATBELT_SETS[set].tag]));
  return out;
}
