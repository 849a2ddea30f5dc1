import { Badge } from "@/components/ui/card";
import type { Frame } from "./types";

function classTone(cls: string) {
  return cls === "ok" ? "green" : cls === "obstructed" ? "red" : cls === "too_dark" || cls === "blurry" ? "amber" : "neutral";
}

/** Counts of a frame's ground truth: boxes, text strings, camera-health class. */
export function GroundTruthBadges({ frame }: { frame: Frame }) {
  const { boxes, texts } = frame.counts;
  const cls = frame.groundTruth?.class;
  if (!boxes && !texts && !cls) return <span className="text-xs text-muted">No ground truth</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {boxes ? <Badge tone="blue">{boxes === 1 ? "1 box" : `${boxes} boxes`}</Badge> : null}
      {texts ? <Badge tone="blue">{texts === 1 ? "1 text" : `${texts} texts`}</Badge> : null}
      {cls ? <Badge tone={classTone(cls)}>{cls.replace("_", " ")}</Badge> : null}
    </span>
  );
}
