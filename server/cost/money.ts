// Money as integer micro-dollars: parsed from decimal strings without floats, summed as integers.

export const MICROS_PER_DOLLAR = 1_000_000;
/** Up to $999,999,999.999999 per value, so sums of many rows stay exact below 2^53 micros. */
const DECIMAL = /^(-)?(\d{1,9})(?:\.(\d+))?$/;

/** "12.3456785" → 12345679 (half away from zero at the sixth decimal); null when not a plain decimal. */
export function parseMicros(text: string): number | null {
  const m = DECIMAL.exec(text.trim());
  if (!m) return null;
  const frac = m[3] ?? "";
  let micros = Number(m[2]) * MICROS_PER_DOLLAR + Number((frac + "000000").slice(0, 6));
  if (frac.length > 6 && frac.charCodeAt(6) >= 53 /* "5" */) micros += 1;
  return m[1] && micros !== 0 ? -micros : micros;
}

/** "$1,234.56" (cents), or with more digits for small unit costs. */
export function formatMicros(micros: number, digits = 2): string {
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(micros);
  const dollars = new Intl.NumberFormat("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(abs / MICROS_PER_DOLLAR);
  return `${sign}$${dollars}`;
}

/** Integer sum; throws rather than silently losing precision. */
export function sumMicros(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`Not an integer amount of micro-dollars: ${v}`);
    total += v;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError("Sum of micro-dollars exceeds the safe integer range");
  return total;
}

/** 12345678 → "12.345678": exact decimal text for exports. */
export function microsToDecimal(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / MICROS_PER_DOLLAR)}.${String(abs % MICROS_PER_DOLLAR).padStart(6, "0")}`;
}
