/**
 * Random sharing scenarios for property tests: fast-check arbitraries for resources and timed operations
 * (start, cancel, setCap, setCapacity), a runner that replays them on a fresh Simulation and records a
 * trace, and the weighted max-min fairness check (every flow at its cap or bottlenecked somewhere).
 */
import fc from "fast-check";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing, type FlowId, type Use } from "../../sim/sharing/index.js";
import { timeline } from "./helpers.js";

export interface FlowInput {
  readonly uses: readonly { readonly r: number; readonly coef: number }[];
  readonly weight: number;
  readonly cap: number;
  readonly work: number;
}

export type Op =
  | { readonly t: number; readonly op: "start"; readonly flow: FlowInput }
  | { readonly t: number; readonly op: "cancel"; readonly pick: number }
  | { readonly t: number; readonly op: "setCap"; readonly pick: number; readonly cap: number }
  | { readonly t: number; readonly op: "setCapacity"; readonly r: number; readonly capacity: number };

export interface Scenario {
  readonly capacities: readonly number[];
  readonly ops: readonly Op[];
}

const capacity = fc.oneof(
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 4 },
  { arbitrary: fc.double({ min: 0.5, max: 100, noNaN: true }), weight: 4 },
);
const flowCap = fc.oneof(
  { arbitrary: fc.constant(Infinity), weight: 4 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 8 }), weight: 3 },
  { arbitrary: fc.double({ min: 0.01, max: 40, noNaN: true }), weight: 3 },
);
const work = fc.oneof(
  { arbitrary: fc.constant(Infinity), weight: 1 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.double({ min: 0.001, max: 200, noNaN: true }), weight: 10 },
);
export const flowInput: fc.Arbitrary<FlowInput> = fc.record({
  uses: fc.array(fc.record({ r: fc.nat(1000), coef: fc.oneof(fc.constant(1), fc.double({ min: 0.1, max: 4, noNaN: true })) }), {
    maxLength: 3,
  }),
  weight: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.1, max: 10, noNaN: true })),
  cap: flowCap,
  work,
});
// Quarter-second grid: many operations and completions share a time, exercising ties.
const time = fc.integer({ min: 0, max: 200 }).map((x) => x / 4);
/** Timed operations starting `flow`s, with relative weights of start, cancel, setCap (to a `cap`) and setCapacity. */
function ops(
  flow: fc.Arbitrary<FlowInput>,
  [start, cancel, setCap, setCapacity]: readonly [number, number, number, number],
  cap: fc.Arbitrary<number> = flowCap,
): fc.Arbitrary<Op> {
  return fc.oneof(
    { arbitrary: fc.record({ t: time, op: fc.constant("start" as const), flow }), weight: start },
    { arbitrary: fc.record({ t: time, op: fc.constant("cancel" as const), pick: fc.nat() }), weight: cancel },
    { arbitrary: fc.record({ t: time, op: fc.constant("setCap" as const), pick: fc.nat(), cap }), weight: setCap },
    { arbitrary: fc.record({ t: time, op: fc.constant("setCapacity" as const), r: fc.nat(1000), capacity }), weight: setCapacity },
  );
}
const op = ops(flowInput, [6, 1, 2, 1]);
export const scenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.array(capacity, { minLength: 1, maxLength: 6 }),
  ops: fc.array(op, { minLength: 1, maxLength: 40 }),
});

/**
 * Registry-shaped scenarios, where hubs form and dissolve: resource 0 is a registry, the rest NICs;
 * most flows use the registry and one NIC with integer weights and no cap, some break the hub conditions.
 */
const hubFlow: fc.Arbitrary<FlowInput> = fc.record({
  uses: fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom(1, 2), fc.nat(20)).map(([coef, nic]) => [{ r: 0, coef }, { r: 1 + nic, coef: 1 }]), weight: 8 },
    { arbitrary: fc.nat(20).map((nic) => [{ r: 1 + nic, coef: 1 }]), weight: 1 },
    // Three resources: a wide flow (its uses kept as arrays, see FlowTable) can still join a hub.
    { arbitrary: fc.tuple(fc.nat(20), fc.nat(20)).map(([a, b]) => [{ r: 0, coef: 1 }, { r: 1 + a, coef: 1 }, { r: 1 + b, coef: 2 }]), weight: 1 },
  ),
  weight: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 3 }), weight: 8 }, { arbitrary: fc.double({ min: 0.1, max: 10, noNaN: true }), weight: 1 }),
  cap: fc.oneof({ arbitrary: fc.constant(Infinity), weight: 8 }, { arbitrary: flowCap, weight: 1 }),
  work,
});
const hubOp = ops(hubFlow, [12, 1, 1, 1]);
// Resources beyond the NICs in use wrap around (toSpec takes ids modulo the count), so small NIC counts share NICs.
export const hubScenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.tuple(fc.integer({ min: 1, max: 64 }), fc.array(capacity, { minLength: 1, maxLength: 8 })).map(([reg, nics]) => [reg, ...nics]),
  ops: fc.array(hubOp, { minLength: 1, maxLength: 60 }),
});

