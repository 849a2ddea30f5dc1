// The pinned seatbelt frame sets by name (cabin-camera crops of the driver's torso): what training fetches and the
// evaluation suite runs on. Serving code needs only these names; the generator that renders the frames is in server/demo.
export type SeatbeltSetName = "train" | "eval";
/** The belt states the classifier tells apart: a frame's ground-truth `class` is one of these. */
export const SEATBELT_LABELS = ["fastened", "unfastened", "obstructed"] as const;
export type SeatbeltLabel = (typeof SEATBELT_LABELS)[number];
/** Frame i of a set shows class i % 3 and is night when floor(i / 3) is odd: every set (and every prefix of 6) is balanced. */
export const SEATBELT_SETS: Record<SeatbeltSetName, { tag: string; baseSeed: number; count: number }> = {
  train: { tag: "seatbelt-train-v1", baseSeed: 60_000, count: 360 },
  eval: { tag: "seatbelt-eval-v1", baseSeed: 70_000, count: 120 },
};
