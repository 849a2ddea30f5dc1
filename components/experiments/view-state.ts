// The runs table's view (filter, order, columns, selection, pins, grouping) as URL search params, so a link reproduces it.

export type ColumnKind = "param" | "metric" | "tag" | "attribute";
export type Column = { kind: ColumnKind; key: string };
export type Order = { column: Column; desc: boolean };
export type Group = { kind: "param" | "tag"; key: string; metric: string | null };

export type RunsView = {
  filter: string;
  order: Order | null;
  /** null: nobody chose columns yet, so the table shows defaults. */
  columns: Column[] | null;
  selected: string[];
  pinned: string[];
  group: Group | null;
};

/** Attribute columns offered beside the fixed name/status/start columns. */
export const ATTRIBUTE_KEYS = ["user_id", "start_time", "end_time", "run_id"] as const;
/** Attributes the fixed columns sort by, accepted in `order` as well. */
const SORTABLE_ATTRIBUTES: readonly string[] = [...ATTRIBUTE_KEYS, "run_name", "status"];

const PREFIX: Record<ColumnKind, string> = { param: "p", metric: "m", tag: "t", attribute: "a" };
const KIND_OF: Record<string, ColumnKind> = { p: "param", m: "metric", t: "tag", a: "attribute" };

/** "m:mAP50": keys never contain commas (MLflow allows letters, digits, _ - . space /), so lists join with ",". */
export function columnId(c: Column): string {
  return `${PREFIX[c.kind]}:${c.key}`;
}

export function parseColumnId(id: string): Column | null {
  const m = /^([pmta]):(.+)$/.exec(id);
  if (!m) return null;
  const kind = KIND_OF[m[1]];
  if (kind === "attribute" && !SORTABLE_ATTRIBUTES.includes(m[2])) return null;
  return { kind, key: m[2] };
}

const SEARCH_PREFIX: Record<ColumnKind, string> = { param: "params", metric: "metrics", tag: "tags", attribute: "attributes" };

/** The column as a filter/order_by identifier; keys are backticked so dots and spaces survive. */
export function columnIdentifier(c: Column): string {
  if (c.kind === "attribute") return `attributes.${c.key}`;
  return `${SEARCH_PREFIX[c.kind]}.\`${c.key}\``;
}

/** MLflow order_by clause for searchRuns. */
export function orderClause(o: Order): string {
  return `${columnIdentifier(o.column)} ${o.desc ? "DESC" : "ASC"}`;
}

/** Which order a click on a column header gives: ascending, then descending, then none. */
export function nextOrder(current: Order | null, column: Column): Order | null {
  if (!current || columnId(current.column) !== columnId(column)) return { column, desc: column.kind === "metric" };
  if (current.desc === (column.kind === "metric")) return { column, desc: !current.desc };
  return null;
}

const list = (v: string | null) =>
  v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
const RUN_ID = /^[\w-]{1,256}$/;

export function parseView(sp: URLSearchParams): RunsView {
  const orderRaw = sp.get("order");
  let order: Order | null = null;
  if (orderRaw) {
    const m = /^(.*?)(?:\s+(asc|desc))?$/i.exec(orderRaw);
    const column = m ? parseColumnId(m[1]) : null;
    if (column) order = { column, desc: (m?.[2] ?? "asc").toLowerCase() === "desc" };
  }
  const colsRaw = sp.get("cols");
  const columns =
    colsRaw === null
      ? null
      : dedupe(
          list(colsRaw)
            .map(parseColumnId)
            .filter((c): c is Column => c !== null),
        );
  let group: Group | null = null;
  const g = parseColumnId(sp.get("group") ?? "");
  if (g && (g.kind === "param" || g.kind === "tag")) group = { kind: g.kind, key: g.key, metric: sp.get("agg") || null };
  return {
    filter: sp.get("filter") ?? "",
    order,
    columns,
    selected: [...new Set(list(sp.get("sel")).filter((id) => RUN_ID.test(id)))],
    pinned: [...new Set(list(sp.get("pin")).filter((id) => RUN_ID.test(id)))],
    group,
  };
}

