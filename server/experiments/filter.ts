// MLflow search syntax: a tokenizer and recursive-descent parser into a typed tree (filters and
// order_by clauses), and a compiler of that tree into parameterised drizzle SQL. Nothing is spliced.
import { sql, type SQL } from "drizzle-orm";
import { latestMetrics, params, runs, runTags } from "@/db/schema";
import { Invalid } from "@/server/errors";
import { MAX_FILTER_CONDITIONS, MAX_ORDER_BY_TERMS } from "./schemas";

export { MAX_FILTER_CONDITIONS, MAX_ORDER_BY_TERMS };

export type NumericOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type StringOp = "=" | "!=" | "LIKE" | "ILIKE";
export type SetOp = "IN" | "NOT IN";

export const STRING_ATTRIBUTES = ["run_id", "run_name", "status", "user_id", "artifact_uri"] as const;
export const NUMERIC_ATTRIBUTES = ["start_time", "end_time"] as const;
export type StringAttribute = (typeof STRING_ATTRIBUTES)[number];
export type NumericAttribute = (typeof NUMERIC_ATTRIBUTES)[number];

export type Comparison =
  | { kind: "metric"; key: string; op: NumericOp; value: number; pos: number }
  | { kind: "param" | "tag"; key: string; op: StringOp; value: string; pos: number }
  | { kind: "attribute"; key: StringAttribute; op: StringOp; value: string; pos: number }
  | { kind: "attribute"; key: StringAttribute; op: SetOp; value: string[]; pos: number }
  | { kind: "attribute"; key: NumericAttribute; op: NumericOp; value: number; pos: number };

/** A filter is a conjunction: MLflow supports AND only. */
export type Filter = Comparison[];

export type OrderKey = { kind: "metric" | "param" | "tag"; key: string } | { kind: "attribute"; key: StringAttribute | NumericAttribute };
export type OrderBy = OrderKey & { desc: boolean };

/** A syntax or type error in a filter, pointing at the 0-based character position. */
export class FilterError extends Invalid {
  constructor(
    readonly position: number,
    reason: string,
    source: string,
  ) {
    const caret = `${source}\n${" ".repeat(Math.min(position, source.length))}^`;
    super(`Invalid filter at position ${position}: ${reason}\n${caret}`, { position });
    this.name = "FilterError";
  }
}

// ---------------------------------------------------------------- tokens

type TokenType = "ident" | "string" | "number" | "op" | "lparen" | "rparen" | "comma" | "eof";
type Token = { type: TokenType; text: string; pos: number; end: number; quoted?: boolean };

