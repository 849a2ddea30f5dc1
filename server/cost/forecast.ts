// Month-end forecasts, budget thresholds and daily anomaly flags: pure functions over daily totals.

export type DailySpend = { day: string; micros: number };

const DAY_MS = 86_400_000;
export const toDay = (d: Date) => d.toISOString().slice(0, 10);
export const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
export const addDays = (day: string, n: number) => toDay(new Date(dayMs(day) + n * DAY_MS));
export const weekday = (day: string) => new Date(dayMs(day)).getUTCDay();

export function monthBounds(month: string): { first: string; last: string; days: number } {
  const [y, m] = month.split("-").map(Number);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { first: `${month}-01`, last: `${month}-${String(days).padStart(2, "0")}`, days };
}

/** Every day from `from` to `to` inclusive, with missing days as zero spend. */
export function fillDays(rows: DailySpend[], from: string, to: string): DailySpend[] {
  const by = new Map(rows.map((r) => [r.day, r.micros]));
  const out: DailySpend[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push({ day: d, micros: by.get(d) ?? 0 });
  return out;
}

/** Spend so far scaled to the whole month: spent / days elapsed × days in month. */
export function linearForecast(spentMicros: number, daysElapsed: number, daysInMonth: number): number {
  if (daysElapsed <= 0) return 0;
  return Math.round((spentMicros / daysElapsed) * daysInMonth);
}

/**
 * Spend so far plus, for each remaining day, the mean of the same weekday over the trailing 28
 * days (weekend traffic differs from weekday traffic); the plain trailing mean when a weekday has
 * no history. `history` holds the days up to and including `asOf`, missing days filled.
 */
export function weekdayForecast(spentMicros: number, history: DailySpend[], asOf: string, monthLast: string): number {
  const window = history.filter((h) => h.day <= asOf && h.day > addDays(asOf, -28));
  if (!window.length) return spentMicros;
  const overall = window.reduce((a, h) => a + h.micros, 0) / window.length;
  const byWeekday = new Map<number, number[]>();
  for (const h of window) (byWeekday.get(weekday(h.day)) ?? byWeekday.set(weekday(h.day), []).get(weekday(h.day))!).push(h.micros);
  let rest = 0;
  for (let d = addDays(asOf, 1); d <= monthLast; d = addDays(d, 1)) {
    const same = byWeekday.get(weekday(d));
    rest += same?.length ? same.reduce((a, b) => a + b, 0) / same.length : overall;
  }
  return spentMicros + Math.round(rest);
}

export type BudgetLevel = "ok" | "warning" | "over";

/** 80% of budget is a warning, 100% is over; for spend so far and for the forecast alike. */
export function budgetLevel(micros: number, budgetMicros: number): BudgetLevel {
  if (budgetMicros <= 0) return "ok";
  // Integer comparison: micros * 100 >= budget * 80, no division.
  if (micros * 100 >= budgetMicros * 100) return "over";
  if (micros * 100 >= budgetMicros * 80) return "warning";
  return "ok";
}

export type Anomaly = { day: string; micros: number; mean: number; sd: number };

/**
 * Days more than 3 standard deviations (sample sd) above the mean of the 28 days before them.
 * A day needs at least 14 days of history before it is judged; `series` must be filled (no gaps).
 */
export function anomalies(series: DailySpend[], minHistory = 14): Anomaly[] {
  const out: Anomaly[] = [];
  for (let i = 0; i < series.length; i++) {
    const prior = series.slice(Math.max(0, i - 28), i).map((s) => s.micros);
    if (prior.length < minHistory) continue;
    const mean = prior.reduce((a, b) => a + b, 0) / prior.length;
    const sd = Math.sqrt(prior.reduce((a, b) => a + (b - mean) ** 2, 0) / (prior.length - 1));
    if (series[i].micros > mean + 3 * sd && series[i].micros > mean) out.push({ day: series[i].day, micros: series[i].micros, mean, sd });
  }
  return out;
}

export type ForecastMethod = "linear" | "weekday";
export type Backtest = { months: string[]; errorPct: Record<ForecastMethod, number | null>; recommended: ForecastMethod };

/**
 * How far each method was off on past months: for every month in `months` fully covered by `series` (filled, no
 * gaps), forecast its total as of the same day of the month as today, compare with what it came to, and average the
 * absolute miss in percent. The method with the smaller miss is recommended; weekday-aware when nothing can be checked.
 */
export function backtestForecasts(series: DailySpend[], months: readonly string[], dayOfMonth: number): Backtest {
  const firstData = series.find((s) => s.micros !== 0)?.day;
  const misses: Record<ForecastMethod, number[]> = { linear: [], weekday: [] };
  const used: string[] = [];
  for (const month of months) {
    const { first, last, days } = monthBounds(month);
    if (!firstData || firstData > first || !series.length || series[series.length - 1].day < last) continue;
    const elapsed = Math.min(dayOfMonth, days);
    const asOf = addDays(first, elapsed - 1);
    const inMonth = series.filter((s) => s.day >= first && s.day <= last);
    const actual = inMonth.reduce((a, s) => a + s.micros, 0);
    if (actual <= 0) continue;
    const spent = inMonth.filter((s) => s.day <= asOf).reduce((a, s) => a + s.micros, 0);
    const history = series.filter((s) => s.day >= firstData && s.day <= asOf);
    misses.linear.push(Math.abs(linearForecast(spent, elapsed, days) - actual) / actual);
    misses.weekday.push(Math.abs(weekdayForecast(spent, history, asOf, last) - actual) / actual);
    used.push(month);
  }
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 10 : null);
  const errorPct = { linear: mean(misses.linear), weekday: mean(misses.weekday) };
  const recommended: ForecastMethod = errorPct.linear !== null && errorPct.weekday !== null && errorPct.linear < errorPct.weekday ? "linear" : "weekday";
  return { months: used, errorPct, recommended };
}

/** The `n` months before `month` ("2026-12" → ["2026-11", "2026-10", …]). */
export function monthsBefore(month: string, n: number): string[] {
  const [y, m] = month.split("-").map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 2 - i, 1));
    return d.toISOString().slice(0, 7);
  });
}
