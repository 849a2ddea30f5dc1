// Demo generators and simulators stay out of the serving code: a route that imported one would bundle
// pureimage, sharp and the ONNX builder. Only the seed (db/seed, loaded dynamically in demo mode),
// scripts, tests and server/demo itself may import server/demo; the seed is imported statically by no one.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const DEMO = path.join(ROOT, "server", "demo");
const SEED = path.join(ROOT, "db", "seed");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every module specifier a file names, with whether it is a static import/export or a dynamic import(). */
function importsOf(source: string): { spec: string; dynamic: boolean }[] {
  const out: { spec: string; dynamic: boolean }[] = [];
  for (const m of source.matchAll(/(?:^|[\s;])(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']/g))
    out.push({ spec: m[1] ?? m[2], dynamic: false });
  for (const m of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push({ spec: m[1], dynamic: true });
  return out;
}

/** The absolute path (without extension) a specifier points at, or null for a package. */
function resolveSpec(fromFile: string, spec: string): string | null {
  if (spec.startsWith("@/")) return path.join(ROOT, spec.slice(2));
  if (spec.startsWith(".")) return path.resolve(path.dirname(fromFile), spec);
  return null;
}

const inside = (target: string, dir: string) => target === dir || target.startsWith(dir + path.sep);

function violations() {
  const found: string[] = [];
  for (const area of ["server", "app", "lib", "components"]) {
    for (const file of sourceFiles(path.join(ROOT, area))) {
      if (inside(file, DEMO)) continue;
      const rel = path.relative(ROOT, file);
      for (const { spec, dynamic } of importsOf(fs.readFileSync(file, "utf8"))) {
        const target = resolveSpec(file, spec);
        if (!target) continue;
        if (inside(target, DEMO)) found.push(`${rel} imports ${spec}`);
        // The seed pulls in every generator: only the boot path may load it, and only on demand.
        if (inside(target, SEED) && !(dynamic && rel === path.join("server", "db.ts"))) found.push(`${rel} imports ${spec}${dynamic ? "" : " statically"}`);
      }
    }
  }
  return found;
}

describe("demo code boundary", () => {
  it("finds static, re-exported, relative and dynamic imports", () => {
    const src = `import { a } from "@/server/demo/fleet";\nexport { b } from "../demo/raster";\nimport "./side";\nconst s = await import("@/db/seed");\nimport type { T } from "zod";`;
    expect(importsOf(src)).toEqual([
      { spec: "@/server/demo/fleet", dynamic: false },
      { spec: "../demo/raster", dynamic: false },
      { spec: "./side", dynamic: false },
      { spec: "zod", dynamic: false },
      { spec: "@/db/seed", dynamic: true },
    ]);
    expect(inside(resolveSpec(path.join(ROOT, "server/telemetry/x.ts"), "../demo/raster")!, DEMO)).toBe(true);
  });

  it("no serving code imports a demo module, and the seed is loaded only dynamically at boot", () => {
    expect(violations()).toEqual([]);
  });
});
