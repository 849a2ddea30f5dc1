import { describe, expect, it } from "vitest";
import { describeChange, diffSignatures } from "./signature";

const t = (name: string, elemType: string, shape: (number | string | null)[]) => ({ name, elemType, shape });

describe("signature diff", () => {
  it("treats renamed symbolic dims as the same and reports real differences exactly", () => {
    const a = { inputs: [t("x", "float32", ["N", 3, "H", "W"])], outputs: [t("y", "float32", ["N", 1, "H", "W"])] };
    const same = { inputs: [t("x", "float32", ["batch", 3, null, "w"])], outputs: [t("y", "float32", ["b", 1, "h", "w"])] };
    expect(diffSignatures(a, same)).toEqual([]);
    const b = { inputs: [t("x", "float16", ["N", 3, "H", "W"]), t("mask", "bool", ["N"])], outputs: [t("y", "float32", ["N", 2, "H", "W"])] };
    const changes = diffSignatures(a, b);
    expect(changes.map(describeChange)).toEqual([
      "input x type changed from float32 to float16",
      "input mask added (bool [N])",
      "output y shape changed from [N, 1, H, W] to [N, 2, H, W]",
    ]);
    expect(diffSignatures(a, { inputs: a.inputs, outputs: [] }).map(describeChange)).toEqual(["output y removed (was float32 [N, 1, H, W])"]);
  });
});
