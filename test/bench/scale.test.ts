import { describe, expect, it } from "vitest";
import { fittedExponent, growthExponent } from "../../bench/scale.js";

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
