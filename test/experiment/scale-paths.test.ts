/**
 * The shortcuts that keep a services run linear give what the plain computations give: per-app
 * metrics grouped in one pass, host memory read from a per-host cache while no tenant grows, the
 * time of the last ready instance over more instances than a spread call can take.
 */
import { describe, expect, it } from "vitest";
import type { CostBreakdown } from "../../sim/cost/index.js";
import { resolveWorkload, runOnce } from "../../sim/experiment/index.js";
import { recordOutcomes } from "../../sim/experiment/instance-record.js";
import { hostRow, type InstanceRecord } from "../../sim/experiment/run.js";
import type { JobFigures } from "../../sim/experiment/jobs.js";
import { appMetrics, metricsOf } from "../../sim/experiment/run-metrics.js";
import { footprint, hostOverhead } from "../../sim/model/index.js";
import { scenario } from "../helpers/scenario.js";

/** Three apps interleaved on two hosts; a job app whose instances come and go; sampled every 10 s. */
function mixed() {
  const s = scenario({
    version: 1,
    name: "scale-paths",
    replications: 1,
    horizon: "10m",
    sampling: { step: "10s" },
    hosts: [{ type: "h", count: 2, cores: 16, memory: "64GiB" }],
    apps: [
      { name: "a", replicas: 5, cpu: 0.5, memory: "1GiB", init: 1, load: { pattern: "constant", cores: 0.3 } },
      { name: "b", replicas: 3, cpu: 1, memory: "2GiB", init: 2, start: { at: "60s" } },
      { name: "c", replicas: 4, cpu: 0.25, memory: "512MiB", init: 1, start: { at: "200s" } },
      { name: "j", kind: "job", arrivals: { process: "interval", every: "100s", at: "30s" }, work: { dist: "constant", value: 40 }, cpu: 1, memory: "3GiB" },
    ],
    modes: { container: {}, vm: {} },
    placement: { policy: "worst-fit" },
  });
  const w = resolveWorkload(s.scenario);
  return { w, runs: w.modes.map((m) => runOnce(w, m, { seed: 7, horizonS: 600, policy: "worst-fit", sampleStepS: 10 }, 0)) };
}

describe("services at scale: shortcuts equal the plain computations", () => {
  const { w, runs } = mixed();

  it("per-app metrics grouped in one pass equal each app's metrics over a filter of the instances", () => {
    for (const run of runs) {
      // Service apps: a job app's figures are summed by the job book as jobs end (test/experiment/job-stream.test.ts).
      for (const app of w.apps.filter((a) => a.kind === "service")) {
        const mine = run.instances.filter((i) => i.app === app.name);
        expect(mine.length).toBeGreaterThan(0);
        // No app is OOM-killed here, so the kills are 0 in the reference too.
        expect(run.apps[app.name]).toEqual(appMetrics(recordOutcomes(mine), { from: 0, to: mine.length }, 0, undefined, 600));
      }
    }
  });

  it("host memory in use is every tenant's working set while it runs, as tenants come and go (the per-host cache is dropped on each change)", () => {
    runs.forEach((run, k) => {
      const mode = w.modes[k]!;
      const s = run.samples!;
      const column = s.columns.indexOf("memoryBytes");
      const base = hostOverhead(mode);
      const bytesOf = (name: string): number => {
        const app = w.apps.find((a) => a.name === name)!;
        const fp = footprint(app, mode);
        return app.memoryBytes + fp.guestOsBytes + fp.hypervisorBytes + fp.runtimeBytes;
      };
      let changes = 0;
      s.timesS.forEach((t, j) => {
        // Both hosts are used from t = 0 (worst fit spreads the first services).
        if (t < 10) return;
        const inUse = s.hosts.reduce((acc, _, h) => acc + hostRow(s, j, h)[column]!, 0);
        let expected = 2 * (w.hostTypes[0]!.reservedMemoryBytes + base.runtimeBytes + base.hypervisorBytes);
        for (const i of run.instances) if (i.readyAt <= t && !(i.doneAt <= t)) expected += bytesOf(i.app);
        expect(inUse).toBeCloseTo(expected, 0);
        if (j > 0 && inUse !== s.hosts.reduce((acc, _, h) => acc + hostRow(s, j - 1, h)[column]!, 0)) changes++;
      });
      // Jobs of 3 GiB come every 100 s and go about 40 s later; services of b and c start late.
      expect(changes).toBeGreaterThanOrEqual(8);
    });
  });
});

