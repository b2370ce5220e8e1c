import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveWorkload, runExperiment, runOnce } from "../../sim/experiment/index.js";
import { hostRow } from "../../sim/experiment/run.js";
import { findProfile, type VmProfile } from "../../sim/model/index.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";
import { scenario } from "../helpers/scenario.js";

function one(app: Record<string, unknown>, modes: Record<string, unknown>, hostCores = 16, sampleStepS?: number) {
  const s = scenario({ version: 1, name: "c", replications: 1, horizon: "2h", hosts: [{ type: "h", cores: hostCores, memory: "256GiB" }], apps: [app], modes });
  const w = resolveWorkload(s.scenario, s.traces);
  return w.modes.map((m) => runOnce(w, m, { seed: 5, horizonS: s.scenario.horizon, policy: "best-fit", sampleStepS }, 0));
}

describe("an instance alone on an idle host", () => {
  const app = { name: "a", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "diurnal", mean: 1, peak: 1.8, period: "1h" } };
  it("has slowdown 1 as a process or a container, and as a VM with room for the tax", () => {
    const outs = one(app, { bare: {}, container: {}, vm: { vcpus: 4 }, microvm: { vcpus: 4 } });
    for (const o of outs) expect(o.instances[0]!.slowdown).toBeCloseTo(1, 9);
  });
  it("pays exactly the tax when its vCPUs match its demand", () => {
    const tax = (findProfile("vm", "kvm-linux") as VmProfile).running.cpuTax.cpu;
    const [vm] = one({ ...app, load: { pattern: "constant", cores: 2 } }, { vm: { vcpus: 2 } });
    expect(vm!.instances[0]!.slowdown).toBeCloseTo(1 / (1 - tax), 9);
  });
  it("is slowed by a container quota below its demand, in proportion", () => {
    const [c] = one({ ...app, cpu: 1, load: { pattern: "constant", cores: 1.5 } }, { container: { limits: true } });
    expect(c!.instances[0]!.slowdown).toBeCloseTo(1.5, 9);
  });
  it("follows a CSV load trace", () => {
    const s = loadScenarioFile("test/fixtures/traces/scenario-with-trace.yaml");
    if (!s.ok) throw new Error(s.issues.map((i) => i.message).join("; "));
    const r = runExperiment(s).results.modes.container!;
    // 2 h horizon: 0.5 core for an hour, then 2 cores: 1.25 cores on average, nothing slowed.
    expect(r.summary["cpu.utilization"]!.mean * 8).toBeCloseTo((0.5 + 2) / 2 + 0.02, 2);
    expect(r.summary["slowdown.mean"]!.mean).toBeCloseTo(1, 9);
  });
});

describe("noisy-neighbour.yaml", () => {
  const loaded = loadScenarioFile("scenarios/noisy-neighbour.yaml");
  if (!loaded.ok) throw new Error("invalid");
  const r = runExperiment(loaded).results;
  const webP99 = (mode: string) => r.modes[mode]!.apps.web!["slowdown.p99"]!.mean;
  it("victims suffer more as containers without limits than as VMs", () => {
    expect(webP99("container")).toBeGreaterThan(webP99("vm") * 1.2);
    expect(webP99("vm")).toBeLessThan(1.05);
  });
  it("container limits bring the victims' p99 slowdown down", () => {
    expect(webP99("container-limits")).toBeLessThan(webP99("container") - 0.1);
  });
  it("the noisy neighbour itself pays for the limits", () => {
    expect(r.modes["container-limits"]!.apps.analytics!["slowdown.mean"]!.mean).toBeGreaterThan(r.modes.container!.apps.analytics!["slowdown.mean"]!.mean);
  });
});

