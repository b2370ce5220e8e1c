import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHosts, resolveWorkload, runOnce, type RunOutput } from "../../sim/experiment/index.js";
import { chunkCount, combineParts, hostGroups, mergeGroups, placeAll, runGrouped, whyWhole } from "../../sim/experiment/host-groups.js";
import { runGroup } from "../../sim/experiment/run.js";
import { ChunkedRun, executeTask, executeWork, taskChunks, type ChunkResult } from "../../sim/experiment/pool-task.js";
import { STARTUP_PHASES } from "../../sim/model/index.js";
import { scenario } from "../helpers/scenario.js";
import { configOf, expectSameRun, hostIndex } from "../helpers/same-run.js";

const PHASES = STARTUP_PHASES.length;
const POLICIES = ["first-fit", "best-fit", "worst-fit", "ffd", "bfd"] as const;
const MODES = ["bare", "container", "vm", "microvm"] as const;

/** A run whose hosts never affect each other: services only, some staggered, diurnal load, no images. */
const decomposable = fc.record({
  hosts: fc.integer({ min: 1, max: 9 }),
  cores: fc.constantFrom(8, 16, 32),
  memory: fc.constantFrom("16GiB", "64GiB"),
  apps: fc.array(
    fc.record({
      replicas: fc.integer({ min: 1, max: 14 }),
      cpu: fc.constantFrom(0.25, 0.5, 1, 2),
      memory: fc.constantFrom("512MiB", "2GiB", "6GiB"),
      staggerMs: fc.constantFrom(0, 0, 700),
      diurnal: fc.boolean(),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  policy: fc.constantFrom(...POLICIES),
  mode: fc.constantFrom(...MODES),
  seed: fc.integer({ min: 1, max: 1000 }),
});

type Case = typeof decomposable extends fc.Arbitrary<infer T> ? T : never;

function workloadOf(c: Case) {
  const s = scenario({
    version: 1,
    name: "groups",
    seed: c.seed,
    horizon: "30m",
    replications: 1,
    hosts: [
      { type: "a", count: c.hosts, cores: c.cores, memory: c.memory },
      { type: "b", count: 2, cores: 8, memory: "16GiB" },
    ],
    apps: c.apps.map((a, k) => ({
      name: `app${k}`,
      replicas: a.replicas,
      cpu: a.cpu,
      memory: a.memory,
      init: "3s",
      start: { stagger: `${a.staggerMs}ms` },
      ...(a.diurnal ? { load: { pattern: "diurnal", mean: 0.3, peak: 0.9, period: "20m", steps: 6, jitter: "5m" } } : {}),
    })),
    modes: { [c.mode]: {} },
    placement: { policy: c.policy },
  });
  return { s, w: resolveWorkload(s.scenario) };
}

/** A case's workload, its mode, the run's settings and the placement before the run. */
function prepared(c: Case) {
  const { s, w } = workloadOf(c);
  const mode = w.modes[0]!;
  const config = configOf(s);
  return { w, mode, config, placement: placeAll(w, mode, config.policy, config.horizonS) };
}

/**
 * The case's run merged from groups of `size` hosts (undefined: its start-up window could not be
 * told), each `chunk` consecutive groups' parts combined into one first (combineParts, as a chunk's).
 */
function grouped(p: ReturnType<typeof prepared>, size: number, chunk = 1): RunOutput | undefined {
  const parts = hostGroups(p.placement, size).map((g) => runGroup(p.w, p.mode, p.config, g, 0));
  const chunks = Array.from({ length: Math.ceil(parts.length / chunk) }, (_, k) => combineParts(parts.slice(k * chunk, (k + 1) * chunk)));
  return mergeGroups(p.w, p.mode, p.config, 0, p.placement, chunks);
}

describe("host groups", () => {
  it("placement before the run places every service where the run does, or nowhere when it rejects it", () => {
    fc.assert(
      fc.property(decomposable, (c) => {
        const { s, w } = workloadOf(c);
        const mode = w.modes[0]!;
        expect(whyWhole(w, mode)).toBeUndefined();
        const whole = runOnce(w, mode, configOf(s), 0);
        const names = buildHosts(w, mode).map((h) => h.name);
        const placement = placeAll(w, mode, s.scenario.placement.policy, s.scenario.horizon);
        expect(placement.hostOf).toEqual(hostIndex(whole, names));
        whole.instances.forEach((r, i) => {
          expect(placement.reasons.get(i)).toBe(r.reason);
          expect(placement.requestedAt[i]).toBe(r.requestedAt);
        });
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it("a group's run gives its hosts' samples and its services' figures of the whole run, to the bit", () => {
    fc.assert(
      fc.property(decomposable, fc.integer({ min: 1, max: 4 }), (c, size) => {
        const { w, mode, config, placement } = prepared(c);
        const whole = runOnce(w, mode, config, 0);
        const width = whole.samples!.columns.length;
        let compared = 0;
        for (const g of hostGroups(placement, size)) {
          const part = runGroup(w, mode, config, g, 0);
          expect(part.samples!.timesS).toEqual(whole.samples!.timesS);
          for (let j = 0; j < whole.samples!.timesS.length; j++) {
            expect(part.samples!.rows[j]).toEqual(whole.samples!.rows[j]!.subarray(g.from * width, g.to * width));
          }
          g.services.forEach((i, k) => {
            const r = whole.instances[i]!;
            expect([part.requestedAt[k], part.readyAt[k], part.slowdowns[k], [...part.phases.subarray(k * PHASES, (k + 1) * PHASES)]]).toEqual([r.requestedAt, r.readyAt, r.slowdown, r.phases]);
            compared++;
          });
        }
        expect(compared).toBe(placement.hostOf.filter((h) => h >= 0).length);
      }),
      { numRuns: 25, seed: 5 },
    );
  });

  it("a run merged from its groups' runs (some combined first, as chunks) is the whole run: records, rows and counts to the bit, sums within 1e-12", () => {
    let merged = 0;
    fc.assert(
      fc.property(decomposable, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), (c, size, chunk) => {
        const p = prepared(c);
        const out = grouped(p, size, chunk);
        if (out === undefined) return;
        merged++;
        expectSameRun(out, runOnce(p.w, p.mode, p.config, 0));
      }),
      { numRuns: 40, seed: 7 },
    );
    // A window that cannot be told from the groups is rare: nearly every case merges.
    expect(merged).toBeGreaterThan(36);
  });

  it("the same where the whole run thinned its start-up samples (a boot storm long enough to thin them twice)", () => {
    const c: Case = {
      hosts: 3,
      cores: 8,
      memory: "64GiB",
      apps: [{ replicas: 30, cpu: 0.5, memory: "512MiB", staggerMs: 0, diurnal: true }],
      policy: "worst-fit",
      mode: "vm",
      seed: 11,
    };
    const p = prepared(c);
    const whole = runOnce(p.w, p.mode, p.config, 0);
    expect(whole.samples!.startup.timesS[1]).toBeCloseTo(0.04, 12);
    expectSameRun(grouped(p, 1)!, whole);
  });

  it("a rejection after every placed service is ready ends the start-up window there, as in the whole run", () => {
    const c: Case = { hosts: 2, cores: 8, memory: "16GiB", apps: [{ replicas: 40, cpu: 0.5, memory: "6GiB", staggerMs: 700, diurnal: false }], policy: "first-fit", mode: "vm", seed: 4 };
    const p = prepared(c);
    const whole = runOnce(p.w, p.mode, p.config, 0);
    const lastReady = Math.max(...whole.instances.filter((r) => r.reason === undefined).map((r) => r.readyAt));
    const lastRejected = Math.max(...whole.instances.filter((r) => r.reason !== undefined).map((r) => r.requestedAt));
    expect(lastRejected).toBeGreaterThan(lastReady);
    expectSameRun(grouped(p, 1)!, whole);
  });

  it("leaves the window untold (the run goes whole) when the last service settled exactly at a point of the fine grid", () => {
    const p = prepared({ hosts: 3, cores: 8, memory: "64GiB", apps: [{ replicas: 12, cpu: 0.5, memory: "512MiB", staggerMs: 0, diurnal: false }], policy: "worst-fit", mode: "container", seed: 3 });
    const parts = hostGroups(p.placement, 1).map((g) => runGroup(p.w, p.mode, p.config, g, 0));
    expect(mergeGroups(p.w, p.mode, p.config, 0, p.placement, parts)).toBeDefined();
    // The group that settled last, as if its last service were ready at a grid point: the whole run's
    // order of that ready and that sample decides the step then, which the groups cannot tell.
    const last = parts.reduce((a, b) => (b.settled && (!a.settled || b.settled.atS > a.settled.atS) ? b : a));
    const grid = last.samples!.startup.timesS;
    const onGrid = grid.find((t) => t > last.settled!.atS)!;
    const moved = parts.map((q) => (q === last ? { ...q, settled: { atS: onGrid, stepS: last.settled!.stepS } } : q));
    expect(mergeGroups(p.w, p.mode, p.config, 0, p.placement, moved)).toBeUndefined();
  });

  it("a run with more hosts than a group goes group by group, with the whole run's results", () => {
    const c: Case = { hosts: 150, cores: 8, memory: "16GiB", apps: [{ replicas: 400, cpu: 0.5, memory: "2GiB", staggerMs: 700, diurnal: true }], policy: "bfd", mode: "container", seed: 2 };
    const p = prepared(c);
    const out = runGrouped(p.w, p.mode, p.config, 0)!;
    expect(out.eventsProcessed).toBeGreaterThan(0);
    expectSameRun(out, runOnce(p.w, p.mode, p.config, 0));
  });

  it("a run's chunk tasks, merged in any order of arrival, give the run's result as one thread gives it, to the bit", () => {
    // 600 hosts: 10 groups of 64, 3 chunks of up to 4 groups; every host gets services (worst-fit).
    const loaded = workloadOf({ hosts: 598, cores: 8, memory: "16GiB", apps: [{ replicas: 900, cpu: 0.5, memory: "2GiB", staggerMs: 0, diurnal: true }, { replicas: 300, cpu: 1, memory: "6GiB", staggerMs: 700, diurnal: false }], policy: "worst-fit", mode: "vm", seed: 9 }).s;
    for (const replication of [0, 1]) {
      const task = { scenario: loaded, mode: "vm", replication, hostRows: true };
      const n = taskChunks(task);
      expect(n).toBe(3);
      const parts = Array.from({ length: n }, (_, chunk) => (executeWork(loaded, { ...task, chunk }) as ChunkResult).part);
      const run = new ChunkedRun(task, n);
      expect(run.add(2, parts[2]!)).toBe(false);
      expect(run.add(0, parts[0]!)).toBe(false);
      expect(run.add(1, parts[1]!)).toBe(true);
      expect(run.result()).toEqual(executeTask(loaded, task));
    }
  });

  it("says why a run must stay whole", () => {
    const s = scenario({
      version: 1,
      name: "j",
      hosts: [{ type: "h", count: 2, cores: 8, memory: "16GiB" }],
      apps: [{ name: "j", kind: "job", arrivals: { process: "poisson", rate: "1/s" }, work: "1s", cpu: 1, memory: "1GiB" }],
      modes: { container: {} },
    });
    const w = resolveWorkload(s.scenario);
    expect(whyWhole(w, w.modes[0]!)).toMatch(/jobs/);
  });
});

describe("host groups with a failover reserve", () => {
  // The bundled examples scaled up, each grouped run against the whole: host-groups-examples.slow.test.ts.
  it.each([{ hosts: 30 }, { percent: 25 }])("a failover reserve (%o) and priced hosts: the grouped run is the whole run", (reserve) => {
    const s = scenario({
      version: 1,
      name: "reserve",
      horizon: "30m",
      replications: 1,
      hosts: [
        { type: "a", count: 200, cores: 16, memory: "64GiB", cost: { price: 12000, lifetime: 48, watts: { idle: 120, max: 450 }, kwhPrice: 0.2 } },
        { type: "b", count: 120, cores: 8, memory: "32GiB", cost: { monthly: 300 } },
      ],
      reserve,
      apps: [
        { name: "web", replicas: 900, cpu: 1, memory: "4GiB", init: "2s", load: { pattern: "diurnal", mean: 0.4, peak: 0.9, period: "20m", steps: 6 } },
        { name: "db", replicas: 120, cpu: 4, memory: "16GiB", init: "5s" },
      ],
      modes: { container: {}, vm: {} },
      placement: { policy: "bfd" },
    });
    const w = resolveWorkload(s.scenario);
    for (const mode of w.modes) {
      expect(chunkCount(w, mode)).toBe(2);
      const config = configOf(s);
      const whole = runOnce(w, mode, config, 0);
      expect(whole.metrics["cost.monthly.reserve"]).toBeGreaterThan(0);
      expectSameRun(runGrouped(w, mode, config, 0)!, whole);
    }
  });
});
