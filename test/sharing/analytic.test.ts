/**
 * FluidSharing against results computed by hand: processor sharing on one resource (including the VM
 * boot storm), weights, caps, multi-resource bottlenecks with staggered starts, demand flows, cancel,
 * usage integrals, resource-less flows, and the argument checks that guard programming errors.
 */
import { describe, expect, it } from "vitest";
import { Simulation } from "../../sim/engine/index.js";
import { FluidSharing, type FlowId } from "../../sim/sharing/index.js";
import { timeline } from "./helpers.js";

/** Starts flows, runs to the end, returns each flow's completion time by id. */
function completions(setup: (s: FluidSharing, onDone: (f: FlowId) => void) => void): { times: Map<number, number>; s: FluidSharing } {
  const sim = new Simulation();
  const s = new FluidSharing(sim);
  const times = new Map<number, number>();
  setup(s, (f) => times.set(f, sim.now));
  sim.run();
  return { times, s };
}

describe("processor sharing on one resource", () => {
  it("one flow of work W on capacity C is done at W/C", () => {
    const { times } = completions((s, onDone) => {
      const cpu = s.addResource(4);
      s.startFlow({ work: 10, uses: [{ resource: cpu }], onDone });
    });
    expect(times.get(0)).toBeCloseTo(2.5, 12);
  });

  it("k equal flows started together are all done at k*W/C, in one completion event", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(3);
    const done: [number, number][] = [];
    for (let i = 0; i < 7; i++) s.startFlow({ work: 6, uses: [{ resource: cpu }], onDone: (f) => done.push([f, sim.now]) });
    sim.run();
    expect(done.map(([f]) => f)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    for (const [, t] of done) expect(t).toBeCloseTo((7 * 6) / 3, 12);
    expect(sim.eventsProcessed).toBe(1);
    expect(s.activeFlows).toBe(0);
  });

  // The VM boot storm: N guests each booting W core-seconds on one vCPU, on a host of C cores.
  it.each([1, 4, 8, 9, 16, 100])("boot storm: %i flows capped at 1 on 8 cores", (n) => {
    const cores = 8;
    const work = 30;
    const { times } = completions((s, onDone) => {
      const cpu = s.addResource(cores);
      s.batch(() => {
        for (let i = 0; i < n; i++) s.startFlow({ work, uses: [{ resource: cpu }], cap: 1, onDone });
      });
    });
    const expected = n <= cores ? work : (n * work) / cores;
    expect(times.size).toBe(n);
    for (const t of times.values()) expect(t).toBeCloseTo(expected, 9);
  });

  it("gives the same boot storm whether flows start in a batch or one by one", () => {
    const run = (batched: boolean): number[] => {
      const { times } = completions((s, onDone) => {
        const cpu = s.addResource(8);
        const start = (): void => {
          for (let i = 0; i < 20; i++) s.startFlow({ work: 10 + i, uses: [{ resource: cpu }], cap: 1, onDone });
        };
        if (batched) s.batch(start);
        else start();
      });
      return [...times.values()];
    };
    expect(run(true)).toEqual(run(false));
  });
});

