/**
 * Host groups: a run whose hosts never affect each other, simulated a group of hosts at a time.
 *
 * In a large run, events of thousands of hosts interleave in time, and each event finds its host's
 * state out of the cache: a 100,000-VM run spends about half its time waiting on memory. When hosts
 * do not interact (services placed once, no shared registry traffic, no failures, maintenance or
 * jobs), each host evolves exactly as it would alone with its own services, so the run can be
 * simulated group by group, each group's state small enough to stay in the cache. Measured on
 * 100,000 services in groups of 64 hosts: 1.3x (bare) to 1.8x (vm) less CPU, with every host's
 * samples and every instance's record equal to the bit (test/experiment/host-groups.test.ts).
 *
 * This module decides when a run decomposes (whyWhole), places every service before the run as
 * the run would (placeAll), cuts the hosts into groups (hostGroups), runs each group (runGroup in
 * run.ts: only its hosts and the services placed there) and merges the groups' parts into the run's
 * output (mergeGroups); runGrouped does all of it, and runExperimentTask takes that path whenever a
 * run decomposes into more than one group.
 *
 * The merged output is the whole run's: every service's figures, every host's sample rows and
 * every count to the bit; sums that the whole run folds in another order (over hosts in event
 * order, or per sample over every host) within a relative 1e-12 (test/experiment/host-groups.test.ts).
 * A group's run samples every point of the fine start-up grid up to the horizon and says when its
 * last service settled; the merge takes the whole run's window from the last settle of all
 * (a group's, or a rejection at its request, which no group sees) and keeps the grid points the
 * whole run keeps (keptFineSamples, fineWindowEnd in samplers.ts).
 */
import { STARTUP_PHASES, type Mode } from "../model/index.js";
import { Placer, type PlacementPolicy } from "../placement/index.js";
import type { JobFigures } from "./jobs.js";
import type { Workload } from "./resolve.js";
import { buildHosts, requestOrder, runGroup, samplesOf, serviceRecord, staggerOffset, type GroupPart, type RunConfig, type RunOutput, type Sampled } from "./run.js";
import type { ServiceOutcomes } from "./run-metrics.js";
import { runOutput } from "./run-output.js";
import { ReadyLog, SampleCollector } from "./sample-digest.js";
import { fineStepAfter, fineWindowEnd, keptFineSamples } from "./samplers.js";
import { ServiceTable } from "./service-table.js";

/** Hosts per group: the block of rows columnTotals sums at a time, so group sums can add up as the whole run's. */
export const HOSTS_PER_GROUP = 64;

/** One group of a run that decomposes: hosts [from, to) of the whole run and the services placed there. */
export interface HostGroup {
  readonly from: number;
  readonly to: number;
  /** The group's services, as indices among the run's services, ascending. */
  readonly services: Int32Array;
  /** For each of `services`, its host among the whole run's. */
  readonly hostOf: Int32Array;
}

/**
 * Why the run's hosts may affect each other (so it must be simulated whole), or undefined when they
 * cannot: then each host evolves as it would alone with the services placed on it.
 */
export function whyWhole(w: Workload, mode: Mode): string | undefined {
  if (w.apps.some((a) => a.kind === "job")) return "jobs are placed as they arrive, on whichever host has room";
  if (w.apps.some((a) => a.rollout !== undefined)) return "a rollout's next wave waits for the last one on every host";
  if (w.events.length > 0 || w.hostTypes.some((t) => t.failures !== undefined)) return "failed hosts' instances move to other hosts";
  if (w.maintenance !== undefined) return "maintenance drains hosts onto others";
  // Image pulls share the registry, which links every pulling host's rates.
  if (mode.kind === "container" && mode.cache !== "warm" && w.apps.some((a) => a.layers.length > 0)) return "image pulls share the registry";
  return undefined;
}

/** Placement before the run: each service's host (-1: rejected, or not requested within the horizon), of `hostCount`. */
export interface Placement {
  readonly hostOf: Int32Array;
  readonly hostCount: number;
  /** When each service is requested (NaN: not within the horizon). */
  readonly requestedAt: Float64Array;
  /** The rejected services' reasons. */
  readonly reasons: ReadonlyMap<number, string>;
}

/**
 * Places every service of a run that decomposes as the run would: in the run's request order
 * (requestOrder), each at its time up to the horizon, on the whole cluster. Nothing leaves a host
 * or changes its capacity in such a run, so these decisions are the run's.
 */
