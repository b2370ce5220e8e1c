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
 * output (GroupMerge); runGrouped does all of it, and runExperimentTask takes that path whenever a
 * run decomposes into more than one group. Groups go in chunks of GROUPS_PER_CHUNK (runChunk, their
 * parts combined into one: combineParts), the same cut on one thread as on the worker pool, where
 * a run's chunks are tasks of their own (pool-task.ts ChunkedRun), so the output is the same for
 * any number of workers.
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
import type { HostReport, ServiceOutcomes } from "./run-metrics.js";
import { runOutput } from "./run-output.js";
import { ReadyLog, SampleCollector } from "./sample-digest.js";
import { fineStepAfter, fineWindowEnd, keptFineSamples } from "./samplers.js";
import { ServiceTable } from "./service-table.js";

/** Hosts per group: few enough that a group's state stays in the cache while it runs. */
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

/** Groups per chunk: a chunk's groups' parts are combined into one (combineParts) before the merge, as a pool task's are. */
export const GROUPS_PER_CHUNK = 4;

/** A run's placement before the run and its host groups, kept per workload and mode (a thread's chunks of one run place it once). */
const placements = new WeakMap<Workload, Map<string, { placement: Placement; groups: HostGroup[] }>>();

/** The run's placement and host groups (placeAll, hostGroups), computed once per workload, mode, policy and horizon in a thread. */
export function groupsOf(w: Workload, mode: Mode, config: Pick<RunConfig, "policy" | "horizonS">): { placement: Placement; groups: HostGroup[] } {
  let byMode = placements.get(w);
  if (!byMode) placements.set(w, (byMode = new Map()));
  const key = `${mode.name}\u0000${config.policy}\u0000${config.horizonS}`;
  let g = byMode.get(key);
  if (!g) {
    const placement = placeAll(w, mode, config.policy, config.horizonS);
    g = { placement, groups: hostGroups(placement) };
    byMode.set(key, g);
  }
  return g;
}

/**
 * How many chunks of GROUPS_PER_CHUNK groups the run goes in when it goes group by group (it
 * decomposes, whyWhole, and has more than one group); 0 when it runs whole. Needs no placement.
 */
export function chunkCount(w: Workload, mode: Mode): number {
  if (whyWhole(w, mode) !== undefined) return 0;
  const hosts = w.hostTypes.reduce((n, t) => n + t.count, 0);
  const groups = Math.ceil(hosts / HOSTS_PER_GROUP);
  return groups < 2 ? 0 : Math.ceil(groups / GROUPS_PER_CHUNK);
}

/** Chunk `chunk` of the run (chunkCount): its groups run one after another, their parts combined into one. */
export function runChunk(w: Workload, mode: Mode, config: RunConfig, replication: number, chunk: number): GroupPart {
  const { groups } = groupsOf(w, mode, config);
  const mine = groups.slice(chunk * GROUPS_PER_CHUNK, (chunk + 1) * GROUPS_PER_CHUNK);
  if (mine.length === 0) throw new Error(`runChunk: no chunk ${chunk} of ${Math.ceil(groups.length / GROUPS_PER_CHUNK)}`);
  return combineParts(mine.map((g) => runGroup(w, mode, config, g, replication)));
}

/**
 * The run simulated host group by host group and merged, when it decomposes into more than one
 * group (chunkCount); undefined when it must run whole (or its start-up window cannot be told from
 * the groups': GroupMerge.finish). Chunk by chunk (runChunk), each merged as it comes and dropped,
 * so a run holds a chunk's parts at a time; the same arithmetic as its chunks run on the worker pool.
 */
export function runGrouped(w: Workload, mode: Mode, config: RunConfig, replication: number): RunOutput | undefined {
  const chunks = chunkCount(w, mode);
  if (chunks === 0) return undefined;
  const merge = new GroupMerge(w, mode, config, replication, groupsOf(w, mode, config).placement);
  for (let c = 0; c < chunks; c++) merge.add(runChunk(w, mode, config, replication, c));
  return merge.finish();
}

