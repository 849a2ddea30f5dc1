// Display helpers for monitoring pages: budgets, ages, statistics.
export function formatBudget(remaining: number): string {
  return `${(remaining * 100).toFixed(Math.abs(remaining) < 0.1 ? 1 : 0)}%`;
}

export function formatAge(ms: number): string {
  const m = Math.floor(ms / 60_000);
  if (m < 1) return "just now";
  if (m < 60) return `${m} min`;
  const h = m / 60;
  if (h < 48) return `${h.toFixed(h < 10 ? 1 : 0)} h`;
  return `${Math.round(h / 24)} d`;
}

export function formatStat(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1000 || a < 0.001 ? v.toExponential(2) : Number(v.toPrecision(3)).toString();
}

export const METHOD_LABELS: Record<string, string> = {
  ks: "Kolmogorov-Smirnov p-value",
  chisquare: "chi-square p-value",
  wasserstein: "Wasserstein (normed)",
  jensenshannon: "Jensen-Shannon distance",
  psi: "PSI",
};
