/**
 * The bookkeeping that keeps per-event cost bounded by the resource touched, not by the table: ids
 * handed out near the other flows of the same resource and reused, the completion scan over flows with
 * finite work only, and the capsOnly recompute that sets only the flows noted since the last one.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing, type FlowId } from "../../sim/sharing/index.js";

describe("flow ids", () => {
  it("flows of different resources get ids from disjoint blocks, and a resource's freed ids go to its later flows", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpus = [s.addResource(64), s.addResource(64), s.addResource(64)];
    const byCpu: FlowId[][] = cpus.map(() => []);
    // Round-robin over the resources, as placement spreads instances over hosts.
    for (let i = 0; i < 20; i++) {
      cpus.forEach((cpu, k) => byCpu[k]!.push(s.startFlow({ work: Infinity, uses: [{ resource: cpu }], cap: 1 })));
    }
    const blocks = byCpu.map((ids) => new Set(ids.map((f) => Math.floor(f / 8))));
    for (let a = 0; a < blocks.length; a++) {
      // 20 flows fit in 3 blocks of 8 consecutive ids.
      expect(blocks[a]!.size).toBe(3);
      for (let b = a + 1; b < blocks.length; b++) for (const x of blocks[a]!) expect(blocks[b]!.has(x)).toBe(false);
    }
    const highest = Math.max(...byCpu.flat());
    for (const f of byCpu[1]!) s.cancelFlow(f);
    const again: FlowId[] = [];
    for (let i = 0; i < 20; i++) again.push(s.startFlow({ work: Infinity, uses: [{ resource: cpus[1]! }], cap: 1 }));
    expect(new Set(again)).toEqual(new Set(byCpu[1]));
    expect(Math.max(...again)).toBeLessThanOrEqual(highest);
    // A resource-less flow gets an id of its own block.
    const lone = s.startFlow({ work: 5, uses: [], cap: 1 });
    for (const set of blocks) expect(set.has(Math.floor(lone / 8))).toBe(false);
  });
});

describe("completions among many demand flows", () => {
  it("timed flows that finish together leave in one event, in id order; demand flows stay", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(10);
    const disk = s.addResource(100);
    const demand: FlowId[] = [];
    for (let i = 0; i < 30; i++) demand.push(s.startFlow({ work: Infinity, uses: [{ resource: cpu }], cap: 0.1 }));
    const done: [FlowId, number][] = [];
    const onDone = (f: FlowId): void => {
      done.push([f, sim.now]);
    };
    // Two on the CPU alone and one on CPU and disk, all at rate 1 with 4 units of work: done at t = 4.
    const timed = [
      s.startFlow({ work: 4, uses: [{ resource: cpu }], cap: 1, onDone }),
      s.startFlow({ work: 4, uses: [{ resource: cpu }, { resource: disk, coef: 2 }], cap: 1, onDone }),
      s.startFlow({ work: 4, uses: [{ resource: cpu }], cap: 1, onDone }),
    ];
    // A later one on the disk only.
    const late = s.startFlow({ work: 16, uses: [{ resource: disk }], cap: 2, onDone });
    sim.run();
    expect(done.map(([f]) => f)).toEqual([...[...timed].sort((a, b) => a - b), late]);
    for (let i = 0; i < 3; i++) expect(done[i]![1]).toBe(4);
    expect(done[3]![1]).toBe(8);
    expect(sim.eventsProcessed).toBe(2);
    for (const f of demand) expect(s.isActive(f)).toBe(true);
    expect(s.allocated(cpu)).toBeCloseTo(3, 12);
  });
});

describe("capsOnly on a roomy host", () => {
  it("a cap change moves only that flow's event, and gives the rates of a full recompute", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(100);
    const flows: FlowId[] = [];
    for (let i = 0; i < 40; i++) flows.push(s.startFlow({ work: 10 + i, uses: [{ resource: cpu }], weight: 1 + (i % 3), cap: 1 }));
    const before = { ...s.stats };
    s.setCap(flows[7]!, 2);
    expect(s.stats.capsOnly - before.capsOnly).toBe(1);
    expect(s.stats.eventsRescheduled - before.eventsRescheduled).toBe(1);
    expect(s.rate(flows[7]!)).toBe(2);
    expect(s.completionTime(flows[7]!)).toBe(17 / 2);
    // Saturate the host, then make room again: every rate returns to its cap.
    s.setCapacity(cpu, 10);
    expect(s.rate(flows[0]!)).toBeLessThan(1);
    s.setCapacity(cpu, 100);
    const rates = flows.map((f) => s.rate(f));
    expect(rates).toEqual(flows.map((_, i) => (i === 7 ? 2 : 1)));
    const times = flows.map((f) => s.completionTime(f));
    s.recomputeAll();
    expect(flows.map((f) => s.rate(f))).toEqual(rates);
    expect(flows.map((f) => s.completionTime(f))).toEqual(times);
    sim.run();
    expect(s.activeFlows).toBe(0);
    expect(s.usageIntegral(cpu)).toBeCloseTo(flows.reduce((sum, _, i) => sum + 10 + i, 0), 9);
  });
});