describe("weights and caps", () => {
  it("weights 1 and 3 on capacity 4 get rates 1 and 3", () => {
    const s = new FluidSharing(new Simulation());
    const r = s.addResource(4);
    const a = s.startFlow({ work: 100, uses: [{ resource: r }], weight: 1 });
    const b = s.startFlow({ work: 100, uses: [{ resource: r }], weight: 3 });
    expect(s.rate(a)).toBe(1);
    expect(s.rate(b)).toBe(3);
    expect(s.allocated(r)).toBe(4);
  });

  it("flows capped below their fair share leave the rest to the others", () => {
    const s = new FluidSharing(new Simulation());
    const r = s.addResource(10);
    const f = [1, 2, Infinity, Infinity].map((cap) => s.startFlow({ work: 100, uses: [{ resource: r }], cap }));
    expect(f.map((id) => s.rate(id))).toEqual([1, 2, 3.5, 3.5]);
  });

  it("a weighted flow capped below its share frees capacity for lighter ones", () => {
    const s = new FluidSharing(new Simulation());
    const r = s.addResource(12);
    const heavy = s.startFlow({ work: 100, uses: [{ resource: r }], weight: 4, cap: 2 });
    const light = s.startFlow({ work: 100, uses: [{ resource: r }], weight: 1 });
    const mid = s.startFlow({ work: 100, uses: [{ resource: r }], weight: 2 });
    expect([s.rate(heavy), s.rate(light), s.rate(mid)]).toEqual([2, 10 / 3, 20 / 3]);
  });

  it("handles caps that bind one at a time (a staircase of caps)", () => {
    // Flow k has weight 2^(m-k) and its cap / weight sits a little above the level where flow k-1's cap
    // binds, so progressive filling freezes one flow per step; the last, uncapped flow gets what is left.
    const s = new FluidSharing(new Simulation());
    const m = 20;
    const capacity = 10 * 2 ** m; // the first level is 10
    const r = s.addResource(capacity);
    const caps: number[] = [];
    let rest = capacity;
    let restWeight = 2 ** m; // the capped weights 2^m/2 + ... + 1, plus the uncapped flow's 1
    let delta = 1;
    for (let k = 0; k < m; k++) {
      const w = 2 ** (m - 1 - k);
      const level = rest / restWeight;
      caps.push(w * (level - delta));
      rest -= caps[k]!;
      restWeight -= w;
      delta /= 2;
    }
    const ids = caps.map((cap, k) => s.startFlow({ work: 1e9, uses: [{ resource: r }], cap, weight: 2 ** (m - 1 - k) }));
    const last = s.startFlow({ work: 1e9, uses: [{ resource: r }] });
    ids.forEach((f, k) => expect(s.rate(f) / caps[k]!).toBeCloseTo(1, 12));
    expect(s.rate(last)).toBeCloseTo(rest, 9);
    expect(s.allocated(r)).toBeCloseTo(capacity, 9);
  });

  it("coef scales what a flow uses: rate r uses r*coef", () => {
    const s = new FluidSharing(new Simulation());
    const r = s.addResource(10);
    const f = s.startFlow({ work: 100, uses: [{ resource: r, coef: 2 }] });
    expect(s.rate(f)).toBe(5);
    expect(s.allocated(r)).toBe(10);
  });
});

