import { describe, expect, it } from "vitest";
import { parseInstant, readCsv, validateFocusCsv } from "./focus-csv";

const HEADER = "BilledCost,EffectiveCost,ChargePeriodStart,ChargePeriodEnd,ServiceName,ResourceId,Tags,BillingCurrency,ChargeCategory";
const tags = (t: Record<string, string>) => `"${JSON.stringify(t).replace(/"/g, '""')}"`;
const row = (
  billed: string,
  start = "2025-06-01T00:00:00Z",
  end = "2025-06-02T00:00:00Z",
  extra: Partial<{ tags: string; currency: string; category: string; resource: string }> = {},
) =>
  [
    billed,
    billed,
    start,
    end,
    "Amazon SageMaker",
    extra.resource ?? "arn:aws:sagemaker:fcw-prod",
    extra.tags ?? tags({ model: "fcw", version: "3", environment: "cloud-prod", resource_kind: "gpu_hours" }),
    extra.currency ?? "USD",
    extra.category ?? "Usage",
  ].join(",");
const known = new Set(["fcw"]);

describe("readCsv", () => {
  it("reads quoted fields with commas, quotes and line breaks, and numbers records by their first line", () => {
    const recs = readCsv('a,b\r\n"x, ""y""","two\nlines"\n3,4\n');
    expect(recs).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ['x, "y"', "two\nlines"] },
      { line: 4, fields: ["3", "4"] },
    ]);
  });
});

describe("parseInstant", () => {
  it("accepts ISO dates and date-times, refuses impossible ones", () => {
    expect(parseInstant("2025-06-01")?.toISOString()).toBe("2025-06-01T00:00:00.000Z");
    expect(parseInstant("2025-06-01T10:00:00+02:00")?.toISOString()).toBe("2025-06-01T08:00:00.000Z");
    for (const bad of ["2025-13-01", "2025-02-30", "06/01/2025", "yesterday", ""]) expect(parseInstant(bad)).toBeNull();
  });
});

describe("validateFocusCsv", () => {
  it("turns valid rows into daily records in micro-dollars", () => {
    const { rows, issues } = validateFocusCsv([HEADER, row("12.345678"), row("0.10", "2025-06-01T05:00:00Z", "2025-06-01T06:00:00Z")].join("\n"), known);
    expect(issues).toEqual([]);
    expect(rows[0]).toMatchObject({
      line: 2,
      day: "2025-06-01",
      model: "fcw",
      version: 3,
      environment: "cloud-prod",
      resourceKind: "gpu_hours",
      billedMicros: 12_345_678,
      currency: "USD",
    });
    expect(rows[1].billedMicros).toBe(100_000);
    expect(rows[0].rowKey).not.toBe(rows[1].rowKey);
  });

  it("names line and column for each bad input", () => {
    const text = [
      HEADER,
      row("1.00"),
      row("abc"),
      row("1.00", "2025-13-01"),
      row("-5.00"),
      row("-5.00", undefined, undefined, { category: "Credit", resource: "refund-1" }),
      row("1.00", undefined, undefined, { currency: "EUR", resource: "eu" }),
      row("1.00", undefined, undefined, { tags: tags({ model: "nope" }), resource: "x" }),
      row("1.00", undefined, "2025-06-03T00:00:00Z", { resource: "y" }),
      row("1.00"),
      row("1.00", undefined, undefined, { tags: "not json", resource: "z" }),
    ].join("\n");
    const { issues } = validateFocusCsv(text, known);
    expect(issues).toEqual([
      { line: 3, column: "BilledCost", message: '"abc" is not a decimal amount such as 12.34' },
      { line: 3, column: "EffectiveCost", message: '"abc" is not a decimal amount such as 12.34' },
      { line: 4, column: "ChargePeriodStart", message: '"2025-13-01" is not an ISO 8601 date or date-time' },
      { line: 5, column: "BilledCost", message: "Negative amount -5.00 is only allowed when ChargeCategory is Credit or Adjustment" },
      { line: 5, column: "EffectiveCost", message: "Negative amount -5.00 is only allowed when ChargeCategory is Credit or Adjustment" },
      { line: 7, column: "BillingCurrency", message: "EUR differs from USD on line 2; import one currency per file" },
      { line: 8, column: "Tags", message: 'Unknown model "nope" in Tags.model' },
      { line: 9, column: "ChargePeriodEnd", message: "The charge period runs past 2025-06-01; send daily (or finer) rows" },
      { line: 10, column: "", message: "Duplicates line 2" },
      { line: 11, column: "Tags", message: 'Tags must be a JSON object of strings, e.g. {"model":"seatbelt","environment":"cloud-prod"}' },
    ]);
  });

  it("refuses a wrong header, naming the missing columns", () => {
    const { issues } = validateFocusCsv("Cost,Date,Service\n1,2025-06-01,x\n", known);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 1, column: "BilledCost" });
    expect(issues[0].message).toMatch(
      /^The header lacks the FOCUS columns BilledCost, EffectiveCost, ChargePeriodStart, ChargePeriodEnd, ServiceName, ResourceId, Tags/,
    );
  });

  it("refuses a file over the size limit before reading it", () => {
    const big = HEADER + "\n" + "x".repeat(10 * 1024 * 1024 + 1);
    expect(validateFocusCsv(big, known).issues[0].message).toMatch(/over the limit of 10 MiB/);
  });

  it("reports an unclosed quote with its line", () => {
    expect(validateFocusCsv(`${HEADER}\n${row("1")}\n"1.00,oops`, known).issues).toEqual([{ line: 3, column: "", message: "a quoted field is not closed" }]);
  });
});
