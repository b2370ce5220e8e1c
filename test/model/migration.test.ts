import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { preCopyMigration, type MigrationInput } from "../../sim/model/migration.js";

const GiB = 2 ** 30;

describe("pre-copy live migration", () => {
  it("matches a case computed by hand: 8 GiB over a 10 Gbit/s share, 200 MB/s dirtied, 300 ms limit", () => {
    // M = 8 GiB = 8,589,934,592 B; B = 10 Gbit/s = 1.25e9 B/s; D = 200 MB/s = 2e8 B/s; D/B = 0.16.
    // Stop threshold: B x 300 ms = 3.75e8 B.
    // Round 1 sends M:             8,589,934,592 B in 6.8719476736 s; dirtied meanwhile: D x 6.87... = M x 0.16
    //                              = 1,374,389,534.72 B > 3.75e8, so another round.
    // Round 2 sends M x 0.16:      1,374,389,534.72 B in 1.099511627776 s; dirtied: M x 0.16^2 = 219,902,325.5552 B
    //                              <= 3.75e8: stop.
    // Stop-and-copy sends M x 0.16^2 = 219,902,325.5552 B; pause 219,902,325.5552 / 1.25e9 = 0.17592186044416 s.
    // Bytes moved: M (1 + 0.16 + 0.0256) = 10,184,226,452.2752 B; total time 10,184,226,452.2752 / 1.25e9 = 8.14738116182016 s.
    const m = preCopyMigration({
      memoryBytes: 8 * GiB,
      bandwidthBytesPerS: 10e9 / 8,
      dirtyRateBytesPerS: 200e6,
      downtimeLimitS: 0.3,
      maxRounds: 30,
      onNonConvergence: "force",
    });
    expect(m.outcome).toBe("converged");
    expect(m.rounds).toBe(2);
    expect(m.roundBytes[0]).toBe(8_589_934_592);
    expect(m.roundBytes[1]).toBeCloseTo(1_374_389_534.72, 3);
    expect(m.stopCopyBytes).toBeCloseTo(219_902_325.5552, 3);
    expect(m.bytesMoved).toBeCloseTo(10_184_226_452.2752, 3);
    expect(m.pauseS).toBeCloseTo(0.17592186044416, 12);
    expect(m.totalS).toBeCloseTo(8.14738116182016, 12);
  });

  it("a dirty rate at or above the bandwidth never converges: forced stop-and-copy with the long pause, or cold", () => {
    // D = B: every round re-sends all of memory; after 5 rounds 5 x 4 GiB went, and the pause sends 4 GiB more.
    const base = { memoryBytes: 4 * GiB, bandwidthBytesPerS: 1e9, dirtyRateBytesPerS: 1e9, downtimeLimitS: 0.3, maxRounds: 5 } as const;
    const forced = preCopyMigration({ ...base, onNonConvergence: "force" });
    expect(forced.outcome).toBe("forced");
    expect(forced.rounds).toBe(5);
    expect(forced.bytesMoved).toBe(6 * 4 * GiB);
    expect(forced.pauseS).toBeCloseTo((4 * GiB) / 1e9, 12);
    const cold = preCopyMigration({ ...base, onNonConvergence: "cold" });
    expect(cold.outcome).toBe("cold");
    expect(cold.pauseS).toBe(0);
    expect(cold.bytesMoved).toBe(5 * 4 * GiB);
    // A writable working set of 256 MiB (268,435,456 B) caps what a round leaves dirty: under the 1e9 x 0.3 B
    // threshold, so the same guest converges after the first round with a 256 MiB stop-and-copy.
    const wws = preCopyMigration({ ...base, writableWorkingSetBytes: 256 * 2 ** 20, onNonConvergence: "force" });
    expect(wws.outcome).toBe("converged");
    expect(wws.rounds).toBe(1);
    expect(wws.stopCopyBytes).toBe(256 * 2 ** 20);
  });

  it("a guest that dirties nothing pauses for nothing after one round", () => {
    const m = preCopyMigration({ memoryBytes: GiB, bandwidthBytesPerS: 1e9, dirtyRateBytesPerS: 0, downtimeLimitS: 0.3, maxRounds: 30, onNonConvergence: "force" });
    expect([m.rounds, m.pauseS, m.bytesMoved]).toEqual([1, 0, GiB]);
  });

  const input = fc.record({
    memoryBytes: fc.integer({ min: 64, max: 512 }).map((n) => n * 2 ** 24),
    bandwidthBytesPerS: fc.integer({ min: 1, max: 100 }).map((n) => n * 1.25e8),
    dirtyRateBytesPerS: fc.integer({ min: 0, max: 20_000 }).map((n) => n * 1e6),
    downtimeLimitS: fc.integer({ min: 1, max: 2000 }).map((n) => n / 1000),
    maxRounds: fc.integer({ min: 1, max: 40 }),
    onNonConvergence: fc.constantFrom("force" as const, "cold" as const),
  });

  it("moves at least the memory, pauses within the limit when it converges, and sums its rounds", () => {
    fc.assert(
      fc.property(input, (i: MigrationInput) => {
        const m = preCopyMigration(i);
        expect(m.bytesMoved).toBeGreaterThanOrEqual(i.memoryBytes);
        expect(m.rounds).toBeLessThanOrEqual(i.maxRounds);
        expect(m.roundBytes.length).toBe(m.rounds);
        expect(m.bytesMoved).toBeCloseTo(m.roundBytes.reduce((a, v) => a + v, 0) + m.stopCopyBytes, 0);
        if (m.outcome === "converged") expect(m.pauseS).toBeLessThanOrEqual(i.downtimeLimitS + 1e-12);
        if (m.outcome !== "converged") expect(m.rounds).toBe(i.maxRounds);
        if (i.dirtyRateBytesPerS >= i.bandwidthBytesPerS && i.memoryBytes > i.bandwidthBytesPerS * i.downtimeLimitS) expect(m.outcome).not.toBe("converged");
      }),
    );
  });

  it("is monotone in the dirty rate: more dirtying never moves fewer bytes or takes less time", () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 5000 }).map((n) => n * 1e6), (i: MigrationInput, extra: number) => {
        const low = preCopyMigration(i);
        const high = preCopyMigration({ ...i, dirtyRateBytesPerS: i.dirtyRateBytesPerS + extra });
        // A cold fallback stops sending early: compare like with like.
        fc.pre(low.outcome !== "cold" && high.outcome !== "cold");
        expect(high.bytesMoved).toBeGreaterThanOrEqual(low.bytesMoved * (1 - 1e-12));
        expect(high.totalS).toBeGreaterThanOrEqual(low.totalS * (1 - 1e-12));
        expect(high.rounds).toBeGreaterThanOrEqual(low.rounds);
      }),
    );
  });
});
