/** Metrics as `key=value` chips; values rounded for reading, exact on hover. */
export function MetricsList({ metrics }: { metrics: Record<string, number> }) {
  const entries = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
  if (!entries.length) return <span className="text-muted">none</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-0.5 font-mono text-xs">
      {entries.map(([k, v]) => (
        <span key={k} title={String(v)}>
          {k}={Number.isInteger(v) ? v : Number(v.toPrecision(4))}
        </span>
      ))}
    </span>
  );
}