describe("flows on several resources", () => {
  it("run at the bottleneck, and three sharing a registry get a third each", () => {
    const s = new FluidSharing(new Simulation());
    const registry = s.addResource(100, "registry");
    const nics = [0, 1, 2].map((i) => s.addResource(1000, `nic${i}`));
    const one = s.startFlow({ work: 1e6, uses: [{ resource: registry }, { resource: nics[0]! }] });
    expect(s.rate(one)).toBe(100);
    const more = [1, 2].map((i) => s.startFlow({ work: 1e6, uses: [{ resource: registry }, { resource: nics[i]! }] }));
    for (const f of [one, ...more]) expect(s.rate(f)).toBeCloseTo(100 / 3, 12);
    expect(s.allocated(nics[1]!)).toBeCloseTo(100 / 3, 12);
    expect(s.label(registry)).toBe("registry");
  });

  it("speed up when one ends, with completions rescheduled (staggered, by hand)", () => {
    // A (100) and B (200) start at 0 at 50 each; C (300) joins at 1: A has 50 left, B 150; all at 100/3.
    // A is done at 1 + 50/(100/3) = 2.5; B (100 left) and C (250 left) then get 50: B done at 4.5;
    // C (150 left) alone at 100 is done at 6. The registry is always the bottleneck: 600 / 100 = 6.
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const registry = s.addResource(100);
    const nic = [0, 1, 2].map(() => s.addResource(1000));
    const done = new Map<string, number>();
    const pull = (name: string, work: number, i: number): FlowId =>
      s.startFlow({ work, uses: [{ resource: registry }, { resource: nic[i]! }], onDone: () => done.set(name, sim.now) });
    const a = pull("A", 100, 0);
    const b = pull("B", 200, 1);
    expect(s.completionTime(a)).toBe(2);
    expect(s.completionTime(b)).toBe(4);
    let c = -1;
    at(1, () => {
      c = pull("C", 300, 2);
      expect(s.completionTime(a)).toBeCloseTo(2.5, 12);
      expect(s.completionTime(b)).toBeCloseTo(5.5, 12);
      expect(s.completionTime(c)).toBeCloseTo(1 + 300 / (100 / 3), 12);
    });
    at(3, () => {
      expect(s.completionTime(b)).toBeCloseTo(4.5, 12);
      expect(s.completionTime(c)).toBeCloseTo(7.5, 12);
      expect(s.remaining(c)).toBeCloseTo(225, 9);
    });
    sim.run();
    expect(done.get("A")).toBeCloseTo(2.5, 12);
    expect(done.get("B")).toBeCloseTo(4.5, 12);
    expect(done.get("C")).toBeCloseTo(6, 12);
    expect(s.usageIntegral(registry)).toBeCloseTo(600, 9);
    expect(s.usageIntegral(nic[2]!)).toBeCloseTo(300, 9);
  });

  it("a slow NIC caps one pull and the others take the registry's rest", () => {
    // C's NIC (20) binds from t=1, so A and B get 40 each: A (50 left) is done at 1 + 50/40 = 2.25;
    // B (100 left) then gets 80: done at 2.25 + 1.25 = 3.5; C runs at 20 throughout: done at 1 + 300/20 = 16.
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const registry = s.addResource(100);
    const nic = [1000, 1000, 20].map((cap) => s.addResource(cap));
    const done: number[] = [];
    const pull = (work: number, i: number): FlowId =>
      s.startFlow({ work, uses: [{ resource: registry }, { resource: nic[i]! }], onDone: (f) => (done[f] = sim.now) });
    pull(100, 0);
    pull(200, 1);
    at(1, () => {
      const c = pull(300, 2);
      expect([s.rate(0), s.rate(1), s.rate(c)]).toEqual([40, 40, 20]);
    });
    at(3, () => expect([s.rate(1), s.rate(2)]).toEqual([80, 20]));
    sim.run();
    expect(done[0]).toBeCloseTo(2.25, 12);
    expect(done[1]).toBeCloseTo(3.5, 12);
    expect(done[2]).toBeCloseTo(16, 12);
  });
});

describe("steady demand flows", () => {
  it("follow setCap changes and share with finite work", () => {
    // Capacity 4. A demands 1, B demands 2 (rates 1, 2); at 10 B demands 5 (A 1, B 3); at 20 a finite
    // flow X of 30 joins uncapped (A 1, B 1.5, X 1.5): X is done at 40, then B is back to 3.
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const cpu = s.addResource(4);
    const a = s.startFlow({ work: Infinity, uses: [{ resource: cpu }], cap: 1 });
    const b = s.startFlow({ work: Infinity, uses: [{ resource: cpu }], cap: 2 });
    expect([s.rate(a), s.rate(b), s.completionTime(a)]).toEqual([1, 2, Infinity]);
    at(10, () => s.setCap(b, 5));
    at(15, () => expect([s.rate(a), s.rate(b)]).toEqual([1, 3]));
    let xDone = -1;
    at(20, () => {
      const x = s.startFlow({ work: 30, uses: [{ resource: cpu }], onDone: () => (xDone = sim.now) });
      expect([s.rate(a), s.rate(b), s.rate(x)]).toEqual([1, 1.5, 1.5]);
    });
    at(50, () => {
      expect([s.rate(a), s.rate(b)]).toEqual([1, 3]);
      expect(s.received(a)).toBeCloseTo(50, 12);
      expect(s.received(b)).toBeCloseTo(2 * 10 + 3 * 10 + 1.5 * 20 + 3 * 10, 12);
      expect(s.remaining(b)).toBe(Infinity);
      expect(s.usageIntegral(cpu)).toBeCloseTo(3 * 10 + 4 * 40, 9);
      s.cancelFlow(a);
      s.cancelFlow(b);
    });
    sim.run();
    expect(xDone).toBeCloseTo(40, 12);
    expect(sim.now).toBe(50);
    expect(s.activeFlows).toBe(0);
  });

  it("setCap to 0 stops a finite flow and raising it resumes the completion", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const cpu = s.addResource(2);
    let doneAt = -1;
    const f = s.startFlow({ work: 10, uses: [{ resource: cpu }], onDone: () => (doneAt = sim.now) });
    at(2, () => s.setCap(f, 0));
    at(7, () => {
      expect(s.remaining(f)).toBeCloseTo(6, 12);
      expect(s.completionTime(f)).toBe(Infinity);
      s.setCap(f, 1);
    });
    sim.run();
    expect(doneAt).toBeCloseTo(13, 12);
  });
});

