// Line diff of two texts (longest common subsequence), for runbook version comparisons; pure, shared by server and browser.
export type DiffLine = { op: "same" | "add" | "del"; text: string; a: number | null; b: number | null };

/** Runbooks are short; past this many lines per side the diff falls back to "all removed, all added" rather than use quadratic memory. */
export const MAX_DIFF_LINES = 3000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  // Common prefix and suffix first: most saves change a few lines in the middle.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ op: "same", text: a[i], a: i + 1, b: i + 1 });
  const ma = a.slice(start, endA);
  const mb = b.slice(start, endB);
  if (ma.length > MAX_DIFF_LINES || mb.length > MAX_DIFF_LINES) {
    ma.forEach((text, i) => out.push({ op: "del", text, a: start + i + 1, b: null }));
    mb.forEach((text, i) => out.push({ op: "add", text, a: null, b: start + i + 1 }));
  } else {
    const w = mb.length + 1;
    // lcs[i*w+j]: length of the LCS of ma[i..] and mb[j..].
    const lcs = new Uint32Array((ma.length + 1) * w);
    for (let i = ma.length - 1; i >= 0; i--) {
      for (let j = mb.length - 1; j >= 0; j--) {
        lcs[i * w + j] = ma[i] === mb[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < ma.length || j < mb.length) {
      if (i < ma.length && j < mb.length && ma[i] === mb[j]) {
        out.push({ op: "same", text: ma[i], a: start + i + 1, b: start + j + 1 });
        i++;
        j++;
      } else if (i < ma.length && (j === mb.length || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) {
        // Removals before additions, the way people read a replaced line.
        out.push({ op: "del", text: ma[i], a: start + i + 1, b: null });
        i++;
      } else {
        out.push({ op: "add", text: mb[j], a: null, b: start + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < a.length - endA; k++) out.push({ op: "same", text: a[endA + k], a: endA + k + 1, b: endB + k + 1 });
  return out;
}

export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  return { added: lines.filter((l) => l.op === "add").length, removed: lines.filter((l) => l.op === "del").length };
}
