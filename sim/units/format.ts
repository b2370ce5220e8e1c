/**
 * How densim writes a number for people: durations, sizes, money, factors, shares, cores and
 * counts, one rule each, three significant figures unless a whole number reads better. The
 * table, the reports, the sweep and plan output and `densim profiles` all format through here,
 * so one quantity reads the same everywhere. No locale reaches the output.
 */

/**
 * How a number is read: `s` seconds, `bytes`, `usd` USD per month, `usd-each` USD per month per
 * instance, `factor` a ratio where 1 is unaffected (slowdown), `share` a fraction 0..1 (shown as
 * %), `cores`, `count`, `host-s` host-seconds.
 */
export type MetricUnit = "s" | "bytes" | "usd" | "usd-each" | "factor" | "share" | "cores" | "count" | "host-s";

/** A mean over replications with its 95% confidence interval (the results' MetricSummary). */
export interface SummaryLike {
  readonly mean: number;
  readonly sd?: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
}

/** Shown where a mode has no figure (nothing placed, nothing ran): never "0 ms" or "0.000x". */
export const NONE = "–";

/** `value` to `sig` significant figures, trailing zeros of the fraction removed: 20.9, 6, 0.125. */
export function sigFigs(value: number, sig = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const digits = Math.max(0, sig - 1 - Math.floor(Math.log10(Math.abs(value))));
  const text = Math.abs(value) >= 10 ** sig ? Math.round(value).toString() : value.toFixed(Math.min(digits, 12));
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** sigFigs with the whole part's thousands grouped, for text people read: 36,238 cores, not 36238. */
export function groupedSigFigs(value: number, sig = 3): string {
  return sigFigs(value, sig).replace(/^(-?)(\d+)/, (_, sign: string, whole: string) => sign + groupDigits(whole));
}

/** Thousands grouped with commas: 1234567 -> "1,234,567". */
export function groupDigits(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

const DURATION_UNITS: readonly [number, string][] = [
  [86400, "d"],
  [3600, "h"],
  [60, "min"],
  [1, "s"],
  [0.001, "ms"],
  [1e-6, "µs"],
];

/** "0 s", "568 ms", "20.9 s", "1.5 min", "6 h", "7 d". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds === 0) return "0 s";
  const abs = Math.abs(seconds);
  let unit = DURATION_UNITS.findIndex(([size]) => abs >= size);
  if (unit < 0) unit = DURATION_UNITS.length - 1;
  let text = sigFigs(seconds / (DURATION_UNITS[unit] as [number, string])[0]);
  // Rounding can reach the next unit up: 59.97 s is "60 s" at 3 figures; "1 min" then.
  const up = DURATION_UNITS[unit - 1];
  if (up && Math.abs(Number(text)) >= (up[0] / (DURATION_UNITS[unit] as [number, string])[0]) * (1 - 1e-9)) {
    unit -= 1;
    // The value rounded up to a whole unit: 0.9995 min is "1 min".
    text = `${seconds < 0 ? "-" : ""}${sigFigs(Math.max(1, abs / up[0]))}`;
  }
  return `${text} ${(DURATION_UNITS[unit] as [number, string])[1]}`;
}

const BYTE_UNITS: readonly [number, string][] = [
  [2 ** 40, "TiB"],
  [2 ** 30, "GiB"],
  [2 ** 20, "MiB"],
  [2 ** 10, "KiB"],
];

/** Binary units, three figures: "125 GiB", "1.05 GiB", "226 MiB", "0 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const abs = Math.abs(bytes);
  for (const [size, name] of BYTE_UNITS) if (abs >= size * 0.9995) return `${sigFigs(bytes / size)} ${name}`;
  return `${sigFigs(bytes)} B`;
}

/** USD: whole dollars from $100 ("$1,826"), cents below ("$11.41"), "$0" for nothing. */
export function formatMoney(usd: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  // Nothing to pay has no cents to show.
  if (usd === 0) return "$0";
  const abs = Math.abs(usd);
  const text = abs >= 99.995 ? Math.round(abs).toFixed(0) : abs.toFixed(2);
  const [whole = "0", frac] = text.split(".");
  const sign = usd < 0 && Number(text) > 0 ? "-" : "";
  return `${sign}$${groupDigits(whole)}${frac ? `.${frac}` : ""}`;
}

const MONEY_UNITS: readonly [number, string][] = [
  [1e9, "B"],
  [1e6, "M"],
  [1e3, "k"],
];

/**
 * USD in a tight space (in-bar labels, axis ticks): "$820", "$4.17k", "$12.5k", "$1.5M";
 * three significant figures from a thousand up, `formatMoney` below.
 */
export function formatMoneyShort(usd: number): string {
  if (!Number.isFinite(usd)) return String(usd);
  const abs = Math.abs(usd);
  // Rounding can reach the next unit: $999.7 is "$1k", not "$1,000".
  for (const [size, suffix] of MONEY_UNITS) {
    if (abs >= size * 0.9995) return `${usd < 0 ? "-" : ""}$${sigFigs(abs / size)}${suffix}`;
  }
  return formatMoney(usd);
}

/** A factor where 1 is unaffected: "1.00×", "2.48×", "12.3×". */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  // toPrecision would write 999.7 as "1.00e+3".
  return `${value >= 999.5 ? Math.round(value).toString() : value.toPrecision(3)}×`;
}

/** A share 0..1 as a percentage: "55.1%", "0%", "100%". */
export function formatShare(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = sigFigs(value * 100);
  // Just short of 1 (an availability of 99.98%) must not read as 100%: show the shortfall to two figures.
  if (value < 1 && Number(text) >= 100) return `${(value * 100).toFixed(Math.min(8, Math.ceil(-Math.log10((1 - value) * 100)) + 1))}%`;
  return `${text}%`;
}

/** A count: whole numbers as they are ("120", "1,200"), means to three figures ("28.3"). */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return `${value < 0 ? "-" : ""}${groupDigits(Math.abs(value).toString())}`;
  return sigFigs(value);
}

