// Deterministic dashcam-like sample frames with ground truth: pureimage draws the scene in perspective with the DejaVu
// font from npm, typed-array passes add light, weather and lens faults, sharp encodes the PNG. Same bytes on every run.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as PImage from "pureimage";
import sharp from "sharp";
import type { FrameGroundTruth } from "@/db/schema/frames";
import {
  addGlow,
  addGrain,
  addLightEllipse,
  applyLight,
  blendEllipse,
  blendLine,
  blendMask,
  blendRect,
  boxBlur,
  clamp,
  css,
  fillRowsGradient,
  mix,
  mulberry32,
  scale,
  veil,
  vignette,
  type Raster,
  type Rgb,
} from "./raster";
import type { FrameTag } from "@/server/frames/schemas";

export const FRAME_WIDTH = 640;
export const FRAME_HEIGHT = 360;
const W = FRAME_WIDTH;
const H = FRAME_HEIGHT;
/** Pinhole camera 1.35 m above the road; 520 px focal length is about a 63° horizontal field of view. */
const FOCAL = 520;
const CAM_H = 1.35;

export const FONT_FILE = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "dejavu-fonts-ttf", "ttf", "DejaVuSans-Bold.ttf");
const FONT_FAMILY = "DejaVu Sans";

type PathCommand = { type: "M" | "L" | "Q" | "C" | "Z"; x: number; y: number; x1: number; y1: number; x2: number; y2: number };
type GlyphFont = { getPath(text: string, x: number, y: number, size: number): { commands: PathCommand[] } };

let glyphFont: GlyphFont | undefined;
function font(): GlyphFont {
  if (!glyphFont) {
    if (!fs.existsSync(FONT_FILE)) throw new Error(`Font not found at ${FONT_FILE}; install the dejavu-fonts-ttf package`);
    const registered = PImage.registerFont(FONT_FILE, FONT_FAMILY);
    registered.loadSync();
    glyphFont = registered.font as GlyphFont;
  }
  return glyphFont;
}

// ---------------------------------------------------------------------------------------------------------------------
// Frame specifications

type Light = "day" | "night" | "tunnel";
type Road = "highway" | "urban";
type VehicleKind = "car" | "suv" | "truck" | "bus";
type SignKind = "stop" | "speed" | "guide" | "oneway" | "school" | "sos" | "exit";

export type VehicleSpec = { kind: VehicleKind; x: number; z: number; oncoming?: boolean; color?: Rgb; line?: string };
export type SignSpec = { kind: SignKind; z: number; side?: "left" | "right"; lines?: string[] };
/** A person standing or walking at lateral offset x (metres, + is right) and distance z; `height` in metres. */
export type PedestrianSpec = { x: number; z: number; height?: number; shirt?: Rgb };
export type FrameSpec = {
  name: string;
  seed: number;
  road: Road;
  light: Light;
  rain?: boolean;
  glare?: boolean;
  /** Box-blur radius in pixels (three passes); `motion` blurs horizontally only. */
  blur?: { radius: number; motion?: boolean };
  obstruction?: boolean;
  vehicles: VehicleSpec[];
  signs: SignSpec[];
  /** Optional so the 24 demo frames (which have none) keep their pixels. */
  pedestrians?: PedestrianSpec[];
};

export function tagsOf(spec: FrameSpec): FrameTag[] {
  const tags: FrameTag[] = [spec.light, spec.road];
  if (spec.rain) tags.push("rain");
  if (spec.glare) tags.push("glare");
  if (spec.blur) tags.push("blur");
  if (spec.obstruction) tags.push("obstruction");
  return tags.sort();
}

/** The camera-health class, in the demo model's priority order: too dark, else obstructed, else blurry, else ok. */
export function classOf(spec: FrameSpec): "ok" | "too_dark" | "blurry" | "obstructed" {
  if (spec.light === "night") return "too_dark";
  if (spec.obstruction) return "obstructed";
  if (spec.blur) return "blurry";
  return "ok";
}

const RED: Rgb = [178, 34, 40];
const car = (x: number, z: number, color?: Rgb): VehicleSpec => ({ kind: "car", x, z, color });

/** 24 frames covering every tag; each tag appears at least twice and with both road types where it makes sense. */
export const DEMO_FRAME_SPECS: FrameSpec[] = [
  {
    name: "highway-day-clear",
    seed: 101,
    road: "highway",
    light: "day",
    vehicles: [car(0, 6.2), car(3.6, 16), { kind: "truck", x: -3.6, z: 24 }],
    signs: [{ kind: "guide", z: 24, lines: ["EXIT 24", "AIRPORT"] }],
  },
  {
    name: "highway-day-truck",
    seed: 102,
    road: "highway",
    light: "day",
    vehicles: [{ kind: "truck", x: 0, z: 7.2 }, car(3.6, 11, RED), car(-3.6, 30)],
    signs: [{ kind: "speed", z: 16, lines: ["SPEED", "100"] }],
  },
  {
    name: "urban-day-stop",
    seed: 103,
    road: "urban",
    light: "day",
    vehicles: [car(0, 6.2), { ...car(-3.5, 22), oncoming: true }],
    signs: [{ kind: "stop", z: 12 }],
  },
  {
    name: "urban-day-bus",
    seed: 104,
    road: "urban",
    light: "day",
    vehicles: [
      { kind: "bus", x: 0, z: 10, line: "42 CENTRAL" },
      { ...car(-3.5, 16), oncoming: true },
    ],
    signs: [{ kind: "speed", z: 13, lines: ["SPEED", "30"] }],
  },
  {
    name: "urban-day-close-plate",
    seed: 105,
    road: "urban",
    light: "day",
    vehicles: [car(0, 4.8), { kind: "suv", x: -3.5, z: 26, oncoming: true }],
    signs: [{ kind: "oneway", z: 15, side: "left" }],
  },
  {
    name: "urban-day-school",
    seed: 106,
    road: "urban",
    light: "day",
    vehicles: [
      { kind: "suv", x: 0, z: 6.5 },
      { ...car(-3.5, 14), oncoming: true },
    ],
    signs: [{ kind: "school", z: 12 }],
  },
  {
    name: "highway-day-glare",
    seed: 107,
    road: "highway",
    light: "day",
    glare: true,
    vehicles: [car(0, 7), car(-3.6, 18)],
    signs: [{ kind: "guide", z: 22, lines: ["NORTH 12", "CITY CENTRE"] }],
  },
  { name: "urban-day-glare", seed: 108, road: "urban", light: "day", glare: true, vehicles: [car(0, 6)], signs: [{ kind: "stop", z: 12 }] },
  {
    name: "highway-day-rain",
    seed: 109,
    road: "highway",
    light: "day",
    rain: true,
    vehicles: [car(0, 6.5), { kind: "truck", x: 3.6, z: 14 }],
    signs: [{ kind: "speed", z: 15, lines: ["SPEED", "80"] }],
  },
  {
    name: "urban-day-rain",
    seed: 110,
    road: "urban",
    light: "day",
    rain: true,
    vehicles: [car(0, 5.5), { ...car(-3.5, 18), oncoming: true }],
    signs: [{ kind: "stop", z: 12 }],
  },
  {
    name: "urban-night-rain",
    seed: 111,
    road: "urban",
    light: "night",
    rain: true,
    vehicles: [car(0, 6), { ...car(-3.5, 20), oncoming: true }],
    signs: [{ kind: "speed", z: 12, lines: ["SPEED", "30"] }],
  },
  {
    name: "highway-night",
    seed: 112,
    road: "highway",
    light: "night",
    vehicles: [car(0, 6), car(3.6, 20)],
    signs: [{ kind: "guide", z: 22, lines: ["EXIT 31", "HARBOUR"] }],
  },
  {
    name: "urban-night",
    seed: 113,
    road: "urban",
    light: "night",
    vehicles: [car(0, 5.5), { ...car(-3.5, 24), oncoming: true }],
    signs: [{ kind: "stop", z: 12 }],
  },
  {
    name: "highway-night-truck",
    seed: 114,
    road: "highway",
    light: "night",
    vehicles: [{ kind: "truck", x: 0, z: 7.2 }, car(-3.6, 14)],
    signs: [{ kind: "speed", z: 16, lines: ["SPEED", "90"] }],
  },
  { name: "highway-tunnel", seed: 115, road: "highway", light: "tunnel", vehicles: [car(0, 6.5), car(3.6, 18)], signs: [{ kind: "sos", z: 14 }] },
  {
    name: "urban-tunnel",
    seed: 116,
    road: "urban",
    light: "tunnel",
    vehicles: [{ kind: "bus", x: 0, z: 11, line: "7 STATION" }],
    signs: [{ kind: "exit", z: 13, lines: ["EXIT 150 M"] }],
  },
  {
    name: "highway-tunnel-blur",
    seed: 117,
    road: "highway",
    light: "tunnel",
    blur: { radius: 4 },
    vehicles: [car(0, 6.5), { kind: "truck", x: -3.6, z: 15 }],
    signs: [{ kind: "sos", z: 14 }],
  },
  {
    name: "urban-day-blur",
    seed: 118,
    road: "urban",
    light: "day",
    blur: { radius: 4 },
    vehicles: [car(0, 5.5), { ...car(-3.5, 16), oncoming: true }],
    signs: [{ kind: "stop", z: 12 }],
  },
  {
    name: "highway-day-motion-blur",
    seed: 119,
    road: "highway",
    light: "day",
    blur: { radius: 10, motion: true },
    vehicles: [car(0, 7), car(3.6, 14)],
    signs: [{ kind: "speed", z: 15, lines: ["SPEED", "120"] }],
  },
  {
    name: "highway-day-obstruction",
    seed: 120,
    road: "highway",
    light: "day",
    obstruction: true,
    vehicles: [car(0, 6.5), car(-3.6, 18)],
    signs: [{ kind: "guide", z: 22, lines: ["EXIT 9", "PORT"] }],
  },
  { name: "urban-day-obstruction", seed: 121, road: "urban", light: "day", obstruction: true, vehicles: [car(0, 5.5)], signs: [{ kind: "stop", z: 12 }] },
  {
    name: "urban-rain-obstruction",
    seed: 122,
    road: "urban",
    light: "day",
    rain: true,
    obstruction: true,
    vehicles: [{ kind: "suv", x: 0, z: 6 }],
    signs: [{ kind: "speed", z: 13, lines: ["SPEED", "40"] }],
  },
  {
    name: "urban-day-traffic",
    seed: 123,
    road: "urban",
    light: "day",
    vehicles: [car(0, 5.2), { kind: "truck", x: 0, z: 16 }, { ...car(-3.5, 12), oncoming: true }, { kind: "bus", x: -3.5, z: 30, oncoming: true }],
    signs: [{ kind: "speed", z: 12, lines: ["SPEED", "50"] }],
  },
  {
    name: "highway-rain-glare",
    seed: 124,
    road: "highway",
    light: "day",
    rain: true,
    glare: true,
    vehicles: [car(0, 6.8), car(3.6, 15)],
    signs: [{ kind: "guide", z: 22, lines: ["EXIT 17", "STADIUM"] }],
  },
];

