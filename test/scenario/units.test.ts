import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUnitError, MAX_QUANTITY, parseBandwidth, parseBytes, parseDuration, parseRate, type Parsed } from "../../sim/scenario/units.js";

/** The value, or a failing assertion naming the input. */
function ok(p: Parsed, input: unknown): number {
  if (isUnitError(p)) throw new Error(`${JSON.stringify(input)} was rejected: expected ${p.expected}`);
  return p;
}

const SIZE_UNITS: readonly (readonly [string, number])[] = [
  ["B", 1],
  ["KB", 1e3],
  ["MB", 1e6],
  ["GB", 1e9],
  ["TB", 1e12],
  ["KiB", 1024],
  ["MiB", 1024 ** 2],
  ["GiB", 1024 ** 3],
  ["TiB", 1024 ** 4],
];

/** Inputs no unit parser accepts. */
const GARBAGE: readonly unknown[] = [
  "",
  "   ",
  "abc",
  "GiB",
  "1..5GiB",
  ".5GiB",
  "1,5GiB",
  "1 2GiB",
  "NaN",
  "Infinity",
  "-Infinity",
  NaN,
  Infinity,
  -Infinity,
  null,
  undefined,
  true,
  {},
  [],
  [1],
];

describe("parseBytes", () => {
  it.each(SIZE_UNITS)("%s has factor %d", (unit, factor) => {
    expect(ok(parseBytes(`3${unit}`), `3${unit}`)).toBe(3 * factor);
    expect(ok(parseBytes(`1.5${unit}`), `1.5${unit}`)).toBe(1.5 * factor);
  });

  it("knows the sizes scenarios use", () => {
    expect(parseBytes("256GiB")).toBe(274_877_906_944);
    expect(parseBytes("768MiB")).toBe(805_306_368);
    expect(parseBytes("2GB")).toBe(2_000_000_000);
    expect(parseBytes("0B")).toBe(0);
  });

  it("takes a bare number as bytes", () => {
    expect(parseBytes(0)).toBe(0);
    expect(parseBytes(4096)).toBe(4096);
    expect(parseBytes(1.5)).toBe(1.5);
  });

  it("allows spaces around the number and the unit, and exponents", () => {
    expect(parseBytes(" 2 GiB ")).toBe(2 * 1024 ** 3);
    expect(parseBytes("1e3KB")).toBe(1e6);
    expect(parseBytes("2.5E-3GB")).toBe(2.5e-3 * 1e9);
  });

  it.each(["-2GiB", "-5", "-0.5KB", "- 1MB"])("rejects negative %j", (input) => {
    expect(isUnitError(parseBytes(input))).toBe(true);
  });

  it("rejects negative bare numbers", () => {
    expect(isUnitError(parseBytes(-5))).toBe(true);
    expect(isUnitError(parseBytes(-1e-9))).toBe(true);
  });

  it.each(["1Gb", "1gb", "1gib", "1GIB", "1G", "1Gi", "1KIB", "1PiB", "1PB", "1 bytes", "1GiB/s"])(
    "rejects an unknown or missing unit in %j",
    (input) => {
      const p = parseBytes(input);
      expect(isUnitError(p)).toBe(true);
      if (isUnitError(p)) expect(p.expected).toMatch(/GiB/);
    },
  );

  it.each(GARBAGE)("rejects %j", (input) => {
    expect(isUnitError(parseBytes(input))).toBe(true);
  });

  it("rejects a size too large to represent", () => {
    expect(isUnitError(parseBytes("1e400B"))).toBe(true);
    expect(isUnitError(parseBytes("1e300TiB"))).toBe(true);
  });

  it("property: for any non-negative n and unit, parseBytes(`${n}${unit}`) is n times the unit's factor", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }),
        fc.constantFrom(...SIZE_UNITS),
        (n, [unit, factor]) => {
          const text = `${n}${unit}`;
          const expected = n * factor;
          const p = parseBytes(text);
          if (Number.isFinite(expected) && expected <= MAX_QUANTITY) expect(p).toBe(expected);
          else expect(isUnitError(p)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("property: non-negative integers with a unit parse exactly", () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }), fc.constantFrom(...SIZE_UNITS), (n, [unit, factor]) => {
        expect(parseBytes(`${n}${unit}`)).toBe(n * factor);
        expect(parseBytes(`${n} ${unit}`)).toBe(n * factor);
      }),
    );
  });

  it("property: a minus sign is always rejected", () => {
    fc.assert(
      fc.property(fc.double({ min: Number.MIN_VALUE, max: 1e12, noNaN: true }), fc.constantFrom(...SIZE_UNITS), (n, [unit]) => {
        expect(isUnitError(parseBytes(`-${n}${unit}`))).toBe(true);
        expect(isUnitError(parseBytes(-n))).toBe(true);
      }),
    );
  });
});

