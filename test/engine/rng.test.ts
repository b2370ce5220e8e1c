/**
 * RngStreams contract: streams are a pure function of (seed, replication, name), cached per name, and
 * independent of each other; deriveSeed is a fixed 32-bit mix (pinned by golden values).
 */
import { describe, expect, it } from "vitest";
import { RngFamily, RngStreams, deriveSeed, type Rng } from "../../sim/engine/index.js";
import fc from "fast-check";

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

describe("RngFamily (keyed per-instance draws)", () => {
  it("is a pure function of (seed, replication, family, index, draw number), whoever asks first", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(50), fc.string(), fc.nat(), (seed, rep, name, index) => {
        const a = draws(new RngStreams(seed, rep).family(name).of(index), 4);
        const s = new RngStreams(seed, rep);
        draws(s.family(name).of(index + 1), 3);
        expect(draws(s.family(name).of(index), 4)).toEqual(a);
      }),
    );
  });

  it("differs across indices, families, replications and seeds", () => {
    const base = draws(new RngStreams(42, 0).family("load/a").of(7), 8);
    expect(draws(new RngStreams(42, 0).family("load/a").of(8), 8)).not.toEqual(base);
    expect(draws(new RngStreams(42, 0).family("load/b").of(7), 8)).not.toEqual(base);
    expect(draws(new RngStreams(42, 1).family("load/a").of(7), 8)).not.toEqual(base);
    expect(draws(new RngStreams(43, 0).family("load/a").of(7), 8)).not.toEqual(base);
    // Indices beyond 32 bits are distinct too.
    expect(draws(new RngStreams(42, 0).family("load/a").of(7 + 2 ** 32), 8)).not.toEqual(base);
  });

  it("spreads the first draws of consecutive indices evenly over [0, 1) (chi-square, 20 bins)", () => {
    const f = new RngStreams(1, 0).family("startup/app0");
    const bins = new Array<number>(20).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = f.of(i).next();
      expect(u >= 0 && u < 1).toBe(true);
      bins[Math.floor(u * 20)]!++;
    }
    const e = n / 20;
    const chi2 = bins.reduce((a, b) => a + ((b - e) * (b - e)) / e, 0);
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    expect(chi2).toBeLessThan(43.8);
  });

  it("draws uncorrelated successive numbers for one index (lag-1 correlation near 0)", () => {
    const f = new RngStreams(3, 0).family("boot/app");
    let sxy = 0;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const r = f.of(i);
      const x = r.next();
      const y = r.next();
      sx += x;
      sy += y;
      sxy += x * y;
      sxx += x * x;
    }
    const cov = sxy / n - (sx / n) * (sy / n);
    const variance = sxx / n - (sx / n) ** 2;
    expect(Math.abs(cov / variance)).toBeLessThan(0.02);
  });

  it("is pinned: the same inputs give these numbers on any machine", () => {
    const r = new RngFamily(deriveSeed(42, 0), "load/app0").of(3);
    expect([r.next(), r.uint32()]).toEqual([0.4283027062192559, 2226266588]);
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

describe("RngFamily.at", () => {
  it("draws what of() draws for the same index, one generator reused for every index", () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.nat({ max: 2 ** 40 }), { minLength: 1, maxLength: 10 }), (seed, indices) => {
        const family = new RngStreams(seed, 0).family("startup/app");
        const first = family.at(indices[0]!);
        for (const i of indices) {
          const shared = family.at(i);
          expect(shared).toBe(first);
          expect(draws(shared, 3)).toEqual(draws(family.of(i), 3));
        }
      }),
    );
  });
});