// ---------------------------------------------------------------------------------------------------------------------
// Scene state: the bitmap plus per-pixel owner ids (for ground-truth visibility) and materials (for lighting)

const MAT_LIT = 0;
const MAT_EMISSIVE = 1;
const MAT_RETRO = 2;

type Pt = [number, number];
type Box = { x: number; y: number; w: number; h: number };
type GtEntry = { owner: number; box: Box; label: string; text?: string; painted: number; fullArea: number; minVisible: number; afterLens: boolean };
type Glow = { x: number; y: number; r: number; color: Rgb; k: number; reflect: boolean };

type Scene = {
  spec: FrameSpec;
  rnd: () => number;
  ctx: PImage.Context;
  r: Raster;
  cx: number;
  hy: number;
  owner: Int16Array;
  material: Uint8Array;
  cur: { owner: number; mat: number };
  nextOwner: number;
  gt: GtEntry[];
  glows: Glow[];
  lightMap: Float32Array | null;
  haze: Rgb;
  visibility: number;
  /** Set once lens effects are done: what is drawn after (the timestamp) is not hidden by dirt on the lens. */
  afterLens: boolean;
};

const rand = (S: Scene, a: number, b: number) => a + (b - a) * S.rnd();
const pick = <T>(S: Scene, xs: readonly T[]): T => xs[Math.floor(S.rnd() * xs.length)];
const P = (S: Scene, X: number, Y: number, Z: number): Pt => [S.cx + (FOCAL * X) / Z, S.hy + (FOCAL * (CAM_H - Y)) / Z];
/** Atmospheric perspective: far things fade toward the haze colour. */
const hz = (S: Scene, c: Rgb, z: number): Rgb => mix(c, S.haze, 1 - Math.exp(-z / S.visibility));

/** Sutherland–Hodgman against a frame slightly larger than the image, so huge near polygons cost nothing. */
function clipToFrame(pts: Pt[]): Pt[] {
  const edges: [(p: Pt) => boolean, (a: Pt, b: Pt) => Pt][] = [
    [(p) => p[0] >= -2, (a, b) => lerpAt(a, b, (-2 - a[0]) / (b[0] - a[0]))],
    [(p) => p[0] <= W + 2, (a, b) => lerpAt(a, b, (W + 2 - a[0]) / (b[0] - a[0]))],
    [(p) => p[1] >= -2, (a, b) => lerpAt(a, b, (-2 - a[1]) / (b[1] - a[1]))],
    [(p) => p[1] <= H + 2, (a, b) => lerpAt(a, b, (H + 2 - a[1]) / (b[1] - a[1]))],
  ];
  let out = pts;
  for (const [inside, cut] of edges) {
    const input = out;
    out = [];
    for (let i = 0; i < input.length; i++) {
      const a = input[i];
      const b = input[(i + 1) % input.length];
      if (inside(a)) {
        out.push(a);
        if (!inside(b)) out.push(cut(a, b));
      } else if (inside(b)) out.push(cut(a, b));
    }
    if (!out.length) break;
  }
  return out;
}
const lerpAt = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** Marks the pixels whose centres fall inside the polygon (even-odd) with the current owner and material. */
function markPolygon(S: Scene, pts: Pt[]): void {
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of pts) {
    minY = Math.min(minY, p[1]);
    maxY = Math.max(maxY, p[1]);
  }
  const xs: number[] = [];
  for (let y = Math.max(0, Math.floor(minY)); y <= Math.min(H - 1, Math.ceil(maxY)); y++) {
    const sy = y + 0.5;
    xs.length = 0;
    for (let i = 0; i < pts.length; i++) {
      const a = pts[i];
      const b = pts[(i + 1) % pts.length];
      if ((a[1] <= sy && b[1] > sy) || (b[1] <= sy && a[1] > sy)) xs.push(a[0] + ((sy - a[1]) / (b[1] - a[1])) * (b[0] - a[0]));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const x0 = Math.max(0, Math.ceil(xs[k] - 0.5));
      const x1 = Math.min(W - 1, Math.floor(xs[k + 1] - 0.5));
      for (let x = x0; x <= x1; x++) {
        S.owner[y * W + x] = S.cur.owner;
        S.material[y * W + x] = S.cur.mat;
      }
    }
  }
}

function poly(S: Scene, pts: Pt[], color: Rgb): void {
  const c = clipToFrame(pts);
  if (c.length < 3) return;
  S.ctx.fillStyle = css(color);
  S.ctx.beginPath();
  S.ctx.moveTo(c[0][0], c[0][1]);
  for (let i = 1; i < c.length; i++) S.ctx.lineTo(c[i][0], c[i][1]);
  S.ctx.closePath();
  S.ctx.fill();
  markPolygon(S, c);
}

const rectPts = (x: number, y: number, w: number, h: number): Pt[] => [
  [x, y],
  [x + w, y],
  [x + w, y + h],
  [x, y + h],
];
/** A quad in the world: four (X, Y, Z) corners projected. */
const quad = (S: Scene, corners: [number, number, number][], color: Rgb) =>
  poly(
    S,
    corners.map(([X, Y, Z]) => P(S, X, Y, Z)),
    color,
  );

/** Rectangle with a vertical gradient, drawn with typed-array blending (faster than a path for shading). */
function shadedRect(S: Scene, x: number, y: number, w: number, h: number, top: Rgb, bottom: Rgb): void {
  blendRect(S.r, x, y, w, h, top, 1, bottom);
  markPolygon(S, clipToFrame(rectPts(Math.round(x), Math.round(y), Math.round(x + w) - Math.round(x), Math.round(y + h) - Math.round(y))));
}

function startObject(S: Scene, mat = MAT_LIT): number {
  S.cur = { owner: S.nextOwner++, mat };
  return S.cur.owner;
}