describe("cancel, usage, and flows without resources", () => {
  it("cancelFlow returns the remaining work, skips onDone, and speeds up the rest", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const r = s.addResource(10);
    const done: number[] = [];
    const a = s.startFlow({ work: 100, uses: [{ resource: r }], onDone: (f) => done.push(f) });
    const b = s.startFlow({ work: 100, uses: [{ resource: r }], onDone: (f) => done.push(f) });
    let left = -1;
    at(4, () => (left = s.cancelFlow(a)));
    sim.run();
    expect(left).toBeCloseTo(80, 12);
    expect(done).toEqual([b]);
    expect(sim.now).toBeCloseTo(12, 12);
    expect(() => s.cancelFlow(a)).toThrow(RangeError);
  });

  it("usageIntegral over a known schedule equals the work done", () => {
    // Flow 1 (cap 4, work 20) from 0; flow 2 (work 30) from 2 gets 6 until flow 1 ends at 5 (18 done),
    // then 10: done at 6.2. Usage: 4*2 + 10*3 + 10*1.2 = 50 = 20 + 30.
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const r = s.addResource(10);
    s.startFlow({ work: 20, uses: [{ resource: r }], cap: 4 });
    at(2, () => s.startFlow({ work: 30, uses: [{ resource: r }] }));
    at(3, () => expect(s.usageIntegral(r)).toBeCloseTo(18, 12));
    sim.run();
    expect(sim.now).toBeCloseTo(6.2, 12);
    expect(s.usageIntegral(r)).toBeCloseTo(50, 12);
    expect(s.allocated(r)).toBe(0);
  });

  it("a flow with a cap but no resources runs at its cap", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    let doneAt = -1;
    const f = s.startFlow({ work: 12, uses: [], cap: 3, onDone: () => (doneAt = sim.now) });
    expect(s.rate(f)).toBe(3);
    at(2, () => s.setCap(f, 1)); // 6 left at 1/s
    sim.run();
    expect(doneAt).toBeCloseTo(8, 12);
  });

  it("a zero-capacity resource gives rate 0 and no event until capacity appears", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const at = timeline(sim);
    const r = s.addResource(0);
    let doneAt = -1;
    const f = s.startFlow({ work: 5, uses: [{ resource: r }], onDone: () => (doneAt = sim.now) });
    expect(s.rate(f)).toBe(0);
    expect(sim.pending).toBe(0);
    at(10, () => s.setCapacity(r, 1));
    sim.run();
    expect(doneAt).toBeCloseTo(15, 12);
  });

  it("zero work completes at once, from the completion event", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const r = s.addResource(0);
    const seen: number[] = [];
    s.startFlow({ work: 0, uses: [{ resource: r }], onDone: () => seen.push(sim.now) });
    expect(seen).toEqual([]);
    sim.run();
    expect(seen).toEqual([0]);
  });

  it("completes fast flows late in a long run, where the clock's resolution exceeds the tolerance", () => {
    // Near t = 1e7 s a time step is ~2e-9 s, so a flow at hundreds/s can be ~1e-8 short when its event fires
    // (above the 1e-9 tolerance): each must still complete once, at the time the same run from 0 gives.
    const run = (start: number): number[] => {
      const sim = new Simulation();
      const s = new FluidSharing(sim);
      const at = timeline(sim);
      const r = s.addResource(1000);
      const done: number[] = [];
      at(start, () => {
        for (let i = 1; i <= 50; i++) s.startFlow({ work: i / 7, uses: [{ resource: r }], cap: 1000 / i, onDone: (f) => (done[f] = sim.now - start) });
      });
      sim.run();
      expect(sim.eventsProcessed).toBeLessThanOrEqual(51);
      expect(s.usageIntegral(r)).toBeCloseTo((50 * 51) / 2 / 7, 5);
      return done;
    };
    const early = run(0);
    const late = run(1e7 + 0.123);
    expect(late.length).toBe(50);
    late.forEach((t, f) => expect(Math.abs(t - early[f]!)).toBeLessThan(1e-7));
  });

  it("onDone may chain the next phase; the finished flow is still readable inside it", () => {
    const sim = new Simulation();
    const s = new FluidSharing(sim);
    const cpu = s.addResource(2);
    const disk = s.addResource(100);
    const log: string[] = [];
    s.startFlow({
      work: 200,
      uses: [{ resource: disk }],
      onDone: (f) => {
        log.push(`pull ${sim.now} ${s.received(f)} ${s.rate(f)}`);
        s.startFlow({ work: 4, uses: [{ resource: cpu }], cap: 1, onDone: () => log.push(`boot ${sim.now}`) });
      },
    });
    sim.run();
    expect(log).toEqual(["pull 2 200 0", "boot 6"]);
  });
});

