// A classifier's confusion matrix: true class down, predicted across, cells shaded by their share of the row.
import { pct } from "@/lib/safety-format";
import type { Proportion } from "@/server/safety/metrics";

type Matrix = {
  name: string;
  labels: string[];
  matrix: number[][];
  total: number;
  accuracy: Proportion | null;
  classes: { label: string; recall: Proportion | null; precision: Proportion | null }[];
};

export function ConfusionMatrixTable({ title, m }: { title: string; m: Matrix }) {
  return (
    <div className="min-w-0 overflow-x-auto">
      <table className="text-xs tabular-nums" aria-label={title}>
        <caption className="mb-1 text-left text-sm font-medium">
          {title}{" "}
          <span className="font-normal text-muted">
            · accuracy {pct(m.accuracy?.value)} of {m.total.toLocaleString("en-US")}
          </span>
        </caption>
        <thead>
          <tr>
            <th scope="col" className="px-2 py-1 text-left font-normal text-muted">
              true ↓ / predicted →
            </th>
            {m.labels.map((l) => (
              <th key={l} scope="col" className="px-2 py-1 font-medium">
                {l}
              </th>
            ))}
            <th scope="col" className="px-2 py-1 font-medium">
              Recall
            </th>
          </tr>
        </thead>
        <tbody>
          {m.matrix.map((row, i) => {
            const support = row.reduce((a, c) => a + c, 0);
            return (
              <tr key={m.labels[i]}>
                <th scope="row" className="px-2 py-1 text-left font-medium">
                  {m.labels[i]}
                </th>
                {row.map((c, j) => {
                  const share = support ? c / support : 0;
                  // Blue on the diagonal (right), red off it (wrong); opacity is the share of the row.
                  const rgb = i === j ? "47,111,237" : "220,38,38";
                  return (
                    <td
                      key={m.labels[j]}
                      className="border border-zinc-200 px-2 py-1 text-right dark:border-zinc-800"
                      style={{ backgroundColor: `rgba(${rgb},${(i === j ? share * 0.5 : Math.min(1, share * 4) * 0.5).toFixed(3)})` }}
                    >
                      {c.toLocaleString("en-US")}
                    </td>
                  );
                })}
                <td className="px-2 py-1 text-right">{pct(m.classes[i]?.recall?.value)}</td>
              </tr>
            );
          })}
          <tr>
            <th scope="row" className="px-2 py-1 text-left font-medium">
              Precision
            </th>
            {m.classes.map((c) => (
              <td key={c.label} className="px-2 py-1 text-right">
                {pct(c.precision?.value)}
              </td>
            ))}
            <td />
          </tr>
        </tbody>
      </table>
    </div>
  );
}
