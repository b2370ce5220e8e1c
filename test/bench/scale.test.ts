import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestSplitS, fittedExponent, growthExponent } from "../../bench/scale.js";

describe("scale bench growth exponents", () => {
  it("recovers the power of a power law, over two sizes and over many", () => {
    const sizes = [10_000, 100_000, 1_000_000];
    expect(fittedExponent(sizes.map((n) => [n, 3e-5 * n ** 1.1] as const))).toBeCloseTo(1.1, 12);
    expect(growthExponent(1_000, 2, 5_000, 10)).toBeCloseTo(1, 12);
  });

  it("fits through every size: a superlinear last step raises the whole range's exponent less than the step's", () => {
    // 10k -> 100k linear, 100k -> 1M at 1.2: the fitted slope lies between.
    const points = [
      [10_000, 1],
      [100_000, 10],
      [1_000_000, 10 * 10 ** 1.2],
    ] as const;
    const fitted = fittedExponent(points);
    expect(fitted).toBeGreaterThan(1);
    expect(fitted).toBeLessThan(1.2);
    expect(fitted).toBeCloseTo(growthExponent(10_000, 1, 1_000_000, 10 * 10 ** 1.2), 12);
  });
});

describe("scale bench: the best split of a case's runs over the workers", () => {
  it("is the least makespan: the four modes of the 100,000-service case on two workers", () => {
    // bare, container, vm, microvm: the VMs with bare processes (11.4) against the other two (10.0).
    expect(bestSplitS([3.4, 5.1, 8.0, 4.9], 2)).toBeCloseTo(11.4, 12);
    // Longest first, each to the least loaded worker, gives 3 + 2 + 2 against 3 + 2; the best is 3 + 3 against 2 + 2 + 2.
    expect(bestSplitS([3, 3, 2, 2, 2], 2)).toBe(6);
    expect(bestSplitS([3.4, 5.1, 8.0, 4.9], 1)).toBeCloseTo(21.4, 12);
    expect(bestSplitS([3.4, 5.1, 8.0, 4.9], 8)).toBe(8.0);
    expect(bestSplitS(new Array(13).fill(1), 2)).toBeUndefined();
  });

  it("lies between the longest run and the total, and at or above their mean per worker (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 4 }), (runs, workers) => {
        const best = bestSplitS(runs, workers) as number;
        const total = runs.reduce((a, b) => a + b, 0);
        expect(best).toBeGreaterThanOrEqual(Math.max(...runs));
        expect(best).toBeLessThanOrEqual(total * (1 + 1e-12));
        expect(best).toBeGreaterThanOrEqual((total / workers) * (1 - 1e-12));
      }),
    );
  });
});
