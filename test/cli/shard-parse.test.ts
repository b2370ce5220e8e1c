/** --shard i/n: parsing, and the slices of every shard partition the grid points. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../sim/cli/io.js";
import { parseShard, shardPoints } from "../../sim/cli/shards.js";

describe("--shard", () => {
  it("parses i/n with 0 <= i < n and refuses anything else with the reason", () => {
    expect(parseShard("0/3")).toEqual({ index: 0, count: 3 });
    expect(parseShard(" 2 / 3 ")).toEqual({ index: 2, count: 3 });
    for (const [text, reason] of [
      ["3/3", /expected a shard index below 3/],
      ["1/0", /expected at least one shard/],
      ["-1/3", /expected i\/n/],
      ["1.5/3", /expected i\/n/],
      ["1", /expected i\/n/],
    ] as const) {
      expect(() => parseShard(text)).toThrow(UsageError);
      expect(() => parseShard(text)).toThrow(reason);
    }
  });

  it("the shards of n partition the points: each point in exactly one, ascending", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 50 }), (count, total) => {
        const slices = Array.from({ length: count }, (_, index) => shardPoints({ index, count }, total));
        const all = slices.flat().sort((a, b) => a - b);
        expect(all).toEqual(Array.from({ length: total }, (_, k) => k));
        for (const s of slices) expect([...s].sort((a, b) => a - b)).toEqual(s);
        // Balanced: sizes differ by at most one.
        const sizes = slices.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
