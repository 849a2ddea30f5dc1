// Y-axis ranges people can read: a percentage axis fits its data instead of recharts' automatic ticks
// (an all-zero error rate otherwise plots 0 to 400%).

/**
 * [low, high] for a fraction shown in percent: from 0 (or below, for a negative budget) to 1.2 times the
 * largest value, at least 1%, and never past 100% unless the data is.
 */
export function percentDomain(values: readonly (number | null | undefined)[]): [number, number] {
  const finite = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const max = finite.length ? Math.max(...finite) : 0;
  const min = finite.length ? Math.min(...finite) : 0;
  let high = Math.max(0.01, max * 1.2);
  if (max <= 1) high = Math.min(high, 1);
  const low = min < 0 ? min * 1.2 : 0;
  return [low, high];
}
