/**
 * Hubs (sim/sharing/hub.ts): a component whose flows all go through one registry keeps one level and
 * one completion event, so arrivals and departures touch O(1) flows; its rates are exactly plain
 * water-filling's, and it dissolves back to water-filling when a NIC would saturate first or a flow
 * breaks the conditions (a cap, a capacity change).
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing, type FlowId } from "../../sim/sharing/index.js";
import { near, timeline } from "./helpers.js";

interface Storm {
  readonly s: FluidSharing;
  readonly done: Map<number, number>;
  readonly flows: FlowId[];
  readonly registry: number;
  readonly nics: number[];
}

/** `n` pulls of `work` through a registry of capacity 10, one NIC (capacity 25) each, `gapS` apart. */
function storm(n: number, gapS: number, hubMinFlows: number, work = (i: number): number => 1 + (i % 7) / 3): Storm {
  const sim = new Simulation();
  const s = new FluidSharing(sim, { hubMinFlows });
  const at = timeline(sim);
  const registry = s.addResource(10, "registry");
  const nics = Array.from({ length: n }, (_, i) => s.addResource(25, `nic${i}`));
  const done = new Map<number, number>();
  const flows: FlowId[] = [];
  for (let i = 0; i < n; i++) {
    at(i * gapS, () => {
      flows[i] = s.startFlow({ work: work(i), uses: [{ resource: registry }, { resource: nics[i]! }], onDone: () => done.set(i, sim.now) });
    });
  }
  sim.run();
  return { s, done, flows, registry, nics };
}

describe("hubs", () => {
  it("a staggered pull storm through one registry: one hub, O(1) flows touched per arrival, plain water-filling's completions", () => {
    const n = 400;
    const hub = storm(n, 0.01, 32);
    const plain = storm(n, 0.01, Infinity);
    expect(hub.s.stats.hubsFormed).toBe(1);
    expect(plain.s.stats.hubsFormed).toBe(0);
    expect(hub.done.size).toBe(n);
    for (let i = 0; i < n; i++) expect(near(hub.done.get(i)!, plain.done.get(i)!, 1e-9), `pull ${i}: ${hub.done.get(i)} vs ${plain.done.get(i)}`).toBe(true);
    // Plain water-filling visits every flow in flight at each of the ~2n changes; the hub only its first 32.
    expect(plain.s.stats.flowsVisited).toBeGreaterThan(10 * n);
    expect(hub.s.stats.flowsVisited).toBeLessThan(4 * n);
    expect(hub.s.stats.eventsRescheduled).toBeLessThan(3 * n);
    // The registry is busy from the first pull to the last completion, at its full capacity.
    const busyS = Math.max(...hub.done.values());
    expect(near(hub.s.usageIntegral(hub.registry), 10 * busyS, 1e-9)).toBe(true);
    expect(near(hub.s.usageIntegral(hub.registry), plain.s.usageIntegral(plain.registry), 1e-9)).toBe(true);
    expect(near(hub.s.usageIntegral(hub.nics[7]!), plain.s.usageIntegral(plain.nics[7]!), 1e-9)).toBe(true);
  });

  it("rates in a hub are bit for bit water-filling's, and follow each arrival and departure", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim, { hubMinFlows: 4 });
    const registry = s.addResource(10);
    const nics = Array.from({ length: 6 }, () => s.addResource(25));
    const flows = s.batch(() => nics.slice(0, 5).map((nic, i) => s.startFlow({ work: 100, uses: [{ resource: registry }, { resource: nic }], weight: 1 + (i % 2) })));
    expect(s.stats.hubsFormed).toBe(1);
    // Weights 1,2,1,2,1: level 10 / 7.
    flows.forEach((f, i) => expect(s.rate(f)).toBe((1 + (i % 2)) * (10 / 7)));
    expect(s.allocated(registry)).toBeCloseTo(10, 12);
    const late = s.startFlow({ work: 100, uses: [{ resource: registry, coef: 2 }, { resource: nics[5]! }] });
    expect(s.rate(late)).toBe(10 / 9);
    expect(s.rate(flows[1]!)).toBe(2 * (10 / 9));
    s.cancelFlow(flows[1]!);
    expect(s.rate(late)).toBe(10 / 7);
    const rates = [flows[0]!, flows[2]!, late].map((f) => s.rate(f));
    s.recomputeAll();
    expect([flows[0]!, flows[2]!, late].map((f) => s.rate(f))).toEqual(rates);
    expect(s.stats.hubsFormed).toBe(1);
  });

  it("dissolves when a NIC would saturate below the registry's level, and stays max-min fair", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim, { hubMinFlows: 8 });
    const registry = s.addResource(10);
    const nics = Array.from({ length: 40 }, (_, i) => s.addResource(i === 0 ? 1 : 100));
    const flows = s.batch(() => nics.map((nic) => s.startFlow({ work: 1000, uses: [{ resource: registry }, { resource: nic }] })));
    expect(s.stats.hubsFormed).toBe(1);
    expect(s.rate(flows[0]!)).toBe(10 / 40);
    // Seven more pulls on NIC 0 (capacity 1): it saturates at 1 / 8 per flow, below the registry's 10 / 47.
    s.batch(() => {
      for (let k = 0; k < 7; k++) flows.push(s.startFlow({ work: 1000, uses: [{ resource: registry }, { resource: nics[0]! }] }));
    });
    expect(s.rate(flows[0]!)).toBe(0.125);
    expect(s.rate(flows[46]!)).toBe(0.125);
    expect(s.rate(flows[1]!)).toBeCloseTo(9 / 39, 12);
    expect(s.allocated(registry)).toBeCloseTo(10, 12);
    expect(s.allocated(nics[0]!)).toBe(1);
  });

  it("a capped flow, or a flow that skips the registry on a hub NIC, dissolves the hub; completions stay right", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim, { hubMinFlows: 2 });
    const registry = s.addResource(10);
    const nics = [s.addResource(25), s.addResource(25), s.addResource(25)];
    const ends: number[] = [];
    const a = s.startFlow({ work: 10, uses: [{ resource: registry }, { resource: nics[0]! }], onDone: () => ends.push(sim.now) });
    const b = s.startFlow({ work: 10, uses: [{ resource: registry }, { resource: nics[1]! }], onDone: () => ends.push(sim.now) });
    expect(s.stats.hubsFormed).toBe(1);
    expect(s.completionTime(a)).toBe(2);
    // A NIC-only flow on NIC 1 takes 25 - 5 = 20 there, capped at 4: the hub dissolves, nothing else changes.
    const c = s.startFlow({ work: 8, uses: [{ resource: nics[1]! }], cap: 4, onDone: () => ends.push(sim.now) });
    expect(s.rate(c)).toBe(4);
    expect(s.rate(b)).toBe(5);
    sim.run();
    expect(ends).toEqual([2, 2, 2]);
  });
});
