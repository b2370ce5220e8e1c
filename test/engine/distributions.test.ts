/**
 * Distribution contract: sample means (and spreads) match mean() and the textbook moments over many
 * draws with a fixed seed; bounds hold; empirical weights are honoured; sampling is deterministic.
 */
import { describe, expect, it } from "vitest";
import { RngStreams, mean, sample, standardNormal, type Distribution, type Rng } from "../../sim/engine/index.js";

const N = 200_000;

function rng(name: string): Rng {
  return new RngStreams(2024, 0).get(name);
}

/** Mean, standard deviation, min and max of N draws. */
function stats(dist: Distribution, name: string, n: number = N): { mean: number; sd: number; min: number; max: number } {
  const r = rng(name);
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = sample(dist, r);
    sum += x;
    sumSq += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const m = sum / n;
  return { mean: m, sd: Math.sqrt(sumSq / n - m * m), min, max };
}

function within(actual: number, expected: number, relTol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relTol * Math.abs(expected));
}

describe("sample and mean", () => {
  it("constant always returns its value", () => {
    const d: Distribution = { dist: "constant", value: 3.5 };
    const s = stats(d, "c", 1000);
    expect([s.min, s.max, mean(d)]).toEqual([3.5, 3.5, 3.5]);
  });

  it("uniform stays in [min, max) with mean (min + max) / 2", () => {
    const d: Distribution = { dist: "uniform", min: 2, max: 6 };
    const s = stats(d, "u");
    expect(s.min).toBeGreaterThanOrEqual(2);
    expect(s.max).toBeLessThan(6);
    expect(s.min).toBeLessThan(2.01);
    expect(s.max).toBeGreaterThan(5.99);
    expect(mean(d)).toBe(4);
    within(s.mean, 4, 0.005);
    within(s.sd, 4 / Math.sqrt(12), 0.01);
  });

  it("exponential has the given mean (within 2% over 200k draws) and sd = mean", () => {
    const d: Distribution = { dist: "exponential", mean: 300 };
    const s = stats(d, "e");
    expect(mean(d)).toBe(300);
    within(s.mean, 300, 0.02);
    within(s.sd, 300, 0.02);
    expect(s.min).toBeGreaterThanOrEqual(0);
  });

  it("normal far above its floor has the given mean and sd", () => {
    const d: Distribution = { dist: "normal", mean: 10, sd: 2 };
    const s = stats(d, "n");
    within(s.mean, 10, 0.005);
    within(s.sd, 2, 0.01);
    // Clamping at 0 adds sd * phi(-5) - mean * Phi(-5) = 1.07e-7 to the mean.
    within(mean(d), 10 + 1.07e-7, 1e-9);
  });

  it("normal clamps draws below min to min, and mean() accounts for the clamping", () => {
    const d: Distribution = { dist: "normal", mean: 1, sd: 1, min: 0 };
    const r = rng("clamp");
    let atMin = 0;
    let sum = 0;
    let lowest = Infinity;
    for (let i = 0; i < N; i++) {
      const x = sample(d, r);
      // One expect after the loop: 200,000 calls of expect() cost seconds.
      lowest = Math.min(lowest, x);
      if (x === 0) atMin++;
      sum += x;
    }
    expect(lowest).toBeGreaterThanOrEqual(0);
    // P(X < 0) for N(1, 1) is Phi(-1) = 0.158655; E[max(X, 0)] = 1 * Q(-1) + phi(-1) = 1.083315.
    within(atMin / N, 0.158655, 0.02);
    within(mean(d), 1.083315, 1e-5);
    within(sum / N, mean(d), 0.01);
  });

  it("normal's min defaults to 0 and may be negative", () => {
    expect(stats({ dist: "normal", mean: -5, sd: 1 }, "d0", 1000).max).toBe(0);
    const s = stats({ dist: "normal", mean: 0, sd: 1, min: -1 }, "dm");
    expect(s.min).toBe(-1);
    // E[max(Z, -1)] = -Phi(-1) + phi(-1) = -0.158655 + 0.241971.
    within(mean({ dist: "normal", mean: 0, sd: 1, min: -1 }), 0.083315, 1e-4);
    within(s.mean, 0.083315, 0.06);
  });

  it("lognormal is parameterised by the mean and sd of the value itself", () => {
    const d: Distribution = { dist: "lognormal", mean: 4, sd: 2 };
    const s = stats(d, "ln");
    expect(mean(d)).toBe(4);
    within(s.mean, 4, 0.01);
    within(s.sd, 2, 0.03);
    expect(s.min).toBeGreaterThan(0);
  });

  it("lognormal with sd 0 is the constant mean", () => {
    const s = stats({ dist: "lognormal", mean: 7, sd: 0 }, "ln0", 100);
    within(s.min, 7, 1e-12);
    within(s.max, 7, 1e-12);
  });

  it("empirical without weights draws each value equally often", () => {
    const values = [5, 10, 20, 40];
    const d: Distribution = { dist: "empirical", values };
    const r = rng("emp");
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const x = sample(d, r);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual(values);
    for (const v of values) within(counts.get(v)! / N, 0.25, 0.02);
    expect(mean(d)).toBe(18.75);
  });

  it("empirical with weights draws in proportion and never picks zero weights", () => {
    const d: Distribution = { dist: "empirical", values: [1, 2, 3, 4], weights: [1, 0, 3, 6] };
    const r = rng("empw");
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < N; i++) counts[sample(d, r)]!++;
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    within(counts[1]! / N, 0.1, 0.03);
    within(counts[3]! / N, 0.3, 0.02);
    within(counts[4]! / N, 0.6, 0.01);
    within(mean(d), (1 + 9 + 24) / 10, 1e-12);
  });

  it("a single-valued empirical always returns that value", () => {
    const s = stats({ dist: "empirical", values: [42], weights: [3] }, "one", 1000);
    expect([s.min, s.max]).toEqual([42, 42]);
  });

  it("is deterministic for a given stream", () => {
    const dists: Distribution[] = [
      { dist: "exponential", mean: 2 },
      { dist: "normal", mean: 1, sd: 0.5 },
      { dist: "lognormal", mean: 3, sd: 1 },
      { dist: "empirical", values: [1, 2, 3], weights: [1, 1, 2] },
    ];
    const run = (): number[] => {
      const r = new RngStreams(7, 2).get("startup");
      return Array.from({ length: 200 }, (_, i) => sample(dists[i % dists.length]!, r));
    };
    expect(run()).toEqual(run());
    const r = new RngStreams(7, 2).get("startup");
    expect(sample({ dist: "exponential", mean: 2 }, r)).toBeCloseTo(0.01816207351294207, 12);
  });
});

