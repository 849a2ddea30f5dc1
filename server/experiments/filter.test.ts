import { describe, expect, it } from "vitest";
import { PgDialect } from "drizzle-orm/pg-core";
import { and, sql } from "drizzle-orm";
import { compileFilter, compileOrderBy, FilterError, parseEntityFilter, parseFilter, parseOrderBy } from "./filter";

const dialect = new PgDialect({ casing: "snake_case" });
const compile = (f: string) => dialect.sqlToQuery(and(...compileFilter(parseFilter(f)))!);

function errorOf(f: string): FilterError {
  try {
    parseFilter(f);
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error(`expected ${f} to fail`);
}

describe("parseFilter", () => {
  it("parses metric, param, tag and attribute comparisons joined by AND (any case)", () => {
    expect(parseFilter("metrics.acc > 0.9 and params.lr = '0.01' AND tags.team != \"perception\" And attributes.status = 'FINISHED'")).toEqual([
      { kind: "metric", key: "acc", op: ">", value: 0.9, pos: 0 },
      { kind: "param", key: "lr", op: "=", value: "0.01", pos: 22 },
      { kind: "tag", key: "team", op: "!=", value: "perception", pos: 45 },
      { kind: "attribute", key: "status", op: "=", value: "FINISHED", pos: 75 },
    ]);
  });

  it("accepts every alias of the entity prefixes and bare attribute names", () => {
    const f = parseFilter(
      "metric.a >= 1 and param.b LIKE 'x%' and parameters.c ILIKE '%Y' and tag.d = 'e' and attr.run_name = 'r' and run.start_time < 5 and status != 'KILLED' and created > 3",
    );
    expect(f.map((c) => `${c.kind}:${c.key}:${c.op}`)).toEqual([
      "metric:a:>=",
      "param:b:LIKE",
      "param:c:ILIKE",
      "tag:d:=",
      "attribute:run_name:=",
      "attribute:start_time:<",
      "attribute:status:!=",
      "attribute:start_time:>",
    ]);
  });

  it("reads backticked and double-quoted keys with dots, spaces and dashes", () => {
    expect(
      parseFilter("metrics.`val loss` < 0.5 and params.`model.backbone` = 'resnet' and tags.\"mlflow.user\" = 'erin' and metrics.map-50 > 1"),
    ).toMatchObject([{ key: "val loss" }, { key: "model.backbone" }, { key: "mlflow.user" }, { key: "map-50" }]);
    expect(parseFilter("params.model.name = 'x'")[0]).toMatchObject({ kind: "param", key: "model.name" });
  });

  it("parses numbers: negative, fractions, exponents", () => {
    expect(parseFilter("metrics.a > -1.5e-3 and metrics.b <= .5 and metrics.c = 10")).toMatchObject([{ value: -0.0015 }, { value: 0.5 }, { value: 10 }]);
  });

  it("parses IN and NOT IN lists on string attributes, and quotes inside strings", () => {
    expect(parseFilter("attributes.run_id IN ('a', 'b') and status NOT IN ('FAILED','KILLED') and run_name = 'it''s'")).toEqual([
      { kind: "attribute", key: "run_id", op: "IN", value: ["a", "b"], pos: 0 },
      { kind: "attribute", key: "status", op: "NOT IN", value: ["FAILED", "KILLED"], pos: 36 },
      { kind: "attribute", key: "run_name", op: "=", value: "it's", pos: 74 },
    ]);
  });

  it("treats an empty or blank filter as no filter", () => {
    expect(parseFilter("")).toEqual([]);
    expect(parseFilter("   ")).toEqual([]);
    expect(parseFilter(undefined)).toEqual([]);
  });

  it.each([
    ["metrics.acc > 0.9 or params.lr = '1'", 18, /OR is not supported/],
    ["metrics.acc >", 13, /expected a number .* found the end of the filter/],
    ["metrics.acc > 'high'", 14, /expected a number/],
    ["params.lr > '0.1'", 10, />.* does not work on params.lr/],
    ["params.lr = 0.1", 12, /expected a quoted string/],
    ["metrics.acc LIKE '1%'", 12, /LIKE works on strings/],
    ["foo.bar = 'x'", 0, /unknown entity "foo"/],
    ["attributes.colour = 'x'", 0, /unknown attribute "colour"/],
    ["metrics.acc 0.9", 12, /expected a comparison operator/],
    ["params.lr = 'abc", 12, /unterminated quoted string/],
    ["metrics.acc > 1 metrics.b > 2", 16, /expected AND or the end/],
    ["metrics.acc > 1 and", 19, /expected a key/],
    ["params.x IN ('a')", 9, /IN works on string attributes/],
    ["run_id IN ('a' 'b')", 15, /expected "," or "\)"/],
    ["metrics.a > 1 # x", 14, /unexpected character "#"/],
    ["(metrics.a > 1)", 0, /parentheses are not supported/],
    ["metrics. > 1", 8, /a key is needed after "metrics."/],
  ])("points at the error in %j", (f, pos, message) => {
    const e = errorOf(f);
    expect(e.position).toBe(pos);
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`position ${pos}`);
    expect(e.code).toBe("INVALID");
  });
});

