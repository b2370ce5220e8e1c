/**
 * What one instance of an app costs its host in each mode: CPU committed against the host's
 * cores, memory committed against its memory (split into app, guest OS, hypervisor and runtime
 * parts for the breakdown), OS instances and idle CPU. Per-host costs are in `hostOverhead`.
 */
import { vmOverheadBytes } from "./profiles.js";
import type { App, Mode } from "./workload.js";

export interface Footprint {
  /** CPU counted against (cores - reserve) x overcommit: the request, or whole vCPUs for a VM. */
  readonly cpuCommitCores: number;
  /** Memory counted against the host's usable memory (guest memory divided by the overcommit ratio). */
  readonly memoryCommitBytes: number;
  readonly appBytes: number;
  readonly guestOsBytes: number;
  readonly hypervisorBytes: number;
  readonly runtimeBytes: number;
  readonly vcpus: number;
  readonly osInstances: number;
  readonly idleCpuCores: number;
}

export function footprint(app: App, mode: Mode): Footprint {
  const p = mode.profile;
  switch (p.kind) {
    case "bare":
      return simple(app, 0);
    case "container": {
      const base = simple(app, p.shim.memoryBytes);
      if (!p.utilityVm) return base;
      // Hyper-V isolation: each container runs in a utility VM, an OS instance of its own (winsrv).
      return {
        ...base,
        memoryCommitBytes: base.memoryCommitBytes + p.utilityVm.memoryBytes,
        guestOsBytes: p.utilityVm.memoryBytes,
        osInstances: 1,
        idleCpuCores: p.utilityVm.idleCpuCores,
      };
    }
    case "vm":
    case "microvm": {
      const vcpus = mode.vcpus === "auto" ? Math.max(1, Math.ceil(app.cpuCores - 1e-9)) : mode.vcpus;
      const guestBytes = app.memoryBytes + p.guestOs.memoryBytes;
      const hypervisorBytes = vmOverheadBytes(p.hypervisor, vcpus, guestBytes);
      return {
        cpuCommitCores: vcpus,
        memoryCommitBytes: guestBytes / mode.overcommitMemory + hypervisorBytes,
        appBytes: app.memoryBytes,
        guestOsBytes: p.guestOs.memoryBytes,
        hypervisorBytes,
        runtimeBytes: 0,
        vcpus,
        osInstances: 1,
        idleCpuCores: p.guestOs.idleCpuCores,
      };
    }
  }
}

function simple(app: App, runtimeBytes: number): Footprint {
  return {
    cpuCommitCores: app.cpuCores,
    memoryCommitBytes: app.memoryBytes + runtimeBytes,
    appBytes: app.memoryBytes,
    guestOsBytes: 0,
    hypervisorBytes: 0,
    runtimeBytes,
    vcpus: 0,
    osInstances: 0,
    idleCpuCores: 0,
  };
}

/** Memory a mode takes on every host before any instance: engine daemons or the hypervisor's own. */
export function hostOverhead(mode: Mode): { readonly runtimeBytes: number; readonly hypervisorBytes: number } {
  const p = mode.profile;
  if (p.kind === "container") return { runtimeBytes: p.engine.memoryBytes, hypervisorBytes: 0 };
  if (p.kind === "vm" || p.kind === "microvm") return { runtimeBytes: 0, hypervisorBytes: p.hypervisor.perHostBytes };
  return { runtimeBytes: 0, hypervisorBytes: 0 };
}
