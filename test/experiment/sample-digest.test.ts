/**
 * Streaming summaries (sim/experiment/sample-digest.ts): exact below the limit, a DDSketch beyond
 * it whose quantiles keep the stated bound (within 1% of a sample value within one rank of the
 * exact quantile's), pooling that matches one sketch of everything, digests that survive a trip
 * between threads, and a ready log whose thinned points all lie on the exact curve.
 */
import fc from "fast-check";
import { quantileSorted } from "simple-statistics";
import { describe, expect, it } from "vitest";
import { percentilesOf, pool, quantileOf, ReadyLog, SampleCollector, SKETCH_RELATIVE_ACCURACY } from "../../sim/experiment/sample-digest.js";

const collect = (values: readonly number[], limit: number): SampleCollector => {
  const c = new SampleCollector(limit);
  for (const v of values) c.add(v);
  return c;
};
const positive = fc.double({ min: 1e-3, max: 1e7, noNaN: true });
const ps = [0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1];

/** The estimate lies within the relative accuracy of a sample value of rank within one of quantileSorted's. */
function withinBound(sorted: readonly number[], p: number, estimate: number): boolean {
  const n = sorted.length;
  const r = Math.max(0, Math.ceil(p * n) - 1);
  const lo = (sorted[Math.max(0, r - 1)] as number) * (1 - SKETCH_RELATIVE_ACCURACY);
  const hi = (sorted[Math.min(n - 1, r + 1)] as number) * (1 + SKETCH_RELATIVE_ACCURACY);
  return estimate >= lo - 1e-12 && estimate <= hi + 1e-12;
}

describe("SampleCollector", () => {
  it("keeps values exactly up to its limit: quantiles are simple-statistics' on the sorted values", () => {
    fc.assert(
      fc.property(fc.array(positive, { minLength: 1, maxLength: 200 }), (values) => {
        const c = collect(values, 200);
        expect(c.estimated).toBe(false);
        const d = c.digest();
        const sorted = [...values].sort((a, b) => a - b);
        expect(Array.from(d.kind === "exact" ? d.values : [])).toEqual(sorted);
        for (const p of ps) expect(quantileOf(d, p)).toBe(quantileSorted(sorted, p));
        expect(c.count).toBe(values.length);
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it("beyond its limit, quantiles are estimates within the stated bound; count and sum stay exact", () => {
    fc.assert(
      fc.property(fc.array(positive, { minLength: 51, maxLength: 2000 }), (values) => {
        const c = collect(values, 50);
        expect(c.estimated).toBe(true);
        expect(c.count).toBe(values.length);
        expect(c.sum).toBe(values.reduce((a, b) => a + b, 0));
        const d = c.digest();
        expect(d.kind).toBe("sketch");
        const sorted = [...values].sort((a, b) => a - b);
        for (const p of ps) expect(withinBound(sorted, p, quantileOf(d, p) as number)).toBe(true);
      }),
      { numRuns: 100, seed: 12 },
    );
  });

  it("counts zeros exactly in a sketch", () => {
    const d = collect([...Array.from({ length: 60 }, () => 0), ...Array.from({ length: 40 }, (_, k) => k + 1)], 10).digest();
    expect(quantileOf(d, 0.5)).toBe(0);
    expect(quantileOf(d, 1)).toBeGreaterThan(39);
  });

  it("pooling sketches gives the quantiles of one sketch of every value; pooling exact digests stays exact", () => {
    fc.assert(
      fc.property(fc.array(fc.array(positive, { minLength: 21, maxLength: 300 }), { minLength: 1, maxLength: 4 }), (parts) => {
        const all = parts.flat();
        const pooled = pool(parts.map((p) => collect(p, 20).digest()));
        const whole = collect(all, 20).digest();
        for (const p of ps) expect(quantileOf(pooled, p)).toBe(quantileOf(whole, p));
        const exact = pool(parts.map((p) => collect(p, 1000).digest()));
        expect(percentilesOf(exact)).toEqual(percentilesOf(collect(all, 10_000).digest()));
      }),
      { numRuns: 60, seed: 13 },
    );
  });

  it("a digest is plain data: it crosses threads (structured clone) with the same quantiles", () => {
    const values = Array.from({ length: 5000 }, (_, k) => 1 + ((k * 7919) % 1000) / 10);
    const d = collect(values, 100).digest();
    const copy = structuredClone(d);
    expect(percentilesOf(copy)).toEqual(percentilesOf(d));
  });
});

describe("ReadyLog", () => {
  /** The exact ready curve: [t, ready by t] after the last of each run of equal times. */
  const curve = (times: readonly number[]): [number, number][] =>
    times.flatMap((t, k): [number, number][] => (k + 1 < times.length && times[k + 1] === t ? [] : [[t, k + 1]]));

  it("keeps every time up to its limit; beyond it, thinned points that all lie on the exact curve and end at the total", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 20_000 }), (steps) => {
        const times: number[] = [];
        let t = 0;
        for (const s of steps) times.push((t += s));
        const log = new ReadyLog(1000);
        for (const u of times) log.add(u);
        const d = log.digest();
        const exact = curve(times);
        if (times.length <= 1000) {
          expect(d.kind).toBe("exact");
          expect(Array.from(d.kind === "exact" ? d.times : [])).toEqual(times);
          return;
        }
        expect(d.kind).toBe("thinned");
        if (d.kind !== "thinned") return;
        const onCurve = new Set(exact.map(([a, b]) => `${a}/${b}`));
        const points: [number, number][] = [];
        for (let k = 0; k < d.points.length; k += 2) points.push([d.points[k]!, d.points[k + 1]!]);
        for (const [a, b] of points) expect(onCurve.has(`${a}/${b}`)).toBe(true);
        expect(points[points.length - 1]).toEqual(exact[exact.length - 1]);
        expect(points.length).toBeLessThanOrEqual(2 * 4096 + 1);
      }),
      { numRuns: 40, seed: 14 },
    );
  });
});
