// FinOps FOCUS cost CSV: an RFC 4180 reader and per-row validation naming line and column. Pure.
import { createHash } from "node:crypto";
import { parseMicros } from "./money";

export const FOCUS_REQUIRED = ["BilledCost", "EffectiveCost", "ChargePeriodStart", "ChargePeriodEnd", "ServiceName", "ResourceId", "Tags"] as const;
export const FOCUS_OPTIONAL = ["BillingCurrency", "ChargeCategory"] as const;
export const RESOURCE_KINDS = ["gpu_hours", "cpu_hours", "memory", "storage", "network_egress", "llm_tokens", "device_bandwidth", "other"] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
/** Charge categories that may carry negative amounts (refunds, credits, corrections). */
const NEGATIVE_ALLOWED = new Set(["credit", "adjustment"]);

export const CSV_MAX_BYTES = 10 * 1024 * 1024;
export const CSV_MAX_ROWS = 100_000;

export type CsvIssue = { line: number; column: string; message: string };

export type CostRow = {
  line: number;
  rowKey: string;
  day: string;
  model: string | null;
  version: number | null;
  environment: string;
  deployment: string | null;
  resourceKind: ResourceKind;
  billedMicros: number;
  effectiveMicros: number;
  currency: string;
  serviceName: string;
  resourceId: string;
  tags: Record<string, string>;
};

/**
 * Records with the line each starts on (header is line 1); quoted fields may span lines.
 * Stops after `maxRecords`, so a caller with a row limit never parses past it.
 */
export function readCsv(text: string, maxRecords = Number.POSITIVE_INFINITY): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length && out.length < maxRecords) {
    const start = line;
    const fields: string[] = [];
    let field = "";
    for (;;) {
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new CsvSyntaxError(start, "a quoted field is not closed");
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === "\n") line++;
          field += text[i++];
        }
      }
      while (i < text.length && text[i] !== "," && text[i] !== "\n" && text[i] !== "\r") field += text[i++];
      if (text[i] === ",") {
        fields.push(field);
        field = "";
        i++;
        continue;
      }
      fields.push(field);
      if (text[i] === "\r") i++;
      if (text[i] === "\n") i++;
      line++;
      break;
    }
    if (!(fields.length === 1 && fields[0] === "")) out.push({ line: start, fields });
  }
  return out;
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** An ISO 8601 date or date-time (UTC when no offset), checked for real calendar values. */
export function parseInstant(s: string): Date | null {
  const m = ISO.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", sec = "00", zone] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(h) > 24 || Number(mi) > 59 || Number(sec) > 59) return null;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}${zone ? (zone === "Z" ? "Z" : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone) : "Z"}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  // Date.parse rolls 2025-02-30 over to March; refuse instead.
  if (new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDate() !== Number(d)) return null;
  return new Date(t);
}

function canonicalTags(tags: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b))));
}

export function costRowKey(r: {
  start: string;
  end: string;
  serviceName: string;
  resourceId: string;
  tags: Record<string, string>;
  billedMicros: number;
  effectiveMicros: number;
  currency: string;
}): string {
  return createHash("sha256")
    .update([r.start, r.end, r.serviceName, r.resourceId, canonicalTags(r.tags), r.billedMicros, r.effectiveMicros, r.currency].join("\u001f"))
    .digest("hex");
}

/**
 * Validates a FOCUS export. Model, version, environment, deployment and resource kind come from
 * Tags (a JSON object with keys model, version, environment, deployment, resource_kind); the day is
 * ChargePeriodStart's UTC date and the period must lie within that day. One currency per file.
 */
