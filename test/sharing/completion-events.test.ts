/**
 * CompletionEvents.update (sim/sharing/completion-events.ts) writes each flow's doneFrom, the time from
 * which a completion's gathering reads its remaining work: it must never be later than the first time
 * the exact test (isDone of remaining - rate * elapsed) says done, whatever the rounding near that time.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { CompletionEvents } from "../../sim/sharing/completion-events.js";
import { FlowTable } from "../../sim/sharing/flow-table.js";
import { FluidSharing } from "../../sim/sharing/index.js";
import { zeroStats } from "../../sim/sharing/types.js";


const positive = (max: number): fc.Arbitrary<number> =>
  fc.oneof(fc.double({ min: 1e-6, max, noNaN: true }), fc.integer({ min: 1, max: 1000 }).map((k) => k / 7));

describe("CompletionEvents doneFrom", () => {
  it("is at or before every time the exact test says done, just before and after the threshold", () => {
    fc.assert(
      fc.property(positive(1e6), fc.double({ min: 0, max: 1, noNaN: true }), positive(1e4), fc.integer({ min: -64, max: 64 }), (work, left, rate, ulps) => {
        const sim = new Simulation();
        const ft = new FlowTable();
        const events = new CompletionEvents(sim, ft, () => {}, zeroStats());
        const f = ft.allocate(-1);
        ft.work[f] = work;
        ft.remaining[f] = left * work;
        ft.rate[f] = rate;
        ft.settled[f] = 0;
        events.update(f);
        const tol = 1e-9 * Math.max(1, work);
        // Times around the threshold (remaining - tol) / rate, a few units in the last place apart.
        const threshold = Math.max(0, (ft.remaining[f]! - tol) / rate);
        const t = threshold + ulps * Number.EPSILON * Math.max(threshold, Number.MIN_VALUE);
        if (t < 0) return;
        const doneThen = events.isDone(f, ft.remaining[f]! - rate * (t - ft.settled[f]!));
        if (doneThen) expect(ft.doneFrom[f]!).toBeLessThanOrEqual(t);
        expect(ft.doneFrom[f]!).toBeLessThanOrEqual(ft.eventTime[f]!);
        events.drop(f);
        expect(ft.doneFrom[f]).toBe(Infinity);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("CompletionEvents at the end of the double range", () => {
  // Found by the fast-check properties (a flow capped at 2.4e-308 completes at 1.8e308 s): a demand
  // flow's remaining work there is Infinity less an overflowed rate x time, NaN; it must not be
  // given an event (it never completes), nor stop the run.
  it("gives a demand flow no event when its remaining work is NaN", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim, { hubMinFlows: 1 });
    const r = s.addResource(1, "r");
    const demand = s.startFlow({ work: Infinity, uses: [{ resource: r, coef: 1 }], weight: 0.1, cap: 0 });
    s.setCap(demand, Infinity);
    let doneAt = NaN;
    s.startFlow({ work: 4.313774823752189, uses: [{ resource: r, coef: 0.4999853947774472 }], weight: 1, cap: 2.399616897954377e-308, onDone: () => (doneAt = sim.now) });
    s.startFlow({ work: 0.001, uses: [{ resource: r, coef: 0.1 }], weight: 0.1, cap: 0 });
    expect(() => sim.run()).not.toThrow();
    expect(doneAt).toBeGreaterThan(1e308);
    expect(s.completionTime(demand)).toBe(Infinity);
  });
});
