/**
 * A run's metrics, read off its hosts, service instances (ServiceOutcomes: columns, not records)
 * and flows at the horizon, in the contract's order (METRICS); per app too (APP_METRICS). A metric
 * with no value (a percentile of nothing, a ratio over nothing) is left out rather than written as
 * 0: "nothing ran" is not "no slowdown".
 */
import { quantileSorted } from "simple-statistics";
import type { CostBreakdown } from "../cost/index.js";
import { STARTUP_PHASES, type App, type Host, type HostType, type OsFamily } from "../model/index.js";
import { APP_METRICS, METRICS, type MetricName, type Rejection } from "./results.js";
import type { JobAppFigures, JobFigures } from "./jobs.js";
import { digestCount, quantileOf, type SampleDigest } from "./sample-digest.js";

/** No value (undefined) for an empty sample. */
const quantile = (sorted: ArrayLike<number>, p: number): number | undefined => (sorted.length ? quantileSorted(sorted as number[], p) : undefined);
const mean = (xs: ArrayLike<number>): number | undefined => {
  if (xs.length === 0) return undefined;
  let acc = 0;
  for (let k = 0; k < xs.length; k++) acc += xs[k]!;
  return acc / xs.length;
};
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

/**
 * What the metrics and the bill read of one host at the horizon, as plain data (a host group's run
 * sends its hosts' to the thread that merges the groups, see host-groups.ts): hostReport(host).
 */
export interface HostReport {
  readonly name: string;
  readonly spec: Pick<HostType, "cores" | "sockets" | "reservedCores" | "memoryBytes" | "reservedMemoryBytes">;
  readonly everUsed: boolean;
  readonly reserveHost: boolean;
  readonly instances: number;
  readonly peakInstances: number;
  readonly osInstances: number;
  readonly cpuCommittedCores: number;
  readonly appBytes: number;
  readonly guestOsBytes: number;
  readonly hypervisorBytes: number;
  readonly runtimeBytes: number;
  readonly baseRuntimeBytes: number;
  readonly baseHypervisorBytes: number;
  readonly hostOs: OsFamily | undefined;
  readonly peakGuests: { readonly linux: number; readonly windows: number };
  /** Most instances at once of each of the workload's apps, in its order (per-app licences). */
  readonly peaks: Int32Array;
  /** Core-seconds of CPU used over the run (its CPU resource's usage integral). */
  readonly cpuUsed: number;
  /** Its cores less the reserve: what its CPU resource has while it is up. */
  readonly cores: number;
}

/** Host `h`'s report at the horizon: `apps` the workload's, `cpuUsed` its CPU's usage integral. */
export function hostReport(h: Host, apps: readonly App[], cpuUsed: number): HostReport {
  const { cores, sockets, reservedCores, memoryBytes, reservedMemoryBytes } = h.spec;
  return {
    name: h.name,
    spec: { cores, sockets, reservedCores, memoryBytes, reservedMemoryBytes },
    everUsed: h.everUsed,
    reserveHost: h.reserveHost,
    instances: h.instances,
    peakInstances: h.peakInstances,
    osInstances: h.osInstances,
    cpuCommittedCores: h.cpuCommittedCores,
    appBytes: h.appBytes,
    guestOsBytes: h.guestOsBytes,
    hypervisorBytes: h.hypervisorBytes,
    runtimeBytes: h.runtimeBytes,
    baseRuntimeBytes: h.baseRuntimeBytes,
    baseHypervisorBytes: h.baseHypervisorBytes,
    hostOs: h.hostOs,
    peakGuests: h.peakGuests,
    peaks: Int32Array.from(apps, (a) => h.peakOf(a.name)),
    cpuUsed,
    cores: Math.max(0, cores - reservedCores),
  };
}

/** A host's mean CPU utilization over `horizonS`, within 0..1. */
export function utilizationOf(h: HostReport, horizonS: number): number {
  const u = h.cores > 0 && horizonS > 0 ? h.cpuUsed / (h.cores * horizonS) : 0;
  return Math.min(1, Math.max(0, u));
}

/** An app exerts no pressure on its neighbours when every pressure level is none (or absent). */
export const isNoisy = (app: { readonly pressure: { readonly memoryBandwidth: number; readonly disk: number } }): boolean =>
  app.pressure.memoryBandwidth > 0 || app.pressure.disk > 0;

/**
 * What the metrics read of a run's service instances, by request order: accessors over the run's
 * columns, so that reading them makes no object per instance.
 */
export interface ServiceOutcomes {
  readonly count: number;
  appName(i: number): string;
  /** Whether it was ever placed. */
  placed(i: number): boolean;
  /** Why it was rejected; undefined when it was not. */
  reason(i: number): string | undefined;
  /** NaN when never requested within the horizon. */
  requestedAt(i: number): number;
  /** NaN when not ready within the horizon or rejected. */
  readyAt(i: number): number;
  /** Seconds of its first start in phase `p` of STARTUP_PHASES. */
  phase(i: number, p: number): number;
  /** NaN if it never ran. */
  slowdown(i: number): number;
  downS(i: number): number;
  maintenanceDownS(i: number): number;
}