/**
 * Host-CPU-shaped scenarios, where the capsOnly shortcut applies: each flow uses one of a few roomy
 * resources with a finite cap (a service's demand, an init's vCPUs); a few are uncapped or use two
 * resources, and setCap and setCapacity move resources in and out of saturation.
 */
const hostFlow: fc.Arbitrary<FlowInput> = fc.record({
  uses: fc.oneof(
    { arbitrary: fc.tuple(fc.nat(3), fc.oneof(fc.constant(1), fc.double({ min: 0.1, max: 4, noNaN: true }))).map(([r, coef]) => [{ r, coef }]), weight: 12 },
    { arbitrary: fc.tuple(fc.nat(3), fc.nat(3)).map(([a, b]) => [{ r: a, coef: 1 }, { r: b, coef: 1 }]), weight: 1 },
  ),
  weight: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.1, max: 10, noNaN: true })),
  cap: fc.oneof({ arbitrary: fc.double({ min: 0, max: 4, noNaN: true }), weight: 10 }, { arbitrary: flowCap, weight: 2 }),
  work,
});
const hostOp = ops(hostFlow, [8, 2, 6, 1]);
export const hostScenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.array(fc.oneof(fc.integer({ min: 4, max: 64 }), fc.double({ min: 1, max: 64, noNaN: true })), { minLength: 1, maxLength: 4 }),
  ops: fc.array(hostOp, { minLength: 1, maxLength: 60 }),
});

/**
 * Create-storm-shaped scenarios, where a hub forms on the host's serial server (resource 0, capacity 1)
 * with the disk (resource 1) a member carrying many flows: every create uses both, writing 0.5 to 2 disk
 * units per unit of serial work; the disk's capacity makes it bind in some runs and not in others.
 */
const createFlow: fc.Arbitrary<FlowInput> = fc.record({
  uses: fc.double({ min: 0.5, max: 2, noNaN: true }).map((coef) => [{ r: 0, coef: 1 }, { r: 1, coef }]),
  weight: fc.constant(1),
  cap: fc.constant(Infinity),
  work: fc.double({ min: 0.01, max: 2, noNaN: true }),
});
export const createScenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.double({ min: 0.8, max: 2.5, noNaN: true }).map((disk) => [1, disk]),
  ops: fc.array(ops(createFlow, [20, 1, 0, 1]), { minLength: 20, maxLength: 80 }),
});

/**
 * Boot-storm-shaped scenarios, where a host's CPU is roomy (its flows' caps fit) while boot flows on CPU
 * and disk saturate the disk: resources 0 and 2 are CPUs, 1 and 3 disks; flows are demands and inits on a
 * CPU, boots on a CPU and its disk (cap 1), copies on a disk; cap changes and capacity changes move
 * resources in and out of roominess.
 */
/** A boot-storm flow on host 0 or 1 of `kind`: 0 a demand, 1 an init, 2 a boot (CPU and disk), 3 a copy. */
function vmFlowOf(kind: fc.Arbitrary<number>, work: fc.Arbitrary<number>): fc.Arbitrary<FlowInput> {
  return fc.tuple(fc.nat(1), kind, fc.double({ min: 0.2, max: 6, noNaN: true }), work).map(([host, kind, x, work]) => {
    const cpu = 2 * host;
    const disk = cpu + 1;
    if (kind === 0) return { uses: [{ r: cpu, coef: 1 }], weight: 1 + (host % 2), cap: x / 3, work: Infinity };
    if (kind === 1) return { uses: [{ r: cpu, coef: 1 }], weight: 2, cap: Math.ceil(x / 2), work };
    if (kind === 2) return { uses: [{ r: cpu, coef: 1 }, { r: disk, coef: x }], weight: 1, cap: 1, work };
    return { uses: [{ r: disk, coef: 2 }], weight: 1, cap: x < 3 ? Infinity : x, work };
  });
}
const vmFlow = vmFlowOf(fc.nat(3), fc.double({ min: 0.1, max: 50, noNaN: true }));
export const vmScenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.tuple(fc.integer({ min: 4, max: 32 }), fc.double({ min: 2, max: 30, noNaN: true })).map(([cpu, disk]) => [cpu, disk, cpu, disk]),
  ops: fc.array(ops(vmFlow, [10, 1, 3, 1]), { minLength: 1, maxLength: 60 }),
});