function countOwner(S: Scene, b: Box, id: number, mask?: Float32Array): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(b.x));
  const x1 = Math.min(W, Math.ceil(b.x + b.w));
  const y0 = Math.max(0, Math.floor(b.y));
  const y1 = Math.min(H, Math.ceil(b.y + b.h));
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (S.owner[y * W + x] === id && !(mask && mask[y * W + x] > 0.5)) n++;
  return n;
}

/** Registers a ground-truth box for the object just drawn; its visibility is checked once everything is drawn. */
function addGt(S: Scene, box: Box, label: string, opts: { text?: string; minVisible?: number } = {}): void {
  const owner = S.cur.owner;
  S.gt.push({
    owner,
    box,
    label,
    text: opts.text,
    painted: countOwner(S, box, owner),
    fullArea: box.w * box.h,
    minVisible: opts.minVisible ?? 0.5,
    afterLens: S.afterLens,
  });
}

// ---------------------------------------------------------------------------------------------------------------------
// Text

function textPath(text: string, size: number) {
  const p = font().getPath(text, 0, 0, size);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const c of p.commands) {
    if (c.type === "Z") continue;
    x0 = Math.min(x0, c.x);
    x1 = Math.max(x1, c.x);
    y0 = Math.min(y0, c.y);
    y1 = Math.max(y1, c.y);
  }
  return { commands: p.commands, x0, y0, x1, y1, w: x1 - x0, h: y1 - y0 };
}

/** Largest font size whose ink fits in w x h (cap height for upper-case text). */
function fitSize(text: string, w: number, h: number): number {
  const probe = textPath(text, 100);
  return Math.min((100 * w) / probe.w, (100 * h) / probe.h);
}

/**
 * Fills `text` centred on (cx, cy) as one even-odd path (holes in O, 4, 8 stay open) and returns its ink box.
 * With `gt`, the text line becomes a ground-truth "text" box that must stay fully visible.
 */
function drawText(S: Scene, text: string, cx: number, cy: number, size: number, color: Rgb, gt = true): Box {
  const t = textPath(text, size);
  const dx = cx - (t.x0 + t.x1) / 2;
  const dy = cy - (t.y0 + t.y1) / 2;
  const ctx = S.ctx;
  ctx.fillStyle = css(color);
  ctx.beginPath();
  let sx = 0;
  let sy = 0;
  for (const c of t.commands) {
    if (c.type === "M") {
      sx = c.x + dx;
      sy = c.y + dy;
      ctx.moveTo(sx, sy);
    } else if (c.type === "L") ctx.lineTo(c.x + dx, c.y + dy);
    else if (c.type === "Q") ctx.quadraticCurveTo(c.x1 + dx, c.y1 + dy, c.x + dx, c.y + dy);
    else if (c.type === "C") ctx.bezierCurveTo(c.x1 + dx, c.y1 + dy, c.x2 + dx, c.y2 + dy, c.x + dx, c.y + dy);
    else ctx.lineTo(sx, sy);
  }
  ctx.fill();
  const pad = Math.max(2, size * 0.08);
  const box = { x: t.x0 + dx - pad, y: t.y0 + dy - pad, w: t.w + 2 * pad, h: t.h + 2 * pad };
  if (gt) addGt(S, box, "text", { text, minVisible: 0.9 });
  return box;
}

// ---------------------------------------------------------------------------------------------------------------------
// Environment

function drawSky(S: Scene): void {
  const { light, rain, road } = S.spec;
  const top: Rgb = light === "night" ? [5, 7, 16] : rain ? [96, 102, 110] : [62, 112, 182];
  const bottom: Rgb = light === "night" ? (road === "urban" ? [34, 28, 32] : [14, 17, 26]) : rain ? [150, 155, 160] : [182, 204, 226];
  startObject(S, light === "night" ? MAT_EMISSIVE : MAT_LIT);
  fillRowsGradient(S.r, 0, S.hy + 1, top, bottom);
  markPolygon(S, rectPts(0, 0, W, S.hy + 1));
  if (light === "day") {
    const clouds = rain ? 9 : 3 + Math.floor(S.rnd() * 4);
    for (let i = 0; i < clouds; i++) {
      const cy = rand(S, 10, S.hy * 0.6);
      const color: Rgb = rain ? [122, 126, 132] : [246, 248, 252];
      for (let k = 0; k < 4; k++)
        blendEllipse(S.r, rand(S, -40, W + 40) + k * 25, cy + rand(S, -8, 8), rand(S, 40, 110), rand(S, 10, 24), color, rain ? 0.55 : 0.75, 0.8);
    }
  } else {
    for (let i = 0; i < 40; i++) blendRect(S.r, rand(S, 0, W), rand(S, 0, S.hy * 0.7), 1, 1, [200, 205, 220], rand(S, 0.2, 0.6));
  }
}

function drawHighwaySurroundings(S: Scene): void {
  startObject(S);
  const hill = hz(S, [92, 110, 96], 2000);
  const ridge: Pt[] = [];
  let h = rand(S, 8, 26);
  for (let x = -10; x <= W + 20; x += 20) {
    h = clamp(h + rand(S, -6, 6), 4, 34);
    ridge.push([x, S.hy - h]);
  }
  poly(S, [...ridge, [W + 20, S.hy + 2], [-10, S.hy + 2]], hill);
  const trees: Pt[] = [];
  for (let x = -10; x <= W + 10; x += 6) trees.push([x, S.hy - rand(S, 2, 9)]);
  poly(S, [...trees, [W + 10, S.hy + 2], [-10, S.hy + 2]], hz(S, [52, 74, 48], 700));
  // Grass verges, banded so they fade into the haze.
  const grass: Rgb = S.spec.rain ? [70, 88, 56] : [88, 118, 62];
  const bands = [2.5, 5, 8, 12, 18, 28, 45, 80, 150, 400];
  for (let i = 0; i + 1 < bands.length; i++) {
    const [z0, z1] = [bands[i], bands[i + 1]];
    const c = hz(S, grass, (z0 + z1) / 2);
    quad(
      S,
      [
        [-60, 0, z0],
        [60, 0, z0],
        [60, 0, z1],
        [-60, 0, z1],
      ],
      c,
    );
  }
}

function drawUrbanSurroundings(S: Scene): void {
  const night = S.spec.light === "night";
  startObject(S);
  const bands = [2, 4, 7, 11, 17, 26, 40, 70, 150, 400];
  for (let i = 0; i + 1 < bands.length; i++) {
    const [z0, z1] = [bands[i], bands[i + 1]];
    const c = hz(S, [150, 148, 142], (z0 + z1) / 2);
    quad(
      S,
      [
        [-30, 0, z0],
        [30, 0, z0],
        [30, 0, z1],
        [-30, 0, z1],
      ],
      c,
    );
  }
  // Facades parallel to the road, far blocks first, with window grids.
  const palette: Rgb[] = [
    [170, 92, 70],
    [196, 180, 150],
    [150, 152, 158],
    [214, 208, 196],
    [120, 96, 84],
    [176, 160, 130],
  ];
  for (const X of [-9.5, 6.6]) {
    const blocks: { z0: number; z1: number; h: number; color: Rgb }[] = [];
    let z = 1.5;
    while (z < 170) {
      const len = rand(S, 12, 30);
      if (S.rnd() < 0.15 && z > 20) {
        z += rand(S, 8, 14); // a side street
        continue;
      }
      blocks.push({ z0: z, z1: z + len, h: rand(S, 9, 26), color: pick(S, palette) });
      z += len;
    }
    for (const b of blocks.reverse()) {
      startObject(S);
      const zm = (b.z0 + b.z1) / 2;
      quad(
        S,
        [
          [X, 0, b.z0],
          [X, b.h, b.z0],
          [X, b.h, b.z1],
          [X, 0, b.z1],
        ],
        hz(S, b.color, zm),
      );
      // The end wall facing the camera, visible where the next block is a gap.
      const inward = X < 0 ? 1 : -1;
      quad(
        S,
        [
          [X, 0, b.z0],
          [X, b.h, b.z0],
          [X - inward * 12, b.h, b.z0],
          [X - inward * 12, 0, b.z0],
        ],
        hz(S, scale(b.color, 0.82), b.z0),
      );
      const glass: Rgb = [70, 86, 104];
      for (let wz = b.z0 + 1; wz + 1.4 < b.z1; wz += 3) {
        if (wz > 90) break;
        // Shop windows on the ground floor, then upper floors.
        quad(
          S,
          [
            [X, 0.5, wz],
            [X, 2.6, wz],
            [X, 2.6, wz + 2.2],
            [X, 0.5, wz + 2.2],
          ],
          hz(S, [52, 62, 72], wz),
        );
        for (let wy = 3.6; wy + 1.6 < b.h; wy += 3.2) {
          const lit = night && S.rnd() < 0.22;
          S.cur = { owner: S.cur.owner, mat: lit ? MAT_EMISSIVE : MAT_LIT };
          quad(
            S,
            [
              [X, wy, wz],
              [X, wy + 1.6, wz],
              [X, wy + 1.6, wz + 1.4],
              [X, wy, wz + 1.4],
            ],
            lit ? [206, 166, 96] : hz(S, glass, wz),
          );
          S.cur = { owner: S.cur.owner, mat: MAT_LIT };
        }
      }
    }
  }
  // Sidewalk edges (kerbs).
  startObject(S);
  for (const X of [-5.6, 2.7])
    quad(
      S,
      [
        [X, 0, 2],
        [X + 0.25, 0, 2],
        [X + 0.25, 0, 300],
        [X, 0, 300],
      ],
      [196, 194, 188],
    );
}