describe("locality and argument checks", () => {
  it("a change on one resource recomputes only its component", () => {
    const s = new FluidSharing(new Simulation());
    const hosts = Array.from({ length: 100 }, () => s.addResource(8));
    s.batch(() => {
      for (const h of hosts) for (let i = 0; i < 10; i++) s.startFlow({ work: 50, uses: [{ resource: h }], cap: 1 });
    });
    expect(s.stats.recomputes).toBe(100);
    const before = { ...s.stats };
    const f = s.startFlow({ work: 50, uses: [{ resource: hosts[42]! }] });
    expect(s.stats.recomputes - before.recomputes).toBe(1);
    expect(s.stats.flowsVisited - before.flowsVisited).toBe(11);
    // 11 flows on 8 cores: the ten capped ones and the new one all drop to 8/11.
    expect(s.rate(f)).toBeCloseTo(8 / 11, 12);
    expect(s.stats.eventsRescheduled - before.eventsRescheduled).toBe(10);
  });

  it("throws on programming errors", () => {
    const s = new FluidSharing(new Simulation());
    const r = s.addResource(1);
    expect(() => s.startFlow({ work: 1, uses: [] })).toThrow(/finite cap/);
    expect(() => s.startFlow({ work: -1, uses: [{ resource: r }] })).toThrow(RangeError);
    expect(() => s.startFlow({ work: NaN, uses: [{ resource: r }] })).toThrow(RangeError);
    expect(() => s.startFlow({ work: 1, uses: [{ resource: r }], weight: 0 })).toThrow(RangeError);
    expect(() => s.startFlow({ work: 1, uses: [{ resource: r, coef: 0 }] })).toThrow(RangeError);
    expect(() => s.startFlow({ work: 1, uses: [{ resource: r }, { resource: r }] })).toThrow(/twice/);
    expect(() => s.startFlow({ work: 1, uses: [{ resource: 7 }] })).toThrow(/no resource/);
    expect(() => s.addResource(Infinity)).toThrow(RangeError);
    expect(() => s.setCapacity(r, -1)).toThrow(RangeError);
    const f = s.startFlow({ work: 1, uses: [], cap: 1 });
    expect(() => s.setCap(f, Infinity)).toThrow(/finite cap/);
    expect(() => s.rate(99)).toThrow(/no flow/);
    expect(s.activeFlows).toBe(1);
  });
});