describe("draw alignment", () => {
  it("uses a fixed number of uniforms per family, so later draws do not depend on parameters", () => {
    const after = (first: Distribution): number => {
      const r = new RngStreams(3, 0).get("align");
      sample(first, r);
      return r.next();
    };
    expect(after({ dist: "normal", mean: 1, sd: 1 })).toBe(after({ dist: "normal", mean: -50, sd: 1, min: 0 }));
    expect(after({ dist: "normal", mean: 1, sd: 1 })).toBe(after({ dist: "lognormal", mean: 2, sd: 3 }));
    expect(after({ dist: "exponential", mean: 1 })).toBe(after({ dist: "empirical", values: [1, 2], weights: [0, 1] }));
    expect(after({ dist: "constant", value: 1 })).toBe(new RngStreams(3, 0).get("align").next());
    expect(after({ dist: "uniform", min: 0, max: 1 })).not.toBe(after({ dist: "normal", mean: 0, sd: 1 }));
  });
});

describe("standardNormal", () => {
  it("has mean 0 and variance 1 and a symmetric tail", () => {
    const r = rng("z");
    let sum = 0;
    let sumSq = 0;
    let above2 = 0;
    for (let i = 0; i < N; i++) {
      const z = standardNormal(r);
      sum += z;
      sumSq += z * z;
      if (Math.abs(z) > 2) above2++;
    }
    expect(Math.abs(sum / N)).toBeLessThan(0.01);
    within(sumSq / N, 1, 0.01);
    // P(|Z| > 2) = 0.0455.
    within(above2 / N, 0.0455, 0.05);
  });
});
