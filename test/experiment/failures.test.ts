import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RngStreams } from "../../sim/engine/index.js";
import { resolveWorkload, runOnce } from "../../sim/experiment/index.js";
import type { RunListener } from "../../sim/experiment/run.js";
import { FailureAccount, mergeOverlaps, outagesOf, thinSteps } from "../../sim/experiment/failures.js";
import { scenario } from "../helpers/scenario.js";

/** A small cluster with a failure process per host and a scheduled failure. */
function failing(opts: { mtbf?: string; events?: unknown[]; replicas?: number; reserve?: unknown; hosts?: number; modes?: Record<string, unknown>; repair?: string } = {}) {
  return scenario({
    version: 1,
    name: "fail",
    seed: 3,
    horizon: "24h",
    replications: 1,
    hosts: [
      {
        type: "h",
        count: opts.hosts ?? 4,
        cores: 16,
        memory: "64GiB",
        ...(opts.mtbf ? { failures: { mtbf: opts.mtbf, repair: opts.repair ?? "2h" } } : {}),
      },
    ],
    images: { web: { layers: [{ digest: "base", size: "50MiB" }, { digest: "web", size: "20MiB" }] } },
    apps: [{ name: "web", replicas: opts.replicas ?? 12, image: "web", cpu: 1, memory: "2GiB", init: "2s" }],
    events: opts.events ?? [],
    ...(opts.reserve ? { reserve: opts.reserve } : {}),
    modes: opts.modes ?? { bare: {}, container: {}, vm: {}, microvm: {} },
    placement: { policy: "worst-fit" },
  });
}

/** Host-level events of one run: [time, event, host]. */
function hostEvents(s: ReturnType<typeof failing>, modeIndex: number, replication = 0): [number, string, string][] {
  const w = resolveWorkload(s.scenario, s.traces);
  const out: [number, string, string][] = [];
  const listener: RunListener = (t, i, event, detail) => {
    if (i < 0 && (event === "host-down" || event === "host-up")) out.push([t, event, detail]);
  };
  runOnce(w, w.modes[modeIndex]!, { seed: s.scenario.seed, horizonS: s.scenario.horizon, policy: "worst-fit" }, replication, listener);
  return out;
}

describe("failure process", () => {
  it("draws the same outages for the same seed and replication, others for another replication", () => {
    const w = resolveWorkload(failing({ mtbf: "10h" }).scenario);
    const a = outagesOf(w, new RngStreams(3, 0), 86400);
    const b = outagesOf(w, new RngStreams(3, 0), 86400);
    const c = outagesOf(w, new RngStreams(3, 1), 86400);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    for (const o of a) {
      expect(o.atS).toBeGreaterThan(0);
      expect(o.atS).toBeLessThanOrEqual(86400);
      expect(o.backS - o.atS).toBeCloseTo(7200, 9);
    }
  });

  it("fails every mode's hosts at the same times (common random numbers)", () => {
    const s = failing({ mtbf: "8h" });
    const runs = [0, 1, 2, 3].map((m) => hostEvents(s, m));
    expect(runs[0]!.length).toBeGreaterThan(0);
    for (const r of runs) expect(r).toEqual(runs[0]);
  });

  it("has a mean time between failures near mtbf over many hosts", () => {
    const w = resolveWorkload(failing({ mtbf: "10h", hosts: 400, repair: "1s" }).scenario);
    const outages = outagesOf(w, new RngStreams(11, 0), 1000 * 3600);
    // 400 hosts x 1000 h / 10 h ~ 40,000 failures: the count is Poisson-like, within a few percent.
    expect(outages.length / (400 * 100)).toBeGreaterThan(0.97);
    expect(outages.length / (400 * 100)).toBeLessThan(1.03);
  });

  it("merges overlapping outages of one host", () => {
    expect(
      mergeOverlaps([
        { host: 1, atS: 10, backS: 30 },
        { host: 0, atS: 5, backS: 6 },
        { host: 1, atS: 20, backS: 50 },
        { host: 1, atS: 60, backS: 70 },
      ]),
    ).toEqual([
      { host: 0, atS: 5, backS: 6 },
      { host: 1, atS: 10, backS: 50 },
      { host: 1, atS: 60, backS: 70 },
    ]);
  });

  it("accounts downtime and recovery per failure", () => {
    const a = new FailureAccount();
    const e = a.failure(100);
    a.down(0, e, 100);
    a.down(1, e, 100);
    a.up(0, 130);
    expect(a.recoveryTimes()).toEqual([]);
    expect(a.notRecovered).toBe(1);
    a.up(1, 160);
    expect(a.recoveryTimes()).toEqual([60]);
    expect(a.downtime(0, 1000) + a.downtime(1, 1000)).toBe(90);
    expect(a.instancesLost).toBe(2);
  });
});

