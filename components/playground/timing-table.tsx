import { percentile } from "@/lib/playground/interpret";

export type TimingRow = { label: string; pre: number[]; infer: number[]; post: number[] };

const ms = (v: number | null) => (v === null ? "–" : `${v.toFixed(1)} ms`);

export function TimingTable({ rows, backend, threads }: { rows: TimingRow[]; backend: string; threads: number }) {
  return (
    <div>
      <table className="w-full text-left text-xs tabular-nums">
        <caption className="pb-1 text-left text-xs text-muted">
          Latency over {rows[0]?.infer.length ?? 0} runs after one warm-up · {backend.toUpperCase()} · {threads} thread{threads === 1 ? "" : "s"}
        </caption>
        <thead>
          <tr className="text-muted">
            <th className="py-1">Version</th>
            <th>Pre p50</th>
            <th>Pre p95</th>
            <th>Inference p50</th>
            <th>Inference p95</th>
            <th>Post p50</th>
            <th>Post p95</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className="border-t border-zinc-200 dark:border-zinc-800">
              <td className="py-1 font-medium">{r.label}</td>
              <td>{ms(percentile(r.pre, 50))}</td>
              <td>{ms(percentile(r.pre, 95))}</td>
              <td>{ms(percentile(r.infer, 50))}</td>
              <td>{ms(percentile(r.infer, 95))}</td>
              <td>{ms(percentile(r.post, 50))}</td>
              <td>{ms(percentile(r.post, 95))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
