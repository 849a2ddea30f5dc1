// Pure display helpers for registry pages: tensor shapes, operator ranking, flattened values, audit diffs.

type Dim = number | string | null;

/** `[?, 3, height, width]`: numbers as is, symbolic dims by name, unknown dims as "?". */
export function shapeText(shape: Dim[]): string {
  return `[${shape.map((d) => (d === null ? "?" : String(d))).join(", ")}]`;
}

/** "ai.onnx 11" for the default domain (stored as ""), "com.microsoft 1" otherwise. */
export function opsetText(o: { domain: string; version: number }): string {
  return `${o.domain === "" ? "ai.onnx" : o.domain} ${o.version}`;
}

/** Operators by count, largest first (ties by name), cut to `limit`. */
export function topOperators(histogram: Record<string, number>, limit = 20): { op: string; count: number }[] {
  return Object.entries(histogram)
    .map(([op, count]) => ({ op, count }))
    .sort((a, b) => b.count - a.count || a.op.localeCompare(b.op))
    .slice(0, limit);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A value shown in one table cell: long arrays are summarised, `raw` keeps the exact value for comparing. */
export type FlatEntry = { key: string; display: string; raw: string };

function display(v: unknown): string {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) {
    if (v.length === 0) return "none";
    if (v.length <= 8 && v.every((x) => typeof x !== "object" || x === null)) return v.map(String).join(", ");
    return `${v.length} items`;
  }
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return String(v);
}

/** Nested objects become dotted keys (`input.width`); arrays stay one entry. */
export function flatten(value: unknown, prefix = ""): FlatEntry[] {
  if (!isRecord(value)) return prefix ? [{ key: prefix, display: display(value), raw: JSON.stringify(value ?? null) }] : [];
  return Object.entries(value).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return isRecord(v) ? flatten(v, key) : [{ key, display: display(v), raw: JSON.stringify(v ?? null) }];
  });
}

/** Rows for a side-by-side table of two flattened values, in first-seen key order. */
export function sideBySide(a: unknown, b: unknown): { key: string; a: string; b: string; differs: boolean }[] {
  const fa = new Map(flatten(a).map((e) => [e.key, e]));
  const fb = new Map(flatten(b).map((e) => [e.key, e]));
  const keys = [...new Set([...fa.keys(), ...fb.keys()])];
  return keys.map((key) => {
    const x = fa.get(key);
    const y = fb.get(key);
    return { key, a: x?.display ?? "—", b: y?.display ?? "—", differs: (x?.raw ?? "null") !== (y?.raw ?? "null") };
  });
}

const IGNORED = new Set(["updatedAt", "createdAt", "id", "modelId"]);

/** "status: candidate → approved" for each top-level field an audit entry changed (long values summarised). */
export function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !IGNORED.has(k));
  const short = (v: unknown) => {
    const s = typeof v === "string" ? v : JSON.stringify(v ?? null);
    return s.length > 40 ? "(edited)" : s || "(empty)";
  };
  return keys
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => {
      const from = short(before[k]);
      const to = short(after[k]);
      return from === "(edited)" || to === "(edited)" ? `${k} edited` : `${k}: ${from} → ${to}`;
    });
}
