// Test order: files on the shared demo seed (createSeededTestDatabase) start early, every other slot, so the seed is
// made once near the start and its copies are used soon after; its time-relative data (windows ending "now", alerts
// fired an hour ago) stays close to the clock the tests read. Otherwise vitest's own order (slow and failed first).
import fs from "node:fs";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const usesSeed = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8").includes("createSeededTestDatabase(");
  } catch {
    return false;
  }
};

export default class SeededFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const seeded = sorted.filter((f) => usesSeed(f.moduleId));
    const rest = sorted.filter((f) => !seeded.includes(f));
    const out: TestSpecification[] = [];
    while (seeded.length || rest.length) {
      const s = seeded.shift();
      if (s) out.push(s);
      const r = rest.shift();
      if (r) out.push(r);
    }
    return out;
  }
}