function dedupe(cols: Column[]): Column[] {
  const seen = new Set<string>();
  return cols.filter((c) => {
    const id = columnId(c);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Search params for a view; empty parts are left out so links stay short. */
export function serializeView(v: RunsView): URLSearchParams {
  const sp = new URLSearchParams();
  if (v.filter.trim()) sp.set("filter", v.filter.trim());
  if (v.order) sp.set("order", `${columnId(v.order.column)} ${v.order.desc ? "desc" : "asc"}`);
  if (v.columns) sp.set("cols", v.columns.map(columnId).join(","));
  if (v.selected.length) sp.set("sel", v.selected.join(","));
  if (v.pinned.length) sp.set("pin", v.pinned.join(","));
  if (v.group) {
    sp.set("group", columnId(v.group));
    if (v.group.metric) sp.set("agg", v.group.metric);
  }
  return sp;
}

/** The filter a group row narrows to: the current filter AND the group's value (or "any value" for the null group is not expressible, so null). */
export function filterForGroup(current: string, group: Group, value: string | null): string | null {
  if (value === null) return null;
  const clause = `${columnIdentifier({ kind: group.kind, key: group.key })} = '${value.replace(/'/g, "\\'")}'`;
  return current.trim() ? `${current.trim()} and ${clause}` : clause;
}

/** A filter that matches exactly these runs (for pinned rows and the compare page). */
export function runIdFilter(runIds: readonly string[]): string {
  return `attributes.run_id IN (${runIds.map((id) => `'${id}'`).join(", ")})`;
}

/**
 * Shift-click range selection over the rows in view order: the rows between the last clicked one
 * and this one take the clicked row's new state. Without an anchor (or a shift), only this row toggles.
 */
export function toggleSelection(selected: readonly string[], order: readonly string[], clicked: string, anchor: string | null, shift: boolean): string[] {
  const set = new Set(selected);
  const on = !set.has(clicked);
  const a = anchor === null ? -1 : order.indexOf(anchor);
  const b = order.indexOf(clicked);
  if (shift && a >= 0 && b >= 0) {
    const [lo, hi] = a < b ? [a, b] : [b, a];
    for (let i = lo; i <= hi; i++) {
      if (on) set.add(order[i]);
      else set.delete(order[i]);
    }
  } else if (on) set.add(clicked);
  else set.delete(clicked);
  // Keep the earlier order of selection stable, new ids appended in view order.
  const kept = selected.filter((id) => set.has(id));
  const added = order.filter((id) => set.has(id) && !selected.includes(id));
  if (!order.includes(clicked) && on && !kept.includes(clicked)) added.push(clicked);
  return [...kept, ...added];
}

// Ten hues ordered so that neighbours differ most (blue, orange, green, red, purple, brown, cyan, pink, slate, ochre);
// view-state.test.ts checks every pair stays apart in CIELAB.
export const RUN_PALETTE = ["#2563eb", "#ea580c", "#16a34a", "#dc2626", "#9333ea", "#92400e", "#0891b2", "#db2777", "#475569", "#ca8a04"];

/**
 * A run's colour. Within a selection (the runs being compared, in the order they were picked) colours go by position,
 * so up to ten runs never share or nearly share a colour; outside one, a stable colour from a hash of the id.
 */
export function runColor(runId: string, selection?: readonly string[]): string {
  const at = selection ? selection.indexOf(runId) : -1;
  if (at >= 0) return RUN_PALETTE[at % RUN_PALETTE.length];
  let h = 2166136261;
  for (let i = 0; i < runId.length; i++) h = Math.imul(h ^ runId.charCodeAt(i), 16777619);
  return RUN_PALETTE[(h >>> 0) % RUN_PALETTE.length];
}

/** Position and reason from a filter parser error ("Invalid filter at position 13: ..."), or null for other errors. */
export function filterErrorAt(message: string): { position: number; reason: string } | null {
  const m = /Invalid filter at position (\d+): ([^\n]*)/.exec(message);
  return m ? { position: Number(m[1]), reason: m[2] } : null;
}

export type Completion = { insert: string; label: string; from: number; to: number };

/**
 * Completion for the identifier under the caret: "metrics.ma" offers matching metric keys,
 * a bare word offers the prefixes (metrics., params., tags., attributes.).
 */
export function completeFilter(
  text: string,
  caret: number,
  keys: { params: readonly string[]; metrics: readonly string[]; tags: readonly string[] },
  limit = 8,
): Completion[] {
  const before = text.slice(0, caret);
  const m = /([A-Za-z_][\w]*)(?:\.(`?)([\w.\- /]*))?$/.exec(before);
  if (!m) return [];
  // Inside a quoted value nothing is completed.
  if ((before.match(/'/g) ?? []).length % 2 === 1) return [];
  const from = caret - m[0].length;
  const prefix = m[1].toLowerCase();
  if (m[3] === undefined && m[2] === undefined && !before.endsWith(".")) {
    const heads = ["metrics.", "params.", "tags.", "attributes."].filter((h) => h.startsWith(prefix) && h !== prefix + ".");
    return heads.map((h) => ({ insert: h, label: h, from, to: caret }));
  }
  const pool =
    prefix === "metrics" || prefix === "metric"
      ? keys.metrics
      : prefix === "params" || prefix === "param"
        ? keys.params
        : prefix === "tags" || prefix === "tag"
          ? keys.tags
          : prefix === "attributes" || prefix === "attribute" || prefix === "attr"
            ? ["status", "run_name", "run_id", "user_id", "start_time", "end_time"]
            : [];
  const typed = (m[3] ?? "").toLowerCase();
  const out: Completion[] = [];
  for (const k of pool) {
    if (!k.toLowerCase().includes(typed)) continue;
    const needsTicks = !/^[A-Za-z_]\w*$/.test(k);
    const insert = `${m[1]}.${needsTicks ? `\`${k}\`` : k}`;
    out.push({ insert, label: insert, from, to: caret });
    if (out.length >= limit) break;
  }
  return out;
}
