// The pinned forward-collision-warning frame sets by name: what training fetches and evaluations run on. Serving code
// (the evaluation suite) needs only these names; the generator that renders the frames stays in server/demo.
export type FcwSetName = "train" | "eval" | "calib";
/** Frame i of a set is night when i is odd: every set is balanced day/night, and a prefix of it is too. */
export const FCW_SETS: Record<FcwSetName, { tag: string; baseSeed: number; count: number }> = {
  train: { tag: "fcw-train-v1", baseSeed: 40_000, count: 240 },
  eval: { tag: "fcw-eval-v1", baseSeed: 50_000, count: 96 },
  // The first 32 scenes of the training set (the same seeds), kept apart to calibrate static int8 variants on: what a
  // team keeps of its training data for that, and what the demo seed holds (rendering all 240 would add a minute to it).
  calib: { tag: "fcw-calib-v1", baseSeed: 40_000, count: 32 },
};
