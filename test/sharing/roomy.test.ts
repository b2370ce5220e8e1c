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
import { fairnessViolation, run, roomyScenario, scenario, vmScenario, type LiveFlow } from "./scenario.js";

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
    // Already roomy, its other flows at their caps: only the changed flow is visited.
    expect(s.stats.roomyNoted - before.roomyNoted).toBe(1);
    expect(s.stats.flowsVisited - before.flowsVisited).toBe(1);
    expect(s.rate(demands[3]!)).toBe(0.9);
    expect(s.allocated(cpu)).toBeCloseTo(demands.reduce((sum, f) => sum + s.rate(f), 0) + 10 * 0.4, 12);
    sim.run(1);
    expect(near(s.usageIntegral(disk), 10, 1e-12)).toBe(true);
  });

  it("keep their sums by differences: rates and completions bit for bit, allocations and usage up to rounding, against full recomputes", () => {
    let noted = 0;
    fc.assert(
      fc.property(roomyScenario, (sc) => {
        const allocations: number[][] = [];
        const kept = run(sc, {
          afterOp: (s, live) => {
            const allocated = Array.from({ length: s.resourceCount }, (_, r) => s.allocated(r));
            // Against a fresh sum of coef x rate in id order, here rather than in the engine.
            freshLoads(s, live).forEach((load, r) => expect(near(allocated[r]!, load, 1e-12), `resource ${r}: ${allocated[r]} vs ${load}`).toBe(true));
            allocations.push(allocated);
          },
        });
        // The reference sums everything afresh after every operation (completions between them stay incremental).
        const full = run(sc, {
          afterOp: (s) => {
            s.recomputeAll();
            allocations.push(Array.from({ length: s.resourceCount }, (_, r) => s.allocated(r)));
          },
        });
        noted += kept.s.stats.roomyNoted;
        expect(kept.rates).toEqual(full.rates);
        expect(kept.completions).toEqual(full.completions);
        const n = kept.rates.length;
        for (let i = 0; i < n; i++) {
          allocations[i]!.forEach((a, r) => expect(near(a, allocations[n + i]![r]!, 1e-12), `op ${i} resource ${r}: ${a} vs ${allocations[n + i]![r]}`).toBe(true));
        }
        full.usage.forEach((u, r) => expect(near(kept.usage[r]!, u, 1e-12), `resource ${r}: ${kept.usage[r]} vs ${u}`).toBe(true));
      }),
      { numRuns: 200 },
    );
    // The property says little unless roomy resources took their changes from the notes alone.

    expect(noted).toBeGreaterThan(5000);
  });
});

/** Sum of coef x rate over each resource's live flows, in ascending flow id. */
function freshLoads(s: FluidSharing, live: ReadonlyMap<number, LiveFlow>): number[] {
  const load = new Array<number>(s.resourceCount).fill(0);
  for (const f of [...live.keys()].sort((a, b) => a - b)) {
    const rate = s.rate(f);
    for (const u of live.get(f)!.uses) load[u.resource]! += (u.coef ?? 1) * rate;
  }
  return load;
}