describe("parseOrderBy", () => {
  it("parses keys with a direction (ASC by default)", () => {
    expect(parseOrderBy("metrics.acc DESC")).toEqual({ kind: "metric", key: "acc", desc: true });
    expect(parseOrderBy("params.`batch size`")).toEqual({ kind: "param", key: "batch size", desc: false });
    expect(parseOrderBy("attributes.start_time asc")).toEqual({ kind: "attribute", key: "start_time", desc: false });
    expect(parseOrderBy("run_name")).toEqual({ kind: "attribute", key: "run_name", desc: false });
  });
  it("refuses trailing words and empty clauses", () => {
    expect(() => parseOrderBy("metrics.acc DESC NULLS")).toThrow(/position 17/);
    expect(() => parseOrderBy(" ")).toThrow(FilterError);
  });
});

describe("compileFilter", () => {
  it("binds every value as a parameter, never in the SQL text", () => {
    const q = compile(
      "metrics.acc > 0.9 and params.lr = 'x'' or 1=1 --' and tags.t LIKE 'a%' and status IN ('FINISHED', 'FAILED') and start_time >= 1700000000000",
    );
    expect(q.params).toEqual(["acc", 0.9, "lr", "x' or 1=1 --", "t", "a%", "FINISHED", "FAILED", 1700000000000]);
    expect(q.sql).not.toContain("1=1");
    expect(q.sql).toContain(
      `exists (select 1 from "latest_metrics" where "latest_metrics"."run_id" = "runs"."run_id" and "latest_metrics"."key" = $1 and "latest_metrics"."value" > $2 and "latest_metrics"."value" <> 'NaN'::float8)`,
    );
    expect(q.sql).toContain(`"runs"."status"::text in ($7, $8)`);
    expect(q.sql).toContain(`"runs"."start_time" >= $9`);
  });

  it("maps != to <> and ILIKE to ilike", () => {
    const q = compile("params.a != 'b' and tags.c ILIKE 'd'");
    expect(q.sql).toContain(`"params"."value" <> $2`);
    expect(q.sql).toContain(`"run_tags"."value" ilike $4`);
  });

  it("orders with left joins per key, nulls last, ties on start time and run id", () => {
    const { joins, terms } = compileOrderBy([parseOrderBy("metrics.acc DESC"), parseOrderBy("params.lr")]);
    const q = dialect.sqlToQuery(sql.join([...joins, ...terms], sql` | `));
    expect(q.sql).toContain(`left join "latest_metrics" as "ob0" on "ob0"."run_id" = "runs"."run_id" and "ob0"."key" = $1`);
    expect(q.sql).toContain(`nullif("ob0"."value", 'NaN'::float8) desc nulls last`);
    expect(q.sql).toContain(`"ob1"."value" asc nulls last`);
    expect(q.sql).toContain(`"runs"."start_time" desc`);
    expect(q.params).toEqual(["acc", "lr"]);
  });
});

describe("parseEntityFilter", () => {
  it("parses name and tag comparisons for experiment and registry searches", () => {
    expect(parseEntityFilter("name LIKE 'det%' and tags.team = 'perception'", { name: "string" })).toEqual([
      { kind: "attribute", key: "name", op: "LIKE", value: "det%", pos: 0 },
      { kind: "tag", key: "team", op: "=", value: "perception", pos: 21 },
    ]);
    expect(parseEntityFilter("creation_time > 5", { creation_time: "number" })[0]).toMatchObject({ value: 5, op: ">" });
  });
  it("refuses unknown attributes with their position", () => {
    expect(() => parseEntityFilter("name = 'a' and owner = 'b'", { name: "string" })).toThrow(/position 15: unknown attribute "owner"/);
  });
});
