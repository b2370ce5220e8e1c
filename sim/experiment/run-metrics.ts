/**
 * A run's metrics, read off its hosts, instances and flows at the horizon, in the contract's
 * order (METRICS); per app too (APP_METRICS).
 */
import { quantileSorted } from "simple-statistics";
import type { CostBreakdown } from "../cost/index.js";
import { STARTUP_PHASES, type Host } from "../model/index.js";
import { APP_METRICS, METRICS, type MetricName, type Rejection } from "./results.js";
import type { InstanceRecord } from "./run.js";

const ascending = (xs: number[]): number[] => xs.sort((a, b) => a - b);
const quantile = (sorted: readonly number[], p: number): number => (sorted.length ? quantileSorted(sorted as number[], p) : 0);
const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Request-to-ready seconds of the instances that became ready, ascending. */
export const latenciesOf = (xs: readonly InstanceRecord[]): number[] =>
  ascending(xs.filter((i) => !Number.isNaN(i.readyAt)).map((i) => i.readyAt - i.requestedAt));

/** Slowdowns of the instances that ran, ascending. */
export const slowdownsOf = (xs: readonly InstanceRecord[]): number[] =>
  ascending(xs.filter((i) => !Number.isNaN(i.slowdown)).map((i) => i.slowdown));

export function appMetrics(mine: readonly InstanceRecord[]): Record<(typeof APP_METRICS)[number], number> {
  const slowdowns = slowdownsOf(mine);
  const latencies = latenciesOf(mine.filter((i) => i.kind === "service"));
  const done = mine.filter((i) => i.kind === "job" && !Number.isNaN(i.doneAt));
  return {
    "instances.placed": mine.filter((i) => i.kind === "service" && i.host !== undefined).length,
    "startup.p95": quantile(latencies, 0.95),
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": quantile(slowdowns, 0.99),
    "jobs.completed": done.length,
    "jobs.turnaround.mean": mean(done.map((j) => j.doneAt - j.requestedAt)),
  };
}

export interface CpuTotals {
  readonly horizonS: number;
  readonly cpuUsed: number;
  readonly cpuCapacity: number;
  readonly overheadCoreSeconds: number;
  readonly oomKills: number;
  readonly swapSeconds: number;
  readonly cost: CostBreakdown;
}

export function metricsOf(
  hosts: readonly Host[],
  all: readonly InstanceRecord[],
  pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number },
  cpu: CpuTotals,
): Record<MetricName, number> {
  const instances = all.filter((i) => i.kind === "service");
  const jobs = all.filter((i) => i.kind === "job");
  const placed = instances.filter((i) => i.host !== undefined).length;
  const used = hosts.filter((h) => h.everUsed);
  const latencies = latenciesOf(instances);
  const slowdowns = slowdownsOf(instances);
  const done = jobs.filter((j) => !Number.isNaN(j.doneAt));
  const turnaround = ascending(done.map((j) => j.doneAt - j.requestedAt));
  // Little's law needs the time-average number in the system: each job counts from arrival to completion (or the horizon).
  const jobSeconds = jobs.reduce((acc, j) => acc + ((Number.isNaN(j.doneAt) ? cpu.horizonS : j.doneAt) - j.requestedAt), 0);
  const sum = (f: (h: Host) => number): number => hosts.reduce((acc, h) => acc + f(h), 0);
  const totalMemory = sum((h) => h.spec.memoryBytes);
  const m: Record<MetricName, number> = {
    "instances.requested": instances.length,
    "instances.placed": placed,
    "instances.rejected": instances.filter((i) => i.reason !== undefined).length,
    "hosts.used": used.length,
    "density.perHost": used.length ? placed / used.length : 0,
    "startup.mean": mean(latencies),
    "startup.p50": quantile(latencies, 0.5),
    "startup.p95": quantile(latencies, 0.95),
    "startup.p99": quantile(latencies, 0.99),
    "startup.max": latencies.length ? (latencies[latencies.length - 1] as number) : 0,
    "startup.allReady": instances.reduce((acc, i) => (Number.isNaN(i.readyAt) ? acc : Math.max(acc, i.readyAt)), 0),
    ...phaseMeans(instances),
    "pull.bytes": pulls.bytes,
    "pull.cacheHitRatio": pulls.requests > 0 ? 1 - pulls.downloads / pulls.requests : 0,
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": quantile(slowdowns, 0.99),
    "cpu.utilization": cpu.cpuCapacity > 0 && cpu.horizonS > 0 ? cpu.cpuUsed / (cpu.cpuCapacity * cpu.horizonS) : 0,
    "jobs.arrived": jobs.length,
    "jobs.completed": done.length,
    "jobs.turnaround.mean": mean(turnaround),
    "jobs.turnaround.p95": quantile(turnaround, 0.95),
    "jobs.inSystem.mean": cpu.horizonS > 0 ? jobSeconds / cpu.horizonS : 0,
    "memory.app": sum((h) => h.appBytes),
    "memory.guestOs": sum((h) => h.guestOsBytes),
    "memory.hypervisor": sum((h) => h.hypervisorBytes + h.baseHypervisorBytes),
    "memory.runtime": sum((h) => h.runtimeBytes + h.baseRuntimeBytes),
    "memory.reserved": sum((h) => h.spec.reservedMemoryBytes),
    "memory.free": 0,
    "cpu.committed": sum((h) => h.cpuCommittedCores),
    "cpu.overhead": cpu.horizonS > 0 ? cpu.overheadCoreSeconds / cpu.horizonS : 0,
    osInstances: used.length + sum((h) => h.osInstances),
    oomKills: cpu.oomKills,
    swapSeconds: cpu.swapSeconds,
    "cost.monthly.total": cpu.cost.total,
    "cost.monthly.hosts": cpu.cost.hosts,
    "cost.monthly.licenses": cpu.cost.licenses,
    "cost.monthly.operations": cpu.cost.operations,
    "cost.perInstance": placed > 0 ? cpu.cost.total / placed : 0,
  };
  m["memory.free"] =
    totalMemory - m["memory.app"] - m["memory.guestOs"] - m["memory.hypervisor"] - m["memory.runtime"] - m["memory.reserved"];
  // Emit in the contract's order, whatever order the literal above was written in.
  return Object.fromEntries(METRICS.map((k) => [k, m[k]])) as Record<MetricName, number>;
}

/** Mean seconds per phase over the instances that became ready. */
function phaseMeans(instances: readonly InstanceRecord[]): Record<`startup.phase.${(typeof STARTUP_PHASES)[number]}`, number> {
  const ready = instances.filter((i) => !Number.isNaN(i.readyAt));
  const mean = (p: number): number => (ready.length ? ready.reduce((acc, i) => acc + (i.phases[p] as number), 0) / ready.length : 0);
  return Object.fromEntries(STARTUP_PHASES.map((name, p) => [`startup.phase.${name}`, mean(p)])) as Record<
    `startup.phase.${(typeof STARTUP_PHASES)[number]}`,
    number
  >;
}

export function groupRejections(instances: readonly InstanceRecord[]): Rejection[] {
  const groups = new Map<string, { app: string; reason: string; count: number }>();
  for (const i of instances) {
    if (i.reason === undefined) continue;
    const key = `${i.app}\u0000${i.reason}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { app: i.app, reason: i.reason, count: 1 });
  }
  // Insertion order follows request order, which is deterministic.
  return [...groups.values()].map((g) => ({ app: g.app, count: g.count, reason: g.reason }));
}
