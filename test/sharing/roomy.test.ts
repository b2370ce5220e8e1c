/**
 * Roomy resources (sim/sharing/incremental-rates.ts, ResourceTable.roomy): a resource whose flows' caps
 * fit under its capacity cannot bind, so components are not joined through it: a host's CPU full of
 * demand flows at their caps stays out of the disk component its boot flows saturate. Rates stay
 * weighted max-min fair and equal to a full recompute, and usage integrals add up.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing } from "../../sim/sharing/index.js";
import { near } from "./helpers.js";
import { fairnessViolation, run, scenario, vmScenario } from "./scenario.js";

describe("roomy resources", () => {
  for (const [shape, arb, minRoomy] of [
    ["boot-storm-shaped", vmScenario, 100],
    ["any shape", scenario, 20],
  ] as const) {
    it(`stay fair, equal to a full recompute, with usage integrals that add up (${shape})`, () => {
      let roomy = 0;
      fc.assert(
        fc.property(arb, (sc) => {
          const trace = run(sc, {
            afterOp: (s, live) => {
              expect(fairnessViolation(s, live)).toBeUndefined();
              const ids = [...live.keys()].sort((a, b) => a - b);
              const incremental = ids.map((f) => [s.rate(f), s.completionTime(f)]);
              const allocated = Array.from({ length: s.resourceCount }, (_, r) => s.allocated(r));
              s.recomputeAll();
              expect(ids.map((f) => [s.rate(f), s.completionTime(f)])).toEqual(incremental);
              // Up to rounding: a capsNoted allocation carries the rounding of its differences (see IncrementalRates).
              allocated.forEach((a, r) => expect(near(s.allocated(r), a, 1e-12), `resource ${r}: ${s.allocated(r)} vs ${a}`).toBe(true));
            },
          });
          roomy += trace.s.stats.roomy;
          for (let r = 0; r < trace.usage.length; r++) {
            expect(near(trace.usage[r]!, trace.expectedUsage[r]!, 1e-9), `resource ${r}: ${trace.usage[r]} vs ${trace.expectedUsage[r]}`).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
      // The property says little unless roomy resources were recomputed as such.
      expect(roomy).toBeGreaterThan(minRoomy);
    });
  }

  it("a CPU of demand flows at their caps stays out of the disk component its boot flows saturate", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(64);
    const disk = s.addResource(10);
    const demands = Array.from({ length: 50 }, (_, i) => s.startFlow({ work: Infinity, uses: [{ resource: cpu }], cap: 0.1 + (i % 5) / 10 }));
    // Ten boots reading 2 and 3 disk units per unit of work: the disk binds at 10 / 25 per boot.
    const boots = Array.from({ length: 10 }, (_, i) => s.startFlow({ work: 4, uses: [{ resource: cpu }, { resource: disk, coef: 2 + (i % 2) }], cap: 1 }));
    expect(s.rate(boots[0]!)).toBe(0.4);
    expect(s.allocated(disk)).toBeCloseTo(10, 12);
    // A demand change touches only the CPU: the boots' rates are not recomputed.
    const before = { ...s.stats };
    s.setCap(demands[3]!, 0.9);
    expect(s.stats.roomy - before.roomy).toBe(1);
    expect(s.stats.flowsVisited - before.flowsVisited).toBe(60);
    expect(s.rate(demands[3]!)).toBe(0.9);
    expect(s.allocated(cpu)).toBeCloseTo(demands.reduce((sum, f) => sum + s.rate(f), 0) + 10 * 0.4, 12);
    sim.run(1);
    expect(near(s.usageIntegral(disk), 10, 1e-12)).toBe(true);
  });
});