/**
 * Long boot-storm-shaped scenarios for the roomy resources' kept sums: the same flows on two hosts with
 * roomier CPUs, many more operations, mostly finite cap changes (a service's demand moving), so a CPU
 * stays roomy across many changes and its kept sums drift until summed afresh.
 */
// Mostly demands, and boots long enough to keep the CPUs shared.
const roomyFlow = vmFlowOf(
  fc.oneof({ arbitrary: fc.constant(0), weight: 6 }, { arbitrary: fc.constant(2), weight: 3 }, { arbitrary: fc.constantFrom(1, 3), weight: 2 }),
  fc.double({ min: 1, max: 300, noNaN: true }),
);
export const roomyScenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.tuple(fc.integer({ min: 32, max: 128 }), fc.double({ min: 2, max: 30, noNaN: true })).map(([cpu, disk]) => [cpu, disk, cpu, disk]),
  ops: fc.array(
    ops(roomyFlow, [8, 2, 12, 1], fc.oneof({ arbitrary: fc.double({ min: 0, max: 3, noNaN: true }), weight: 20 }, { arbitrary: flowCap, weight: 1 })),
    { minLength: 60, maxLength: 200 },
  ),
});

/**
 * Near-tie scenarios, where the done tolerance decides who leaves together: flows of a few works, each
 * nudged by up to +-9e-10 of itself (some pairs within the 1e-9 tolerance of each other, some just
 * outside), equal weights and caps on two or three resources, a few using three (the unordered path).
 */
const tieFlow: fc.Arbitrary<FlowInput> = fc.record({
  uses: fc.oneof(
    { arbitrary: fc.nat(2).map((r) => [{ r, coef: 1 }]), weight: 6 },
    { arbitrary: fc.tuple(fc.nat(2), fc.nat(2)).map(([a, b]) => [{ r: a, coef: 1 }, { r: b, coef: 2 }]), weight: 3 },
    { arbitrary: fc.constant([{ r: 0, coef: 1 }, { r: 1, coef: 1 }, { r: 2, coef: 0.5 }]), weight: 1 },
  ),
  weight: fc.oneof({ arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.constant(2), weight: 1 }),
  cap: fc.oneof({ arbitrary: fc.constant(Infinity), weight: 4 }, { arbitrary: fc.constantFrom(1, 0.5), weight: 1 }),
  work: fc.tuple(fc.constantFrom(1, 2, 1e-10, 5e3), fc.integer({ min: -3, max: 3 })).map(([w, k]) => w * (1 + k * 3e-10)),
});
export const tieScenario: fc.Arbitrary<Scenario> = fc.record({
  capacities: fc.array(fc.constantFrom(1, 2, 4), { minLength: 3, maxLength: 3 }),
  ops: fc.array(
    fc.oneof(
      { arbitrary: fc.record({ t: fc.integer({ min: 0, max: 2 }).map((x) => x / 2), op: fc.constant("start" as const), flow: tieFlow }), weight: 12 },
      { arbitrary: fc.record({ t: fc.integer({ min: 0, max: 2 }).map((x) => x / 2), op: fc.constant("cancel" as const), pick: fc.nat() }), weight: 1 },
    ),
    { minLength: 1, maxLength: 40 },
  ),
});

/** Maps generated uses onto existing resources, dropping repeats; resource-less flows get a finite cap. */
export function toSpec(f: FlowInput, resources: number): { uses: Use[]; cap: number } {
  const uses: Use[] = [];
  for (const u of f.uses) {
    const r = u.r % resources;
    if (!uses.some((x) => x.resource === r)) uses.push({ resource: r, coef: u.coef });
  }
  return { uses, cap: uses.length === 0 && f.cap === Infinity ? 1 : f.cap };
}

export interface Trace {
  /** [time, flow id] of each onDone call, in call order. */
  readonly completions: [number, number][];
  /** Rates of the active flows (ascending id) after each operation. */
  readonly rates: number[][];
  /** Per resource: usage integral at the end, and sum of coef x received over its flows. */
  readonly usage: number[];
  readonly expectedUsage: number[];
  readonly s: FluidSharing;
}

/** What the test knows of an active flow (the engine does not echo its inputs back). */
export interface LiveFlow {
  readonly uses: readonly Use[];
  readonly weight: number;
  readonly work: number;
}

export interface Hooks {
  afterOp?(s: FluidSharing, live: ReadonlyMap<FlowId, LiveFlow>): void;
  /** `live`: the flows active before this completion (f and any flow done with it are still in it). */
  onDone?(s: FluidSharing, f: FlowId, work: number, now: number, live: ReadonlyMap<FlowId, LiveFlow>): void;
}