describe("CPU received never exceeds capacity, caps or demand (fast-check)", () => {
  it("holds on random workloads in every mode", () => {
    const appArb = fc.record({
      replicas: fc.integer({ min: 1, max: 6 }),
      cpu: fc.constantFrom(0.5, 1, 2),
      load: fc.constantFrom(
        { pattern: "constant", cores: 3 },
        { pattern: "diurnal", mean: 1, peak: 2.5, period: "30m" },
        { pattern: "bursty", base: 0.2, burst: 6, on: "2m", off: "3m" },
        { pattern: "spikes", base: 0.5, spike: 4, every: "10m", duration: "1m" },
      ),
      noisy: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(appArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 12 }), (apps, cores) => {
        const s = scenario({
          version: 1,
          name: "p",
          replications: 1,
          horizon: "1h",
          hosts: [{ type: "h", count: 2, cores, memory: "512GiB" }],
          apps: apps.map((a, i) => ({ name: `a${i}`, replicas: a.replicas, cpu: a.cpu, memory: "512MiB", load: a.load, ...(a.noisy ? { pressure: { memoryBandwidth: "high" } } : {}) })),
          modes: { bare: {}, container: { limits: true }, vm: { overcommit: { cpu: 4 } }, microvm: { overcommit: { cpu: 4 } } },
        });
        const w = resolveWorkload(s.scenario, s.traces);
        for (const mode of w.modes) {
          const o = runOnce(w, mode, { seed: 1, horizonS: 3600, policy: "first-fit", sampleStepS: 97 }, 0);
          // Slowdown >= 1: nobody gets more work done than it demanded.
          for (const i of o.instances) if (!Number.isNaN(i.slowdown)) expect(i.slowdown).toBeGreaterThanOrEqual(1 - 1e-9);
          expect(o.metrics["cpu.utilization"]!).toBeLessThanOrEqual(1 + 1e-9);
          // At every sample, everything a host's CPU carries fits its cores.
          for (let j = 0; j < o.samples!.rows.length; j++) {
            for (let h = 0; h < o.samples!.hosts.length; h++) {
              const row = hostRow(o.samples!, j, h);
              let total = 0;
              for (let c = 0; c < row.length - 1; c++) total += row[c]!;
              expect(total).toBeLessThanOrEqual(cores * (1 + 1e-9));
            }
          }
        }
      }),
      { numRuns: 40, seed: 77 },
    );
  });
});

describe("interference reproduces xavier13 (a memory-bandwidth stressor next to a sensitive tenant)", () => {
  it.each([
    ["container", 1.88],
    ["bare", 1.88],
    ["vm", 1.009],
    ["microvm", 1.009],
  ])("%s: the victim runs %f times slower", (mode, expected) => {
    const s = scenario({
      version: 1,
      name: "x",
      replications: 1,
      horizon: "1h",
      hosts: [{ type: "h", cores: 16, memory: "64GiB" }],
      apps: [
        { name: "victim", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "constant", cores: 1 } },
        { name: "stressor", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "constant", cores: 2 }, pressure: { memoryBandwidth: "high" } },
      ],
      // Constant start-up steps: both tenants start at the same instant, so the slowdown is exact.
      modes: { [mode]: mode === "vm" || mode === "microvm" ? { vcpus: 4 } : { create: 0, serial: 0 } },
      placement: { policy: "first-fit" },
    });
    const w = resolveWorkload(s.scenario);
    const o = runOnce(w, w.modes[0]!, { seed: 1, horizonS: 3600, policy: "first-fit" }, 0);
    const victim = o.instances.find((i) => i.app === "victim")!;
    expect(victim.slowdown).toBeCloseTo(expected, 9);
  });
});

