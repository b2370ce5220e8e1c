/**
 * The allocation-free paths of fluid sharing give what the allocating ones gave: flows started from
 * one ReusedSpec, changed right after each start, run exactly as flows started from fresh specs;
 * addRatesTo adds what a loop over rate() adds; batchWith defers recomputes as batch() does; and an
 * IdList cleared by its count keeps what a JS array would hold, sorted the same.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { IdList } from "../../sim/sharing/id-list.js";
import { FluidSharing, ReusedSpec, type FlowId, type FlowSpec } from "../../sim/sharing/index.js";

interface Plan {
  readonly work: number;
  readonly cap: number;
  readonly weight: number;
  readonly r0: number;
  readonly c0: number;
  /** Second resource (-1: none) and its coefficient. */
  readonly r1: number;
  readonly c1: number;
}

const planArb: fc.Arbitrary<Plan> = fc
  .record({
    work: fc.double({ min: 0.5, max: 50, noNaN: true }),
    cap: fc.oneof(fc.constant(Infinity), fc.double({ min: 0.1, max: 3, noNaN: true })),
    weight: fc.double({ min: 0.5, max: 4, noNaN: true }),
    r0: fc.nat(3),
    c0: fc.double({ min: 0.2, max: 3, noNaN: true }),
    r1: fc.integer({ min: -1, max: 3 }),
    c1: fc.double({ min: 0.2, max: 3, noNaN: true }),
  })
  .map((p) => (p.r1 === p.r0 ? { ...p, r1: -1 } : p));

/** Runs the plans on four resources, each started `at` its index in seconds; returns each flow's completion time. */
function completions(plans: readonly Plan[], reuse: boolean): number[] {
  const sim = new Simulation();
  const s = new FluidSharing(sim);
  for (let r = 0; r < 4; r++) s.addResource(1 + r);
  const done: number[] = plans.map(() => NaN);
  const spec = new ReusedSpec();
  plans.forEach((p, k) => {
    sim.at(k * 0.5, sim.register(() => {
      const onDone = (): void => {
        done[k] = sim.now;
      };
      let f: FlowId;
      if (reuse) {
        spec.work = p.work;
        spec.cap = p.cap;
        spec.weight = p.weight;
        spec.onDone = onDone;
        spec.on(p.r0).coef = p.c0;
        if (p.r1 >= 0) spec.alsoOn(p.r1).coef = p.c1;
        f = s.startFlow(spec);
        // What the engine kept must not follow the spec once the flow has started.
        spec.work = 1e9;
        spec.cap = 1e-9;
        spec.weight = 1e9;
        spec.on(3 - p.r0).coef = 1e3;
      } else {
        const uses = [{ resource: p.r0, coef: p.c0 }];
        if (p.r1 >= 0) uses.push({ resource: p.r1, coef: p.c1 });
        const fresh: FlowSpec = { work: p.work, cap: p.cap, weight: p.weight, uses, onDone };
        f = s.startFlow(fresh);
      }
      expect(s.cap(f)).toBe(p.cap);
    }), 0);
  });
  sim.run();
  return done;
}

describe("ReusedSpec", () => {
  it("starts flows that run exactly as flows from fresh specs, whatever it is changed to after each start", () => {
    fc.assert(
      fc.property(fc.array(planArb, { minLength: 1, maxLength: 12 }), (plans) => {
        const fresh = completions(plans, false);
        expect(fresh.every((t) => t > 0)).toBe(true);
        expect(completions(plans, true)).toEqual(fresh);
      }),
      { numRuns: 60 },
    );
  });
});

describe("FluidSharing.addRatesTo and batchWith", () => {
  it("adds to a cell what a loop over rate() adds, in list order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.1, max: 5, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: -3, max: 3, noNaN: true }), (caps, start) => {
        const sim = new Simulation();
        const s = new FluidSharing(sim);
        const cpu = s.addResource(4);
        const ids = s.batch(() => caps.map((cap) => s.startFlow({ work: Infinity, uses: [{ resource: cpu }], cap })));
        let byLoop = start;
        for (const f of ids) byLoop = byLoop + s.rate(f);
        const out = new Float64Array(3).fill(start);
        s.addRatesTo(ids, out, 1);
        expect(out[1]).toBe(byLoop);
        expect(out[0]).toBe(start);
        expect(out[2]).toBe(start);
      }),
    );
  });

  it("defers the recompute to the end of the batch, as batch() does", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(2);
    const before = s.stats.recomputes;
    const ids = s.batchWith((n: number) => Array.from({ length: n }, () => s.startFlow({ work: 10, uses: [{ resource: cpu }] })), 5);
    expect(s.stats.recomputes - before).toBe(1);
    for (const f of ids) expect(s.rate(f)).toBeCloseTo(0.4, 12);
  });
});

describe("IdList", () => {
  it("holds what a JS array would, cleared by count, and sorts ascending", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: -5, max: 1000 }), { maxLength: 40 }), { maxLength: 8 }), (rounds) => {
        const list = new IdList();
        for (const ids of rounds) {
          list.clear();
          for (const id of ids) list.push(id);
          expect(Array.from(list.ids.subarray(0, list.count))).toEqual(ids);
          list.sort();
          expect(Array.from(list.ids.subarray(0, list.count))).toEqual([...ids].sort((a, b) => a - b));
        }
      }),
    );
  });
});

describe("bulk reads (ratesInto, addRatesTo, receivedInto)", () => {
  it("read what rate() and received() read, and refuse as they do an id that is free (released, or not yet handed out in its chunk), past every id handed out, or not an integer", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const r = s.addResource(4);
    const a = s.startFlow({ work: Infinity, uses: [{ resource: r }], cap: 1 });
    const b = s.startFlow({ work: 10, uses: [{ resource: r }], cap: 3 });
    const c = s.startFlow({ work: 10, uses: [{ resource: r }], cap: 2 });
    s.cancelFlow(b);
    sim.run(1);
    const out = new Float64Array(2);
    s.ratesInto(Int32Array.of(a, c), 2, out);
    expect([...out]).toEqual([s.rate(a), s.rate(c)]);
    s.receivedInto(Int32Array.of(c, a), 2, out);
    expect([...out]).toEqual([s.received(c), s.received(a)]);
    const sum = new Float64Array(1);
    s.addRatesTo([a, c], sum, 0);
    expect(sum[0]).toBe(s.rate(a) + s.rate(c));
    // b was released; ids after c in their chunk were never handed out; 8 and on, past every chunk.
    for (const id of [b, c + 1, 7, 8, 1000]) {
      expect(() => s.rate(id)).toThrow(/no flow/);
      expect(() => s.ratesInto(Int32Array.of(id), 1, out)).toThrow(/no flow/);
      expect(() => s.receivedInto(Int32Array.of(id), 1, out)).toThrow(/no flow/);
      expect(() => s.addRatesTo([id], sum, 0)).toThrow(/no flow/);
    }
    expect(() => s.addRatesTo([1.5], sum, 0)).toThrow(/no flow/);
  });
});
