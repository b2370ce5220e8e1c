/**
 * RngStreams contract: streams are a pure function of (seed, replication, name), cached per name, and
 * independent of each other; deriveSeed is a fixed 32-bit mix (pinned by golden values).
 */
import { describe, expect, it } from "vitest";
import { RngStreams, deriveSeed, type Rng } from "../../sim/engine/index.js";

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe("RngStreams", () => {
  it("gives identical sequences for identical (seed, replication, name)", () => {
    const a = draws(new RngStreams(42, 3).get("arrivals"), 1000);
    const b = draws(new RngStreams(42, 3).get("arrivals"), 1000);
    expect(a).toEqual(b);
  });

  it("caches one generator per name that continues its sequence", () => {
    const s = new RngStreams(1, 0);
    const first = s.get("x");
    const head = draws(first, 5);
    const again = s.get("x");
    expect(again).toBe(first);
    const reference = draws(new RngStreams(1, 0).get("x"), 10);
    expect([...head, ...draws(again, 5)]).toEqual(reference);
  });

  it("does not depend on which other streams exist or were drawn from first", () => {
    const s1 = new RngStreams(9, 1);
    draws(s1.get("b"), 100);
    const a1 = draws(s1.get("a"), 50);
    const a2 = draws(new RngStreams(9, 1).get("a"), 50);
    expect(a1).toEqual(a2);
  });

  it("differs across names, replications and seeds", () => {
    const base = draws(new RngStreams(42, 0).get("a"), 20);
    expect(draws(new RngStreams(42, 0).get("b"), 20)).not.toEqual(base);
    expect(draws(new RngStreams(42, 1).get("a"), 20)).not.toEqual(base);
    expect(draws(new RngStreams(43, 0).get("a"), 20)).not.toEqual(base);
  });

  it("draws next() in [0, 1) and uint32() as integers in [0, 2^32)", () => {
    const r = new RngStreams(5, 0).get("range");
    let lo = 1;
    let hi = 0;
    let bad = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.next();
      if (!(u >= 0 && u < 1)) bad++;
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      const k = r.uint32();
      if (!(Number.isInteger(k) && k >= 0 && k < 2 ** 32)) bad++;
    }
    expect(bad).toBe(0);
    // Coverage of the whole interval, not a squeezed range.
    expect(lo).toBeLessThan(1e-3);
    expect(hi).toBeGreaterThan(1 - 1e-3);
  });

  it("reports the derived seed", () => {
    expect(new RngStreams(42, 7).seed).toBe(deriveSeed(42, 7));
  });

  it("is pinned: the same inputs give these numbers on any machine", () => {
    const r = new RngStreams(42, 0).get("arrivals");
    expect([r.next(), r.next(), r.next(), r.uint32()]).toEqual([0.6494418871589005, 0.5029462568927556, 0.12292874976992607, 4207506101]);
  });
});

describe("deriveSeed", () => {
  it("is a fixed 32-bit unsigned mix of seed and replication", () => {
    expect([deriveSeed(42, 0), deriveSeed(42, 1), deriveSeed(0, 0), deriveSeed(2 ** 40 + 5, 3)]).toEqual([
      634123432, 4000233157, 4207677272, 4261656626,
    ]);
  });

  it("spreads nearby inputs without collisions", () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      for (let rep = 0; rep < 100; rep++) {
        const d = deriveSeed(seed, rep);
        expect(Number.isInteger(d) && d >= 0 && d < 2 ** 32).toBe(true);
        seen.add(d);
      }
    }
    expect(seen.size).toBe(2000);
  });

  it("distinguishes seeds that differ only above 32 bits", () => {
    expect(deriveSeed(2 ** 32 + 1, 0)).not.toBe(deriveSeed(1, 0));
  });

  it("rejects negative or fractional inputs", () => {
    expect(() => deriveSeed(-1, 0)).toThrow(RangeError);
    expect(() => deriveSeed(1.5, 0)).toThrow(RangeError);
    expect(() => deriveSeed(1, -2)).toThrow(RangeError);
    expect(() => deriveSeed(Number.NaN, 0)).toThrow(RangeError);
  });
});