function drawRoad(S: Scene): void {
  const { road, rain, light } = S.spec;
  const [left, right] = road === "highway" ? [-7.2, 7.2] : light === "tunnel" ? [-5.6, 5.6] : [-5.6, 2.7];
  const asphalt: Rgb = rain ? [72, 74, 78] : [104, 104, 108];
  const bands = [2, 3, 4.5, 6.5, 9, 13, 19, 28, 42, 65, 100, 160, 400];
  startObject(S);
  for (let i = 0; i + 1 < bands.length; i++) {
    const [z0, z1] = [bands[i], bands[i + 1]];
    quad(
      S,
      [
        [left, 0, z0],
        [right, 0, z0],
        [right, 0, z1],
        [left, 0, z1],
      ],
      hz(S, asphalt, (z0 + z1) / 2),
    );
  }
  // Patches and tyre tracks: subtle darker strips so the asphalt is not flat.
  for (const X of [-0.9, 0.9])
    quad(
      S,
      [
        [X - 0.35, 0, 2],
        [X + 0.35, 0, 2],
        [X + 0.35, 0, 200],
        [X - 0.35, 0, 200],
      ],
      hz(S, scale(asphalt, 0.9), 40),
    );
  const paint: Rgb = [236, 236, 228];
  const yellow: Rgb = [226, 184, 40];
  const solid = (X: number, color: Rgb, w = 0.15) => {
    for (let i = 0; i + 1 < bands.length; i++) {
      const [z0, z1] = [bands[i], bands[i + 1]];
      quad(
        S,
        [
          [X - w / 2, 0, z0],
          [X + w / 2, 0, z0],
          [X + w / 2, 0, z1],
          [X - w / 2, 0, z1],
        ],
        hz(S, color, (z0 + z1) / 2),
      );
    }
  };
  const dashed = (X: number, color: Rgb, dash: number, period: number) => {
    for (let z = 2 + S.rnd() * period; z < 160; z += period)
      quad(
        S,
        [
          [X - 0.08, 0, z],
          [X + 0.08, 0, z],
          [X + 0.08, 0, z + dash],
          [X - 0.08, 0, z + dash],
        ],
        hz(S, color, z),
      );
  };
  if (road === "highway") {
    solid(-7.0, paint);
    solid(7.0, paint);
    dashed(-1.8, paint, 3, 12);
    dashed(1.8, paint, 3, 12);
    dashed(-5.4, paint, 3, 12);
    dashed(5.4, paint, 3, 12);
  } else {
    solid(-1.85, yellow, 0.12);
    solid(-1.65, yellow, 0.12);
    solid(-5.3, paint);
    solid(2.45, paint);
    if (light === "day" && !S.spec.obstruction) {
      // A zebra crossing ahead.
      const z0 = rand(S, 24, 34);
      for (let X = -5.2; X < 2.4; X += 1.0)
        quad(
          S,
          [
            [X, 0, z0],
            [X + 0.5, 0, z0],
            [X + 0.5, 0, z0 + 3],
            [X, 0, z0 + 3],
          ],
          hz(S, paint, z0),
        );
    }
  }
}

function drawGuardRails(S: Scene): void {
  startObject(S);
  const metal: Rgb = [160, 164, 170];
  for (const X of [-7.7, 7.7]) {
    const bands = [2, 4, 7, 12, 20, 35, 60, 110, 300];
    for (let i = 0; i + 1 < bands.length; i++) {
      const [z0, z1] = [bands[i], bands[i + 1]];
      quad(
        S,
        [
          [X, 0.55, z0],
          [X, 0.8, z0],
          [X, 0.8, z1],
          [X, 0.55, z1],
        ],
        hz(S, metal, (z0 + z1) / 2),
      );
    }
    for (let z = 3; z < 90; z += 4)
      quad(
        S,
        [
          [X, 0, z],
          [X, 0.8, z],
          [X, 0.8, z + 0.15],
          [X, 0, z + 0.15],
        ],
        hz(S, [90, 92, 96], z),
      );
  }
}

function drawStreetLamps(S: Scene): void {
  const night = S.spec.light === "night";
  for (let z = 60; z >= 10; z -= 25) {
    for (const [X, arm] of [
      [3.4, -1.6],
      [-6.2, 1.6],
    ] as const) {
      const zz = z + (X < 0 ? 12 : 0);
      startObject(S);
      quad(
        S,
        [
          [X - 0.08, 0, zz],
          [X + 0.08, 0, zz],
          [X + 0.08, 6, zz],
          [X - 0.08, 6, zz],
        ],
        hz(S, [60, 62, 66], zz),
      );
      quad(
        S,
        [
          [X, 5.9, zz],
          [X + arm, 5.9, zz],
          [X + arm, 6.05, zz],
          [X, 6.05, zz],
        ],
        hz(S, [60, 62, 66], zz),
      );
      S.cur.mat = night ? MAT_EMISSIVE : MAT_LIT;
      const [lx, ly] = P(S, X + arm, 5.85, zz);
      const s = FOCAL / zz;
      poly(S, rectPts(lx - 0.3 * s, ly - 0.1 * s, 0.6 * s, 0.18 * s), night ? [255, 226, 170] : [200, 204, 206]);
      if (night) {
        S.glows.push({ x: lx, y: ly, r: 0.6 * s + 3, color: [255, 200, 130], k: 0.7, reflect: true });
        if (S.lightMap) {
          const [gx, gy] = P(S, X + arm, 0, zz);
          addLightEllipse(S.lightMap, W, H, gx, gy, 4 * s, 1.3 * s, 0.35);
        }
      }
    }
  }
}

