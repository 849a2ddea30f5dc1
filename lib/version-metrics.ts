// The one rule for the metrics a model version takes from its source run, shared by the server's
// register-from-run and the run page's dialog: finite values only, at most 200 of them, and keys cut
// to the registry's 200 characters (MLflow's own client depends on long keys being kept, truncated).
export const VERSION_METRIC_LIMITS = { count: 200, keyLength: 200 } as const;

export function versionMetricsOf(metrics: readonly { key: string; value: number }[]): Record<string, number> {
  return Object.fromEntries(
    metrics
      .filter((m) => Number.isFinite(m.value))
      .slice(0, VERSION_METRIC_LIMITS.count)
      .map((m) => [m.key.slice(0, VERSION_METRIC_LIMITS.keyLength), m.value]),
  );
}
