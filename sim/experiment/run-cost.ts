/** What one run of one mode costs per month: the hosts it used, their OS instances licensed and patched. */
import { monthlyCost, type CostBreakdown, type HostUsage } from "../cost/index.js";
import type { Mode } from "../model/index.js";
import type { Workload } from "./resolve.js";
import { utilizationOf, type HostReport } from "./run-metrics.js";

/**
 * The cores one instance is licensed by (per-core app licences): a VM's vCPUs, a container's CPU
 * request rounded up (as if run with --cpus; judgement), or the host's physical cores for a process.
 */
function licensedCoresOf(mode: Mode, cpuCores: number): number | "physical" {
  const whole = Math.max(1, Math.ceil(cpuCores - 1e-9));
  if (mode.kind === "vm" || mode.kind === "microvm") return mode.vcpus === "auto" ? whole : mode.vcpus;
  if (mode.kind === "container") return whole;
  return "physical";
}

/** What the hosts the run used cost per month, with their OS instances licensed and patched. */
export function costOf(w: Workload, mode: Mode, hosts: readonly HostReport[], horizonS: number, guestOsInstances?: number): CostBreakdown {
  const p = mode.profile;
  const usage: HostUsage[] = hosts.map((h) => ({
    name: h.name,
    cores: h.spec.cores,
    sockets: h.spec.sockets,
    // Failover reserve hosts are paid for whether or not a failure put them to use.
    used: h.everUsed || h.reserveHost,
    cpuUtilization: utilizationOf(h, horizonS),
    guests: { linux: h.peakGuests.linux, windows: h.peakGuests.windows },
    hostOs: p.kind === "vm" || p.kind === "microvm" ? p.hostOs : (h.hostOs ?? "linux"),
    containers: mode.kind === "container" ? h.peakInstances : 0,
    apps: w.apps.flatMap((a, k) => (h.peaks[k]! > 0 ? [{ name: a.name, instances: h.peaks[k]!, cores: licensedCoresOf(mode, a.cpuCores) }] : [])),
  }));
  return monthlyCost({
    hosts: usage,
    mode: { name: mode.name, kind: mode.kind },
    hostCost: w.cost.hostCosts,
    licences: w.cost.licences,
    operations: w.cost.operations,
    countIdleHosts: w.cost.countIdleHosts,
    guestOsInstances,
  });
}