/** Hub threshold for a run: 1 puts every eligible component in a hub, Infinity none (see sim/sharing/hub.ts). */
export interface RunOptions {
  readonly hubMinFlows?: number;
  /** false: every lone resource is water-filled, even when its flows all get their caps. */
  readonly capsOnly?: boolean;
}

/** Replays the scenario on a fresh simulation, operations at their times in list order, then runs to the end. */
export function run(sc: Scenario, hooks: Hooks = {}, options: RunOptions = {}): Trace {
  const sim = new Simulation();
  const s = new FluidSharing(sim, options);
  const at = timeline(sim);
  const n = sc.capacities.length;
  for (const c of sc.capacities) s.addResource(c);
  const live = new Map<FlowId, LiveFlow>();
  const expectedUsage = new Array<number>(n).fill(0);
  const retire = (f: FlowId): void => {
    const received = s.received(f);
    for (const u of live.get(f)!.uses) expectedUsage[u.resource]! += (u.coef ?? 1) * received;
    live.delete(f);
  };
  const trace: Trace = { completions: [], rates: [], usage: [], expectedUsage, s };
  const activeIds = (): FlowId[] => [...live.keys()].sort((a, b) => a - b);
  for (const o of [...sc.ops].sort((a, b) => a.t - b.t)) {
    at(o.t, () => {
      const active = activeIds();
      if (o.op === "start") {
        const { uses, cap } = toSpec(o.flow, n);
        const f = s.startFlow({
          work: o.flow.work,
          uses,
          cap,
          weight: o.flow.weight,
          onDone: (id) => {
            trace.completions.push([sim.now, id]);
            hooks.onDone?.(s, id, live.get(id)!.work, sim.now, live);
            retire(id);
          },
        });
        live.set(f, { uses, weight: o.flow.weight, work: o.flow.work });
      } else if (o.op === "cancel" || o.op === "setCap") {
        if (active.length === 0) return;
        const f = active[o.pick % active.length]!;
        if (o.op === "cancel") {
          retire(f);
          s.cancelFlow(f);
        } else if (o.cap !== Infinity || live.get(f)!.uses.length > 0) {
          s.setCap(f, o.cap);
        }
      } else {
        s.setCapacity(o.r % n, o.capacity);
      }
      const now = activeIds();
      trace.rates.push(now.map((f) => s.rate(f)));
      hooks.afterOp?.(s, live);
    });
  }
  sim.run();
  for (const f of activeIds()) retire(f);
  for (let r = 0; r < n; r++) trace.usage.push(s.usageIntegral(r));
  return trace;
}

const REL = 1e-9;

/**
 * Checks capacities, caps, non-negative rates and the bottleneck characterisation of weighted max-min
 * fairness; returns a description of the first violation, or undefined.
 */
export function fairnessViolation(s: FluidSharing, live: ReadonlyMap<FlowId, LiveFlow>): string | undefined {
  const flows = [...live.keys()].sort((a, b) => a - b);
  const usesOf = (f: FlowId): readonly Use[] => live.get(f)!.uses;
  const weightOf = (f: FlowId): number => live.get(f)!.weight;
  const load = new Array<number>(s.resourceCount).fill(0);
  const maxShare = new Array<number>(s.resourceCount).fill(0);
  for (const f of flows) {
    const rate = s.rate(f);
    if (!(rate >= 0)) return `flow ${f} has rate ${rate}`;
    if (rate > s.cap(f) * (1 + REL)) return `flow ${f} rate ${rate} over cap ${s.cap(f)}`;
    for (const u of usesOf(f)) {
      load[u.resource]! += (u.coef ?? 1) * rate;
      maxShare[u.resource] = Math.max(maxShare[u.resource]!, rate / weightOf(f));
    }
  }
  for (let r = 0; r < s.resourceCount; r++) {
    const c = s.capacity(r);
    if (load[r]! > c * (1 + REL) + 1e-12) return `resource ${r} load ${load[r]} over capacity ${c}`;
    if (Math.abs(s.allocated(r) - load[r]!) > REL * Math.max(1, c)) return `resource ${r} allocated ${s.allocated(r)} != ${load[r]}`;
  }
  for (const f of flows) {
    const rate = s.rate(f);
    if (rate >= s.cap(f) * (1 - REL)) continue;
    const share = rate / weightOf(f);
    const bottleneck = usesOf(f).some((u) => {
      const r = u.resource;
      const saturated = load[r]! >= s.capacity(r) * (1 - REL) - 1e-12;
      return saturated && share >= maxShare[r]! * (1 - REL) - 1e-12;
    });
    if (!bottleneck) return `flow ${f} (rate ${rate}, cap ${s.cap(f)}) is neither capped nor bottlenecked`;
  }
  return undefined;
}
