import type { Interpretation } from "@/lib/playground/interpret";

/** The numbers behind the overlay: class bars, read text, box counts, values. */
export function ResultView({ result }: { result: Interpretation }) {
  switch (result.kind) {
    case "classes":
      return (
        <div className="space-y-1.5" data-testid="class-scores">
          {result.classes.map((c) => (
            <div key={c.index} className="text-sm">
              <div className="flex justify-between">
                <span>{c.label}</span>
                <span className="tabular-nums">{(c.score * 100).toFixed(1)}%</span>
              </div>
              <div className="h-2 rounded bg-zinc-200 dark:bg-zinc-800">
                <div className="h-2 rounded bg-brand-500" style={{ width: `${Math.max(1, c.score * 100)}%` }} />
              </div>
            </div>
          ))}
          {Object.entries(result.extras).map(([k, v]) => (
            <p key={k} className="text-xs text-muted">
              {k}: <span className="font-mono">{v.map((x) => x.toFixed(4)).join(", ")}</span>
            </p>
          ))}
        </div>
      );
    case "boxes":
      return (
        <p className="text-sm">
          {result.boxes.length} boxes kept of {result.candidates} candidates
        </p>
      );
    case "text-regions":
      return (
        <div className="text-sm">
          <p>{result.regions.length} text regions</p>
          <ul className="mt-1 space-y-0.5" aria-label="Text read">
            {result.regions
              .filter((r) => r.text !== undefined)
              .map((r, i) => (
                <li key={i} className="font-mono">
                  “{r.text}”{" "}
                  <span className="text-xs text-muted">
                    ({((r.textConfidence ?? 0) * 100).toFixed(0)}%{r.rotated ? ", turned 180°" : ""})
                  </span>
                </li>
              ))}
          </ul>
        </div>
      );
    case "text":
      return (
        <p className="font-mono text-sm">
          “{result.text}” ({(result.confidence * 100).toFixed(0)}%)
        </p>
      );
    case "mask":
      return (
        <ul className="text-sm">
          {result.counts.map((c) => (
            <li key={c.label}>
              {c.label}: {c.pixels} px
            </li>
          ))}
        </ul>
      );
    case "value":
      return (
        <p className="text-2xl font-semibold tabular-nums">
          {result.value.toFixed(3)} {result.unit}
        </p>
      );
    default:
      return <pre className="overflow-auto text-xs">{JSON.stringify(result.outputs, null, 1)}</pre>;
  }
}
