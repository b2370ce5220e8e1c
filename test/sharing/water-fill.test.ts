/**
 * WaterFill's one-level shortcut (fillLevel: the first resource to saturate does so alone, every flow
 * uses it, and no cap binds at its level, as on a host's disk in a VM boot storm) must give bit for bit
 * the rates of the progressive filling it skips, and step aside whenever any of those conditions fails.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { FlowTable } from "../../sim/sharing/flow-table.js";
import { ResourceTable } from "../../sim/sharing/resource-table.js";
import { WaterFill } from "../../sim/sharing/water-fill.js";

/** WaterFill's private shortcut, as a spy can see it. */
type WithShortcut = { fillLevel: (...args: unknown[]) => boolean };

// Values drawn from small sets as well as ranges, so that levels tie and caps sit exactly at a level.
const amount = (min: number, max: number, exact: readonly number[]): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(...exact), fc.double({ min, max, noNaN: true }));

const component = fc.record({
  // Resources 0..2 can bind; resource 3 is roomy (left out of the component, its flows hanging).
  capacities: fc.array(amount(0.5, 100, [1, 2, 10]), { minLength: 1, maxLength: 3 }),
  flows: fc.array(
    fc.record({
      weight: amount(0.1, 4, [1, 2]),
      cap: fc.oneof(fc.constant(Infinity), amount(0.01, 10, [0.5, 1, 2])),
      coefs: fc.array(amount(0.1, 10, [1, 2]), { minLength: 3, maxLength: 3 }),
      // Whether the flow also uses resources 1, 2 and the roomy one (every flow uses resource 0).
      also: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 40 },
  ),
});

describe("WaterFill one-level shortcut", () => {
  it("gives the rates of full progressive filling, bit for bit", () => {
    const fast = new WaterFill();
    const full = new WaterFill();
    const taken = vi.spyOn(fast as unknown as WithShortcut, "fillLevel");
    vi.spyOn(full as unknown as WithShortcut, "fillLevel").mockReturnValue(false);
    let runs = 0;
    fc.assert(
      fc.property(component, ({ capacities, flows }) => {
        const ft = new FlowTable();
        const rt = new ResourceTable();
        const nr = capacities.length;
        for (const c of capacities) rt.add(c, "r", 0);
        const roomy = rt.add(1e6, "roomy", 0);
        rt.roomy[roomy] = 1;
        const cf = new Int32Array(flows.length);
        let hanging = false;
        flows.forEach((spec, i) => {
          const uses = [{ resource: 0, coef: spec.coefs[0]! }];
          for (let r = 1; r < nr; r++) if (spec.also[r - 1]) uses.push({ resource: r, coef: spec.coefs[r]! });
          if (spec.also[2]) uses.push({ resource: roomy, coef: 1 });
          hanging ||= spec.also[2]!;
          const f = ft.allocate(0);
          ft.weight[f] = spec.weight;
          ft.cap[f] = spec.cap;
          ft.setUses(f, uses);
          uses.forEach((u, i) => rt.attach(u.resource, f, uses.length > 1, i > 0));
          cf[i] = f;
        });
        const cr = Int32Array.from(capacities, (_, r) => r);
        fast.fill(ft, rt, cf, cf.length, cr, nr, hanging);
        const rates = Array.from(cf, (f) => ft.next[f]!);
        full.fill(ft, rt, cf, cf.length, cr, nr, hanging);
        cf.forEach((f, i) => expect(Object.is(rates[i], ft.next[f])).toBe(true));
        runs++;
      }),
      { numRuns: 2000 },
    );
    // The shortcut must have been tried on most components, and taken on a fair share of them.
    const took = taken.mock.results.filter((r) => r.value === true).length;
    expect(taken.mock.calls.length).toBeGreaterThan(runs / 2);
    expect(took).toBeGreaterThan(runs / 10);
    expect(took).toBeLessThan(taken.mock.calls.length);
  });
});