/** The run's output from every group's part, in host order (GroupMerge). */
export function mergeGroups(w: Workload, mode: Mode, config: RunConfig, replication: number, placement: Placement, parts: readonly GroupPart[]): RunOutput | undefined {
  const merge = new GroupMerge(w, mode, config, replication, placement);
  for (const p of parts) merge.add(p);
  return merge.finish();
}

/**
 * Consecutive groups' parts as one part of all their hosts: services, hosts and rows one group
 * after another, sums and sample totals added group by group (from 0), the fine grid's totals over
 * the groups with services, the last settle (none when a group with services never settled).
 */
export function combineParts(parts: readonly GroupPart[]): GroupPart {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const f64 = (f: (p: GroupPart) => Float64Array): Float64Array => concat(parts.map(f), (n) => new Float64Array(n));
  const i32 = (f: (p: GroupPart) => Int32Array): Int32Array => concat(parts.map(f), (n) => new Int32Array(n));
  const sum = (f: (p: GroupPart) => number): number => parts.reduce((a, p) => a + f(p), 0);
  const withServices = parts.filter((p) => p.services.length > 0);
  return {
    from: first.from,
    to: last.to,
    services: i32((p) => p.services),
    requestedAt: f64((p) => p.requestedAt),
    readyAt: f64((p) => p.readyAt),
    phases: f64((p) => p.phases),
    slowdowns: f64((p) => p.slowdowns),
    kills: i32((p) => p.kills),
    hosts: parts.flatMap((p) => p.hosts),
    pulls: { bytes: sum((p) => p.pulls.bytes), requests: sum((p) => p.pulls.requests), downloads: sum((p) => p.pulls.downloads) },
    overheadCoreSeconds: sum((p) => p.overheadCoreSeconds),
    oomKills: sum((p) => p.oomKills),
    swapSeconds: sum((p) => p.swapSeconds),
    eventsProcessed: sum((p) => p.eventsProcessed),
    samples: first.samples && combinedSamples(parts, withServices),
    settled: withServices.length > 0 ? parts.reduce(lastSettle, NOT_SETTLED) : undefined,
  };
}

type Settle = GroupPart["settled"];

/** No part with services seen yet (lastSettle's start). */
const NOT_SETTLED: Settle = { atS: -Infinity, stepS: NaN };

/** The last settle of the parts so far (`acc`) and `part`: none once a part with services never settled. */
function lastSettle(acc: Settle, part: GroupPart): Settle {
  if (part.services.length === 0) return acc;
  if (acc === undefined || part.settled === undefined) return undefined;
  return part.settled.atS > acc.atS ? part.settled : acc;
}