const OPS = ["<=", ">=", "!=", "<>", "=", "<", ">"];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const err = (pos: number, reason: string) => new FilterError(pos, reason, src);
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === "(" || c === ")" || c === ",") {
      out.push({ type: c === "(" ? "lparen" : c === ")" ? "rparen" : "comma", text: c, pos: i, end: i + 1 });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ type: "op", text: op === "<>" ? "!=" : op, pos: i, end: i + op.length });
      i += op.length;
      continue;
    }
    if (c === "'" || c === '"') {
      const { value, next } = readQuoted(src, i, c, err);
      out.push({ type: "string", text: value, pos: start, end: next, quoted: true });
      i = next;
      continue;
    }
    if (/[0-9]/.test(c) || ((c === "-" || c === "+" || c === ".") && /[0-9.]/.test(src[i + 1] ?? ""))) {
      const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i));
      if (!m) throw err(i, "malformed number");
      const after = src[i + m[0].length];
      if (after && /[A-Za-z_]/.test(after)) throw err(i, `malformed number "${src.slice(i, i + m[0].length + 1)}"`);
      out.push({ type: "number", text: m[0], pos: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_`]/.test(c)) {
      // An identifier: segments separated by dots; a segment is bare, `backticked` or "double-quoted".
      let text = "";
      let quoted = false;
      for (;;) {
        const ch = src[i];
        if (ch === "`" || (ch === '"' && text.endsWith("."))) {
          const { value, next } = readQuoted(src, i, ch, err);
          text += value;
          quoted = true;
          i = next;
        } else {
          const m = /^[A-Za-z0-9_\-/:]+/.exec(src.slice(i));
          if (!m) break;
          text += m[0];
          i += m[0].length;
        }
        if (src[i] === ".") {
          text += ".";
          i++;
          if (i < src.length && /[A-Za-z0-9_`"\-/:]/.test(src[i])) continue;
        }
        break;
      }
      if (!text) throw err(start, `unexpected character "${c}"`);
      out.push({ type: "ident", text, pos: start, end: i, quoted });
      continue;
    }
    throw err(i, `unexpected character "${c}"`);
  }
  out.push({ type: "eof", text: "", pos: src.length, end: src.length });
  return out;
}

function readQuoted(src: string, at: number, q: string, err: (pos: number, reason: string) => FilterError) {
  let value = "";
  let i = at + 1;
  for (;;) {
    if (i >= src.length) throw err(at, `unterminated ${q === "`" ? "backtick" : "quoted"} string`);
    const ch = src[i];
    if (ch === "\\" && q !== "`" && i + 1 < src.length) {
      value += src[i + 1];
      i += 2;
      continue;
    }
    if (ch === q) {
      if (src[i + 1] === q) {
        value += q;
        i += 2;
        continue;
      }
      return { value, next: i + 1 };
    }
    value += ch;
    i++;
  }
}

// ---------------------------------------------------------------- identifiers

const ENTITY_ALIASES: Record<string, "metric" | "param" | "tag" | "attribute"> = {
  metric: "metric",
  metrics: "metric",
  param: "param",
  params: "param",
  parameter: "param",
  parameters: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
};

const ATTRIBUTE_ALIASES: Record<string, StringAttribute | NumericAttribute> = {
  run_id: "run_id",
  run_name: "run_name",
  "run name": "run_name",
  status: "status",
  user_id: "user_id",
  artifact_uri: "artifact_uri",
  start_time: "start_time",
  created: "start_time",
  end_time: "end_time",
};

function splitIdentifier(tok: Token, src: string): OrderKey {
  const dot = tok.text.indexOf(".");
  const prefix = dot < 0 ? "attribute" : tok.text.slice(0, dot);
  const key = dot < 0 ? tok.text : tok.text.slice(dot + 1);
  const kind = ENTITY_ALIASES[prefix.toLowerCase()];
  if (!kind) {
    throw new FilterError(tok.pos, `unknown entity "${prefix}"; use metrics.<key>, params.<key>, tags.<key> or attributes.<name>`, src);
  }
  if (!key) throw new FilterError(tok.end, `a key is needed after "${prefix}."`, src);
  if (kind === "attribute") {
    const attr = ATTRIBUTE_ALIASES[key.toLowerCase()];
    if (!attr) {
      throw new FilterError(tok.pos, `unknown attribute "${key}"; valid attributes are ${[...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].join(", ")}`, src);
    }
    return { kind, key: attr };
  }
  return { kind, key };
}

const isNumericAttribute = (k: string): k is NumericAttribute => (NUMERIC_ATTRIBUTES as readonly string[]).includes(k);

// ---------------------------------------------------------------- parser

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly toks: Token[],
  ) {}
  peek(): Token {
    return this.toks[this.i];
  }
  next(): Token {
    return this.toks[this.i++];
  }
  fail(tok: Token, reason: string): never {
    throw new FilterError(tok.pos, reason, this.src);
  }
  describe(tok: Token): string {
    return tok.type === "eof" ? "the end of the filter" : `"${this.src.slice(tok.pos, tok.end)}"`;
  }
  isWord(tok: Token, word: string): boolean {
    return tok.type === "ident" && !tok.quoted && tok.text.toUpperCase() === word;
  }

  filter(): Filter {
    if (this.peek().type === "eof") return [];
    const out: Filter = [this.comparison()];
    for (;;) {
      const tok = this.peek();
      if (tok.type === "eof") return out;
      if (this.isWord(tok, "AND")) {
        this.next();
        out.push(this.comparison());
        continue;
      }
      if (this.isWord(tok, "OR")) this.fail(tok, "OR is not supported; join conditions with AND");
      this.fail(tok, `expected AND or the end of the filter, found ${this.describe(tok)}`);
    }
  }

  comparison(): Comparison {
    const idTok = this.next();
    if (idTok.type === "lparen") this.fail(idTok, "parentheses are not supported; join conditions with AND");
    if (idTok.type !== "ident") this.fail(idTok, `expected a key such as metrics.acc or params.lr, found ${this.describe(idTok)}`);
    const id = splitIdentifier(idTok, this.src);
    const opTok = this.next();
    let op: string;
    if (opTok.type === "op") op = opTok.text;
    else if (this.isWord(opTok, "LIKE") || this.isWord(opTok, "ILIKE") || this.isWord(opTok, "IN")) op = opTok.text.toUpperCase();
    else if (this.isWord(opTok, "NOT")) {
      const t2 = this.next();
      if (!this.isWord(t2, "IN")) this.fail(t2, `expected IN after NOT, found ${this.describe(t2)}`);
      op = "NOT IN";
    } else
      this.fail(opTok, `expected a comparison operator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN) after ${this.describe(idTok)}, found ${this.describe(opTok)}`);

    const pos = idTok.pos;
    const label = this.src.slice(idTok.pos, idTok.end);
    if (op === "IN" || op === "NOT IN") {
      if (id.kind !== "attribute" || isNumericAttribute(id.key))
        this.fail(opTok, `${op} works on string attributes (run_id, run_name, status, user_id, artifact_uri), not on ${label}`);
      return { kind: "attribute", key: id.key, op, value: this.stringList(), pos };
    }
    const valTok = this.next();
    if (id.kind === "metric" || (id.kind === "attribute" && isNumericAttribute(id.key))) {
      if (op === "LIKE" || op === "ILIKE") this.fail(opTok, `${op} works on strings; ${label} is numeric`);
      if (valTok.type !== "number") this.fail(valTok, `expected a number to compare ${label} with, found ${this.describe(valTok)}`);
      const value = Number(valTok.text);
      if (!Number.isFinite(value)) this.fail(valTok, `${valTok.text} is not a finite number`);
      return id.kind === "metric"
        ? { kind: "metric", key: id.key, op: op as NumericOp, value, pos }
        : { kind: "attribute", key: id.key as NumericAttribute, op: op as NumericOp, value, pos };
    }
    if (!["=", "!=", "LIKE", "ILIKE"].includes(op)) this.fail(opTok, `${op} does not work on ${label}; use =, !=, LIKE or ILIKE`);
    if (valTok.type !== "string") this.fail(valTok, `expected a quoted string to compare ${label} with, found ${this.describe(valTok)}`);
    if (id.kind === "attribute") return { kind: "attribute", key: id.key as StringAttribute, op: op as StringOp, value: valTok.text, pos };
    return { kind: id.kind, key: id.key, op: op as StringOp, value: valTok.text, pos };
  }

  stringList(): string[] {
    const open = this.next();
    if (open.type !== "lparen") this.fail(open, `expected "(" to start a list of quoted strings, found ${this.describe(open)}`);
    const values: string[] = [];
    for (;;) {
      const v = this.next();
      if (v.type !== "string") this.fail(v, `expected a quoted string in the list, found ${this.describe(v)}`);
      values.push(v.text);
      const sep = this.next();
      if (sep.type === "rparen") return values;
      if (sep.type !== "comma") this.fail(sep, `expected "," or ")" in the list, found ${this.describe(sep)}`);
    }
  }

  orderBy(): OrderBy {
    const idTok = this.next();
    if (idTok.type !== "ident") this.fail(idTok, `expected a key such as metrics.acc or attributes.start_time, found ${this.describe(idTok)}`);
    const key = splitIdentifier(idTok, this.src);
    let desc = false;
    const dir = this.peek();
    if (this.isWord(dir, "DESC") || this.isWord(dir, "ASC")) {
      desc = this.isWord(dir, "DESC");
      this.next();
    }
    const end = this.peek();
    if (end.type !== "eof") this.fail(end, `expected ASC, DESC or the end of the clause, found ${this.describe(end)}`);
    return { ...key, desc };
  }
}