/** Instances `from` to `to` (exclusive) of a run's: all of them, or one app's (its replicas are consecutive). */
export interface Span {
  readonly from: number;
  readonly to: number;
}

const everyOne = (s: ServiceOutcomes): Span => ({ from: 0, to: s.count });

/** The instances of `span` for which `keep` holds, in request order. */
function select(span: Span, keep: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = span.from; i < span.to; i++) if (keep(i)) out.push(i);
  return out;
}

/** How many instances of `span` `keep` holds for. */
function count(span: Span, keep: (i: number) => boolean): number {
  let n = 0;
  for (let i = span.from; i < span.to; i++) if (keep(i)) n++;
  return n;
}

/**
 * `value(i)` of the instances of `span` for which `keep` holds, ascending. A typed array sorts
 * numerically without a comparator: a million values in a fifth of the time, and no array of
 * indices and no array of boxed values on the way (the order is the same: the values are never NaN).
 */
function ascendingOf(span: Span, keep: (i: number) => boolean, value: (i: number) => number): Float64Array {
  const out = new Float64Array(span.to - span.from);
  let n = 0;
  for (let i = span.from; i < span.to; i++) if (keep(i)) out[n++] = value(i);
  return (n === out.length ? out : out.slice(0, n)).sort();
}

/** Request-to-ready seconds of the instances that became ready, ascending. */
export const latenciesOf = (s: ServiceOutcomes, span = everyOne(s)): Float64Array =>
  ascendingOf(span, (i) => !Number.isNaN(s.readyAt(i)), (i) => s.readyAt(i) - s.requestedAt(i));

/** Slowdowns of the instances that ran (and of whose app `keep` holds, when given), ascending. */
export const slowdownsOf = (s: ServiceOutcomes, span = everyOne(s), keep?: (app: string) => boolean): Float64Array =>
  ascendingOf(
    span,
    (i) => !Number.isNaN(s.slowdown(i)) && (keep === undefined || keep(s.appName(i))),
    (i) => s.slowdown(i),
  );

/** Seconds of `span` added up in request order. */
function total(span: Span, value: (i: number) => number): number {
  let acc = 0;
  for (let i = span.from; i < span.to; i++) acc += value(i);
  return acc;
}

/**
 * The mean of a digested sample: summed in ascending order when every value is kept (as the mean
 * of the sorted values always was), else the running sum over the count (exact, summed as added).
 */
const digestMean = (d: SampleDigest): number | undefined =>
  d.kind === "exact" ? mean(d.values) : digestCount(d) > 0 ? d.sum / d.count : undefined;

/**
 * One app's metrics: `mine` its service instances, `oomKills` the kills of its instances, `jobs`
 * its jobs' figures (a job app).
 */