/** `arrays` one after another, in a new array of `make`'s kind. */
function concat<T extends Float64Array | Int32Array>(arrays: readonly T[], make: (n: number) => T): T {
  const out = make(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** The samples of consecutive groups as one part's (combineParts). */
function combinedSamples(parts: readonly GroupPart[], withServices: readonly GroupPart[]): Sampled {
  const s0 = parts[0]!.samples!;
  const columns = s0.totals[0]?.length ?? 0;
  const totalsOf = (of: readonly (readonly Float64Array[])[], count: number): Float64Array[] =>
    Array.from({ length: count }, (_, j) => {
      const t = new Float64Array(columns);
      for (const series of of) addInto(t, series[j]!);
      return t;
    });
  const f64 = (arrays: readonly Float64Array[]): Float64Array => concat(arrays, (n) => new Float64Array(n));
  const all = parts.map((p) => p.samples!);
  const fine = withServices.map((p) => p.samples!.startup);
  return {
    timesS: s0.timesS,
    rows: s0.rows.length === 0 ? [] : s0.timesS.map((_, j) => f64(all.map((s) => s.rows[j]!))),
    totals: totalsOf(all.map((s) => s.totals), s0.timesS.length),
    memoryBytes: s0.timesS.map((_, j) => f64(all.map((s) => s.memoryBytes[j]!))),
    oomKillTimesS: all.flatMap((s) => s.oomKillTimesS),
    startup: fine.length === 0 ? { timesS: [], totals: [] } : { timesS: fine[0]!.timesS, totals: totalsOf(fine.map((f) => f.totals), fine[0]!.timesS.length) },
  };
}

const PHASES = STARTUP_PHASES.length;

/** A run's job figures when it has no jobs. */
const NO_JOBS: JobFigures = { arrived: 0, completed: 0, turnaround: { kind: "exact", values: new Float64Array(0) }, inSystemSeconds: 0, apps: new Map() };

/** `into` plus `add`, column by column (`into` updated). */
function addInto(into: Float64Array, add: Float64Array): void {
  for (let c = 0; c < into.length; c++) into[c] = into[c]! + add[c]!;
}

/**
 * A run's output from its host groups' parts, added one at a time in host order: services' figures
 * by their index, hosts' reports and sample rows one group after another, the sums added up group
 * by group. Figures that the whole run sums over hosts in event order (overhead, swap) or per
 * sample over every host in order (the CPU totals) are added group by group here, so they may
 * differ from the whole run's in the last bits; every count, every service's figure and every
 * host's row is the whole run's.
 *
 * Start-up samples: every group's run takes every point of the fine grid up to the horizon; their
 * totals are added per point, and at the end the whole run's window (a tenth after the last settle
 * of all, a group's or a rejection's at its request, which no group sees; the horizon when some
 * service never settled) picks the points it keeps (keptFineSamples).
 */
export class GroupMerge {
  private readonly table: ServiceTable;
  private readonly requestedAt: Float64Array;
  private readonly readyAt: Float64Array;
  private readonly phases: Float64Array;
  private readonly slowdowns: Float64Array;
  private readonly kills: Int32Array;
  private readonly hosts: HostReport[] = [];
  private readonly pulls = { bytes: 0, requests: 0, downloads: 0 };
  private overheadCoreSeconds = 0;
  private oomKills = 0;
  private swapSeconds = 0;
  private eventsProcessed = 0;
  private readonly width: number;
  private sampled: { timesS: readonly number[]; rows: Float64Array[]; totals: Float64Array[]; memoryBytes: Float64Array[]; oomKillTimesS: number[] } | undefined;
  /** The fine grid (of the first group with services) and its totals over the groups so far. */
  private grid: { timesS: readonly number[]; totals: Float64Array[] } | undefined;
  /** The last settle so far; undefined once a group with services never settled. */
  private last: Settle = NOT_SETTLED;

  constructor(
    private readonly w: Workload,
    private readonly mode: Mode,
    private readonly config: RunConfig,
    private readonly replication: number,
    private readonly placement: Placement,
  ) {
    this.table = new ServiceTable(w.apps, mode);
    const n = this.table.count;
    this.requestedAt = placement.requestedAt.slice();
    this.readyAt = new Float64Array(n).fill(NaN);
    this.phases = new Float64Array(n * PHASES);
    this.slowdowns = new Float64Array(n).fill(NaN);
    this.kills = new Int32Array(n);
    this.width = w.apps.length + 3;
  }

  /** The next group's part (hosts from where the last ended). */
  add(part: GroupPart): void {
    if (part.from !== this.hosts.length) throw new Error(`GroupMerge: a part of hosts ${part.from}.. after ${this.hosts.length} hosts`);
    part.services.forEach((i, k) => {
      this.requestedAt[i] = part.requestedAt[k]!;
      this.readyAt[i] = part.readyAt[k]!;
      this.slowdowns[i] = part.slowdowns[k]!;
      this.kills[i] = part.kills[k]!;
      this.phases.set(part.phases.subarray(k * PHASES, (k + 1) * PHASES), i * PHASES);
    });
    for (const h of part.hosts) this.hosts.push(h);
    this.pulls.bytes += part.pulls.bytes;
    this.pulls.requests += part.pulls.requests;
    this.pulls.downloads += part.pulls.downloads;
    this.overheadCoreSeconds += part.overheadCoreSeconds;
    this.oomKills += part.oomKills;
    this.swapSeconds += part.swapSeconds;
    this.eventsProcessed += part.eventsProcessed;
    this.last = lastSettle(this.last, part);
    if (part.samples) this.addSamples(part, part.samples);
  }

  private addSamples(part: GroupPart, s: Sampled): void {
    const hostCount = this.placement.hostCount;
    const hostRows = this.config.hostRows ?? true;
    const width = this.width;
    const m = (this.sampled ??= {
      timesS: s.timesS,
      rows: hostRows ? s.timesS.map(() => new Float64Array(hostCount * width)) : [],
      totals: s.timesS.map(() => new Float64Array(width - 1)),
      memoryBytes: s.timesS.map(() => new Float64Array(hostCount)),
      oomKillTimesS: [],
    });
    for (let j = 0; j < m.timesS.length; j++) {
      if (hostRows) m.rows[j]!.set(s.rows[j]!, part.from * width);
      m.memoryBytes[j]!.set(s.memoryBytes[j]!, part.from);
      addInto(m.totals[j]!, s.totals[j]!);
    }
    for (const t of s.oomKillTimesS) m.oomKillTimesS.push(t);
    // A group without services has no fine grid (as a whole run without any).
    if (part.services.length === 0) return;
    const grid = (this.grid ??= { timesS: s.startup.timesS, totals: s.startup.timesS.map(() => new Float64Array(width - 1)) });
    grid.totals.forEach((t, k) => addInto(t, s.startup.totals[k]!));
  }

  /**
   * The run's output; undefined when its start-up window cannot be told from the groups': the last
   * service settled exactly at a point of the fine grid (the whole run's order of the two events
   * decides its step then), or no group has a service.
   */
  finish(): RunOutput | undefined {
    const { w, mode, config, placement, table, requestedAt, readyAt, phases, slowdowns } = this;
    if (this.hosts.length !== placement.hostCount) throw new Error(`GroupMerge: ${this.hosts.length} of ${placement.hostCount} hosts merged`);
    let sampled: Sampled | undefined;
    if (this.sampled) {
      const startup = this.startup();
      if (startup === undefined) return undefined;
      const oomKillTimesS = Array.from(Float64Array.from(this.sampled.oomKillTimesS).sort());
      sampled = { ...this.sampled, oomKillTimesS, startup };
    }
    const n = table.count;
    const { hostOf, reasons } = placement;
    const hosts = this.hosts;
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
    return runOutput(w, mode, config, this.replication, {
      hosts,
      table,
      outcomes,
      kills: this.kills,
      jobs: NO_JOBS,
      pulls: this.pulls,
      overheadCoreSeconds: this.overheadCoreSeconds,
      oomKills: this.oomKills,
      swapSeconds: this.swapSeconds,
      peakGuests: undefined,
      failures: { hosts: 0, instancesLost: 0, jobsLost: 0, notRecovered: 0, recoveryTimesS: [], detectS: mode.recovery.detectS },
      maintenance: undefined,
      instances: config.records === false ? [] : Array.from({ length: n }, (_, i) => serviceRecord(table, outcomes, i, hostOf[i]! >= 0 ? hosts[hostOf[i]!]!.name : undefined)),
      latencies: latencies.digest(),
      ready: readyLog.digest(),
      samples: sampled && samplesOf(w, hosts, sampled),
      eventsProcessed: this.eventsProcessed,
      failureTimesS: [],
      readySteps: [],
    });
  }

  /** The whole run's start-up samples: the grid's points its window keeps, with their totals (undefined: see finish). */
  private startup(): Sampled["startup"] | undefined {
    const { grid, placement, config } = this;
    if (grid === undefined) return undefined;
    let end = config.horizonS;
    const everySettled = this.last !== undefined && placement.hostOf.every((h, i) => h >= 0 || placement.reasons.has(i));
    if (everySettled) {
      let last = this.last!;
      for (const i of placement.reasons.keys()) {
        const t = placement.requestedAt[i]!;
        if (t > last.atS) last = { atS: t, stepS: fineStepAfter(grid.timesS.filter((g) => g < t).length, config.sampleStepS) };
      }
      if (grid.timesS.some((g) => Math.abs(g - last.atS) <= 1e-9)) return undefined;
      end = fineWindowEnd(config.horizonS, last.atS, last.stepS);
    }
    const kept = keptFineSamples(grid.timesS, end);
    return { timesS: kept.map((k) => grid.timesS[k]!), totals: kept.map((k) => grid.totals[k]!) };
  }
}