const MAX_FILTER_LENGTH = 10_000;

/** Parses an MLflow run filter (`metrics.acc > 0.9 and params.lr = '0.01'`); empty means no filter. */
export function parseFilter(src: string | undefined | null): Filter {
  const text = src ?? "";
  if (text.length > MAX_FILTER_LENGTH) throw new Invalid(`The filter is ${text.length} characters; the limit is ${MAX_FILTER_LENGTH}`);
  const filter = new Parser(text, tokenize(text)).filter();
  assertConditionCount(filter.length);
  return filter;
}

function assertConditionCount(n: number): void {
  if (n > MAX_FILTER_CONDITIONS) throw new Invalid(`The filter has ${n} conditions; a filter may hold at most ${MAX_FILTER_CONDITIONS} conditions`);
}

/** Parses a list of order_by clauses, at most MAX_ORDER_BY_TERMS of them. */
export function parseOrderByList(clauses: readonly string[]): OrderBy[] {
  if (clauses.length > MAX_ORDER_BY_TERMS) throw new Invalid(`order_by has ${clauses.length} terms; it may hold at most ${MAX_ORDER_BY_TERMS}`);
  return clauses.map((c) => parseOrderBy(c));
}

/** Parses one order_by clause (`metrics.acc DESC`). */
export function parseOrderBy(src: string): OrderBy {
  if (!src.trim()) throw new FilterError(0, "an empty order_by clause", src);
  return new Parser(src, tokenize(src)).orderBy();
}