export function appMetrics(
  s: ServiceOutcomes,
  mine: Span,
  oomKills: number,
  jobs?: JobAppFigures,
  horizonS?: number,
): Partial<Record<(typeof APP_METRICS)[number], number>> {
  const slowdowns = slowdownsOf(s, mine);
  const latencies = latenciesOf(s, mine);
  const turnaround = jobs?.turnaround ?? { kind: "exact", values: new Float64Array(0) };
  return defined(APP_METRICS, {
    "instances.placed": count(mine, (i) => s.placed(i)),
    "instances.rejected": count(mine, (i) => s.reason(i) !== undefined),
    "startup.p50": quantile(latencies, 0.5),
    "startup.p95": quantile(latencies, 0.95),
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": quantile(slowdowns, 0.99),
    oomKills,
    "jobs.completed": jobs?.completed ?? 0,
    "jobs.turnaround.mean": digestMean(turnaround),
    "jobs.turnaround.p95": quantileOf(turnaround, 0.95),
    availability: horizonS === undefined ? undefined : availabilityOf(s, horizonS, mine),
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
export function availabilityOf(s: ServiceOutcomes, horizonS: number, span = everyOne(s)): number | undefined {
  let replicaS = 0;
  let downS = 0;
  for (let i = span.from; i < span.to; i++) {
    if (!s.placed(i) || Number.isNaN(s.requestedAt(i))) continue;
    replicaS += horizonS - s.requestedAt(i);
    downS += s.downS(i) + s.maintenanceDownS(i);
  }
  return replicaS > 0 ? Math.min(1, Math.max(0, 1 - downS / replicaS)) : undefined;
}

/**
 * A run's metrics: `s` its service instances, `jobs` the jobs' figures; `slowdowns`, slowdownsOf(s)
 * when the caller has it already.
 */
export function metricsOf(
  hosts: readonly HostReport[],
  s: ServiceOutcomes,
  jobs: JobFigures,
  pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number },
  cpu: CpuTotals,
  slowdowns: Float64Array = slowdownsOf(s),
): Partial<Record<MetricName, number>> {
  const every = everyOne(s);
  const placed = count(every, (i) => s.placed(i));
  const used = hosts.filter((h) => h.everUsed);
  const latencies = latenciesOf(s);
  // Without noisy apps every instance is a victim and none is noisy: no two more passes over them all.
  const anyNoisy = cpu.noisyApps.size > 0;
  const victims = anyNoisy ? slowdownsOf(s, every, (app) => !cpu.noisyApps.has(app)) : slowdowns;
  const noisy = anyNoisy ? slowdownsOf(s, every, (app) => cpu.noisyApps.has(app)) : new Float64Array(0);
  // Little's law needs the time-average number in the system: each job counts from arrival to completion (or the horizon).
  const jobSeconds = jobs.inSystemSeconds;
  const sum = (f: (h: HostReport) => number): number => hosts.reduce((acc, h) => acc + f(h), 0);
  const memory = hosts.map(memoryOf);
  const mem = (part: keyof HostMemory): number => memory.reduce((acc, h) => acc + h[part], 0);
  const ready = select(every, (i) => !Number.isNaN(s.readyAt(i)));
  const afterDetect = (cpu.failures?.recoveryTimesS ?? []).map((t) => Math.max(0, t - (cpu.failures?.detectS ?? 0)));
  const m: Record<MetricName, number | undefined> = {
    "instances.requested": s.count,
    "instances.placed": placed,
    "instances.rejected": count(every, (i) => s.reason(i) !== undefined),
    "instances.notRequested": count(every, (i) => Number.isNaN(s.requestedAt(i))),
    "hosts.used": used.length,
    "density.perHost": ratio(placed, used.length),
    "startup.mean": mean(latencies),
    "startup.p50": quantile(latencies, 0.5),
    "startup.p95": quantile(latencies, 0.95),
    "startup.p99": quantile(latencies, 0.99),
    "startup.max": latencies[latencies.length - 1],
    // A loop, not Math.max(...): a spread of a million arguments overflows the stack.
    "startup.allReady": ready.length ? ready.reduce((m, i) => (s.readyAt(i) > m ? s.readyAt(i) : m), -Infinity) : undefined,
    ...phaseMeans(s, ready),
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
    availability: availabilityOf(s, cpu.horizonS),
    "failures.hosts": cpu.failures?.hosts ?? 0,
    "failures.instancesLost": cpu.failures?.instancesLost ?? 0,
    "failures.jobsLost": cpu.failures?.jobsLost ?? 0,
    "failures.downtime": total(every, (i) => s.downS(i)),
    "failures.notRecovered": cpu.failures?.notRecovered ?? 0,
    "recovery.p50": quantile(cpu.failures?.recoveryTimesS ?? [], 0.5),
    "recovery.p95": quantile(cpu.failures?.recoveryTimesS ?? [], 0.95),
    "recovery.max": cpu.failures?.recoveryTimesS.at(-1),
    // The same split in two: the control plane noticing (a setting), then placement and start-up.
    "recovery.detect": cpu.failures && cpu.failures.hosts > 0 ? cpu.failures.detectS : undefined,
    "recovery.afterDetect.p50": afterDetect.length ? quantile(afterDetect, 0.5) : undefined,
    "recovery.afterDetect.max": afterDetect.at(-1),
    ...maintenanceMetrics(cpu.maintenance, s),
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
export function memoryOf(h: HostReport): HostMemory {
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

/** Mean seconds per phase over the instances that became ready (`ready`, in request order; none when none did). */
function phaseMeans(s: ServiceOutcomes, ready: readonly number[]): Record<`startup.phase.${(typeof STARTUP_PHASES)[number]}`, number | undefined> {
  // Every phase summed in one pass (each in request order, as a pass per phase summed it): an
  // instance's phases sit together, and a pass per phase read them all once per phase.
  const sums = new Float64Array(STARTUP_PHASES.length);
  for (const i of ready) for (let p = 0; p < sums.length; p++) sums[p] = sums[p]! + s.phase(i, p);
  const mean = (p: number): number | undefined => (ready.length ? sums[p]! / ready.length : undefined);
  return Object.fromEntries(STARTUP_PHASES.map((name, p) => [`startup.phase.${name}`, mean(p)])) as Record<
    `startup.phase.${(typeof STARTUP_PHASES)[number]}`,
    number | undefined
  >;
}

export function groupRejections(s: ServiceOutcomes): Rejection[] {
  const groups = new Map<string, { app: string; reason: string; count: number }>();
  for (let i = 0; i < s.count; i++) {
    const reason = s.reason(i);
    if (reason === undefined) continue;
    const app = s.appName(i);
    const key = `${app}\u0000${reason}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { app, reason, count: 1 });
  }
  // Insertion order follows request order, which is deterministic.
  return [...groups.values()].map((g) => ({ app: g.app, count: g.count, reason: g.reason }));
}

/** The maintenance.* metrics; none when the scenario has no maintenance. */
function maintenanceMetrics(t: MaintenanceTotals | undefined, s: ServiceOutcomes): Record<Extract<MetricName, `maintenance.${string}`>, number | undefined> {
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
    "maintenance.downtime": none ? undefined : total(everyOne(s), (i) => s.maintenanceDownS(i)),
  };
}
