// Evaluations from playground batch runs: per-frame outputs matched against the frame library's ground truth here.
import { inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sampleFrames, type EvaluationExample, type FrameGroundTruth } from "@/db/schema";
import type { Actor } from "@/server/auth/roles";
import { Invalid } from "@/server/errors";
import { matchBoxes } from "@/lib/playground/interpret";
import { ZBatchEvaluation } from "./schemas";
import { postEvaluation } from "./service";

type Box = { x: number; y: number; w: number; h: number };
export type FrameOutcome = { tp: number; fp: number; fn: number; tn: number; fpBox: Box | null; fnBox: Box | null };

/** One frame's outcome: boxes matched at IoU 0.5, or the predicted class against the true one; pure. */
export function frameOutcome(pred: { boxes?: Box[]; class?: string }, truth: FrameGroundTruth, positiveClass?: string): FrameOutcome {
  if (pred.boxes) {
    const gt = truth.boxes ?? [];
    const m = matchBoxes(pred.boxes, gt);
    const fpBox = m.falsePositives.length ? pred.boxes[m.falsePositives[0]] : null;
    const miss = m.misses.length ? gt[m.misses[0]] : null;
    return {
      tp: m.matches.length,
      fp: m.falsePositives.length,
      fn: m.misses.length,
      tn: 0,
      fpBox,
      fnBox: miss ? { x: miss.x, y: miss.y, w: miss.w, h: miss.h } : null,
    };
  }
  const predicted = pred.class === positiveClass;
  const actual = truth.class === positiveClass;
  return {
    tp: predicted && actual ? 1 : 0,
    fp: predicted && !actual ? 1 : 0,
    fn: !predicted && actual ? 1 : 0,
    tn: !predicted && !actual ? 1 : 0,
    fpBox: null,
    fnBox: null,
  };
}

export async function evaluationFromBatch(db: Db, actor: Actor, input: unknown) {
  const b = ZBatchEvaluation.parse(input);
  const rows = await db
    .select({ id: sampleFrames.id, groundTruth: sampleFrames.groundTruth })
    .from(sampleFrames)
    .where(
      inArray(
        sampleFrames.id,
        b.frames.map((f) => f.frameId),
      ),
    );
  const truth = new Map(rows.map((r) => [r.id, r.groundTruth]));
  const classifier = b.frames.some((f) => f.class !== undefined);
  const problems = b.frames.flatMap((f, i) => {
    if (!truth.has(f.frameId)) return [{ path: `frames.${i}.frameId`, message: `No frame ${f.frameId} in the frame library` }];
    const gt = truth.get(f.frameId);
    const has = classifier ? gt?.class !== undefined : gt?.boxes !== undefined;
    return has ? [] : [{ path: `frames.${i}.frameId`, message: `Frame ${f.frameId} has no ground-truth ${classifier ? "class" : "boxes"} to score against` }];
  });
  if (problems.length)
    throw new Invalid(`${problems[0].path}: ${problems[0].message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ""}; nothing was written`, {
      issues: problems,
    });
  const total = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const examples: EvaluationExample[] = [];
  for (const f of b.frames) {
    const o = frameOutcome(f, truth.get(f.frameId)!, b.positiveClass);
    total.tp += o.tp;
    total.fp += o.fp;
    total.fn += o.fn;
    total.tn += o.tn;
    if (o.fp && examples.length < 500)
      examples.push({ eventType: b.eventType, frameId: f.frameId, outcome: "fp", ...(o.fpBox ? { box: clampBox(o.fpBox) } : {}) });
    if (o.fn && examples.length < 500)
      examples.push({ eventType: b.eventType, frameId: f.frameId, outcome: "fn", ...(o.fnBox ? { box: clampBox(o.fnBox) } : {}) });
  }
  return postEvaluation(db, actor, {
    model: b.model,
    version: b.version,
    dataset: { name: b.dataset, version: "" },
    source: "playground",
    notes: `Playground batch run over ${b.frames.length} frames with ground truth; counts computed by the server.`,
    results: [{ eventType: b.eventType, tp: total.tp, fp: total.fp, fn: total.fn, tn: classifier ? total.tn : null }],
    examples,
  });
}

/** Boxes can poke past the frame edge; examples only take non-negative pixels. */
function clampBox(b: Box): Box {
  const x = Math.max(0, b.x);
  const y = Math.max(0, b.y);
  return { x, y, w: Math.max(0, b.w - (x - b.x)), h: Math.max(0, b.h - (y - b.y)) };
}
