/**
 * The CPU charts' series on any mix of apps and values: each sample's stack still adds up to every
 * series there, apps past MAX_APP_SERIES share one series, legend names and app colours stay
 * distinct, and the chart compiles.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import type { CpuSeries, Results } from "../../sim/experiment/results.js";
import { MAX_APP_SERIES, OTHER_APPS, appSeries, cpuOverTimeChart, cpuOverTimeRows, cpuSeriesColors } from "../../sim/report/index.js";
import { fixtureResults } from "./fixture.js";

/** Per mode: app count, then a value per app per sample (NaN, negative and 0 included: they read as 0). */
const valueArb = fc.oneof(fc.constant(0), fc.constant(Number.NaN), fc.constant(-1), fc.double({ min: 0.001, max: 5000, noNaN: true }));
const casesArb = fc.record({
  apps: fc.integer({ min: 1, max: 20 }),
  samples: fc.integer({ min: 1, max: 6 }),
  seed: fc.array(valueArb, { minLength: 20 * 6 * 2, maxLength: 20 * 6 * 2 }),
  names: fc.constantFrom("plain", "colliding"),
});

function withSeries(apps: number, samples: number, seed: readonly number[], names: string): Results {
  const r = fixtureResults();
  // App names that read like the other series' legend names stay apps.
  const appNames = Array.from({ length: apps }, (_, k) => (names === "colliding" && k === 0 ? "Other apps (3)" : names === "colliding" && k === 1 ? "overhead" : `app${k}`));
  const series = (offset: number): CpuSeries => ({
    timesS: Array.from({ length: samples }, (_, j) => j * 60),
    series: [...appNames, "overhead", "start-up"],
    values: [...appNames.map((_, k) => Array.from({ length: samples }, (_, j) => seed[(offset + k * samples + j) % seed.length]!)), Array(samples).fill(1), Array(samples).fill(0.5)],
    capacityCores: 128000,
  });
  const modes = Object.fromEntries(Object.entries(r.modes).map(([name, m], i) => [name, { ...m, cpuSeries: series(i * 7) }]));
  return { ...r, modes };
}

describe("CPU series on any apps and values", () => {
  it("stack to the sum of every series, group past MAX_APP_SERIES apps, keep names and app colours apart, and compile", () => {
    fc.assert(
      fc.property(casesArb, ({ apps, samples, seed, names }) => {
        const results = withSeries(apps, samples, seed, names);
        const groups = appSeries(results);
        const rows = cpuOverTimeRows(results, groups);
        const clean = (v: number | undefined): number => (v !== undefined && Number.isFinite(v) && v > 0 ? v : 0);
        const used = new Set<string>();
        for (const [mode, m] of Object.entries(results.modes)) {
          m.cpuSeries.timesS.forEach((t, j) => {
            const stack = rows.filter((row) => row.mode === mode && row.seconds === t);
            const sum = m.cpuSeries.values.reduce((n, v) => n + clean(v[j]), 0);
            expect(stack[stack.length - 1]!.y1).toBeCloseTo(sum, 6);
            stack.forEach((row, k) => expect(row.order).toBe(k));
            expect(new Set(stack.map((row) => row.seriesLabel)).size).toBe(stack.length);
          });
          m.cpuSeries.series.forEach((name, k) => {
            if (k < apps && m.cpuSeries.values[k]!.some((v) => clean(v) > 0)) used.add(name);
          });
        }
        const apart = [...groups.entries()].filter(([app, to]) => to === app && used.has(app)).length;
        const shared = [...groups.values()].filter((to) => to === OTHER_APPS).length;
        if (used.size <= MAX_APP_SERIES) expect(shared).toBe(0);
        else {
          expect(apart).toBe(MAX_APP_SERIES - 1);
          expect(shared).toBe(apps - (MAX_APP_SERIES - 1));
        }
        const colors = cpuSeriesColors(results, groups);
        expect(new Set(colors.domain).size).toBe(colors.domain.length);
        const appColors = colors.range.slice(0, colors.domain.length - colors.domain.filter((d) => d === "Overhead" || d === "Start-up work").length);
        if (used.size > MAX_APP_SERIES) expect(new Set(appColors).size).toBe(appColors.length);
        expect(() => compile(cpuOverTimeChart(results))).not.toThrow();
      }),
      { numRuns: 60, seed: 20261203 },
    );
  });
});
