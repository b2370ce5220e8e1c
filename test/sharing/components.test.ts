/**
 * One flush that touches several multi-resource components: each is recomputed once, over its own
 * flows only (the walk puts a component that holds most flow ids in order without sorting).
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing } from "../../sim/sharing/index.js";

describe("components collected in one flush", () => {
  it("two registry-like components changed in one batch: two recomputes, each over its own flows", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const flows: number[] = [];
    const regs = [s.addResource(10), s.addResource(20)];
    const nics = regs.map(() => [s.addResource(100), s.addResource(100)]);
    s.batch(() => {
      for (let k = 0; k < 5; k++) {
        for (let c = 0; c < 2; c++) flows.push(s.startFlow({ work: Infinity, uses: [{ resource: regs[c]! }, { resource: nics[c]![k % 2]! }] }));
      }
    });
    const before = { ...s.stats };
    s.batch(() => {
      s.setCapacity(regs[0]!, 15);
      s.setCapacity(regs[1]!, 25);
    });
    expect(s.stats.recomputes - before.recomputes).toBe(2);
    expect(s.stats.flowsVisited - before.flowsVisited).toBe(10);
    // Flows alternate between the components: 5 on each registry, sharing it equally.
    flows.forEach((f, i) => expect(s.rate(f)).toBe(i % 2 === 0 ? 3 : 5));
    const rates = flows.map((f) => s.rate(f));
    s.recomputeAll();
    expect(flows.map((f) => s.rate(f))).toEqual(rates);
  });
});