describe("a scheduled failure, end to end", () => {
  const s = failing({ events: [{ at: "2h", fail: "h-2", repair: "4h" }] });
  const w = resolveWorkload(s.scenario, s.traces);
  const runs = w.modes.map((m) => runOnce(w, m, { seed: 3, horizonS: 86400, policy: "worst-fit" }, 0));

  it("loses the failed host's instances in every mode and recovers all of them", () => {
    for (const r of runs) {
      expect(r.metrics["failures.hosts"]).toBe(1);
      expect(r.metrics["failures.instancesLost"]).toBe(3);
      expect(r.metrics["failures.notRecovered"]).toBe(0);
      expect(r.metrics["recovery.max"]).toBeGreaterThan(0);
      expect(r.metrics.availability).toBeLessThan(1);
      expect(r.metrics.availability).toBeGreaterThan(0.99);
      expect(r.instances.every((i) => i.host !== "h-2" || i.downS === 0)).toBe(true);
    }
  });

  it("recovers after the mode's detection delay: VMs (vSphere HA, 15 s) before containers (Kubernetes, 340 s)", () => {
    const [bare, container, vm] = runs.map((r) => r.metrics["recovery.max"] as number);
    expect(container).toBeGreaterThan(340);
    expect(vm).toBeGreaterThan(340); // the default VM profile is KubeVirt: Kubernetes notices
    expect(bare).toBeGreaterThan(60);
    expect(bare).toBeLessThan(340);
  });

  it("leaves lost instances down with recovery: none", () => {
    const none = failing({ events: [{ at: "2h", fail: "h-2" }], modes: { container: { recovery: { action: "none" } } } });
    const wn = resolveWorkload(none.scenario);
    const r = runOnce(wn, wn.modes[0]!, { seed: 3, horizonS: 86400, policy: "worst-fit" }, 0);
    expect(r.metrics["failures.notRecovered"]).toBe(3);
    expect(r.metrics["recovery.max"]).toBeUndefined();
    // 3 of 12 replicas down for 22 of 24 hours.
    expect(r.metrics.availability).toBeCloseTo(1 - (3 * 22) / (12 * 24), 3);
  });

  it("keeps the failover reserve free for normal placement and lets recovery use it", () => {
    const reserved = failing({ replicas: 50, reserve: { hosts: 1 }, events: [{ at: "1h", fail: "h-1" }], modes: { container: {} } });
    const wr = resolveWorkload(reserved.scenario);
    const r = runOnce(wr, wr.modes[0]!, { seed: 3, horizonS: 86400, policy: "worst-fit" }, 0);
    expect(r.hostInstances[3]).toBeGreaterThan(0);
    expect(r.instances.filter((i) => i.reason !== undefined).length).toBeGreaterThan(0);
    expect(r.rejections.some((g) => g.reason.includes("failover reserve host"))).toBe(true);
    expect(r.metrics["cost.monthly.reserve"]).toBe(0);
  });
});

describe("properties", () => {
  const arb = fc.record({
    mtbfH: fc.integer({ min: 2, max: 40 }),
    repairH: fc.integer({ min: 1, max: 6 }),
    replicas: fc.integer({ min: 1, max: 30 }),
    hosts: fc.integer({ min: 2, max: 5 }),
    mode: fc.integer({ min: 0, max: 3 }),
    percent: fc.constantFrom(0, 10, 25),
  });

  it("never places an instance on a host while it is down, brings every repaired host back, keeps availability in [0, 1]", () => {
    fc.assert(
      fc.property(arb, (g) => {
        const s = failing({ mtbf: `${g.mtbfH}h`, repair: `${g.repairH}h`, replicas: g.replicas, hosts: g.hosts, reserve: { percent: g.percent } });
        const w = resolveWorkload(s.scenario);
        const down = new Set<string>();
        const downs: number[] = [];
        let ups = 0;
        let violations = 0;
        const r = runOnce(w, w.modes[g.mode]!, { seed: 5, horizonS: 86400, policy: "worst-fit" }, 0, (t, i, event, detail) => {
          if (event === "host-down") {
            down.add(detail);
            downs.push(t);
          } else if (event === "host-up") {
            down.delete(detail);
            ups++;
          } else if ((event === "placed" || event === "relocated" || event === "ready") && i >= 0) {
            const host = event === "ready" ? undefined : detail;
            if (host !== undefined && down.has(host)) violations++;
          }
        });
        expect(violations).toBe(0);
        // Every outage whose repair falls within the horizon ends with its host back.
        expect(ups).toBe(downs.filter((t) => t + g.repairH * 3600 <= 86400).length);
        const a = r.metrics.availability as number;
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        for (const app of Object.values(r.apps)) if (app.availability !== undefined) expect(app.availability).toBeLessThanOrEqual(1);
      }),
      { numRuns: 25 },
    );
  });

  it("has availability exactly 1 without failures", () => {
    fc.assert(
      fc.property(arb, (g) => {
        const s = failing({ replicas: g.replicas, hosts: g.hosts });
        const w = resolveWorkload(s.scenario);
        const r = runOnce(w, w.modes[g.mode]!, { seed: 5, horizonS: 86400, policy: "worst-fit" }, 0);
        expect(r.metrics.availability).toBe(1);
        expect(r.metrics["failures.hosts"]).toBe(0);
        expect(r.metrics["recovery.p50"]).toBeUndefined();
      }),
      { numRuns: 15 },
    );
  });
});

describe("thinSteps", () => {
  it("keeps a short dip however many points surround it", () => {
    const points: [number, number][] = [];
    for (let k = 0; k < 5000; k++) points.push([k, k % 2 === 0 ? 100 : 101]);
    points.push([2500.5, 3]);
    points.sort((a, b) => a[0] - b[0]);
    const thin = thinSteps(points, 5000);
    expect(thin.length).toBeLessThanOrEqual(1600);
    expect(thin).toContainEqual([2500.5, 3]);
    expect(thin[0]).toEqual([0, 100]);
    expect(thin.at(-1)).toEqual([4999, 101]);
    for (let k = 1; k < thin.length; k++) expect(thin[k]![0]).toBeGreaterThanOrEqual(thin[k - 1]![0]);
  });
});