/** "1 host", "3 hosts": a count with its noun, singular for exactly one. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`;
}

/** A value in a metric's unit, as the table, reports and CLI print it. */
export function formatValue(value: number, unit: MetricUnit): string {
  switch (unit) {
    case "s":
      return formatDuration(value);
    case "bytes":
      return formatBytes(value);
    case "usd":
    case "usd-each":
      return formatMoney(value);
    case "factor":
      return formatRatio(value);
    case "share":
      return formatShare(value);
    case "cores":
      return `${groupedSigFigs(value)} ${value === 1 ? "core" : "cores"}`;
    case "host-s":
      return `${formatCount(Math.round(value))} host-s`;
    case "count":
      return formatCount(value);
  }
}

/**
 * A summary over replications: the mean, and `±half-width` of the 95% CI only where
 * replications differ at the printed precision ("20.9 s ±0.31 s"); `NONE` when n is 0.
 */
export function formatSummary(s: SummaryLike | undefined, unit: MetricUnit): string {
  if (!s || s.n === 0 || !Number.isFinite(s.mean)) return NONE;
  const text = formatValue(s.mean, unit);
  const half = (s.hi - s.lo) / 2;
  if (!(half > 0) || formatValue(s.mean + half, unit) === text) return text;
  return `${text} ±${halfWidth(text, s.mean, half)}`;
}

/**
 * The half-width written in the mean's own unit and to its last printed digit, so "2.40×" gets
 * "±0.06×" and "20.9 s" gets "±0.4 s" (one significant figure when that rounds to zero).
 */
function halfWidth(meanText: string, mean: number, half: number): string {
  const token = /\d[\d,]*(\.\d+)?/.exec(meanText);
  const shown = token ? Number(token[0].replace(/,/g, "")) : 0;
  if (!token || shown === 0 || mean === 0) return sigFigs(half, 1);
  const scaled = (half * shown) / Math.abs(mean);
  const decimals = token[1] ? token[1].length - 1 : 0;
  let digits = scaled.toFixed(decimals);
  if (Number(digits) === 0) digits = sigFigs(scaled, 1);
  const grouped = digits.includes(".") ? digits : groupDigits(digits);
  return `${meanText.slice(0, token.index).replace(/^-/, "")}${grouped}${meanText.slice(token.index + token[0].length)}`;
}
