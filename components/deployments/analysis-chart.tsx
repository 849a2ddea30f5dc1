"use client";
// Canary vs control per slice for one analysis: recall of each event type, so a night-only drop shows beside a healthy average.
import { Bar, BarChart, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type SliceDatum = { label: string; canary: number; control: number; failed: boolean };

export function AnalysisChart({ data, title }: { data: SliceDatum[]; title: string }) {
  if (!data.length) return <p className="text-xs text-muted">No safety outcomes in this window.</p>;
  return (
    <div
      className="h-48 w-full"
      role="img"
      aria-label={`${title}: ${data.map((d) => `${d.label} canary ${d.canary}% vs control ${d.control}%${d.failed ? " (regressed)" : ""}`).join("; ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis dataKey="label" tick={{ fontSize: 11 }} interval={0} />
          <YAxis domain={[0, 100]} tick={{ fontSize: 11 }} width={32} unit="%" />
          <Tooltip formatter={(v) => `${v}%`} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="canary" name="Canary (candidate)" fill="#2f6fed" isAnimationActive={false} />
          <Bar dataKey="control" name="Control (stable)" fill="#71717a" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
