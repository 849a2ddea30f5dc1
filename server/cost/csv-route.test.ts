// The FOCUS CSV door (/api/v1/costs/csv) with a hostile row count, through the real route handler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as csvRoute from "@/app/api/v1/costs/csv/route";
import { provideDatabase } from "@/server/db";
import { setupTestEnv, type TestEnv } from "@/server/test-utils";
import { createToken } from "@/server/tokens/service";
import { CSV_MAX_ROWS, FOCUS_REQUIRED, readCsv } from "./focus-csv";

let t: TestEnv;
let writer: string;
beforeAll(async () => {
  t = await setupTestEnv();
  provideDatabase(t);
  writer = (await createToken(t.db, t.actors.engineer, { name: "finops", scopes: ["cost:write"] })).token;
});
afterAll(async () => {
  await t.close();
});

describe("FOCUS CSV row limit", () => {
  it("stops reading at the limit and refuses a 1M-row dry run without parsing the rest", async () => {
    const body = FOCUS_REQUIRED.join(",") + "\n" + ",,,,,,\n".repeat(1_000_000);
    const res = await csvRoute.POST(
      new Request("http://portal.test/api/v1/costs/csv?dryRun=1", {
        method: "POST",
        headers: { authorization: `Bearer ${writer}`, "content-type": "text/csv" },
        body,
      }),
      { params: Promise.resolve({}) },
    );
    const preview = (await res.json()) as { ok: boolean; issues: { message: string }[] };
    expect(preview.ok).toBe(false);
    // It cannot know the total: it never read past the limit.
    expect(preview.issues[0].message).toBe(`The file has more than ${CSV_MAX_ROWS.toLocaleString("en-US")} rows; split it (by month or by account)`);
  });

  it("reads at most the records it is asked for", () => {
    expect(readCsv("h\n1\n2\n3\n4\n", 3).map((r) => r.fields[0])).toEqual(["h", "1", "2"]);
  });
});
