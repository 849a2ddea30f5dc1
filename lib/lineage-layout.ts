// Lays a lineage graph out left to right (upstream to downstream) with dagre, and merges graphs fetched
// for expanded nodes. Pure: the SVG component only draws what this returns.
import dagre from "@dagrejs/dagre";

export type LayoutInputNode = { id: string };
export type LayoutInputEdge = { from: string; to: string; label: string };
export type PlacedNode<N> = N & { x: number; y: number; width: number; height: number };
export type PlacedEdge<E> = E & { points: { x: number; y: number }[]; labelX: number; labelY: number };
export type Layout<N, E> = { width: number; height: number; nodes: PlacedNode<N>[]; edges: PlacedEdge<E>[] };

export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 56;
const MARGIN = 16;
/** Rough label box: 6.5 px per character at the 11 px edge-label size. */
const labelWidth = (s: string) => Math.ceil(s.length * 6.5) + 8;

export function layoutLineage<N extends LayoutInputNode, E extends LayoutInputEdge>(nodes: N[], edges: E[]): Layout<N, E> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 90, edgesep: 12, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const known = new Set(nodes.map((n) => n.id));
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  drawn.forEach((e, i) => g.setEdge(e.from, e.to, { width: labelWidth(e.label), height: 14, labelpos: "c" }, String(i)));
  dagre.layout(g);
  const placed = nodes.map((n) => {
    const p = g.node(n.id);
    // dagre gives centres; the SVG draws from the top-left corner.
    return { ...n, x: p.x - NODE_WIDTH / 2, y: p.y - NODE_HEIGHT / 2, width: NODE_WIDTH, height: NODE_HEIGHT };
  });
  const placedEdges = drawn.map((e, i) => {
    const p = g.edge(e.from, e.to, String(i));
    const points = (p.points ?? []).map((q: { x: number; y: number }) => ({ x: q.x, y: q.y }));
    const mid = points[Math.floor(points.length / 2)] ?? { x: 0, y: 0 };
    return { ...e, points, labelX: p.x ?? mid.x, labelY: p.y ?? mid.y };
  });
  const graph = g.graph();
  return {
    width: Math.ceil(graph.width ?? NODE_WIDTH + 2 * MARGIN),
    height: Math.ceil(graph.height ?? NODE_HEIGHT + 2 * MARGIN),
    nodes: placed,
    edges: placedEdges,
  };
}

/** Graphs fetched for the focus and for each expanded node, as one: nodes by id, edges by (from, to, label). */
export function mergeGraphs<N extends LayoutInputNode, E extends LayoutInputEdge>(graphs: { nodes: N[]; edges: E[] }[]): { nodes: N[]; edges: E[] } {
  const nodes = new Map<string, N>();
  const edges = new Map<string, E>();
  for (const g of graphs) {
    for (const n of g.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
    for (const e of g.edges) edges.set(`${e.from}>${e.to}>${e.label}`, e);
  }
  // A collapsed group whose members an expansion brought in stays: it still says how many there are.
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}