// ---------------------------------------------------------------- SQL compiler

const NUMERIC_SQL: Record<NumericOp, SQL> = {
  "=": sql.raw("="),
  "!=": sql.raw("<>"),
  "<": sql.raw("<"),
  "<=": sql.raw("<="),
  ">": sql.raw(">"),
  ">=": sql.raw(">="),
};
const STRING_SQL: Record<StringOp, SQL> = { "=": sql.raw("="), "!=": sql.raw("<>"), LIKE: sql.raw("like"), ILIKE: sql.raw("ilike") };

export const ATTRIBUTE_COLUMNS = {
  run_id: runs.runId,
  run_name: runs.runName,
  status: runs.status,
  user_id: runs.userId,
  artifact_uri: runs.artifactUri,
  start_time: runs.startTime,
  end_time: runs.endTime,
} as const;

/** One parameterised condition per comparison, on the `runs` table; combine with `and(...)`. */
export function compileFilter(filter: Filter): SQL[] {
  return filter.map((c): SQL => {
    switch (c.kind) {
      case "metric":
        // NaN matches no comparison, as on MLflow's server (PostgreSQL would rank it above every number).
        return sql`exists (select 1 from ${latestMetrics} where ${latestMetrics.runId} = ${runs.runId} and ${latestMetrics.key} = ${c.key} and ${latestMetrics.value} ${NUMERIC_SQL[c.op]} ${c.value} and ${latestMetrics.value} <> 'NaN'::float8)`;
      case "param":
        return sql`exists (select 1 from ${params} where ${params.runId} = ${runs.runId} and ${params.key} = ${c.key} and ${params.value} ${STRING_SQL[c.op]} ${c.value})`;
      case "tag":
        return sql`exists (select 1 from ${runTags} where ${runTags.runId} = ${runs.runId} and ${runTags.key} = ${c.key} and ${runTags.value} ${STRING_SQL[c.op]} ${c.value})`;
      case "attribute": {
        const col = ATTRIBUTE_COLUMNS[c.key];
        if (c.op === "IN" || c.op === "NOT IN") {
          const list = sql.join(
            c.value.map((v) => sql`${v}`),
            sql`, `,
          );
          return c.op === "IN" ? sql`${col}::text in (${list})` : sql`${col}::text not in (${list})`;
        }
        if (typeof c.value === "number") {
          // Whole numbers compare as bigint so the time indexes serve; fractions compare as doubles.
          const v = Number.isInteger(c.value) ? sql`${c.value}` : sql`${c.value}::double precision`;
          return sql`${col} ${NUMERIC_SQL[c.op as NumericOp]} ${v}`;
        }
        return sql`${col}::text ${STRING_SQL[c.op as StringOp]} ${c.value}`;
      }
    }
  });
}

/**
 * ORDER BY terms (nulls last) plus the left joins they need; `alias` names each join so several
 * metric or param keys can be ordered on at once. Ties end on start_time DESC, run_id ASC.
 */
