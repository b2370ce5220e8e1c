import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatDuration, formatMoney, formatMoneyShort, formatRatio, formatShare, formatSummary, formatValue, groupedSigFigs, NONE, plural, sigFigs } from "../../sim/report/format.js";

describe("one number formatter", () => {
  it("keeps three significant figures and drops trailing zeros", () => {
    expect(sigFigs(20.876288659793815)).toBe("20.9");
    expect(sigFigs(6)).toBe("6");
    expect(sigFigs(0.1254)).toBe("0.125");
    expect(sigFigs(12345)).toBe("12345");
  });
  it("groups thousands where people read a count of cores, and nowhere a number is read back", () => {
    expect(groupedSigFigs(36238.4)).toBe("36,238");
    expect(groupedSigFigs(-1234567)).toBe("-1,234,567");
    expect(groupedSigFigs(1234.5678, 6)).toBe("1,234.57");
    expect(groupedSigFigs(0.125)).toBe("0.125");
    expect(formatValue(128000, "cores")).toBe("128,000 cores");
    expect(formatValue(1, "cores")).toBe("1 core");
    // sigFigs stays plain: the duration formatter reads its text back.
    expect(sigFigs(128000)).toBe("128000");
  });
  it("writes durations in the largest unit that reads as at least 1", () => {
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(0.568)).toBe("568 ms");
    expect(formatDuration(20.876288659793815)).toBe("20.9 s");
    expect(formatDuration(59.99)).toBe("1 min");
    expect(formatDuration(90)).toBe("1.5 min");
    expect(formatDuration(6 * 3600)).toBe("6 h");
    expect(formatDuration(7 * 86400)).toBe("7 d");
  });
  it("writes sizes in binary units, money grouped, factors, shares and counts", () => {
    expect(formatBytes(125 * 2 ** 30)).toBe("125 GiB");
    expect(formatBytes(226 * 2 ** 20)).toBe("226 MiB");
    expect(formatBytes(0)).toBe("0 B");
    expect(formatMoney(1826.4)).toBe("$1,826");
    expect(formatMoney(11.411)).toBe("$11.41");
    expect(formatRatio(1)).toBe("1.00×");
    expect(formatRatio(2.4812)).toBe("2.48×");
    expect(formatShare(0.5512)).toBe("55.1%");
    expect(formatCount(1200)).toBe("1,200");
    expect(formatCount(28.333)).toBe("28.3");
    expect(plural(1, "host")).toBe("1 host");
    expect(plural(3, "host")).toBe("3 hosts");
  });
  it("moves to the next unit when rounding reaches it, and writes big and short amounts", () => {
    expect(formatDuration(59.97)).toBe("1 min");
    expect(formatDuration(0.0009996)).toBe("1 ms");
    expect(formatDuration(3599.9)).toBe("1 h");
    expect(formatDuration(-59.97)).toBe("-1 min");
    expect(formatRatio(999.7)).toBe("1000×");
    expect(formatMoney(0)).toBe("$0");
    expect(formatMoneyShort(820)).toBe("$820");
    expect(formatMoneyShort(999.7)).toBe("$1k");
    expect(formatMoneyShort(4168)).toBe("$4.17k");
    expect(formatMoneyShort(1_500_000)).toBe("$1.5M");
    expect(formatMoneyShort(-12_500)).toBe("-$12.5k");
    expect(formatValue(1, "cores")).toBe("1 core");
    expect(formatValue(2.5, "cores")).toBe("2.5 cores");
  });
  it("shows ± only where replications differ, and a dash where there is no figure", () => {
    expect(formatSummary({ mean: 20.9, sd: 0, lo: 20.9, hi: 20.9, n: 5 }, "s")).toBe("20.9 s");
    expect(formatSummary({ mean: 20.9, sd: 0.5, lo: 20.5, hi: 21.3, n: 5 }, "s")).toBe("20.9 s ±0.4 s");
    expect(formatSummary({ mean: 0, sd: 0, lo: 0, hi: 0, n: 0 }, "factor")).toBe(NONE);
    expect(formatSummary(undefined, "usd")).toBe(NONE);
  });
});

describe("half-widths", () => {
  it("are written in the mean's unit to its last digit", () => {
    expect(formatSummary({ mean: 2.4, sd: 0.05, lo: 2.3381, hi: 2.4619, n: 5 }, "factor")).toBe("2.40× ±0.06×");
    expect(formatSummary({ mean: 0.75, sd: 0.03, lo: 0.7074, hi: 0.7926, n: 5 }, "share")).toBe("75% ±4%");
    expect(formatSummary({ mean: 1826, sd: 10, lo: 1814, hi: 1838, n: 5 }, "usd")).toBe("$1,826 ±$12");
  });
});

describe("formatShare just short of 1", () => {
  it("never reads 100% for a share below 1: the shortfall shows to two figures", () => {
    expect(formatShare(0.99979)).toBe("99.979%");
    expect(formatShare(0.999923)).toBe("99.9923%");
    expect(formatShare(0.9995)).toBe("99.950%");
    expect(formatShare(1)).toBe("100%");
    expect(formatShare(0.999)).toBe("99.9%");
  });
});
