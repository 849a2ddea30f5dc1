// Pure series helpers shared by the server's chart shaping and the browser's smoothing.

/** Exponential moving average with TensorBoard's debiasing, so early points are not pulled to 0. */
export function ema(values: readonly number[], weight: number): number[] {
  if (weight <= 0) return [...values];
  const out: number[] = [];
  let last = 0;
  let debias = 0;
  for (const v of values) {
    last = last * weight + (1 - weight) * v;
    debias = debias * weight + (1 - weight);
    out.push(last / debias);
  }
  return out;
}
