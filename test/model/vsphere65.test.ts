import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce } from "../../sim/experiment/index.js";
import { findProfile, VSPHERE65_CELLS, vmOverheadBytes, type VmProfile } from "../../sim/model/index.js";
import { MiB, scenario } from "../helpers/scenario.js";

describe("vmware-linux overhead model against vsphere65", () => {
  const p = findProfile("vm", "vmware-linux") as VmProfile;
  for (const [vcpus, guestMiB, overheadMiB] of VSPHERE65_CELLS) {
    it(`${vcpus} vCPU, ${guestMiB} MiB guest -> ${overheadMiB} MiB within 2%`, () => {
      const model = vmOverheadBytes(p.hypervisor, vcpus, guestMiB * MiB) / MiB;
      expect(Math.abs(model - overheadMiB) / overheadMiB).toBeLessThan(0.02);
    });
  }

  it("the cells are the published ones (docs/calibration.md vsphere65)", () => {
    expect(VSPHERE65_CELLS).toEqual([
      [1, 256, 20.29],
      [1, 1024, 25.9],
      [1, 4096, 48.64],
      [1, 16384, 139.62],
      [2, 256, 24.28],
      [4, 256, 32.23],
      [8, 256, 48.16],
    ]);
  });

  it("memory.hypervisor grows by exactly the per-VM overhead for each added VM", () => {
    const run = (replicas: number): number => {
      const s = scenario({
        version: 1,
        name: "t",
        replications: 1,
        hosts: [{ type: "h", cores: 64, memory: "512GiB" }],
        apps: [{ name: "a", replicas, cpu: 2, memory: "3GiB" }],
        modes: { vm: { profile: "vmware-linux" } },
      });
      const w = resolveWorkload(s.scenario);
      return runOnce(w, w.modes[0]!, { seed: 1, horizonS: 60, policy: "best-fit" }, 0).metrics["memory.hypervisor"]!;
    };
    const guest = 3 * 1024 * MiB + p.guestOs.memoryBytes;
    const perVm = vmOverheadBytes(p.hypervisor, 2, guest);
    for (const n of [1, 2, 5, 9]) expect(run(n + 1) - run(n)).toBeCloseTo(perVm, 3);
    expect(run(4)).toBeCloseTo(4 * perVm + p.hypervisor.perHostBytes, 3);
  });
});
