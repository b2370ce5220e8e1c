/**
 * Flows done together (FluidSharing.complete, CompletionEvents.othersMayBeDone): a completion takes
 * along every neighbour (a flow sharing a resource with it) whose remaining work is within the done
 * tolerance, none is left behind whatever the rounding of near-equal finishes; and when the next
 * pending event is too far away for any neighbour to be done, no neighbour is read at all.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing, type FlowId } from "../../sim/sharing/index.js";
import { run, tieScenario, type LiveFlow, type RunOptions } from "./scenario.js";

/**
 * The flows done at one completion event (those of `live` no longer active: their onDone calls run one
 * after the other) must be the firing flow and exactly its neighbours within the done tolerance: some
 * member shares a resource with every other, and leaves no active neighbour within the tolerance behind.
 */
function wrongGroup(s: FluidSharing, live: ReadonlyMap<FlowId, LiveFlow>): string | undefined {
  const group = [...live.keys()].filter((g) => !s.isActive(g));
  const resources = (f: FlowId): Set<number> => new Set(live.get(f)!.uses.map((u) => u.resource));
  const shares = (a: Set<number>, g: FlowId): boolean => live.get(g)!.uses.some((u) => a.has(u.resource));
  for (const f of group) {
    const mine = resources(f);
    if (!group.every((g) => g === f || shares(mine, g))) continue;
    const behind = [...live.keys()].find((g) => {
      const flow = live.get(g)!;
      return s.isActive(g) && flow.work < Infinity && shares(mine, g) && s.remaining(g) <= 1e-9 * Math.max(1, flow.work);
    });
    if (behind === undefined) return undefined;
  }
  return `no flow of ${JSON.stringify(group)} can have fired: each leaves a neighbour within the tolerance behind, or has a non-neighbour with it`;
}

const OPTIONS: readonly [string, RunOptions][] = [
  ["no hubs", { hubMinFlows: Infinity }],
  ["no capsOnly", { hubMinFlows: Infinity, capsOnly: false }],
];

describe("gathering flows done together", () => {
  for (const [name, options] of OPTIONS) {
    {
      it(`takes exactly the firing flow's neighbours within the done tolerance along (near ties, ${name})`, () => {
        let together = 0;
        fc.assert(
          fc.property(tieScenario, (sc) => {
            // onDone calls still to come from the group last checked.
            let rest = 0;
            const trace = run(
              sc,
              {
                onDone: (s, _f, _work, _now, live) => {
                  if (rest > 0) {
                    rest--;
                    return;
                  }
                  expect(wrongGroup(s, live)).toBeUndefined();
                  rest = [...live.keys()].filter((g) => !s.isActive(g)).length - 1;
                  if (rest > 0) together++;
                },
              },
              options,
            );
            expect(trace.s.stats.completions).toBe(trace.completions.length);
          }),
          { numRuns: 300 },
        );
        // The property says little unless flows did finish together.
        expect(together).toBeGreaterThan(50);
      });
    }
  }

  it("near-equal finishes within the tolerance leave in one event, in id order; one just outside waits for its own", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(8);
    const disk = s.addResource(100);
    const done: [FlowId, number][] = [];
    const onDone = (f: FlowId): void => {
      done.push([f, sim.now]);
    };
    // Rate 1 each (caps fit): works 1000 x (1 + k x 3e-10) finish within 1e-9 of work of each other for k in 0..3.
    const flows = [3, 0, 2, 1].map((k) => s.startFlow({ work: 1000 * (1 + k * 3e-10), uses: [{ resource: cpu }], cap: 1, onDone }));
    const wide = s.startFlow({ work: 1000 * (1 + 2e-10), uses: [{ resource: disk }, { resource: cpu }], cap: 1, onDone });
    const outside = s.startFlow({ work: 1000 * (1 + 4e-9), uses: [{ resource: cpu }], cap: 1, onDone });
    sim.run();
    const first = [...flows, wide].sort((a, b) => a - b);
    expect(done.map(([f]) => f)).toEqual([...first, outside]);
    for (let i = 0; i < first.length; i++) expect(done[i]![1]).toBe(done[0]![1]);
    expect(done[first.length]![1]).toBeGreaterThan(done[0]![1]);
    expect(sim.eventsProcessed).toBe(2);
  });

  it("a completion among many timed flows reads none of them unless another event is due within the tolerance window", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(1000);
    const disk = s.addResource(1e9);
    // 400 flows at their caps with distinct finishes (at least 1/7 s apart), a quarter of them on the disk too.
    for (let i = 0; i < 400; i++) {
      const uses = i % 4 === 0 ? [{ resource: cpu }, { resource: disk, coef: 1e3 }] : [{ resource: cpu }];
      s.startFlow({ work: 10 + i / 7, uses, cap: 1 });
    }
    sim.run();
    expect(s.stats.completions).toBe(400);
    expect(s.stats.dueRead).toBe(0);
    // Then 100 pairs finishing together: each pair's first event reads the others and takes its partner along.
    for (let i = 0; i < 100; i++) for (let k = 0; k < 2; k++) s.startFlow({ work: 100 + i, uses: [{ resource: cpu }], cap: 1 });
    sim.run();
    expect(s.stats.completions).toBe(600);
    expect(sim.eventsProcessed).toBe(500);
    expect(s.stats.dueRead).toBeGreaterThan(0);
  });

  it("hosts whose flows finish at the same instants read none of each other's flows; a flow handed out near another resource makes them look", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    // 50 hosts, each a CPU with 20 flows at their caps finishing 1 s apart, at the same instants on every host.
    const cpus = Array.from({ length: 50 }, () => s.addResource(100));
    for (const cpu of cpus) for (let i = 0; i < 20; i++) s.startFlow({ work: 1 + i, uses: [{ resource: cpu }], cap: 1 });
    sim.run();
    expect(s.stats.completions).toBe(1000);
    // Every event fires with 49 others due at the same instant, on other hosts' CPUs: none of their flows is read.
    expect(s.stats.dueRead).toBe(0);
    // A flow first on host 0's disk also uses its CPU: its event is in the disk's group, so host 0's CPU reads its neighbours.
    const disk = s.addResource(1e9);
    s.startFlow({ work: 1e6, uses: [{ resource: disk, coef: 1e3 }, { resource: cpus[0]! }], cap: 1 });
    for (const cpu of cpus) for (let i = 0; i < 20; i++) s.startFlow({ work: 1 + i, uses: [{ resource: cpu }], cap: 1 });
    sim.run(sim.now + 30);
    expect(s.stats.completions).toBe(2000);
    expect(s.stats.dueRead).toBeGreaterThan(0);
  });

  it("a slow flow (a wide window) on the resource makes completions look for neighbours", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(10);
    s.startFlow({ work: 1e6, uses: [{ resource: cpu }], cap: 1e-3 });
    for (let i = 0; i < 10; i++) s.startFlow({ work: 1 + i, uses: [{ resource: cpu }], cap: 1 });
    sim.run(20);
    expect(s.stats.completions).toBe(10);
    expect(s.stats.dueRead).toBe(10 * 11 - 45);
  });
});