describe("a run without records (the digest path: --format json)", () => {
  it("reads the same metrics, per-app metrics, rejections and digest off its columns, and builds no instance record", () => {
    const s = scenario({
      version: 1,
      name: "no-records",
      replications: 1,
      horizon: "10m",
      hosts: [{ type: "h", count: 2, cores: 8, memory: "16GiB" }],
      apps: [
        { name: "a", replicas: 9, cpu: 0.5, memory: "2GiB", init: 1, load: { pattern: "constant", cores: 0.3 } },
        { name: "b", replicas: 6, cpu: 1, memory: "3GiB", init: 2, start: { at: "60s" } },
        { name: "j", kind: "job", arrivals: { process: "interval", every: "100s", at: "30s" }, work: { dist: "constant", value: 40 }, cpu: 1, memory: "1GiB" },
      ],
      modes: { bare: {}, container: {}, vm: {} },
      placement: { policy: "best-fit" },
    });
    const w = resolveWorkload(s.scenario);
    for (const mode of w.modes) {
      const config = { seed: 3, horizonS: 600, policy: "best-fit" as const, sampleStepS: 10 };
      const full = runOnce(w, mode, config, 0);
      const bare = runOnce(w, mode, { ...config, records: false }, 0);
      expect(full.instances.length).toBeGreaterThan(15);
      expect(bare.instances).toEqual([]);
      // Some are rejected (16 GiB hosts cannot take every replica), so rejections and placed counts are exercised.
      expect(full.rejections.length).toBeGreaterThan(0);
      expect(bare.metrics).toEqual(full.metrics);
      expect(bare.apps).toEqual(full.apps);
      expect(bare.rejections).toEqual(full.rejections);
      expect(bare.digest).toEqual(full.digest);
      expect(bare.samples).toEqual(full.samples);
      // And the records, read as the metrics read columns, give the same metrics.
      const services = full.instances.filter((i) => i.kind === "service");
      expect(appMetrics(recordOutcomes(services), { from: 0, to: 9 }, 0, undefined, 600)).toEqual(full.apps.a);
    }
  });
});

describe("the last ready time over a million instances", () => {
  it("is the largest ready time, with no call that takes one argument per instance", () => {
    const n = 1_000_000;
    const phases = [0, 0, 0, 0, 0, 0, 1];
    const instances: InstanceRecord[] = Array.from({ length: n }, (_, k) => ({
      app: "a",
      replica: k,
      kind: "service",
      host: "h-1",
      requestedAt: 0,
      readyAt: k === 123_456 ? 5000 : 1 + (k % 1000),
      doneAt: NaN,
      reason: undefined,
      phases,
      slowdown: 1,
      downS: 0,
      maintenanceDownS: 0,
    }));
    const none: CostBreakdown = { total: 0, hosts: 0, licenses: 0, operations: 0, perRule: [], hostsCounted: 0, osInstances: 0, hostsDetail: "", operationsDetail: "" };
    const noJobs: JobFigures = { arrived: 0, completed: 0, turnaround: { kind: "exact", values: new Float64Array(0) }, inSystemSeconds: 0, apps: new Map() };
    const m = metricsOf([], recordOutcomes(instances), noJobs, { bytes: 0, requests: 0, downloads: 0 }, {
      horizonS: 3600,
      cpuUsed: 0,
      cpuCapacity: 0,
      overheadCoreSeconds: 0,
      oomKills: 0,
      swapSeconds: 0,
      cost: none,
      noisyApps: new Set(),
    });
    expect(m["startup.allReady"]).toBe(5000);
    expect(m["instances.placed"]).toBe(n);
  });
});
