/**
 * LoadColumns: many rows, added at random times with random patterns at scattered row numbers (as
 * service positions hand them out) and walked in an interleaved order, give each instance the very demand sequence (values and change times, bit for bit) that a
 * cursor object per instance gave before the columns (ReferenceCursor below is that class, kept
 * here as the oracle).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RngFamily, type Rng } from "../../sim/engine/index.js";
import { diurnalStepMean, LoadColumns, type LoadPattern } from "../../sim/model/load.js";
import { ServiceColumns } from "../../sim/model/service-columns.js";

/** The per-instance cursor the columns replaced, as it was. */
class ReferenceCursor {
  value = 0;
  nextChange = Infinity;
  private step = 0;
  private on = false;
  private readonly offsetS: number;
  private readonly rng: Rng | undefined;

  constructor(
    private readonly p: LoadPattern,
    rng: Rng,
    private readonly startS: number,
  ) {
    this.offsetS = p.pattern === "diurnal" ? Math.floor(rng.next() * (Math.round(p.jitterS / (p.periodS / p.steps)) + 1)) * (p.periodS / p.steps) : 0;
    this.rng = p.pattern === "bursty" ? rng : undefined;
    this.seek(startS);
  }

  advance(): void {
    this.seek(this.nextChange);
  }

  private seek(t: number): void {
    const p = this.p;
    if (p.pattern === "constant") {
      this.value = p.cores;
      this.nextChange = Infinity;
    } else if (p.pattern === "diurnal") {
      const stepS = p.periodS / p.steps;
      const k = Math.floor(t / stepS + 1e-9);
      this.value = diurnalStepMean(p, k * stepS - this.offsetS, stepS);
      this.nextChange = (k + 1) * stepS;
    } else if (p.pattern === "spikes") {
      const k = Math.floor(t / p.everyS + 1e-9);
      if (t - k * p.everyS < p.durationS - 1e-9) {
        this.value = p.spike;
        this.nextChange = k * p.everyS + p.durationS;
      } else {
        this.value = p.base;
        this.nextChange = (k + 1) * p.everyS;
      }
    } else if (p.pattern === "bursty") {
      if (t === this.startS && this.step === 0) this.on = false;
      else this.on = !this.on;
      this.step++;
      this.value = this.on ? p.burst : p.base;
      this.nextChange = t + -(this.on ? p.onMeanS : p.offMeanS) * Math.log(1 - (this.rng as Rng).next());
    } else {
      const n = p.timesS.length;
      const span = p.timesS[n - 1]!;
      const loops = p.loop && span > 0 ? Math.floor(t / span + 1e-9) : 0;
      const within = t - loops * span;
      let i = 0;
      while (i + 1 < n && p.timesS[i + 1]! <= within + 1e-9) i++;
      this.value = p.cores[i]!;
      if (i + 1 < n) this.nextChange = loops * span + p.timesS[i + 1]!;
      else this.nextChange = p.loop && span > 0 ? (loops + 1) * span : Infinity;
    }
  }
}

const cores = fc.double({ min: 0, max: 8, noNaN: true });
const seconds = fc.double({ min: 1, max: 7200, noNaN: true });
const pattern: fc.Arbitrary<LoadPattern> = fc.oneof(
  cores.map((c) => ({ pattern: "constant" as const, cores: c })),
  fc
    .record({ mean: cores, extra: cores, periodS: seconds, peakAtS: seconds, steps: fc.integer({ min: 1, max: 96 }), jitterS: fc.double({ min: 0, max: 7200, noNaN: true }) })
    .map(({ mean, extra, ...rest }) => ({ pattern: "diurnal" as const, mean, peak: mean + extra, ...rest })),
  fc.record({ base: cores, burst: cores, onMeanS: seconds, offMeanS: seconds }).map((r) => ({ pattern: "bursty" as const, ...r })),
  fc
    .record({ base: cores, spike: cores, everyS: seconds, share: fc.double({ min: 0.01, max: 0.99, noNaN: true }) })
    .map(({ share, ...r }) => ({ pattern: "spikes" as const, ...r, durationS: r.everyS * share })),
  fc
    .record({ gaps: fc.array(seconds, { minLength: 1, maxLength: 6 }), loop: fc.boolean() })
    .chain(({ gaps, loop }) =>
      fc.array(cores, { minLength: gaps.length + 1, maxLength: gaps.length + 1 }).map((cs) => {
        const timesS = [0];
        for (const g of gaps) timesS.push(timesS[timesS.length - 1]! + g);
        return { pattern: "trace" as const, timesS, cores: cs, loop };
      }),
    ),
);

describe("LoadColumns", () => {
  it("gives every row the demand sequence of its own cursor, whatever the interleaving", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 3 }), host: fc.integer({ min: 0, max: 3 }), replica: fc.integer({ min: 0, max: 1000 }), startS: fc.double({ min: 0, max: 86400, noNaN: true }) }), { minLength: 1, maxLength: 30 }),
        fc.array(pattern, { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 200 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (rows, patterns, walk, seed) => {
          const family = new RngFamily(seed, "load/app");
          const columns = new LoadColumns();
          const cursors: ReferenceCursor[] = [];
          // Rows follow service positions: out of order, in per-host chunks, with gaps.
          const positions = new ServiceColumns();
          const rowOf: number[] = [];
          const added = (): void => {
            const r = rows[cursors.length]!;
            const p = patterns[r.p]!;
            const row = positions.add(r.host);
            // Rows of one pattern share the object, as replicas of one app do.
            columns.add(row, p, family, r.replica, r.startS);
            rowOf.push(row);
            cursors.push(new ReferenceCursor(p, family.of(r.replica), r.startS));
          };
          added();
          for (const step of walk) {
            // Rows join between advances, as services become ready during a run.
            if (step % 5 === 0 && cursors.length < rows.length) {
              added();
              continue;
            }
            const k = step % cursors.length;
            if (cursors[k]!.nextChange === Infinity) continue;
            cursors[k]!.advance();
            columns.advance(rowOf[k]!);
          }
          for (let k = 0; k < cursors.length; k++) {
            expect(columns.value[rowOf[k]!]).toBe(cursors[k]!.value);
            expect(columns.nextChange[rowOf[k]!]).toBe(cursors[k]!.nextChange);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