export function placeAll(w: Workload, mode: Mode, policy: PlacementPolicy, horizonS: number): Placement {
  const hosts = buildHosts(w, mode);
  const placer = new Placer(hosts, policy);
  const table = new ServiceTable(w.apps, mode);
  const indices: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < table.count; i++) {
    // As the run's first wave (a run with rollouts stays whole): its app's start plus its stagger slot.
    const t = table.appOf(i).startAtS + staggerOffset(table, i);
    if (t > horizonS) continue;
    indices.push(i);
    times.push(t);
  }
  const hostOf = new Int32Array(table.count).fill(-1);
  const requestedAt = new Float64Array(table.count).fill(NaN);
  const reasons = new Map<number, string>();
  const sorted = requestOrder(table, indices, times, policy);
  for (let k = 0; k < indices.length; k++) {
    const at = sorted === undefined ? k : sorted[k]!;
    const i = indices[at]!;
    requestedAt[i] = times[at]!;
    const req = table.requestOf(i);
    const decision = placer.choose(req);
    if (decision.host === undefined) {
      reasons.set(i, decision.reason);
      continue;
    }
    decision.host.commit(req.app, req.footprint);
    hostOf[i] = decision.host.index;
  }
  return { hostOf, hostCount: hosts.length, requestedAt, reasons };
}

/** The run's hosts in groups of `size` (the last may be smaller), each with the services placed there. */
export function hostGroups(placement: Placement, size = HOSTS_PER_GROUP): HostGroup[] {
  const { hostOf, hostCount } = placement;
  const groups: { from: number; to: number; services: number[] }[] = [];
  for (let from = 0; from < hostCount; from += size) groups.push({ from, to: Math.min(hostCount, from + size), services: [] });
  for (let i = 0; i < hostOf.length; i++) if (hostOf[i]! >= 0) groups[Math.floor(hostOf[i]! / size)]!.services.push(i);
  return groups.map((g) => {
    const services = Int32Array.from(g.services);
    return { from: g.from, to: g.to, services, hostOf: services.map((i) => hostOf[i]!) };
  });
}

/**
 * The run simulated host group by host group and merged, when it decomposes into more than one
 * group (whyWhole); undefined when it must run whole (or its start-up window cannot be told from
 * the groups': mergeGroups).
 */
export function runGrouped(w: Workload, mode: Mode, config: RunConfig, replication: number, size = HOSTS_PER_GROUP): RunOutput | undefined {
  if (whyWhole(w, mode) !== undefined) return undefined;
  const placement = placeAll(w, mode, config.policy, config.horizonS);
  const groups = hostGroups(placement, size);
  if (groups.length < 2) return undefined;
  return mergeGroups(w, mode, config, replication, placement, groups.map((g) => runGroup(w, mode, config, g, replication)));
}

const PHASES = STARTUP_PHASES.length;

/** A run's job figures when it has no jobs. */
const NO_JOBS: JobFigures = { arrived: 0, completed: 0, turnaround: { kind: "exact", values: new Float64Array(0) }, inSystemSeconds: 0, apps: new Map() };

/**
 * The run's output from its host groups' parts (`parts`, in host order, of every group of
 * `placement`): services' figures by their index, hosts' reports and sample rows one group after
 * another, the sums added up group by group. Figures that the whole run sums over hosts in event
 * order (overhead, swap) or per sample over every host in order (the CPU totals) are added group
 * by group here, so they may differ from the whole run's in the last bits; every count, every
 * service's figure and every host's row is the whole run's. Undefined when the start-up window
 * cannot be told: the last service settled exactly at a point of the fine grid (the whole run's
 * order of the two events decides its step then), or no group has a service.
 */
export function mergeGroups(w: Workload, mode: Mode, config: RunConfig, replication: number, placement: Placement, parts: readonly GroupPart[]): RunOutput | undefined {
  const table = new ServiceTable(w.apps, mode);
  const n = table.count;
  const requestedAt = placement.requestedAt.slice();
  const readyAt = new Float64Array(n).fill(NaN);
  const phases = new Float64Array(n * PHASES);
  const slowdowns = new Float64Array(n).fill(NaN);
  const kills = new Int32Array(n);
  for (const part of parts) {
    part.services.forEach((i, k) => {
      requestedAt[i] = part.requestedAt[k]!;
      readyAt[i] = part.readyAt[k]!;
      slowdowns[i] = part.slowdowns[k]!;
      kills[i] = part.kills[k]!;
      phases.set(part.phases.subarray(k * PHASES, (k + 1) * PHASES), i * PHASES);
    });
  }
  const hosts = parts.flatMap((p) => p.hosts);
  const { hostOf, reasons } = placement;
  const outcomes: ServiceOutcomes = {
    count: n,
    appName: (i) => table.appOf(i).name,
    placed: (i) => hostOf[i]! >= 0,
    reason: (i) => reasons.get(i),
    requestedAt: (i) => requestedAt[i]!,
    readyAt: (i) => readyAt[i]!,
    phase: (i, p) => phases[i * PHASES + p]!,
    slowdown: (i) => slowdowns[i]!,
    downS: () => 0,
    maintenanceDownS: () => 0,
  };
  let sampled: Sampled | undefined;
  if (parts[0]!.samples) {
    const startup = startupSamples(config, placement, parts);
    if (startup === undefined) return undefined;
    sampled = { ...mergedSamples(parts, w.apps.length + 3, config.hostRows ?? true), startup };
  }
  // The digests take values in an order of their own: exactly kept values are sorted; a sketch's bins do not depend on it.
  const latencies = new SampleCollector();
  const ready: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(readyAt[i]!)) continue;
    latencies.add(readyAt[i]! - requestedAt[i]!);
    ready.push(readyAt[i]!);
  }
  const readyLog = new ReadyLog();
  for (const t of Float64Array.from(ready).sort()) readyLog.add(t);
  const sum = (f: (p: GroupPart) => number): number => parts.reduce((a, p) => a + f(p), 0);
  return runOutput(w, mode, config, replication, {
    hosts,
    table,
    outcomes,
    kills,
    jobs: NO_JOBS,
    pulls: { bytes: sum((p) => p.pulls.bytes), requests: sum((p) => p.pulls.requests), downloads: sum((p) => p.pulls.downloads) },
    overheadCoreSeconds: sum((p) => p.overheadCoreSeconds),
    oomKills: sum((p) => p.oomKills),
    swapSeconds: sum((p) => p.swapSeconds),
    peakGuests: undefined,
    failures: { hosts: 0, instancesLost: 0, jobsLost: 0, notRecovered: 0, recoveryTimesS: [], detectS: mode.recovery.detectS },
    maintenance: undefined,
    instances: config.records === false ? [] : Array.from({ length: n }, (_, i) => serviceRecord(table, outcomes, i, hostOf[i]! >= 0 ? hosts[hostOf[i]!]!.name : undefined)),
    latencies: latencies.digest(),
    ready: readyLog.digest(),
    samples: sampled && samplesOf(w, hosts, sampled),
    eventsProcessed: sum((p) => p.eventsProcessed),
    failureTimesS: [],
    readySteps: [],
  });
}

