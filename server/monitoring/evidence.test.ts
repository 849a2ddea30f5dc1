import { describe, expect, it } from "vitest";
import { driftAlertTitle, evidenceWords, formatSliceParam, parseSliceParam, seriesFromEvidence, seriesHref } from "./evidence";

describe("series links", () => {
  it("round-trips a slice through the URL, keys sorted, and refuses malformed ones", () => {
    const slice = { timeOfDay: "night", region: "eu" };
    expect(formatSliceParam(slice)).toBe("region:eu,timeOfDay:night");
    expect(parseSliceParam(formatSliceParam(slice))).toEqual(slice);
    expect(parseSliceParam("")).toEqual({});
    expect(parseSliceParam("timeOfDay")).toBeNull();
    expect(parseSliceParam("a:b,<script>:x")).toBeNull();
  });

  it("reads the series from a drift alert's evidence (dates as stored in JSON) and links to it", () => {
    const evidence = {
      version: 3,
      cohort: "canary",
      slice: { timeOfDay: "night" },
      source: "feature",
      feature: "brightness",
      windowMinutes: 60,
      windowStart: "2026-12-06T02:00:00.000Z",
      windowEnd: "2026-12-06T03:00:00.000Z",
    };
    const s = seriesFromEvidence({ kind: "drift", model: "fcw", evidence })!;
    expect(seriesHref(s)).toBe("/monitoring/fcw?version=3&feature=brightness&cohort=canary&slice=timeOfDay%3Anight&range=24h&to=2026-12-06T03%3A00%3A00.000Z");
    expect(driftAlertTitle(s)).toBe("Brightness drift on fcw v3, canary devices at night");
    expect(seriesFromEvidence({ kind: "slo", model: "fcw", evidence })).toBeNull();
    expect(seriesFromEvidence({ kind: "drift", model: "fcw", evidence: { psi: 0.4 } })).toBeNull();
  });
});

describe("evidence in words", () => {
  it("says what a threshold alert measured, with units", () => {
    expect(
      evidenceWords({ kind: "threshold", model: "m", evidence: { metric: "error_rate", value: 0.031, op: "above", threshold: 0.02, windowMinutes: 10 } }),
    ).toEqual(["Error rate 3.1%, above the threshold of 2%, over 10-minute windows"]);
  });

  it("names silent cohorts with minutes", () => {
    expect(
      evidenceWords({
        kind: "freshness",
        model: "m",
        evidence: {
          cohorts: [
            { cohort: "eu", ageMinutes: 45, stale: true },
            { cohort: "us", ageMinutes: 2, stale: false },
          ],
          maxAgeMinutes: 30,
        },
      }),
    ).toEqual(["eu silent for 45 min (at most 30 min allowed)"]);
  });

  it("labels unknown evidence in words instead of field names", () => {
    const lines = evidenceWords({ kind: "drift", model: "m", evidence: { psi: 0.4, currentCount: 1840, demo: true } });
    expect(lines).toEqual(["PSI: 0.4", "Values in the current window: 1,840"]);
  });
});
