// Stacking crops into one batched tensor. Crops of a text recogniser have the same height and their own width (the
// manifest's maxWidth); they are padded on the right with zeros up to the widest of their batch, as PaddleOCR's own
// batched recognition does, and sorted by width first so that little padding is needed.
export type Plain = { data: Float32Array; dims: number[] };

/** Stacks NCHW tensors of batch 1 along the batch axis; widths (the last axis) may differ, the rest must not. */
export function stackPadded(items: Plain[]): Plain {
  const [, c, h] = items[0].dims;
  for (const t of items)
    if (t.dims.length !== 4 || t.dims[0] !== 1 || t.dims[1] !== c || t.dims[2] !== h)
      throw new Error(`Cannot batch tensors of shapes ${items.map((x) => `[${x.dims.join(",")}]`).join(" and ")}`);
  const w = Math.max(...items.map((t) => t.dims[3]));
  const data = new Float32Array(items.length * c * h * w);
  items.forEach((t, i) => {
    const tw = t.dims[3];
    // One row (one channel, one y) at a time: the padding stays zero.
    for (let row = 0; row < c * h; row++) data.set(t.data.subarray(row * tw, (row + 1) * tw), (i * c * h + row) * w);
  });
  return { data, dims: [items.length, c, h, w] };
}

/** Indices of `widths` in groups of at most `size`, narrowest first: each group is padded to its own widest. */
export function groupsByWidth(widths: number[], size: number): number[][] {
  const order = widths.map((_, i) => i).sort((a, b) => widths[a] - widths[b] || a - b);
  const groups: number[][] = [];
  for (let i = 0; i < order.length; i += size) groups.push(order.slice(i, i + size));
  return groups;
}