/** Every step's samples of the groups: rows and memory one group after another, the CPU totals added group by group. */
function mergedSamples(parts: readonly GroupPart[], width: number, hostRows: boolean): Omit<Sampled, "startup"> {
  const first = parts[0]!.samples!;
  const hostCount = parts[parts.length - 1]!.to;
  const rows: Float64Array[] = [];
  const totals: Float64Array[] = [];
  const memoryBytes: Float64Array[] = [];
  for (let j = 0; j < first.timesS.length; j++) {
    const row = hostRows ? new Float64Array(hostCount * width) : undefined;
    const memory = new Float64Array(hostCount);
    const total = new Float64Array(width - 1);
    for (const p of parts) {
      const s = p.samples!;
      row?.set(s.rows[j]!, p.from * width);
      memory.set(s.memoryBytes[j]!, p.from);
      const t = s.totals[j]!;
      for (let c = 0; c < total.length; c++) total[c] = total[c]! + t[c]!;
    }
    if (row) rows.push(row);
    totals.push(total);
    memoryBytes.push(memory);
  }
  const oomKillTimesS = Float64Array.from(parts.flatMap((p) => p.samples!.oomKillTimesS)).sort();
  return { timesS: first.timesS, rows, totals, memoryBytes, oomKillTimesS: Array.from(oomKillTimesS) };
}

/**
 * The whole run's start-up samples from the groups' fine grids: its window ends a tenth after the
 * last service settled (a group's last ready, or a rejection at its request), or at the horizon
 * when some service never settled (never requested or never ready within it); its samples are the
 * grid's points it keeps (keptFineSamples), their totals added group by group. Undefined when that
 * cannot be told (see mergeGroups).
 */
function startupSamples(config: RunConfig, placement: Placement, parts: readonly GroupPart[]): Sampled["startup"] | undefined {
  const withServices = parts.filter((p) => p.services.length > 0);
  if (withServices.length === 0) return undefined;
  const grid = withServices[0]!.samples!.startup.timesS;
  const onGrid = (t: number): boolean => grid.some((g) => Math.abs(g - t) <= 1e-9);
  let end = config.horizonS;
  const everySettled =
    withServices.every((p) => p.settled !== undefined) && placement.hostOf.every((h, i) => h >= 0 || placement.reasons.has(i));
  if (everySettled) {
    let last: { atS: number; stepS: number } | undefined;
    for (const p of withServices) if (last === undefined || p.settled!.atS > last.atS) last = p.settled!;
    for (const i of placement.reasons.keys()) {
      const t = placement.requestedAt[i]!;
      if (t > last!.atS) last = { atS: t, stepS: fineStepAfter(grid.filter((g) => g < t).length, config.sampleStepS) };
    }
    if (onGrid(last!.atS)) return undefined;
    end = fineWindowEnd(config.horizonS, last!.atS, last!.stepS);
  }
  const kept = keptFineSamples(grid, end);
  return {
    timesS: kept.map((k) => grid[k]!),
    totals: kept.map((k) => {
      const total = withServices[0]!.samples!.startup.totals[k]!.slice();
      for (const p of withServices.slice(1)) {
        const t = p.samples!.startup.totals[k]!;
        for (let c = 0; c < total.length; c++) total[c] = total[c]! + t[c]!;
      }
      return total;
    }),
  };
}