describe("parseDuration", () => {
  it.each([
    ["250ms", 0.25],
    ["1ms", 0.001],
    ["4s", 4],
    ["0.5s", 0.5],
    ["10m", 600],
    ["6h", 21_600],
    ["1d", 86_400],
    ["1.5h", 5400],
  ] as const)("%s is %d s", (input, seconds) => {
    expect(parseDuration(input)).toBeCloseTo(seconds, 12);
  });

  it("takes a bare number as seconds", () => {
    expect(parseDuration(30)).toBe(30);
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(0.25)).toBe(0.25);
  });

  it.each(["-1s", "-250ms", -1, "1sec", "1min", "1M", "1H", "1S", "1y", "1w", "1us", "1ns", "s", "1 h 30 m"])(
    "rejects %j",
    (input) => {
      const p = parseDuration(input);
      expect(isUnitError(p)).toBe(true);
      if (isUnitError(p)) expect(p.expected).toMatch(/duration/);
    },
  );

  it.each(GARBAGE)("rejects %j", (input) => {
    expect(isUnitError(parseDuration(input))).toBe(true);
  });
});

describe("parseBandwidth", () => {
  it.each([
    ["1bit/s", 0.125],
    ["8bit/s", 1],
    ["100Mbit/s", 12_500_000],
    ["1Gbit/s", 125_000_000],
    ["25Gbit/s", 3_125_000_000],
    ["1MB/s", 1e6],
    ["2GB/s", 2e9],
  ] as const)("%s is %d bytes/s", (input, bytesPerS) => {
    expect(parseBandwidth(input)).toBe(bytesPerS);
  });

  it("takes a bare number as bytes per second", () => {
    expect(parseBandwidth(1e9)).toBe(1e9);
    expect(parseBandwidth(0)).toBe(0);
  });

  it.each(["1Gb", "1Gbps", "1gbit/s", "1Gbit", "1GB", "1Gb/s", "-1Gbit/s", -1, "1Gbit/h", "1Tbit/s"])("rejects %j", (input) => {
    const p = parseBandwidth(input);
    expect(isUnitError(p)).toBe(true);
    if (isUnitError(p)) expect(p.expected).toMatch(/bandwidth/);
  });

  it.each(GARBAGE)("rejects %j", (input) => {
    expect(isUnitError(parseBandwidth(input))).toBe(true);
  });
});

describe("parseRate", () => {
  it.each([
    ["5/s", 5],
    ["3/m", 3 / 60],
    ["20/h", 20 / 3600],
    ["0/h", 0],
  ] as const)("%s is %d per second", (input, perS) => {
    expect(parseRate(input)).toBeCloseTo(perS, 15);
  });

  it("takes a bare number as events per second", () => {
    expect(parseRate(2)).toBe(2);
    expect(parseRate(0.5)).toBe(0.5);
  });

  it.each(["-1/s", -1, "5/x", "5/min", "5/sec", "5 per hour", "5/H", "/h", "5//h"])("rejects %j", (input) => {
    const p = parseRate(input);
    expect(isUnitError(p)).toBe(true);
    if (isUnitError(p)) expect(p.expected).toMatch(/rate/);
  });

  it.each(GARBAGE)("rejects %j", (input) => {
    expect(isUnitError(parseRate(input))).toBe(true);
  });
});

describe("numbers written as strings", () => {
  it("take the SI base unit, as a bare number does (JSON files often quote numbers)", () => {
    expect(parseBytes("1024")).toBe(1024);
    expect(parseDuration(" 2.5 ")).toBe(2.5);
  });
  it("say 'non-negative' for negative values, written either way", () => {
    expect(parseBytes("-1")).toEqual({ expected: expect.stringMatching(/^a non-negative value/) });
    expect(parseDuration(-3)).toEqual({ expected: expect.stringMatching(/^a non-negative value/) });
  });
});
