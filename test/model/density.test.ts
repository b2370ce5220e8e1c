import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce, runExperiment } from "../../sim/experiment/index.js";
import { findProfile, vmOverheadBytes, type VmProfile, type ContainerProfile } from "../../sim/model/index.js";
import { GiB, MiB, scenario } from "../helpers/scenario.js";

/** One host, one app of `n` replicas, one mode; returns instances placed. */
function placed(opts: { memory: number; reserve: number; n: number; appMemory: number; cpu: number; mode: Record<string, unknown> }): number {
  const s = scenario({
    version: 1,
    name: "t",
    replications: 1,
    hosts: [{ type: "h", cores: 1024, memory: opts.memory, reserved: { memory: opts.reserve } }],
    apps: [{ name: "a", replicas: opts.n, cpu: opts.cpu, memory: opts.appMemory }],
    modes: opts.mode,
  });
  const w = resolveWorkload(s.scenario);
  const out = runOnce(w, w.modes[0]!, { seed: 1, horizonS: 3600, policy: "first-fit" }, 0);
  return out.metrics["instances.placed"]!;
}

const fl = (x: number): number => Math.floor(x + 1e-9);

describe("density by hand: one host, N identical instances", () => {
  const cases = [
    { memory: 64 * GiB, reserve: 4 * GiB, n: 100, appMemory: 1 * GiB, cpu: 1 },
    { memory: 256 * GiB, reserve: 8 * GiB, n: 500, appMemory: 768 * MiB, cpu: 0.5 },
    { memory: 128 * GiB, reserve: 2 * GiB, n: 10, appMemory: 3 * GiB, cpu: 2.5 },
    { memory: 512 * GiB, reserve: 16 * GiB, n: 1000, appMemory: 6 * GiB, cpu: 4 },
    { memory: 32 * GiB, reserve: 1 * GiB, n: 3000, appMemory: 64 * MiB, cpu: 0.1 },
  ];
  for (const vmProfile of ["kvm-linux", "vmware-linux"] as const) {
    for (const c of cases) {
      it(`${vmProfile}: M=${c.memory / GiB}GiB R=${c.reserve / GiB}GiB app=${c.appMemory / MiB}MiB cpu=${c.cpu}`, () => {
        const p = findProfile("vm", vmProfile) as VmProfile;
        const v = Math.ceil(c.cpu);
        const G = c.appMemory + p.guestOs.memoryBytes;
        const expected = Math.min(c.n, fl((c.memory - c.reserve - p.hypervisor.perHostBytes) / (G + vmOverheadBytes(p.hypervisor, v, G))));
        expect(expected).toBeGreaterThan(0);
        expect(placed({ ...c, mode: { vm: { profile: vmProfile } } })).toBe(expected);
      });
    }
  }
  for (const c of cases) {
    it(`fixed vCPUs and guest OS override: v=3, guest OS 1GiB, M=${c.memory / GiB}GiB`, () => {
      const p = findProfile("vm", "kvm-linux") as VmProfile;
      const G = c.appMemory + 1 * GiB;
      const expected = Math.min(c.n, fl((c.memory - c.reserve - p.hypervisor.perHostBytes) / (G + vmOverheadBytes(p.hypervisor, 3, G))));
      expect(placed({ ...c, mode: { vm: { vcpus: 3, guestOs: { memory: "1GiB" } } } })).toBe(expected);
    });
    it(`firecracker microVMs: M=${c.memory / GiB}GiB app=${c.appMemory / MiB}MiB`, () => {
      const p = findProfile("microvm", "firecracker") as VmProfile;
      const v = Math.ceil(c.cpu);
      const G = c.appMemory + p.guestOs.memoryBytes;
      const expected = Math.min(c.n, fl((c.memory - c.reserve - p.hypervisor.perHostBytes) / (G + vmOverheadBytes(p.hypervisor, v, G))));
      expect(placed({ ...c, mode: { microvm: {} } })).toBe(expected);
    });
    it(`docker containers: M=${c.memory / GiB}GiB app=${c.appMemory / MiB}MiB`, () => {
      const p = findProfile("container", "docker") as ContainerProfile;
      const expected = Math.min(c.n, fl((c.memory - c.reserve - p.engine.memoryBytes) / (c.appMemory + p.shim.memoryBytes)));
      expect(placed({ ...c, mode: { container: {} } })).toBe(expected);
    });
    it(`bare processes: M=${c.memory / GiB}GiB app=${c.appMemory / MiB}MiB`, () => {
      expect(placed({ ...c, mode: { bare: {} } })).toBe(Math.min(c.n, fl((c.memory - c.reserve) / c.appMemory)));
    });
  }

  it("CPU binds when memory does not: VMs commit whole vCPUs, containers their request", () => {
    const s = scenario({
      version: 1,
      name: "t",
      replications: 1,
      hosts: [{ type: "h", cores: 17, memory: "1TiB", reserved: { cores: 1 } }],
      apps: [{ name: "a", replicas: 100, cpu: 0.6, memory: "256MiB" }],
      modes: { container: {}, vm: {}, vm2: { kind: "vm", overcommit: { cpu: 2 } } },
    });
    const r = runExperiment(s).results;
    expect(r.modes.container!.summary["instances.placed"]!.mean).toBe(26); // floor(16 / 0.6)
    expect(r.modes.vm!.summary["instances.placed"]!.mean).toBe(16); // 16 cores, 1 vCPU each
    expect(r.modes.vm2!.summary["instances.placed"]!.mean).toBe(32);
    expect(r.modes.vm!.runs[0]!.rejections[0]!.reason).toBe("0/1 host: 1 insufficient cpu");
  });

  it("memory overcommit counts guest memory divided by the ratio", () => {
    const base = { memory: 64 * GiB, reserve: 0, n: 1000, appMemory: 1536 * MiB, cpu: 1 };
    const p = findProfile("vm", "kvm-linux") as VmProfile;
    const G = base.appMemory + p.guestOs.memoryBytes;
    const oh = vmOverheadBytes(p.hypervisor, 1, G);
    const expected = fl((base.memory - p.hypervisor.perHostBytes) / (G / 1.5 + oh));
    expect(placed({ ...base, mode: { vm: { overcommit: { memory: 1.5 } } } })).toBe(expected);
    expect(expected).toBeGreaterThan(fl((base.memory - p.hypervisor.perHostBytes) / (G + oh)));
  });
});
