/**
 * A run's metrics, read off its hosts, instances and flows at the horizon, in the contract's
 * order (METRICS); per app too (APP_METRICS). A metric with no value (a percentile of nothing, a
 * ratio over nothing) is left out rather than written as 0: "nothing ran" is not "no slowdown".
 */
import { quantileSorted } from "simple-statistics";
import type { CostBreakdown } from "../cost/index.js";
import { STARTUP_PHASES, type Host } from "../model/index.js";
import { APP_METRICS, METRICS, type MetricName, type Rejection } from "./results.js";
import type { InstanceRecord } from "./run.js";
import type { JobAppFigures, JobFigures } from "./jobs.js";
import { digestCount, quantileOf, type SampleDigest } from "./sample-digest.js";

const ascending = (xs: number[]): number[] => xs.sort((a, b) => a - b);
/** No value (undefined) for an empty sample. */
const quantile = (sorted: readonly number[], p: number): number | undefined => (sorted.length ? quantileSorted(sorted as number[], p) : undefined);
const mean = (xs: readonly number[]): number | undefined => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
/** A ratio with no value when the denominator is 0. */
const ratio = (a: number, b: number): number | undefined => (b > 0 ? a / b : undefined);

/** Metrics in `order`, leaving out those without a value. */
function defined<K extends string>(order: readonly K[], m: Record<K, number | undefined>): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of order) {
    const v = m[k];
    if (v !== undefined && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** An app exerts no pressure on its neighbours when every pressure level is none (or absent). */
export const isNoisy = (app: { readonly pressure: { readonly memoryBandwidth: number; readonly disk: number } }): boolean =>
  app.pressure.memoryBandwidth > 0 || app.pressure.disk > 0;

/** Request-to-ready seconds of the instances that became ready, ascending. */
export const latenciesOf = (xs: readonly InstanceRecord[]): number[] =>
  ascending(xs.filter((i) => !Number.isNaN(i.readyAt)).map((i) => i.readyAt - i.requestedAt));

/** Slowdowns of the instances that ran, ascending. */
export const slowdownsOf = (xs: readonly InstanceRecord[]): number[] =>
  ascending(xs.filter((i) => !Number.isNaN(i.slowdown)).map((i) => i.slowdown));

/**
 * The mean of a digested sample: summed in ascending order when every value is kept (as the mean
 * of the sorted values always was), else the running sum over the count (exact, summed as added).
 */
const digestMean = (d: SampleDigest): number | undefined =>
  d.kind === "exact" ? mean(d.values as unknown as number[]) : digestCount(d) > 0 ? d.sum / d.count : undefined;

/**
 * One app's metrics: `mine` its service instances' records, `oomKills` the kills of its
 * instances, `jobs` its jobs' figures (a job app).
 */
export function appMetrics(mine: readonly InstanceRecord[], oomKills: number, jobs?: JobAppFigures, horizonS?: number): Partial<Record<(typeof APP_METRICS)[number], number>> {
  const slowdowns = slowdownsOf(mine);
  const latencies = latenciesOf(mine.filter((i) => i.kind === "service"));
  const turnaround = jobs?.turnaround ?? { kind: "exact", values: new Float64Array(0) };
  return defined(APP_METRICS, {
    "instances.placed": mine.filter((i) => i.kind === "service" && i.host !== undefined).length,
    "instances.rejected": mine.filter((i) => i.kind === "service" && i.reason !== undefined).length,
    "startup.p50": quantile(latencies, 0.5),
    "startup.p95": quantile(latencies, 0.95),
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": quantile(slowdowns, 0.99),
    oomKills,
    "jobs.completed": jobs?.completed ?? 0,
    "jobs.turnaround.mean": digestMean(turnaround),
    "jobs.turnaround.p95": quantileOf(turnaround, 0.95),
    availability: horizonS === undefined ? undefined : availabilityOf(mine, horizonS),
  });
}

export interface CpuTotals {
  readonly horizonS: number;
  readonly cpuUsed: number;
  readonly cpuCapacity: number;
  readonly overheadCoreSeconds: number;
  readonly oomKills: number;
  readonly swapSeconds: number;
  readonly cost: CostBreakdown;
  /** Names of the apps that press on their neighbours (`isNoisy`): their instances are the noisy ones, the others the victims. */
  readonly noisyApps: ReadonlySet<string>;
  readonly failures?: FailureTotals;
  /** Absent when the scenario has no maintenance: its metrics are then left out. */
  readonly maintenance?: MaintenanceTotals;
}

/** What planned maintenance did in a run (MaintenanceAccount, RollingPatch). */
export interface MaintenanceTotals {
  /** Each host-patch round that finished within the horizon: seconds from its first drain to its last host back. */
  readonly windowsS: readonly number[];
  readonly hostSeconds: number;
  readonly drained: number;
  readonly unplaced: number;
  readonly migrations: number;
  readonly nonConverged: number;
  readonly migrationBytes: number;
  /** Stop-and-copy pauses of the live migrations, ascending. */
  readonly pausesS: readonly number[];
  readonly guestReboots: number;
}

/** What host failures did in a run (FailureAccount). */
export interface FailureTotals {
  readonly hosts: number;
  readonly instancesLost: number;
  /** Jobs starting or running on a failed host: queued again, their work lost. */
  readonly jobsLost: number;
  readonly notRecovered: number;
  /** Per failure whose lost instances all came back: seconds until the last was ready, ascending. */
  readonly recoveryTimesS: readonly number[];
  /** The mode's detection delay: seconds from a failure until its lost instances are placed again. */
  readonly detectS: number;
  /** USD per month of host cost held back as failover reserve. */
  readonly reserveMonthly: number;
}

/**
 * Share of replica-time ready: 1 - seconds down (to host failures and to planned maintenance) / seconds since each placed
 * service replica was first requested. Start-up and rejected replicas are not counted here.
 */
export function availabilityOf(services: readonly InstanceRecord[], horizonS: number): number | undefined {
  let replicaS = 0;
  let downS = 0;
  for (const i of services) {
    if (i.kind !== "service" || i.host === undefined || Number.isNaN(i.requestedAt)) continue;
    replicaS += horizonS - i.requestedAt;
    downS += i.downS + i.maintenanceDownS;
  }
  return replicaS > 0 ? Math.min(1, Math.max(0, 1 - downS / replicaS)) : undefined;
}

/** A run's metrics: `all` the services' records (any job records among them are left out), `jobs` the jobs' figures. */
export function metricsOf(
  hosts: readonly Host[],
  all: readonly InstanceRecord[],
  jobs: JobFigures,
  pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number },
  cpu: CpuTotals,
): Partial<Record<MetricName, number>> {
  const instances = all.filter((i) => i.kind === "service");
  const placed = instances.filter((i) => i.host !== undefined).length;
  const used = hosts.filter((h) => h.everUsed);
  const latencies = latenciesOf(instances);
  const slowdowns = slowdownsOf(instances);
  const victims = slowdownsOf(instances.filter((i) => !cpu.noisyApps.has(i.app)));
  const noisy = slowdownsOf(instances.filter((i) => cpu.noisyApps.has(i.app)));
  // Little's law needs the time-average number in the system: each job counts from arrival to completion (or the horizon).
  const jobSeconds = jobs.inSystemSeconds;
  const sum = (f: (h: Host) => number): number => hosts.reduce((acc, h) => acc + f(h), 0);
  const memory = hosts.map(memoryOf);
  const mem = (part: keyof HostMemory): number => memory.reduce((acc, h) => acc + h[part], 0);
  const ready = instances.filter((i) => !Number.isNaN(i.readyAt));
  const afterDetect = (cpu.failures?.recoveryTimesS ?? []).map((t) => Math.max(0, t - (cpu.failures?.detectS ?? 0)));
  const m: Record<MetricName, number | undefined> = {
    "instances.requested": instances.length,
    "instances.placed": placed,
    "instances.rejected": instances.filter((i) => i.reason !== undefined).length,
    "instances.notRequested": instances.filter((i) => Number.isNaN(i.requestedAt)).length,
    "hosts.used": used.length,
    "density.perHost": ratio(placed, used.length),
    "startup.mean": mean(latencies),
    "startup.p50": quantile(latencies, 0.5),
    "startup.p95": quantile(latencies, 0.95),
    "startup.p99": quantile(latencies, 0.99),
    "startup.max": latencies[latencies.length - 1],
    // A loop, not Math.max(...): a spread of a million arguments overflows the stack.
    "startup.allReady": ready.length ? ready.reduce((m, i) => (i.readyAt > m ? i.readyAt : m), -Infinity) : undefined,
    ...phaseMeans(ready),
    "pull.bytes": pulls.bytes,
    "pull.cacheHitRatio": pulls.requests > 0 ? 1 - pulls.downloads / pulls.requests : undefined,
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": quantile(slowdowns, 0.99),
    "slowdown.victims.mean": mean(victims),
    "slowdown.victims.p99": quantile(victims, 0.99),
    "slowdown.noisy.mean": mean(noisy),
    "slowdown.noisy.p99": quantile(noisy, 0.99),
    "cpu.utilization": cpu.horizonS > 0 ? ratio(cpu.cpuUsed, cpu.cpuCapacity * cpu.horizonS) : undefined,
    "jobs.arrived": jobs.arrived,
    "jobs.completed": jobs.completed,
    "jobs.turnaround.mean": digestMean(jobs.turnaround),
    "jobs.turnaround.p95": quantileOf(jobs.turnaround, 0.95),
    "jobs.inSystem.mean": cpu.horizonS > 0 ? jobSeconds / cpu.horizonS : 0,
    "memory.app": mem("app"),
    "memory.guestOs": mem("guestOs"),
    "memory.hypervisor": mem("hypervisor"),
    "memory.runtime": mem("runtime"),
    "memory.reserved": mem("reserved"),
    "memory.free": mem("free"),
    "memory.overcommitted": mem("overcommitted"),
    "cpu.committed": sum((h) => h.cpuCommittedCores),
    "cpu.overhead": cpu.horizonS > 0 ? cpu.overheadCoreSeconds / cpu.horizonS : 0,
    osInstances: used.length + sum((h) => h.osInstances),
    oomKills: cpu.oomKills,
    swapSeconds: cpu.swapSeconds,
    "cost.monthly.total": cpu.cost.total,
    "cost.monthly.hosts": cpu.cost.hosts,
    "cost.monthly.licenses": cpu.cost.licenses,
    "cost.monthly.operations": cpu.cost.operations,
    "cost.perInstance": ratio(cpu.cost.total, placed),
    "cost.monthly.reserve": cpu.failures?.reserveMonthly ?? 0,
    availability: availabilityOf(instances, cpu.horizonS),
    "failures.hosts": cpu.failures?.hosts ?? 0,
    "failures.instancesLost": cpu.failures?.instancesLost ?? 0,
    "failures.jobsLost": cpu.failures?.jobsLost ?? 0,
    "failures.downtime": instances.reduce((acc, i) => acc + i.downS, 0),
    "failures.notRecovered": cpu.failures?.notRecovered ?? 0,
    "recovery.p50": quantile(cpu.failures?.recoveryTimesS ?? [], 0.5),
    "recovery.p95": quantile(cpu.failures?.recoveryTimesS ?? [], 0.95),
    "recovery.max": cpu.failures?.recoveryTimesS.at(-1),
    // The same split in two: the control plane noticing (a setting), then placement and start-up.
    "recovery.detect": cpu.failures && cpu.failures.hosts > 0 ? cpu.failures.detectS : undefined,
    "recovery.afterDetect.p50": afterDetect.length ? quantile(afterDetect, 0.5) : undefined,
    "recovery.afterDetect.max": afterDetect.at(-1),
    ...maintenanceMetrics(cpu.maintenance, instances),
  };
  // Emit in the contract's order, whatever order the literal above was written in.
  return defined(METRICS, m);
}

/** One host's memory at the horizon, by part; the parts but `overcommitted` sum to its physical memory. */
export interface HostMemory {
  readonly app: number;
  readonly guestOs: number;
  readonly hypervisor: number;
  readonly runtime: number;
  readonly reserved: number;
  readonly free: number;
  readonly overcommitted: number;
}

/**
 * A host's memory by part. The reserve is physical and held on every host; the mode's per-host
 * overheads (engine daemons, the hypervisor's own) only on a host the mode used. What tenants
 * were promised beyond the physical memory (VM guests under memory overcommit) is `overcommitted`,
 * taken out of the app and guest OS parts in proportion, so those count what physical memory holds.
 */
export function memoryOf(h: Host): HostMemory {
  const base = h.everUsed ? { runtime: h.baseRuntimeBytes, hypervisor: h.baseHypervisorBytes } : { runtime: 0, hypervisor: 0 };
  const hypervisor = h.hypervisorBytes + base.hypervisor;
  const runtime = h.runtimeBytes + base.runtime;
  const reserved = h.spec.reservedMemoryBytes;
  const promised = h.appBytes + h.guestOsBytes + hypervisor + runtime + reserved;
  const over = Math.max(0, promised - h.spec.memoryBytes);
  const guests = h.appBytes + h.guestOsBytes;
  const carved = Math.min(over, guests);
  const keep = guests > 0 ? 1 - carved / guests : 1;
  return {
    app: h.appBytes * keep,
    guestOs: h.guestOsBytes * keep,
    hypervisor,
    runtime,
    reserved,
    free: Math.max(0, h.spec.memoryBytes - promised),
    overcommitted: carved,
  };
}

/** Mean seconds per phase over the instances that became ready (none when none did). */
function phaseMeans(ready: readonly InstanceRecord[]): Record<`startup.phase.${(typeof STARTUP_PHASES)[number]}`, number | undefined> {
  const mean = (p: number): number | undefined => (ready.length ? ready.reduce((acc, i) => acc + (i.phases[p] as number), 0) / ready.length : undefined);
  return Object.fromEntries(STARTUP_PHASES.map((name, p) => [`startup.phase.${name}`, mean(p)])) as Record<
    `startup.phase.${(typeof STARTUP_PHASES)[number]}`,
    number | undefined
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

/** The maintenance.* metrics; none when the scenario has no maintenance. */
function maintenanceMetrics(t: MaintenanceTotals | undefined, instances: readonly InstanceRecord[]): Record<Extract<MetricName, `maintenance.${string}`>, number | undefined> {
  const none = t === undefined;
  return {
    "maintenance.window": none ? undefined : mean(t.windowsS),
    "maintenance.hostTime": none ? undefined : t.hostSeconds,
    "maintenance.drained": none ? undefined : t.drained,
    "maintenance.unplaced": none ? undefined : t.unplaced,
    "maintenance.migrations": none ? undefined : t.migrations,
    "maintenance.nonConverged": none ? undefined : t.nonConverged,
    "maintenance.migrationBytes": none ? undefined : t.migrationBytes,
    "maintenance.pause.p50": none ? undefined : quantile(t.pausesS, 0.5),
    "maintenance.pause.max": none ? undefined : t.pausesS.at(-1),
    "maintenance.guestReboots": none ? undefined : t.guestReboots,
    "maintenance.downtime": none ? undefined : instances.reduce((acc, i) => acc + i.maintenanceDownS, 0),
  };
}
