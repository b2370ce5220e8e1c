import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildHosts, resolveWorkload, runOnce, type RunConfig, type RunOutput } from "../../sim/experiment/index.js";
import { HOSTS_PER_GROUP, hostGroups, placeAll, whyWhole } from "../../sim/experiment/host-groups.js";
import { fineWindowEnd, keptFineSamples } from "../../sim/experiment/samplers.js";
import { scenario } from "../helpers/scenario.js";

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

function configOf(s: ReturnType<typeof scenario>): RunConfig {
  return { seed: s.scenario.seed, horizonS: s.scenario.horizon, policy: s.scenario.placement.policy, sampleStepS: s.scenario.horizon / 30, hostRows: true, records: true };
}

/** A case's workload, its mode, the run's settings and the placement before the run. */
function prepared(c: Case) {
  const { s, w } = workloadOf(c);
  const mode = w.modes[0]!;
  const config = configOf(s);
  return { w, mode, config, placement: placeAll(w, mode, config.policy, config.horizonS) };
}

/** A run of one group of every host, and the start-up samples the whole run would keep of its fine grid. */
function thinnedStartup(p: ReturnType<typeof prepared>) {
  const [all] = hostGroups(p.placement, HOSTS_PER_GROUP);
  const one = runOnce(p.w, p.mode, { ...p.config, group: all! }, 0);
  const end = fineWindowEnd(p.config.horizonS, one.groupSettled!.atS, one.groupSettled!.stepS);
  const grid = one.samples!.startup;
  const kept = keptFineSamples(grid.timesS, end);
  return { one, end, timesS: kept.map((k) => grid.timesS[k]), totals: kept.map((k) => grid.totals[k]) };
}

/** Each host's index in the whole run, by name. */
function hostIndex(out: RunOutput, names: readonly string[]): Int32Array {
  const at = new Map(names.map((n, k) => [n, k]));
  return Int32Array.from(out.instances, (r) => (r.host === undefined ? -1 : at.get(r.host)!));
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
        expect(placeAll(w, mode, s.scenario.placement.policy, s.scenario.horizon).hostOf).toEqual(hostIndex(whole, names));
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it("a group's run gives its hosts' samples and its services' records of the whole run, to the bit", () => {
    fc.assert(
      fc.property(decomposable, fc.integer({ min: 1, max: 4 }), (c, size) => {
        const { w, mode, config, placement } = prepared(c);
        const whole = runOnce(w, mode, config, 0);
        const width = whole.samples!.columns.length;
        let compared = 0;
        for (const g of hostGroups(placement, size)) {
          const part = runOnce(w, mode, { ...config, group: g }, 0);
          expect(part.samples!.timesS).toEqual(whole.samples!.timesS);
          for (let j = 0; j < whole.samples!.timesS.length; j++) {
            const a = whole.samples!.rows[j]!.subarray(g.from * width, g.to * width);
            expect(part.samples!.rows[j]).toEqual(a);
          }
          g.services.forEach((i, k) => {
            expect(part.instances[k]).toEqual(whole.instances[i]);
            compared++;
          });
        }
        expect(compared).toBe(placement.hostOf.filter((h) => h >= 0).length);
      }),
      { numRuns: 25, seed: 5 },
    );
  });

  it("a group's fine grid, thinned as the whole run thins it for the last settle of all groups, gives the whole run's start-up samples", () => {
    fc.assert(
      fc.property(decomposable, fc.integer({ min: 1, max: 4 }), (c, size) => {
        const p = prepared(c);
        const { w, mode, config, placement } = p;
        // A rejected service settles at its request, which no group sees: that is the merge's to add (not here).
        fc.pre(placement.hostOf.every((h) => h >= 0));
        const whole = runOnce(w, mode, config, 0).samples!.startup;
        // One group of every host: the same rows, so the same totals, once thinned.
        const { one, end, timesS, totals } = thinnedStartup(p);
        expect(timesS).toEqual(whole.timesS);
        expect(totals).toEqual(whole.totals);
        // Smaller groups: every one takes the same grid, and the one that settled last ends the window where the whole run does.
        const parts = hostGroups(placement, size).map((g) => runOnce(w, mode, { ...config, group: g }, 0)).filter((o) => o.groupSettled);
        for (const o of parts) expect(o.samples!.startup.timesS).toEqual(one.samples!.startup.timesS);
        const last = parts.reduce((a, b) => (b.groupSettled!.atS > a.groupSettled!.atS ? b : a));
        expect(fineWindowEnd(config.horizonS, last.groupSettled!.atS, last.groupSettled!.stepS)).toBe(end);
      }),
      { numRuns: 25, seed: 7 },
    );
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
    expect(p.placement.hostOf.every((h) => h >= 0)).toBe(true);
    const whole = runOnce(p.w, p.mode, p.config, 0).samples!.startup;
    const { one, end, timesS, totals } = thinnedStartup(p);
    // Thinned at least twice: fewer kept than the grid's points in the window, and spaced 0.04 s at the start.
    const inWindow = one.samples!.startup.timesS.filter((t) => t <= end + 1e-9).length;
    expect(timesS.length).toBeLessThan(inWindow / 2);
    expect(whole.timesS[1]).toBeCloseTo(0.04, 12);
    expect(timesS).toEqual(whole.timesS);
    expect(totals).toEqual(whole.totals);
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
