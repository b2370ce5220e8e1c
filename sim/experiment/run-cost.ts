/** What one run of one mode costs per month: the hosts it used, their OS instances licensed and patched. */
import { monthlyCost, type CostBreakdown, type HostUsage } from "../cost/index.js";
import type { Host, Mode } from "../model/index.js";
import type { Workload } from "./resolve.js";

/** What the hosts the run used cost per month, with their OS instances licensed and patched. */
export function costOf(w: Workload, mode: Mode, hosts: readonly Host[], utilization: (h: Host) => number): CostBreakdown {
  const p = mode.profile;
  const usage: HostUsage[] = hosts.map((h) => ({
    name: h.name,
    cores: h.spec.cores,
    sockets: h.spec.sockets,
    used: h.everUsed,
    cpuUtilization: utilization(h),
    guests: { linux: h.peakGuests.linux, windows: h.peakGuests.windows },
    hostOs: p.kind === "vm" || p.kind === "microvm" ? p.hostOs : (h.hostOs ?? "linux"),
    containers: mode.kind === "container" ? h.peakInstances : 0,
  }));
  return monthlyCost({
    hosts: usage,
    mode: { name: mode.name, kind: mode.kind },
    hostCost: w.cost.hostCosts,
    licences: w.cost.licences,
    operations: w.cost.operations,
    countIdleHosts: w.cost.countIdleHosts,
  });
}
