/**
 * What one run of one mode used, as the cost layer sees it: the cluster's hosts (in cluster order)
 * with their OS instances and average utilisation, and the mode. Plain data; SI units.
 */
import type { ModeKind, OsFamily } from "../model/profiles.js";

/** Guest OS instances (VM or microVM) on a host, by OS family. */
export interface GuestCounts {
  readonly linux: number;
  readonly windows: number;
}

export interface HostUsage {
  readonly name: string;
  /** Physical cores of the whole host (all sockets together). */
  readonly cores: number;
  readonly sockets: number;
  /** Ran anything during the run; hosts left empty are dropped unless `countIdleHosts`. */
  readonly used: boolean;
  /** Time-average CPU utilisation over the horizon, 0..1 (drives power draw). */
  readonly cpuUtilization: number;
  /** VM or microVM guest OS instances on it (at their peak or at the end: the caller decides). */
  readonly guests: GuestCounts;
  /** OS family of the host OS (for a hypervisor host: the family the caller licenses it as). */
  readonly hostOs: OsFamily;
  readonly containers: number;
  /**
   * Instances of each app on the host at its peak, with the cores one instance is licensed by:
   * its vCPUs (VM), its CPU rounded up (container), or "physical" when it runs in the host's own
   * OS (bare). Only app-scoped licences (SQL Server) read it; absent: none.
   */
  readonly apps?: readonly AppUsage[];
}

export interface AppUsage {
  readonly name: string;
  readonly instances: number;
  readonly cores: number | "physical";
}

export interface ModeRef {
  readonly name: string;
  readonly kind: ModeKind;
}

/** One licence rule's share of a mode's monthly cost, with the arithmetic spelled out. */
export interface RuleCost {
  readonly name: string;
  /** USD per month. */
  readonly monthly: number;
  readonly detail: string;
}

/** Throws on data no scenario can produce: a bug upstream, not a user error. */
export function checkHostUsage(h: HostUsage): void {
  const bad = (what: string): never => {
    throw new RangeError(`cost: host ${h.name}: ${what}`);
  };
  if (!(h.cores > 0) || !Number.isFinite(h.cores)) bad(`cores must be positive, got ${h.cores}`);
  if (!Number.isInteger(h.sockets) || h.sockets < 1) bad(`sockets must be a positive integer, got ${h.sockets}`);
  if (!(h.cpuUtilization >= 0 && h.cpuUtilization <= 1)) bad(`cpuUtilization must be in 0..1, got ${h.cpuUtilization}`);
  for (const [k, v] of [
    ["guests.linux", h.guests.linux],
    ["guests.windows", h.guests.windows],
    ["containers", h.containers],
  ] as const)
    if (!Number.isInteger(v) || v < 0) bad(`${k} must be a non-negative integer, got ${v}`);
}

/** The hosts a mode pays for: those it used, or all of them when idle hosts are counted too. */
export function countedHosts(hosts: readonly HostUsage[], countIdleHosts: boolean): HostUsage[] {
  return hosts.filter((h) => h.used || countIdleHosts);
}