function drawTunnel(S: Scene): void {
  const far = 180;
  const [l, r] = [-6.4, 6.4];
  startObject(S);
  fillRowsGradient(S.r, 0, H, [44, 42, 40], [30, 30, 30]);
  markPolygon(S, rectPts(0, 0, W, H));
  // Daylight at the exit, then walls, chamfers and ceiling converging on it.
  startObject(S, MAT_EMISSIVE);
  poly(S, [P(S, l, 0, far), P(S, l, 5.6, far), P(S, r, 5.6, far), P(S, r, 0, far)], [246, 246, 236]);
  const [ex, ey] = P(S, 0, 2.5, far);
  S.glows.push({ x: ex, y: ey, r: 26, color: [255, 250, 235], k: 0.8, reflect: false });
  startObject(S);
  const bands = [2, 4, 7, 12, 20, 35, 60, 100, far];
  for (let i = 0; i + 1 < bands.length; i++) {
    const [z0, z1] = [bands[i], bands[i + 1]];
    const zm = (z0 + z1) / 2;
    for (const X of [l, r]) {
      quad(
        S,
        [
          [X, 0, z0],
          [X, 1.1, z0],
          [X, 1.1, z1],
          [X, 0, z1],
        ],
        hz(S, [96, 96, 98], zm),
      );
      quad(
        S,
        [
          [X, 1.1, z0],
          [X, 4.4, z0],
          [X, 4.4, z1],
          [X, 1.1, z1],
        ],
        hz(S, [214, 206, 184], zm),
      );
      const inner = X < 0 ? -5.0 : 5.0;
      quad(
        S,
        [
          [X, 4.4, z0],
          [inner, 5.6, z0],
          [inner, 5.6, z1],
          [X, 4.4, z1],
        ],
        hz(S, [120, 116, 108], zm),
      );
    }
    quad(
      S,
      [
        [-5.0, 5.6, z0],
        [5.0, 5.6, z0],
        [5.0, 5.6, z1],
        [-5.0, 5.6, z1],
      ],
      hz(S, [70, 68, 66], zm),
    );
    // Coloured stripe along the walls, as tunnels have.
    for (const X of [l, r])
      quad(
        S,
        [
          [X, 2.4, z0],
          [X, 2.7, z0],
          [X, 2.7, z1],
          [X, 2.4, z1],
        ],
        hz(S, [40, 110, 170], zm),
      );
  }
  // Ceiling lamp rows, emissive, with pools of light on the road and walls.
  for (let z = 160; z >= 3; z -= 6) {
    for (const X of [-2.6, 2.6]) {
      startObject(S, MAT_EMISSIVE);
      quad(
        S,
        [
          [X - 0.25, 5.58, z],
          [X + 0.25, 5.58, z],
          [X + 0.25, 5.58, z + 1.8],
          [X - 0.25, 5.58, z + 1.8],
        ],
        [255, 244, 214],
      );
      const [gx, gy] = P(S, X, 5.5, z + 0.9);
      if (z < 80) S.glows.push({ x: gx, y: gy, r: 3 + 60 / z, color: [255, 236, 190], k: 0.45, reflect: false });
      if (S.lightMap && z < 70) {
        const [px, py] = P(S, X, 0, z + 0.9);
        const s = FOCAL / (z + 0.9);
        addLightEllipse(S.lightMap, W, H, px, py, 4.5 * s, 1.2 * s, 0.32);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Vehicles, plates, signs

const CAR_COLORS: Rgb[] = [
  [200, 202, 206],
  [38, 40, 46],
  [150, 26, 30],
  [30, 62, 130],
  [236, 236, 232],
  [110, 114, 120],
  [46, 92, 70],
];
const BUS_COLORS: Rgb[] = [
  [200, 40, 40],
  [30, 110, 170],
  [240, 190, 30],
];
const PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ";
function plateText(S: Scene): string {
  const l = () => PLATE_LETTERS[Math.floor(S.rnd() * PLATE_LETTERS.length)];
  const d = () => String(Math.floor(S.rnd() * 10));
  return `${l()}${l()} ${1 + Math.floor(S.rnd() * 9)}${d()}${d()}${d()}`;
}

/** A licence plate at world centre (X, Y, Z): oversized (0.9 x 0.22 m) so its text is large enough to read. */
function drawPlate(S: Scene, X: number, Y: number, Z: number, yellow: boolean): void {
  const s = FOCAL / Z;
  const [px, py] = P(S, X, Y, Z);
  const w = 0.9 * s;
  const h = 0.22 * s;
  const text = plateText(S);
  S.cur.mat = MAT_RETRO;
  poly(S, rectPts(px - w / 2 - 1, py - h / 2 - 1, w + 2, h + 2), [20, 20, 22]);
  poly(S, rectPts(px - w / 2, py - h / 2, w, h), yellow ? [246, 200, 30] : [242, 242, 238]);
  const size = fitSize(text, w * 0.86, h * 0.68);
  const box = { x: px - w / 2 - 1, y: py - h / 2 - 1, w: w + 2, h: h + 2 };
  // Too small to read: a blank plate, and no ground truth that no reader could meet.
  if (size * 0.73 >= 8) {
    drawText(S, text, px, py, size, [16, 16, 18]);
    addGt(S, box, "plate", { text, minVisible: 0.9 });
  }
  S.cur.mat = MAT_LIT;
}

function drawVehicle(S: Scene, v: VehicleSpec): void {
  const night = S.spec.light !== "day";
  const dims = { car: [1.8, 1.45], suv: [1.92, 1.78], truck: [2.5, 3.6], bus: [2.55, 3.1] }[v.kind];
  const [vw, vh] = dims;
  const Z = v.z;
  const s = FOCAL / Z;
  const [xl, yb] = P(S, v.x - vw / 2, 0, Z);
  const [xr] = P(S, v.x + vw / 2, 0, Z);
  const [, yt] = P(S, v.x, vh, Z);
  const w = xr - xl;
  const color = hz(S, v.color ?? (v.kind === "truck" ? [226, 226, 222] : v.kind === "bus" ? pick(S, BUS_COLORS) : pick(S, CAR_COLORS)), Z);
  const dark = scale(color, 0.62);
  const Y = (y: number) => P(S, 0, y, Z)[1];
  const X = (fx: number) => xl + w * fx;
  blendEllipse(S.r, (xl + xr) / 2, yb - 0.02 * s, w * 0.62, 0.2 * s, [10, 10, 12], 0.6, 0.6);
  const id = startObject(S);
  // Wheels under the body.
  poly(S, rectPts(X(0.04), Y(0.42), w * 0.18, Y(0) - Y(0.42)), [18, 18, 20]);
  poly(S, rectPts(X(0.78), Y(0.42), w * 0.18, Y(0) - Y(0.42)), [18, 18, 20]);
  const lights: { fx: number; fy: number; fw: number; fh: number; c: Rgb }[] = [];
  if (v.kind === "car" || v.kind === "suv") {
    const roof = v.kind === "suv" ? 1.0 : 0.95;
    shadedRect(S, X(0), Y(roof), w, Y(0.2) - Y(roof), mix(color, [255, 255, 255], 0.12), dark);
    poly(S, rectPts(X(0.02), Y(0.42), w * 0.96, Y(0.2) - Y(0.42)), [34, 34, 36]); // bumper
    // Cabin (a trapezoid) and glass.
    poly(
      S,
      [
        [X(0.06), Y(roof)],
        [X(0.16), Y(vh)],
        [X(0.84), Y(vh)],
        [X(0.94), Y(roof)],
      ],
      scale(color, 0.85),
    );
    const glass: Rgb = v.oncoming ? [96, 118, 136] : [36, 44, 54];
    poly(
      S,
      [
        [X(0.11), Y(roof + 0.03)],
        [X(0.19), Y(vh - 0.06)],
        [X(0.81), Y(vh - 0.06)],
        [X(0.89), Y(roof + 0.03)],
      ],
      hz(S, glass, Z),
    );
    blendRect(S.r, X(0.22), Y(vh - 0.1), w * 0.25, Y(roof + 0.15) - Y(vh - 0.1), [255, 255, 255], 0.08);
    if (v.oncoming) {
      poly(S, rectPts(X(0.33), Y(0.78), w * 0.34, Y(0.5) - Y(0.78)), [28, 28, 30]); // grille
      lights.push({ fx: 0.05, fy: 0.82, fw: 0.2, fh: 0.14, c: [250, 250, 236] }, { fx: 0.75, fy: 0.82, fw: 0.2, fh: 0.14, c: [250, 250, 236] });
    } else {
      lights.push({ fx: 0.03, fy: 0.9, fw: 0.2, fh: 0.17, c: [210, 30, 30] }, { fx: 0.77, fy: 0.9, fw: 0.2, fh: 0.17, c: [210, 30, 30] });
    }
    for (const L of lights) {
      S.cur.mat = night ? MAT_EMISSIVE : MAT_LIT;
      poly(S, rectPts(X(L.fx), Y(L.fy), w * L.fw, Y(L.fy - L.fh) - Y(L.fy)), night && !v.oncoming ? [255, 60, 50] : L.c);
      S.cur.mat = MAT_LIT;
    }
    drawPlate(S, v.x, v.oncoming ? 0.32 : 0.6, Z, false);
  } else if (v.kind === "truck") {
    poly(S, rectPts(X(0.1), Y(1.05), w * 0.8, Y(0.3) - Y(1.05)), [40, 40, 42]); // chassis
    shadedRect(S, X(0), Y(vh), w, Y(1.05) - Y(vh), mix(color, [255, 255, 255], 0.1), scale(color, 0.8));
    poly(S, rectPts(X(0.497), Y(vh - 0.05), Math.max(1, w * 0.006), Y(1.1) - Y(vh - 0.05)), [90, 90, 92]);
    for (const fx of [0.2, 0.3, 0.7, 0.8]) poly(S, rectPts(X(fx), Y(vh - 0.2), Math.max(1, w * 0.012), Y(1.2) - Y(vh - 0.2)), [120, 120, 124]);
    for (let i = 0; i < 10; i++) poly(S, rectPts(X(i / 10), Y(1.2), w / 10, Y(1.05) - Y(1.2)), i % 2 ? [230, 230, 230] : [200, 30, 30]);
    poly(S, rectPts(X(0.05), Y(0.5), w * 0.9, Y(0.36) - Y(0.5)), [60, 60, 62]); // under-run bar
    lights.push({ fx: 0.02, fy: 0.95, fw: 0.1, fh: 0.14, c: [210, 30, 30] }, { fx: 0.88, fy: 0.95, fw: 0.1, fh: 0.14, c: [210, 30, 30] });
    for (const L of lights) {
      S.cur.mat = night ? MAT_EMISSIVE : MAT_LIT;
      poly(S, rectPts(X(L.fx), Y(L.fy), w * L.fw, Y(L.fy - L.fh) - Y(L.fy)), night ? [255, 60, 50] : L.c);
      S.cur.mat = MAT_LIT;
    }
    drawPlate(S, v.x, 0.78, Z, true);
  } else {
    shadedRect(S, X(0), Y(vh), w, Y(0.3) - Y(vh), mix(color, [255, 255, 255], 0.1), scale(color, 0.78));
    poly(S, rectPts(X(0.06), Y(2.6), w * 0.88, Y(1.55) - Y(2.6)), hz(S, v.oncoming ? [90, 110, 126] : [32, 38, 46], Z));
    poly(S, rectPts(X(0.2), Y(1.3), w * 0.6, Y(0.85) - Y(1.3)), scale(color, 0.6)); // engine grille
    poly(S, rectPts(X(0.02), Y(0.45), w * 0.96, Y(0.25) - Y(0.45)), [34, 34, 36]);
    // Destination display: amber LED text on black, lit day and night.
    const line = v.line ?? "42 CENTRAL";
    S.cur.mat = MAT_EMISSIVE;
    const [dx0, dy0] = [X(0.1), Y(3.0)];
    const [dw, dh] = [w * 0.8, Y(2.66) - Y(3.0)];
    poly(S, rectPts(dx0, dy0, dw, dh), [14, 12, 10]);
    const size = fitSize(line, dw * 0.9, dh * 0.62);
    if (size * 0.73 >= 7) {
      drawText(S, line, dx0 + dw / 2, dy0 + dh / 2, size, [255, 176, 40]);
      addGt(S, { x: dx0, y: dy0, w: dw, h: dh }, "sign", { text: line, minVisible: 0.9 });
    }
    S.cur.mat = MAT_LIT;
    lights.push({ fx: 0.03, fy: 1.0, fw: 0.1, fh: 0.3, c: [210, 30, 30] }, { fx: 0.87, fy: 1.0, fw: 0.1, fh: 0.3, c: [210, 30, 30] });
    for (const L of lights) {
      S.cur.mat = night ? MAT_EMISSIVE : MAT_LIT;
      poly(S, rectPts(X(L.fx), Y(L.fy), w * L.fw, Y(L.fy - L.fh) - Y(L.fy)), night ? [255, 60, 50] : L.c);
      S.cur.mat = MAT_LIT;
    }
    drawPlate(S, v.x, 0.6, Z, false);
  }
  // Plate, lights and display share the body's owner id: whatever covers the vehicle covers them too.
  S.cur = { owner: id, mat: MAT_LIT };
  addGt(S, { x: xl, y: yt, w, h: yb - yt }, v.kind === "suv" ? "car" : v.kind, { minVisible: 0.45 });
  if (night) {
    for (const L of lights) {
      const lx = X(L.fx + L.fw / 2);
      const ly = (Y(L.fy) + Y(L.fy - L.fh)) / 2;
      const head = !!v.oncoming;
      S.glows.push({ x: lx, y: ly, r: (head ? 0.4 : 0.12) * s + 2, color: head ? [255, 250, 230] : [255, 40, 30], k: head ? 1.2 : 0.55, reflect: true });
    }
  }
}

const SHIRT_COLORS: Rgb[] = [
  [40, 70, 140],
  [150, 40, 40],
  [60, 60, 64],
  [210, 200, 180],
  [40, 110, 70],
  [190, 150, 40],
];
const TROUSER_COLORS: Rgb[] = [
  [30, 34, 48],
  [50, 46, 40],
  [70, 70, 76],
  [24, 24, 26],
];
const SKIN_COLORS: Rgb[] = [
  [224, 182, 150],
  [180, 130, 96],
  [120, 84, 60],
];

/** A walking person from a few polygons: legs in stride, torso, arms, head. Labelled "pedestrian". */
function drawPedestrian(S: Scene, p: PedestrianSpec): void {
  const Z = p.z;
  const ph = p.height ?? 1.72;
  const shirt = hz(S, p.shirt ?? pick(S, SHIRT_COLORS), Z);
  const trousers = hz(S, pick(S, TROUSER_COLORS), Z);
  const skin = hz(S, pick(S, SKIN_COLORS), Z);
  const stride = rand(S, 0, 0.22);
  const lean = rand(S, -0.04, 0.04);
  const x = p.x;
  const at = (dx: number, y: number): Pt => P(S, x + dx + lean * (y / ph), y, Z);
  const limb = (x0: number, y0: number, x1: number, y1: number, half: number, color: Rgb) => {
    const a = at(x0 - half, y0);
    const b = at(x0 + half, y0);
    const c = at(x1 + half, y1);
    const d = at(x1 - half, y1);
    poly(S, [a, b, c, d], color);
  };
  blendEllipse(S.r, P(S, x, 0, Z)[0], P(S, x, 0, Z)[1], (0.4 * FOCAL) / Z, (0.08 * FOCAL) / Z, [10, 10, 12], 0.5, 0.6);
  startObject(S);
  const hip = ph * 0.53;
  const shoulder = ph * 0.82;
  limb(-0.08, hip, -0.08 - stride, 0, 0.065, trousers);
  limb(0.08, hip, 0.08 + stride, 0, 0.065, scale(trousers, 0.85));
  limb(0, shoulder, 0, hip - 0.04, 0.2, shirt);
  limb(-0.22, shoulder - 0.02, -0.24 + stride * 0.6, hip - 0.02, 0.05, scale(shirt, 0.85));
  limb(0.22, shoulder - 0.02, 0.24 - stride * 0.6, hip - 0.02, 0.05, scale(shirt, 0.85));
  limb(0, shoulder + 0.05, 0, shoulder - 0.01, 0.05, skin);
  const headR = 0.11;
  const headC = ph - headR;
  poly(
    S,
    Array.from({ length: 10 }, (_, k): Pt => at(Math.cos((k / 10) * Math.PI * 2) * headR * 0.85, headC + Math.sin((k / 10) * Math.PI * 2) * headR)),
    skin,
  );
  const left = Math.min(at(-0.26, shoulder)[0], at(-0.08 - stride - 0.065, 0)[0], at(-0.24 + stride * 0.6 - 0.05, hip)[0]);
  const right = Math.max(at(0.26, shoulder)[0], at(0.08 + stride + 0.065, 0)[0], at(0.24 - stride * 0.6 + 0.05, hip)[0]);
  const top = at(0, ph)[1];
  const bottom = P(S, x, 0, Z)[1];
  addGt(S, { x: left, y: top, w: right - left, h: bottom - top }, "pedestrian", { minVisible: 0.4 });
}

type SignStyle = { bg: Rgb; fg: Rgb; border: Rgb; w: number; h: number };
const WHITE: Rgb = [250, 250, 250];
const INK: Rgb = [14, 14, 14];
/** Panel colours and minimum size in metres; panels are about 1.5x real size so their text can be read at 640x360. */
const SIGN_STYLES: Record<SignKind, SignStyle> = {
  stop: { bg: [196, 22, 32], fg: WHITE, border: WHITE, w: 1.35, h: 1.35 },
  speed: { bg: [246, 246, 242], fg: INK, border: INK, w: 1.15, h: 1.45 },
  guide: { bg: [0, 112, 62], fg: WHITE, border: WHITE, w: 0, h: 0 },
  oneway: { bg: INK, fg: WHITE, border: WHITE, w: 2.0, h: 0.7 },
  school: { bg: [214, 230, 40], fg: INK, border: INK, w: 1.7, h: 0.8 },
  sos: { bg: [0, 84, 160], fg: WHITE, border: WHITE, w: 1.3, h: 0.9 },
  exit: { bg: [0, 128, 70], fg: WHITE, border: WHITE, w: 2.4, h: 0.75 },
};

function signFrame(S: Scene, kind: SignKind, side: "left" | "right") {
  const { road, light } = S.spec;
  const X = light === "tunnel" ? (side === "right" ? 5.7 : -5.7) : road === "highway" ? (side === "right" ? 8.6 : -8.6) : side === "right" ? 4.4 : -6.6;
  const centreY = kind === "guide" ? 3.6 : light === "tunnel" ? 2.2 : 2.4;
  return { X, centreY };
}

function drawSign(S: Scene, sign: SignSpec): void {
  const side = sign.side ?? "right";
  const { X, centreY } = signFrame(S, sign.kind, side);
  const lines =
    sign.lines ?? { stop: ["STOP"], speed: ["SPEED", "50"], guide: ["EXIT"], oneway: ["ONE WAY"], school: ["SCHOOL"], sos: ["SOS"], exit: ["EXIT"] }[sign.kind];
  const style = SIGN_STYLES[sign.kind];
  // Text height in metres per line; the panel widens to fit its longest line.
  const lineH = sign.kind === "guide" ? 0.62 : sign.kind === "stop" ? 0.42 : sign.kind === "speed" ? 0.4 : 0.38;
  const widest = Math.max(...lines.map((t) => textPath(t, 100).w / textPath(t, 100).h)) * lineH;
  const pw = Math.max(style.w, widest + 0.5);
  // Octagons are as tall as they are wide.
  const ph = sign.kind === "guide" ? 0.95 * lines.length + 0.35 : sign.kind === "stop" ? pw : style.h;
  // Move the sign back until the whole panel is inside the frame with a margin.
  let Z = sign.z;
  for (let i = 0; i < 40; i++) {
    const [x0] = P(S, X - pw / 2, 0, Z);
    const [x1] = P(S, X + pw / 2, 0, Z);
    const [, y0] = P(S, X, centreY + ph / 2, Z);
    if (x0 >= 6 && x1 <= W - 6 && y0 >= 6) break;
    Z += 1;
  }
  const s = FOCAL / Z;
  const [px, py] = P(S, X, centreY, Z);
  const w = pw * s;
  const h = ph * s;
  // Pole(s) from the ground to the panel.
  startObject(S);
  const [, groundY] = P(S, X, 0, Z);
  const poleW = Math.max(1.5, 0.09 * s);
  const inTunnel = S.spec.light === "tunnel";
  // In a tunnel the sign hangs from a bracket; outside it stands on poles.
  const poles = sign.kind === "guide" ? [px - w * 0.3, px + w * 0.3] : inTunnel ? [] : [px];
  for (const x of poles) poly(S, rectPts(x - poleW / 2, py, poleW, groundY - py), hz(S, [110, 112, 116], Z));
  if (inTunnel) poly(S, rectPts(px - poleW / 2, py - h / 2 - 0.9 * s, poleW, 0.9 * s), [80, 80, 84]);
  startObject(S, MAT_RETRO);
  if (sign.kind === "stop") {
    const oct = (r: number) =>
      Array.from({ length: 8 }, (_, k): Pt => [px + r * Math.cos(Math.PI / 8 + (k * Math.PI) / 4), py + r * Math.sin(Math.PI / 8 + (k * Math.PI) / 4)]);
    const R = w / 2 / Math.cos(Math.PI / 8);
    poly(S, oct(R), style.border);
    poly(S, oct(R * 0.9), style.bg);
  } else {
    poly(S, rectPts(px - w / 2, py - h / 2, w, h), style.border);
    const b = Math.max(1, 0.05 * s);
    poly(S, rectPts(px - w / 2 + b, py - h / 2 + b, w - 2 * b, h - 2 * b), style.bg);
  }
  const lh = lineH * s;
  const gap = sign.kind === "speed" ? 0.18 * s : 0.3 * s;
  const total = lines.length * lh + (lines.length - 1) * gap;
  lines.forEach((t, k) => {
    const cy = py - total / 2 + k * (lh + gap) + lh / 2;
    // Speed limits show the number larger than the word.
    const size = fitSize(t, w * 0.86, sign.kind === "speed" && k === 1 ? lh * 1.2 : lh);
    drawText(S, t, px, cy + (sign.kind === "speed" && k === 1 ? lh * 0.1 : 0), size, style.fg);
  });
  addGt(S, { x: px - w / 2, y: py - h / 2, w, h }, "sign", { text: lines.join(" "), minVisible: 0.9 });
}

// ---------------------------------------------------------------------------------------------------------------------
// Lighting, weather and lens

function headlightMap(S: Scene): Float32Array {
  const map = new Float32Array(W * H);
  for (let y = Math.ceil(S.hy) + 1; y < H; y++) {
    const z = (FOCAL * CAM_H) / (y - S.hy);
    const reach = 1 / (1 + (z / 24) ** 2);
    for (let x = 0; x < W; x++) {
      const X = ((x - S.cx) * z) / FOCAL;
      const beam = Math.exp(-((X / (1.2 + 0.22 * z)) ** 2));
      map[y * W + x] = 0.75 * reach * beam;
    }
  }
  return map;
}

function obstructionMask(S: Scene): Float32Array {
  const mask = new Float32Array(W * H);
  const cx = rand(S, 0.3, 0.7) * W;
  const cy = rand(S, 0.45, 0.75) * H;
  const aspect = rand(S, 1.0, 1.6);
  let rx = Math.sqrt(((0.45 * W * H) / Math.PI) * aspect);
  let ry = Math.sqrt((0.45 * W * H) / Math.PI / aspect);
  const wobble = Array.from({ length: 5 }, () => [rand(S, 0, Math.PI * 2), rand(S, 0.04, 0.1)] as const);
  for (;;) {
    let covered = 0;
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const a = Math.atan2(y - cy, x - cx);
        let edge = 1;
        wobble.forEach(([ph, amp], k) => (edge += amp * Math.sin((k + 2) * a + ph)));
        const d = Math.hypot((x - cx) / rx, (y - cy) / ry) / edge;
        const m = clamp(0.5 + ((1 - d) * Math.min(rx, ry)) / 14, 0, 1);
        mask[y * W + x] = m;
        if (m > 0.5) covered++;
      }
    if (covered > 0.47 * W * H) return mask;
    rx *= 1.05;
    ry *= 1.05;
  }
}

function rainStreaks(S: Scene): void {
  const n = 700;
  const slant = rand(S, -0.35, 0.1);
  // At night only the drops near lights catch any: dimmer streaks.
  const streak: Rgb = S.spec.light === "night" ? [120, 124, 132] : [214, 218, 224];
  for (let i = 0; i < n; i++) {
    const x = rand(S, -20, W + 20);
    const y = rand(S, -20, H);
    const len = rand(S, 8, 26);
    blendLine(S.r, x, y, x + slant * len, y + len, streak, rand(S, 0.12, 0.32));
  }
  // Drops on the windscreen.
  for (let i = 0; i < 14; i++) blendEllipse(S.r, rand(S, 0, W), rand(S, 0, H), rand(S, 3, 8), rand(S, 3, 8), [220, 224, 230], 0.18, 0.9);
}

function glare(S: Scene): void {
  const signRight = S.spec.signs.every((g) => (g.side ?? "right") === "right");
  const sx = (signRight ? rand(S, 0.12, 0.32) : rand(S, 0.68, 0.88)) * W;
  const sy = S.hy - rand(S, 18, 50);
  addGlow(S.r, sx, sy, 170, [255, 236, 200], 0.5);
  addGlow(S.r, sx, sy, 46, [255, 250, 235], 3);
  blendEllipse(S.r, sx, sy, 16, 16, [255, 255, 255], 1, 0.3);
  addGlow(S.r, sx, sy, 260, [255, 240, 210], 0.45, 0.04);
  // Star rays from the aperture blades.
  for (let k = 0; k < 6; k++) {
    const a = (k * Math.PI) / 3 + 0.2;
    blendLine(S.r, sx, sy, sx + Math.cos(a) * 90, sy + Math.sin(a) * 90, [255, 250, 235], 0.35, 2);
  }
  // Ghosts along the line through the image centre.
  for (const t of [0.55, 0.85, 1.25]) {
    const gx = sx + (W / 2 - sx) * 2 * t;
    const gy = sy + (H / 2 - sy) * 2 * t;
    blendEllipse(S.r, gx, gy, 14 + 22 * t, 14 + 22 * t, t > 1 ? [150, 120, 255] : [150, 255, 170], 0.12, 0.6);
  }
  veil(S.r, [255, 246, 228], 0.1);
}

function overlay(S: Scene): Box {
  const night = S.spec.light === "night";
  const hour = night ? 21 + Math.floor(S.rnd() * 3) : 8 + Math.floor(S.rnd() * 9);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `2024-05-${pad(1 + (S.spec.seed % 28))} ${pad(hour)}:${pad(Math.floor(S.rnd() * 60))}:${pad(Math.floor(S.rnd() * 60))} ${Math.round(S.spec.road === "highway" ? rand(S, 80, 118) : rand(S, 22, 48))} KM/H`;
  startObject(S);
  const t = textPath(text, 15);
  blendRect(S.r, 6, H - 26, t.w + 14, 20, [0, 0, 0], 0.55);
  markPolygon(S, rectPts(6, H - 26, Math.round(t.w + 14), 20));
  return drawText(S, text, 13 + t.w / 2, H - 16, 15, [255, 255, 255]);
}

// ---------------------------------------------------------------------------------------------------------------------
// Rendering

export type RenderedFrame = { spec: FrameSpec; width: number; height: number; rgba: Uint8Array; groundTruth: Required<FrameGroundTruth>; tags: FrameTag[] };

export function renderFrame(spec: FrameSpec): RenderedFrame {
  const bitmap = PImage.make(W, H);
  const rnd = mulberry32(spec.seed);
  const S: Scene = {
    spec,
    rnd,
    ctx: bitmap.getContext("2d"),
    r: { data: bitmap.data, width: W, height: H },
    cx: W / 2 + (rnd() - 0.5) * 16,
    hy: 166 + rnd() * 10,
    owner: new Int16Array(W * H),
    material: new Uint8Array(W * H),
    cur: { owner: 0, mat: MAT_LIT },
    nextOwner: 1,
    gt: [],
    glows: [],
    lightMap: null,
    haze: spec.light === "night" ? [30, 32, 40] : spec.light === "tunnel" ? [60, 58, 54] : spec.rain ? [150, 154, 160] : [186, 204, 222],
    visibility: spec.rain ? 90 : spec.light === "tunnel" ? 260 : 240,
    afterLens: false,
  };
  const lit = spec.light !== "day";
  if (lit) S.lightMap = spec.light === "night" ? headlightMap(S) : new Float32Array(W * H);

  if (spec.light === "tunnel") drawTunnel(S);
  else {
    drawSky(S);
    if (spec.road === "highway") drawHighwaySurroundings(S);
    else drawUrbanSurroundings(S);
  }
  drawRoad(S);
  if (spec.road === "highway" && spec.light !== "tunnel") drawGuardRails(S);
  if (spec.road === "urban" && spec.light !== "tunnel") drawStreetLamps(S);
  // Painter's order: far to near, so nearer things cover farther ones (and their ground truth).
  const items: ({ z: number } & ({ sign: SignSpec } | { vehicle: VehicleSpec } | { pedestrian: PedestrianSpec }))[] = [
    ...spec.signs.map((sign) => ({ z: sign.z, sign })),
    ...spec.vehicles.map((vehicle) => ({ z: vehicle.z, vehicle })),
    ...(spec.pedestrians ?? []).map((pedestrian) => ({ z: pedestrian.z, pedestrian })),
  ];
  for (const it of items.sort((a, b) => b.z - a.z)) {
    if ("sign" in it) drawSign(S, it.sign);
    else if ("vehicle" in it) drawVehicle(S, it.vehicle);
    else drawPedestrian(S, it.pedestrian);
  }

  if (lit) applyLight(S.r, spec.light === "night" ? [0.065, 0.075, 0.1] : [0.78, 0.74, 0.66], S.lightMap, S.material, spec.light === "night" ? 0.8 : 0.95);
  for (const g of S.glows) {
    addGlow(S.r, g.x, g.y, g.r * (spec.rain ? 1.3 : 1), g.color, g.k);
    // Wet asphalt mirrors lights as long vertical streaks.
    if (spec.rain && g.reflect) addGlow(S.r, g.x, Math.min(H - 4, g.y + (H - g.y) * 0.35), g.r * 0.9, g.color, g.k * 0.35, 5);
  }
  if (spec.rain) {
    veil(S.r, spec.light === "night" ? [12, 13, 17] : [150, 154, 160], 0.14);
    rainStreaks(S);
  }
  if (spec.glare) glare(S);
  const grain = spec.light === "night" ? 9 : 6;
  if (spec.blur) {
    // Grain first: on a soft image the camera's noise reduction leaves no crisp noise (this is also what the
    // camera-health model's blur score expects).
    addGrain(S.r, rnd, grain);
    boxBlur(S.r, spec.blur.radius, spec.blur.motion ? Math.round(spec.blur.radius / 3) : spec.blur.radius, 3);
  }
  let mask: Float32Array | undefined;
  if (spec.obstruction) {
    mask = obstructionMask(S);
    blendMask(S.r, mask, [22, 17, 12], rnd, 1.2);
  }
  if (!spec.blur) addGrain(S.r, rnd, grain);
  vignette(S.r, 0.28);
  // The camera burns its timestamp in after the optics, so it stays sharp whatever the lens sees. Blurred frames come
  // from a camera with the overlay switched off: crisp overlay text would make the whole frame look in focus.
  S.afterLens = true;
  if (!spec.blur) overlay(S);
  return { spec, width: W, height: H, rgba: bitmap.data, groundTruth: groundTruthOf(S, mask), tags: tagsOf(spec) };
}

function groundTruthOf(S: Scene, mask?: Float32Array): Required<FrameGroundTruth> {
  const boxes: Required<FrameGroundTruth>["boxes"] = [];
  for (const e of S.gt) {
    const x0 = clamp(e.box.x, 0, W);
    const y0 = clamp(e.box.y, 0, H);
    const x1 = clamp(e.box.x + e.box.w, 0, W);
    const y1 = clamp(e.box.y + e.box.h, 0, H);
    if (x1 - x0 < 6 || y1 - y0 < 6) continue;
    const inFrame = ((x1 - x0) * (y1 - y0)) / e.fullArea;
    const visible = e.painted ? countOwner(S, e.box, e.owner, e.afterLens ? undefined : mask) / e.painted : 0;
    if (Math.min(inFrame, visible) < e.minVisible) continue;
    const box = { x: Math.round(x0), y: Math.round(y0), w: Math.round(x1) - Math.round(x0), h: Math.round(y1) - Math.round(y0), label: e.label };
    boxes.push(e.text === undefined ? box : { ...box, text: e.text });
  }
  const texts = boxes
    .filter((b) => b.label === "text")
    .sort((a, b) => a.y - b.y || a.x - b.x)
    .map((b) => b.text ?? "");
  return { boxes, texts, class: classOf(S.spec) };
}

/** PNG with fixed settings (RGB, level 9, no adaptive filtering, no metadata): the bytes depend only on the pixels. */
export async function encodePng(frame: { rgba: Uint8Array; width: number; height: number }): Promise<Buffer> {
  return sharp(Buffer.from(frame.rgba.buffer, frame.rgba.byteOffset, frame.rgba.byteLength), { raw: { width: frame.width, height: frame.height, channels: 4 } })
    .removeAlpha()
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer();
}

export type GeneratedFrame = {
  name: string;
  fileName: string;
  tags: FrameTag[];
  width: number;
  height: number;
  png: Buffer;
  sha256: string;
  /** sha256 of the raw RGBA pixels: stable even if a different PNG encoder version changed the file bytes. */
  pixelSha256: string;
  groundTruth: Required<FrameGroundTruth>;
};

export async function generateFrame(spec: FrameSpec): Promise<GeneratedFrame> {
  const frame = renderFrame(spec);
  const png = await encodePng(frame);
  return {
    name: spec.name,
    fileName: `${spec.name}.png`,
    tags: frame.tags,
    width: frame.width,
    height: frame.height,
    png,
    sha256: createHash("sha256").update(png).digest("hex"),
    pixelSha256: createHash("sha256").update(frame.rgba).digest("hex"),
    groundTruth: frame.groundTruth,
  };
}

export async function generateDemoFrames(specs: FrameSpec[] = DEMO_FRAME_SPECS): Promise<GeneratedFrame[]> {
  const out: GeneratedFrame[] = [];
  for (const spec of specs) out.push(await generateFrame(spec));
  return out;
}