export function validateFocusCsv(text: string, knownModels: ReadonlySet<string>): { rows: CostRow[]; issues: CsvIssue[] } {
  const issues: CsvIssue[] = [];
  const MAX_ISSUES = 100;
  const issue = (line: number, column: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ line, column, message });
  };
  if (Buffer.byteLength(text, "utf8") > CSV_MAX_BYTES)
    return { rows: [], issues: [{ line: 0, column: "", message: `The file is over the limit of ${CSV_MAX_BYTES / 1024 / 1024} MiB; split it by month` }] };
  let records: { line: number; fields: string[] }[];
  try {
    // The header, the allowed rows and one more: enough to know the file is over the limit.
    records = readCsv(text, CSV_MAX_ROWS + 2);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { rows: [], issues: [{ line: e.line, column: "", message: e.message.replace(/^line \d+: /, "") }] };
    throw e;
  }
  if (!records.length) return { rows: [], issues: [{ line: 1, column: "", message: "The file is empty" }] };
  const header = records[0].fields.map((h) => h.trim());
  const missing = FOCUS_REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    return {
      rows: [],
      issues: [
        {
          line: 1,
          column: missing[0],
          message: `The header lacks the FOCUS column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; found ${header.join(", ") || "nothing"}`,
        },
      ],
    };
  }
  if (records.length - 1 > CSV_MAX_ROWS) {
    return {
      rows: [],
      issues: [{ line: 0, column: "", message: `The file has more than ${CSV_MAX_ROWS.toLocaleString("en-US")} rows; split it (by month or by account)` }],
    };
  }
  const col = (name: string) => header.indexOf(name);
  const idx = Object.fromEntries([...FOCUS_REQUIRED, ...FOCUS_OPTIONAL].map((c) => [c, col(c)])) as Record<string, number>;
  const rows: CostRow[] = [];
  const seen = new Map<string, number>();
  let currency: { code: string; line: number } | null = null;

  for (const rec of records.slice(1)) {
    const { line, fields } = rec;
    if (fields.length !== header.length) {
      issue(line, "", `Has ${fields.length} fields; the header has ${header.length}`);
      continue;
    }
    const get = (c: string) => (idx[c] >= 0 ? fields[idx[c]].trim() : "");
    const before = issues.length;

    const category = get("ChargeCategory").toLowerCase();
    const money = (c: "BilledCost" | "EffectiveCost") => {
      const raw = get(c);
      const v = parseMicros(raw);
      if (v === null) issue(line, c, `"${raw}" is not a decimal amount such as 12.34`);
      else if (v < 0 && !NEGATIVE_ALLOWED.has(category)) issue(line, c, `Negative amount ${raw} is only allowed when ChargeCategory is Credit or Adjustment`);
      return v ?? 0;
    };
    const billedMicros = money("BilledCost");
    const effectiveMicros = money("EffectiveCost");

    const code = (get("BillingCurrency") || "USD").toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) issue(line, "BillingCurrency", `"${code}" is not an ISO 4217 currency code`);
    else if (currency && currency.code !== code)
      issue(line, "BillingCurrency", `${code} differs from ${currency.code} on line ${currency.line}; import one currency per file`);
    else if (code !== "USD") issue(line, "BillingCurrency", `${code}: budgets are in USD; convert before importing`);
    else currency ??= { code, line };

    const start = parseInstant(get("ChargePeriodStart"));
    const end = parseInstant(get("ChargePeriodEnd"));
    if (!start) issue(line, "ChargePeriodStart", `"${get("ChargePeriodStart")}" is not an ISO 8601 date or date-time`);
    if (!end) issue(line, "ChargePeriodEnd", `"${get("ChargePeriodEnd")}" is not an ISO 8601 date or date-time`);
    let day = "";
    if (start && end) {
      day = start.toISOString().slice(0, 10);
      const dayEnd = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
      if (end <= start) issue(line, "ChargePeriodEnd", "Ends before or when it starts");
      else if (end.getTime() > dayEnd) issue(line, "ChargePeriodEnd", `The charge period runs past ${day}; send daily (or finer) rows`);
    }

    let tags: Record<string, string> = {};
    const rawTags = get("Tags");
    if (rawTags) {
      try {
        const parsed: unknown = JSON.parse(rawTags);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== "string"))
          throw new Error("not an object of strings");
        tags = parsed as Record<string, string>;
      } catch {
        issue(line, "Tags", 'Tags must be a JSON object of strings, e.g. {"model":"seatbelt","environment":"cloud-prod"}');
      }
    }
    const model = tags.model?.trim() || null;
    if (model && !knownModels.has(model)) issue(line, "Tags", `Unknown model "${model}" in Tags.model`);
    const version = tags.version ? Number(tags.version) : null;
    if (version !== null && !(Number.isInteger(version) && version > 0)) issue(line, "Tags", `Tags.version "${tags.version}" is not a version number`);
    const kind = (tags.resource_kind ?? "other").trim();
    if (!(RESOURCE_KINDS as readonly string[]).includes(kind)) issue(line, "Tags", `Tags.resource_kind "${kind}" is not one of ${RESOURCE_KINDS.join(", ")}`);

    if (issues.length > before || issues.length >= MAX_ISSUES) continue;
    const serviceName = get("ServiceName");
    const resourceId = get("ResourceId");
    const rowKey = costRowKey({
      start: start!.toISOString(),
      end: end!.toISOString(),
      serviceName,
      resourceId,
      tags,
      billedMicros,
      effectiveMicros,
      currency: code,
    });
    const dup = seen.get(rowKey);
    if (dup !== undefined) {
      issue(line, "", `Duplicates line ${dup}`);
      continue;
    }
    seen.set(rowKey, line);
    rows.push({
      line,
      rowKey,
      day,
      model,
      version,
      environment: tags.environment?.trim() || "unallocated",
      deployment: tags.deployment?.trim() || null,
      resourceKind: kind as ResourceKind,
      billedMicros,
      effectiveMicros,
      currency: code,
      serviceName,
      resourceId,
      tags,
    });
  }
  return { rows, issues };
}