describe("caps hold while running", () => {
  it("a VM never gets more than its vCPUs: demand 10 cores on 2 vCPUs is served at 2 x (1 - tax)", () => {
    const tax = (findProfile("vm", "kvm-linux") as VmProfile).running.cpuTax.cpu;
    const [vm] = one({ name: "a", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "constant", cores: 10 } }, { vm: {} }, 32, 60);
    expect(vm!.instances[0]!.slowdown).toBeCloseTo(10 / (2 * (1 - tax)), 9);
    // Sampled once running: the app's useful cores and the tax together fill exactly the 2 vCPUs.
    const late = hostRow(vm!.samples!, vm!.samples!.rows.length - 1, 0);
    expect(late[0]! + late[1]!).toBeCloseTo(2 + 0.02, 9);
  });
  it("a process or an unlimited container takes what it demands from an idle host", () => {
    const [bare, container] = one({ name: "a", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "constant", cores: 10 } }, { bare: {}, container: {} }, 32);
    expect(bare!.instances[0]!.slowdown).toBeCloseTo(1, 9);
    expect(container!.instances[0]!.slowdown).toBeCloseTo(1, 9);
  });
});

describe("disk I/O while running (felter15: sequential near native, random 4 KiB under KVM about half)", () => {
  const run = (io: Record<string, unknown>, disk: Record<string, unknown>, modes: Record<string, unknown>, replicas = 2) => {
    const app = { name: "db", replicas, cpu: 1, memory: "2GiB", load: { pattern: "constant", cores: 0.5 }, io };
    const host = [{ type: "h", cores: 16, memory: "64GiB", disk }];
    const s = scenario({ version: 1, name: "io", replications: 1, horizon: "1h", hosts: host, apps: [app], modes });
    const w = resolveWorkload(s.scenario);
    return w.modes.map((m) => runOnce(w, m, { seed: 1, horizonS: 3600, policy: "first-fit" }, 0));
  };
  it("two VMs each doing 150 MB/s of sequential I/O on a 400 MB/s disk each get 150 MB/s (host disk charged once per byte)", () => {
    const outs = run({ disk: "150MB/s" }, { bandwidth: "400MB/s" }, { container: {}, vm: {}, microvm: {} });
    for (const o of outs) for (const i of o.instances) expect(i.slowdown).toBeCloseTo(1, 9);
  });
  it("random 4 KiB I/O under KVM gets half of native IOPS; containers native", () => {
    // One tenant asking for more than the disk gives: 2 GB/s of 4 KiB reads on a 400,000-IOPS disk.
    const [bare, container, vm] = run({ disk: "2GB/s", pattern: "random", size: "4KiB" }, { bandwidth: "2GB/s", iops: 400000 }, { bare: {}, container: {}, vm: {} }, 1);
    const iops = (slowdown: number) => 2e9 / slowdown / 4096;
    expect(iops(bare!.instances[0]!.slowdown)).toBeCloseTo(400000, 0);
    expect(iops(container!.instances[0]!.slowdown)).toBeCloseTo(400000, 0);
    expect(iops(vm!.instances[0]!.slowdown)).toBeCloseTo(200000, 0);
  });
  it("small I/O is bounded by IOPS before bandwidth: two 4 KiB random tenants share 100,000 IOPS", () => {
    // 500 MB/s each of 4 KiB = 122k IOPS each; the disk does 100k IOPS (410 MB/s) however wide its bandwidth.
    const [bare] = run({ disk: "500MB/s", pattern: "random" }, { bandwidth: "4GB/s", iops: 100000 }, { bare: {} });
    const got = bare!.instances.map((i) => 500e6 / i.slowdown / 4096);
    expect(got[0]! + got[1]!).toBeCloseTo(100000, 0);
  });
  it("a VM's I/O costs host CPU per operation (10 us under KVM): 200,000 IOPS take 2 cores of overhead", () => {
    const [bare, vm] = run({ disk: "2GB/s", pattern: "random", size: "4KiB" }, { bandwidth: "2GB/s", iops: 400000 }, { bare: {}, vm: {} }, 1);
    expect(bare!.metrics["cpu.overhead"] ?? 0).toBeLessThan(vm!.metrics["cpu.overhead"] ?? 0);
  });
});