export function compileOrderBy(orderBy: OrderBy[]): { joins: SQL[]; terms: SQL[] } {
  const joins: SQL[] = [];
  const terms: SQL[] = [];
  orderBy.forEach((o, i) => {
    const dir = sql.raw(o.desc ? "desc nulls last" : "asc nulls last");
    if (o.kind === "attribute") {
      terms.push(sql`${ATTRIBUTE_COLUMNS[o.key]} ${dir}`);
      return;
    }
    const alias = sql.raw(`"ob${i}"`);
    const table = o.kind === "metric" ? latestMetrics : o.kind === "param" ? params : runTags;
    joins.push(sql`left join ${table} as ${alias} on ${alias}."run_id" = ${runs.runId} and ${alias}."key" = ${o.key}`);
    // NaN metrics sort with the missing ones, last.
    terms.push(o.kind === "metric" ? sql`nullif(${alias}."value", 'NaN'::float8) ${dir}` : sql`${alias}."value" ${dir}`);
  });
  terms.push(sql`${runs.startTime} desc`, sql`${runs.runId} asc`);
  return { joins, terms };
}

// ---------------------------------------------------------------- experiments and registry searches

export type EntityComparison = { kind: "attribute" | "tag"; key: string; op: NumericOp | StringOp; value: string | number; pos: number };

/**
 * The simpler filters of experiments/search and the registry searches: `name LIKE 'det%'`,
 * `tags.team = 'perception'`, joined by AND. `attributes` lists the allowed attribute names and types.
 */
export function parseEntityFilter(src: string | undefined | null, attributes: Record<string, "string" | "number">): EntityComparison[] {
  const text = src ?? "";
  if (text.length > MAX_FILTER_LENGTH) throw new Invalid(`The filter is ${text.length} characters; the limit is ${MAX_FILTER_LENGTH}`);
  const toks = tokenize(text);
  const p: Parser = new Parser(text, toks);
  const out: EntityComparison[] = [];
  if (p.peek().type === "eof") return out;
  for (;;) {
    const idTok = p.next();
    if (idTok.type !== "ident") p.fail(idTok, `expected a key such as name or tags.<key>, found ${p.describe(idTok)}`);
    const dot = idTok.text.indexOf(".");
    const prefix = dot < 0 ? "attribute" : idTok.text.slice(0, dot).toLowerCase();
    const key = dot < 0 ? idTok.text : idTok.text.slice(dot + 1);
    const kind = prefix === "tag" || prefix === "tags" ? "tag" : ["attribute", "attributes", "attr"].includes(prefix) ? "attribute" : null;
    if (!kind) p.fail(idTok, `unknown entity "${prefix}"; use ${Object.keys(attributes).join(", ")} or tags.<key>`);
    const type = kind === "tag" ? "string" : attributes[key];
    if (!type) p.fail(idTok, `unknown attribute "${key}"; valid attributes are ${Object.keys(attributes).join(", ")}`);
    const opTok = p.next();
    const op = opTok.type === "op" ? opTok.text : p.isWord(opTok, "LIKE") || p.isWord(opTok, "ILIKE") ? opTok.text.toUpperCase() : null;
    if (!op) p.fail(opTok, `expected a comparison operator after ${p.describe(idTok)}, found ${p.describe(opTok)}`);
    const valTok = p.next();
    if (type === "number") {
      if (op === "LIKE" || op === "ILIKE") p.fail(opTok, `${op} works on strings; ${key} is numeric`);
      if (valTok.type !== "number") p.fail(valTok, `expected a number, found ${p.describe(valTok)}`);
      out.push({ kind, key, op: op as NumericOp, value: Number(valTok.text), pos: idTok.pos });
    } else {
      if (!["=", "!=", "LIKE", "ILIKE"].includes(op)) p.fail(opTok, `${op} does not work on ${key}; use =, !=, LIKE or ILIKE`);
      if (valTok.type !== "string") p.fail(valTok, `expected a quoted string, found ${p.describe(valTok)}`);
      out.push({ kind, key, op: op as StringOp, value: valTok.text, pos: idTok.pos });
    }
    assertConditionCount(out.length);
    const sep = p.next();
    if (sep.type === "eof") return out;
    if (!p.isWord(sep, "AND"))
      p.fail(sep, p.isWord(sep, "OR") ? "OR is not supported; join conditions with AND" : `expected AND or the end of the filter, found ${p.describe(sep)}`);
  }
}

/** A comparison of an SQL expression with a value, the operator taken from a fixed table. */
export function compareSql(expr: SQL, op: NumericOp | StringOp, value: string | number): SQL {
  return typeof value === "number" ? sql`${expr} ${NUMERIC_SQL[op as NumericOp]} ${value}` : sql`${expr} ${STRING_SQL[op as StringOp]} ${value}`;
}
