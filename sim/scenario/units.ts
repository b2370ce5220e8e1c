/**
 * Unit parsing at the scenario boundary: sizes, durations, bandwidths, rates and cores become SI
 * base units (bytes, seconds, bytes per second, events per second) once, here, and nowhere else.
 * Each parser returns a number or a `UnitError` describing what was expected.
 */

export interface UnitError {
  readonly expected: string;
}

export type Parsed = number | UnitError;

export const isUnitError = (p: Parsed): p is UnitError => typeof p !== "number";

const NUMBER = String.raw`([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)`;

/**
 * The largest quantity accepted, in SI units: beyond any real size (1e21 bytes is a zettabyte),
 * duration (3e13 years) or bandwidth, and small enough that sums and products of a few of
 * them stay finite.
 */
export const MAX_QUANTITY = 1e21;

function parseWith(
  input: unknown,
  factors: Readonly<Record<string, number>>,
  expected: string,
  bareNumberFactor: number | undefined,
): Parsed {
  if (typeof input === "number") {
    if (input < 0) return { expected: `a non-negative value: ${expected}` };
    if (bareNumberFactor === undefined || !Number.isFinite(input)) return { expected };
    return bounded(input * bareNumberFactor, expected);
  }
  if (typeof input !== "string") return { expected };
  if (/^\s*-/.test(input)) return { expected: `a non-negative value: ${expected}` };
  // A number in a string ("1024", as JSON files often carry) is the bare SI unit.
  if (bareNumberFactor !== undefined && new RegExp(`^\\s*${NUMBER}\\s*$`).test(input)) return bounded(Number(input) * bareNumberFactor, expected);
  const m = new RegExp(`^\\s*${NUMBER}\\s*([A-Za-z/]+)\\s*$`).exec(input);
  if (!m) return { expected };
  const factor = factors[m[2] as string];
  if (factor === undefined) return { expected };
  return bounded(Number(m[1]) * factor, expected);
}

function bounded(value: number, expected: string): Parsed {
  if (!Number.isFinite(value)) return { expected };
  return value <= MAX_QUANTITY ? value : { expected: `${expected}, at most ${MAX_QUANTITY} in SI units` };
}

const SIZE_FACTORS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** `768MiB`, `2GB`, or a bare number of bytes. */
export const parseBytes = (input: unknown): Parsed =>
  parseWith(input, SIZE_FACTORS, "a size like 768MiB or 2GB (B KB MB GB TB, KiB MiB GiB TiB)", 1);

const DURATION_FACTORS: Readonly<Record<string, number>> = { ms: 1e-3, s: 1, m: 60, h: 3600, d: 86400 };

/** `250ms`, `4s`, `6h`, or a bare number of seconds. */
export const parseDuration = (input: unknown): Parsed =>
  parseWith(input, DURATION_FACTORS, "a duration like 250ms, 4s, 10m, 6h or 1d", 1);

const BANDWIDTH_FACTORS: Readonly<Record<string, number>> = {
  "bit/s": 1 / 8,
  "Kbit/s": 1e3 / 8,
  "Mbit/s": 1e6 / 8,
  "Gbit/s": 1e9 / 8,
  "B/s": 1,
  "KB/s": 1e3,
  "MB/s": 1e6,
  "GB/s": 1e9,
  "KiB/s": 2 ** 10,
  "MiB/s": 2 ** 20,
  "GiB/s": 2 ** 30,
};

/** `25Gbit/s`, `2GB/s`, or a bare number of bytes per second. */
export const parseBandwidth = (input: unknown): Parsed =>
  parseWith(input, BANDWIDTH_FACTORS, "a bandwidth like 1Gbit/s, 100Mbit/s or 2GB/s", 1);

const RATE_FACTORS: Readonly<Record<string, number>> = { "/s": 1, "/m": 1 / 60, "/h": 1 / 3600, "/d": 1 / 86400 };

/** `20/h`, `5/s`, or a bare number per second. */
export const parseRate = (input: unknown): Parsed =>
  parseWith(input, RATE_FACTORS, "a rate like 20/h, 3/m or 5/s", 1);
