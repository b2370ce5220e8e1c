/**
 * Flows done together (sim/sharing/due-flows.ts): a completion takes along every neighbour (a flow
 * sharing a resource with it) whose remaining work is within the done tolerance, found from per-resource
 * heaps ordered by when a flow may count as done instead of a scan of every flow; none is left behind
 * whatever the rounding of near-equal finishes, and the order never depends on how the heaps were built.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { KeyedHeap } from "../../sim/sharing/keyed-heap.js";
import { FluidSharing, type FlowId } from "../../sim/sharing/index.js";
import { run, tieScenario, type LiveFlow, type RunOptions } from "./scenario.js";

describe("KeyedHeap.collectAtMost", () => {
  it("finds exactly the ids with a key at most x, after any pushes, updates and removals", () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant("push" as const), id: fc.nat(40), key: fc.integer({ min: -5, max: 5 }) }),
      fc.record({ op: fc.constant("update" as const), id: fc.nat(40), key: fc.integer({ min: -5, max: 5 }) }),
      fc.record({ op: fc.constant("remove" as const), id: fc.nat(40), key: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.integer({ min: -6, max: 6 }), (steps, x) => {
        const key = new Float64Array(41);
        const pos = new Int32Array(41).fill(-1);
        const heap = new KeyedHeap(() => ({ key, pos }));
        for (const { op, id, key: k } of steps) {
          if (op === "remove") heap.remove(id);
          else if (pos[id]! < 0) {
            key[id] = k;
            heap.push(id);
          } else {
            key[id] = k;
            heap.update(id);
          }
        }
        const found: number[] = [];
        heap.collectAtMost(x, found);
        const expected = [...heap.ids()].filter((id) => key[id]! <= x);
        expect(found.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });
});

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

  it("a completion among many timed flows on its resource reads only the flows due with it", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(1000);
    const disk = s.addResource(1e9);
    // 400 flows at their caps with distinct finishes, a quarter of them on the disk too; then 100 pairs finishing together.
    for (let i = 0; i < 400; i++) {
      const uses = i % 4 === 0 ? [{ resource: cpu }, { resource: disk, coef: 1e3 }] : [{ resource: cpu }];
      s.startFlow({ work: 10 + i / 7, uses, cap: 1 });
    }
    for (let i = 0; i < 100; i++) for (let k = 0; k < 2; k++) s.startFlow({ work: 100 + i, uses: [{ resource: cpu }], cap: 1 });
    sim.run();
    expect(s.stats.completions).toBe(600);
    expect(sim.eventsProcessed).toBe(500);
    // Each completion reads at most the one flow done with it on each of its resources (a scan would read hundreds).
    expect(s.stats.dueRead).toBeLessThanOrEqual(100 + 100);
  });
});
