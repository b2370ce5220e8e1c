import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveWorkload, resultsJson, runExperiment, runOnce } from "../../sim/experiment/index.js";
import { footprint, hostOverhead } from "../../sim/model/index.js";
import { PLACEMENT_POLICIES } from "../../sim/scenario/index.js";
import { scenario } from "../helpers/scenario.js";

const MiB = 2 ** 20;

const appArb = fc.record({
  replicas: fc.integer({ min: 0, max: 30 }),
  cpu: fc.constantFrom(0.1, 0.25, 0.5, 1, 1.5, 2, 3.7, 8),
  memoryMiB: fc.integer({ min: 16, max: 24 * 1024 }),
  runtime: fc.constantFrom(undefined, "java@8", "java@11", "java@17", "dotnet@8", "python@3.11"),
  os: fc.constantFrom("linux", "linux", "linux", "windows"),
  ports: fc.subarray([80, 443, 8080]),
  publish: fc.subarray([80, 443]),
  image: fc.constantFrom(undefined, "java", "python", "app1", "app2"),
  init: fc.constantFrom(0, 1, "4s", { dist: "exponential", mean: "3s" }),
});

const hostArb = fc.record({
  count: fc.integer({ min: 1, max: 4 }),
  cores: fc.integer({ min: 3, max: 96 }),
  memoryGiB: fc.integer({ min: 4, max: 512 }),
  reservedCores: fc.constantFrom(0, 1, 2),
  reservedGiB: fc.constantFrom(0, 1, 2),
});

const scenarioArb = fc.record({
  hosts: fc.array(hostArb, { minLength: 1, maxLength: 3 }),
  apps: fc.array(appArb, { minLength: 1, maxLength: 5 }),
  policy: fc.constantFrom(...PLACEMENT_POLICIES),
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  windowsVms: fc.boolean(),
});

type Gen = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function build(g: Gen) {
  // VM profiles run one guest family, so the VM modes follow the apps' OS mix.
  const anyWindows = g.apps.some((a) => a.os === "windows");
  const apps = g.apps.map((a, i) => ({
    name: `app${i}`,
    replicas: a.replicas,
    cpu: a.cpu,
    memory: `${a.memoryMiB}MiB`,
    ...(a.runtime ? { runtime: a.runtime } : {}),
    os: anyWindows && g.windowsVms ? "windows" : a.os === "windows" && !g.windowsVms ? "linux" : a.os,
    ports: a.ports,
    publish: a.publish,
    ...(a.image ? { image: a.image } : {}),
    init: a.init,
  }));
  const windows = apps.some((a) => a.os === "windows");
  return scenario({
    version: 1,
    name: "prop",
    seed: g.seed,
    replications: 2,
    hosts: g.hosts.map((h, i) => ({
      type: `t${i}`,
      count: h.count,
      cores: h.cores,
      memory: `${h.memoryGiB}GiB`,
      reserved: { cores: h.reservedCores, memory: `${h.reservedGiB}GiB` },
    })),
    images: {
      base: { layers: [{ digest: "debian", size: "48MiB" }] },
      java: { from: "base", layers: [{ digest: "jre", size: "140MiB" }] },
      python: { from: "base", layers: [{ digest: "py", size: "50MiB" }] },
      app1: { from: "java", layers: [{ digest: "a1", size: "30MiB" }] },
      app2: { from: "python", layers: [{ digest: "a2", size: "300MiB" }] },
    },
    apps,
    modes: windows
      ? { bare: {}, container: { profile: "windows-process", create: { dist: "exponential", mean: "500ms" } }, vm: { profile: "hyperv-windows" } }
      : {
          bare: {},
          container: { create: { dist: "lognormal", mean: "600ms", sd: "200ms" } },
          vm: { boot: { work: { dist: "uniform", min: "3s", max: "5s" } } },
          microvm: {},
          "vm-vmware": { kind: "vm", profile: "vmware-linux" },
        },
    placement: { policy: g.policy },
  });
}

describe("invariants over random workloads (fast-check)", () => {
  it("without overcommit no host's committed CPU or memory exceeds its capacity; every instance is placed or rejected with a reason", () => {
    fc.assert(
      fc.property(scenarioArb, (g) => {
        const s = build(g);
        const w = resolveWorkload(s.scenario);
        for (const mode of w.modes) {
          const out = runOnce(w, mode, { seed: g.seed, horizonS: 3600, policy: s.scenario.placement.policy }, 0);
          const requested = w.apps.reduce((n, a) => n + a.replicas, 0);
          expect(out.instances.length).toBe(requested);
          const perHost = new Map<string, { cpu: number; mem: number }>();
          for (const inst of out.instances) {
            // Exactly one of: a host, or a reason naming every host.
            expect(inst.host === undefined).toBe(inst.reason !== undefined);
            if (inst.reason !== undefined) expect(inst.reason).toMatch(new RegExp(`^0/${w.hostNames.length} hosts?: \\d+ `));
            if (inst.host === undefined) continue;
            const app = w.apps.find((a) => a.name === inst.app)!;
            const fp = footprint(app, mode);
            const acc = perHost.get(inst.host) ?? { cpu: 0, mem: 0 };
            acc.cpu += fp.cpuCommitCores;
            acc.mem += fp.memoryCommitBytes;
            perHost.set(inst.host, acc);
          }
          let hostIndex = 0;
          for (const t of w.hostTypes) {
            for (let i = 0; i < t.count; i++, hostIndex++) {
              const acc = perHost.get(w.hostNames[hostIndex]!) ?? { cpu: 0, mem: 0 };
              const base = hostOverhead(mode);
              const memCap = t.memoryBytes - t.reservedMemoryBytes - base.runtimeBytes - base.hypervisorBytes;
              expect(acc.mem).toBeLessThanOrEqual(memCap * (1 + 1e-9));
              expect(acc.cpu).toBeLessThanOrEqual((t.cores - t.reservedCores) * (1 + 1e-9));
            }
          }
          expect(out.metrics["instances.placed"]! + out.metrics["instances.rejected"]!).toBe(requested);
          // The memory breakdown accounts for every byte of the cluster.
          const parts = ["memory.app", "memory.guestOs", "memory.hypervisor", "memory.runtime", "memory.reserved", "memory.free"];
          const total = w.hostTypes.reduce((n, t) => n + t.count * t.memoryBytes, 0);
          expect(parts.reduce((n, p) => n + out.metrics[p]!, 0)).toBeCloseTo(total, -3);
          expect(out.metrics["memory.free"]!).toBeGreaterThanOrEqual(-MiB);
        }
      }),
      { numRuns: 150, seed: 20261128 },
    );
  });

  it("the same scenario and seed give byte-identical results.json", () => {
    fc.assert(
      fc.property(scenarioArb, (g) => {
        const a = resultsJson(runExperiment(build(g)).results);
        const b = resultsJson(runExperiment(build(g)).results);
        expect(a).toBe(b);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
