/**
 * One replication of one mode: services are requested on their schedule and placed (largest
 * first for ffd/bfd) or rejected; jobs arrive and wait first come first served until they fit;
 * placed instances start up (StartupModel), then work (RunningModel); the run's metrics are read
 * off the hosts, the flows and the instances at the horizon.
 */
import { quantileSorted } from "simple-statistics";
import { deriveSeed, RngStreams, sample, Simulation, type Distribution, type Rng } from "../engine/index.js";
import {
  footprint,
  Host,
  MemoryModel,
  RunningModel,
  StartupModel,
  STARTUP_PHASES,
  type App,
  type Arrivals,
  type Footprint,
  type Mode,
} from "../model/index.js";
import { monthlyCost, ruleApplies, type CostBreakdown, type HostUsage, type LicenceRule } from "../cost/index.js";
import { FluidSharing } from "../sharing/index.js";
import { chooseHost, sortsLargestFirst, type PlacementPolicy } from "../placement/index.js";
import type { Workload } from "./resolve.js";
import { APP_METRICS, METRICS, type MetricName, type Rejection, type RunResult } from "./results.js";

export interface RunConfig {
  readonly seed: number;
  readonly horizonS: number;
  readonly policy: PlacementPolicy;
  /** Sample host CPU and memory every this many seconds (none when absent). */
  readonly sampleStepS?: number;
}

/** Host samples of one run: `rows[t][h]` = [cores per app..., overhead, start-up, memory in use (bytes)]. */
export interface Samples {
  readonly timesS: readonly number[];
  readonly hosts: readonly string[];
  /** App names, then "overhead", "start-up", "memoryBytes". */
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Float64Array[])[];
}

/** Per-instance outcome of a run, services in request order then jobs in arrival order (for CSV and trace). */
export interface InstanceRecord {
  readonly app: string;
  /** Services: the replica; jobs: the arrival number. */
  readonly replica: number;
  readonly kind: "service" | "job";
  readonly host: string | undefined;
  /** Services: the request; jobs: the arrival. NaN when never requested within the horizon (a later rollout wave). */
  readonly requestedAt: number;
  /** NaN when not ready within the horizon or rejected. */
  readonly readyAt: number;
  /** Jobs: when the work was done (NaN if not within the horizon); services: NaN. */
  readonly doneAt: number;
  readonly reason: string | undefined;
  /** Seconds in each phase of STARTUP_PHASES. */
  readonly phases: readonly number[];
  /** Services: CPU demanded / CPU work done over the run (NaN if it never ran). */
  readonly slowdown: number;
}

export interface RunOutput extends RunResult {
  readonly instances: readonly InstanceRecord[];
  /** USD per month by item: hosts, each licence rule, operations. */
  readonly costItems: readonly { readonly kind: "hosts" | "licenses" | "operations"; readonly name: string; readonly monthly: number; readonly detail: string }[];
  readonly samples: Samples | undefined;
  /** Engine events the run processed (for benchmarks). */
  readonly eventsProcessed: number;
}

/** Observes a run's lifecycle events (`densim trace`): instance -1 for host-level events. */
export type RunListener = (time: number, instance: number, event: string, detail: string) => void;

interface Request {
  readonly app: App;
  readonly replica: number;
  readonly footprint: Footprint;
}

export function buildHosts(w: Workload, mode: Mode): Host[] {
  const hosts: Host[] = [];
  for (const t of w.hostTypes) for (let i = 0; i < t.count; i++) hosts.push(new Host(hosts.length, `${t.type}-${i + 1}`, t, mode));
  return hosts;
}

function serviceRequests(w: Workload, mode: Mode): Request[] {
  const out: Request[] = [];
  for (const app of w.apps) {
    if (app.kind !== "service") continue;
    const fp = footprint(app, mode);
    for (let r = 0; r < app.replicas; r++) out.push({ app, replica: r, footprint: fp });
  }
  return out;
}

/** ffd and bfd take the largest first among requests made at the same time: memory, then CPU. */
const largestFirst = (a: Request, b: Request): number =>
  b.footprint.memoryCommitBytes - a.footprint.memoryCommitBytes || b.footprint.cpuCommitCores - a.footprint.cpuCommitCores;

export function runOnce(w: Workload, mode: Mode, config: RunConfig, replication: number, listener?: RunListener): RunOutput {
  const hosts = buildHosts(w, mode);
  /** Services first (fixed), then jobs as they arrive. */
  const reqs: Request[] = serviceRequests(w, mode);
  const services = reqs.length;
  const streams = new RngStreams(config.seed, replication);
  const placedOn: (Host | undefined)[] = [];
  const reasons: (string | undefined)[] = [];
  const requestedAt: number[] = [];
  const readyAt: number[] = [];
  const doneAt: number[] = [];
  /** Instance -> its index in the StartupModel (start order), -1 if never started. */
  const startIndex: number[] = [];
  const grow = (): void => {
    placedOn.push(undefined);
    reasons.push(undefined);
    requestedAt.push(NaN);
    readyAt.push(NaN);
    doneAt.push(NaN);
    startIndex.push(-1);
  };
  for (let i = 0; i < services; i++) grow();

  const sim = new Simulation(Math.max(16, services));
  const sharing = new FluidSharing(sim);
  const waves = new Waves(reqs);
  const REQUEST = sim.register((i) => request(i));
  const started: number[] = [];
  const startup = new StartupModel(
    sim,
    sharing,
    streams,
    mode,
    hosts,
    w.apps,
    w.registry,
    (k) => ready(started[k] as number),
    listener ? (t, k, event, detail) => listener(t, k < 0 ? -1 : (started[k] as number), event, detail) : undefined,
  );
  const running = new RunningModel(sim, sharing, mode, hosts, (h) => startup.cpuOf(h), streams, (h) => startup.diskOf(h));
  const jobs = new JobQueue();
  const kills: number[] = [];
  const RESTART = sim.register((i) => restart(i));
  const memory = new MemoryModel(
    sim,
    mode,
    hosts,
    Math.min(60, Math.max(1, config.horizonS / 1000)),
    config.horizonS,
    (h, factor) => running.setPenalty(h, factor),
    (i) => oomKilled(i),
  );

  /** An OOM-killed service: down until restarted after a CrashLoopBackOff-style delay (10 s doubling, at most 5 min). */
  function oomKilled(i: number): void {
    const req = reqs[i] as Request;
    running.stopService(i);
    kills[i] = (kills[i] ?? 0) + 1;
    listener?.(sim.now, i, "oom-killed", `kill ${kills[i]}`);
    if (req.app.restart === "always") sim.after(Math.min(300, 10 * 2 ** ((kills[i] as number) - 1)), RESTART, i);
    else (placedOn[i] as Host).release(req.app, req.footprint);
  }

  function restart(i: number): void {
    const req = reqs[i] as Request;
    const host = placedOn[i] as Host;
    listener?.(sim.now, i, "restarting", "");
    started.push(i);
    startup.restart({ index: started.length - 1, app: req.app, replica: req.replica, host, requestedAt: sim.now }, streams.get(`restart/${req.app.name}#${req.replica}`));
  }

  function place(i: number, host: Host): void {
    const req = reqs[i] as Request;
    host.commit(req.app, req.footprint);
    placedOn[i] = host;
    listener?.(sim.now, i, "placed", host.name);
    startIndex[i] = started.length;
    started.push(i);
    const starting = { index: started.length - 1, app: req.app, replica: req.replica, host, requestedAt: sim.now };
    // Jobs are too many for a stream each: their start-up draws come from the app's stream, in start order.
    if (req.app.kind === "job") startup.begin(starting, streams.get(`startup/${req.app.name}`));
    else startup.begin(starting);
  }

  function request(i: number): void {
    const req = reqs[i] as Request;
    requestedAt[i] = sim.now;
    const decision = chooseHost(hosts, req, config.policy);
    if (decision.host) place(i, decision.host);
    else {
      reasons[i] = decision.reason;
      listener?.(sim.now, i, "rejected", decision.reason);
      settle(i);
    }
  }

  function ready(i: number): void {
    const first = Number.isNaN(readyAt[i] as number);
    if (first) readyAt[i] = sim.now;
    const req = reqs[i] as Request;
    const host = placedOn[i] as Host;
    if (req.app.kind === "service") {
      running.startService(i, req.app, req.replica, host);
      memory.track(i, req.app, host, req.footprint);
      if (first) settle(i);
      return;
    }
    memory.track(i, req.app, host, req.footprint);
    running.startJob(req.app, host, jobWork[i] as number, () => {
      doneAt[i] = sim.now;
      memory.untrack(i, host);
      listener?.(sim.now, i, "done", "");
      host.release(req.app, req.footprint);
      drainQueue();
    });
  }

  /** An instance is ready or rejected: a rollout's next wave may go. */
  function settle(i: number): void {
    const next = waves.settled(i);
    if (next) schedule(next.indices.map((k) => ({ i: k, t: sim.now + next.pauseS + offset(k) })));
  }

  function schedule(timed: { i: number; t: number }[]): void {
    // Requests at one time go in request order, or largest first for ffd/bfd.
    timed.sort((a, b) => a.t - b.t || (sortsLargestFirst(config.policy) ? largestFirst(reqs[a.i] as Request, reqs[b.i] as Request) : 0) || a.i - b.i);
    for (const { i, t } of timed) sim.at(t, REQUEST, i);
  }

  /** A replica's delay after its wave (or the app's start) begins: its stagger slot. */
  function offset(i: number): number {
    const r = reqs[i] as Request;
    const slot = r.app.rollout ? r.replica % r.app.rollout.batch : r.replica;
    return slot * r.app.staggerS;
  }

  // Jobs: each app's arrivals, one pending arrival event per app; a job that fits nowhere waits, first come first served.
  const jobApps = w.apps.filter((a) => a.kind === "job");
  const arrivalCount = jobApps.map(() => 0);
  const ARRIVAL = sim.register((k) => arrive(k));
  const arrivalStreams = jobApps.map((a) => streams.get(`arrivals/${a.name}`));
  const workStreams = jobApps.map((a) => streams.get(`work/${a.name}`));
  const jobFootprints = jobApps.map((a) => footprint(a, mode));
  const jobWork: number[] = [];

  function nextArrival(k: number, after: number): void {
    const app = jobApps[k] as App;
    const a = app.arrivals as Arrivals;
    const n = arrivalCount[k] as number;
    let t: number;
    if (a.process === "poisson") t = after + -Math.log(1 - (arrivalStreams[k] as Rng).next()) / a.ratePerS;
    else if (a.process === "interval") t = a.atS + n * a.everyS;
    else t = n < a.timesS.length ? (a.timesS[n] as number) : Infinity;
    if (t <= config.horizonS && Number.isFinite(t)) sim.at(Math.max(t, sim.now), ARRIVAL, k);
  }

  function arrive(k: number): void {
    const app = jobApps[k] as App;
    const i = reqs.length;
    reqs.push({ app, replica: arrivalCount[k] as number, footprint: jobFootprints[k] as Footprint });
    grow();
    // Drawn at arrival, in arrival order, so the n-th job has the same work in every mode.
    jobWork[i] = sample(app.work as Distribution, workStreams[k] as Rng);
    requestedAt[i] = sim.now;
    arrivalCount[k] = (arrivalCount[k] as number) + 1;
    listener?.(sim.now, i, "arrived", app.name);
    jobs.push(i);
    drainQueue();
    nextArrival(k, sim.now);
  }

  function drainQueue(): void {
    while (jobs.size > 0) {
      const i = jobs.peek();
      const decision = chooseHost(hosts, reqs[i] as Request, config.policy);
      if (!decision.host) return;
      jobs.shift();
      place(i, decision.host);
    }
  }

  // Sampling: one event per step; what the CPU carries beyond apps and overhead is start-up work.
  const samples: { timesS: number[]; rows: Float64Array[][] } = { timesS: [], rows: [] };
  const step = config.sampleStepS;
  if (step !== undefined && step > 0) {
    const SAMPLE = sim.register(() => {
      const apps = running.sample(w.apps, hosts.length);
      const n = w.apps.length;
      samples.timesS.push(sim.now);
      samples.rows.push(
        hosts.map((h, k) => {
          const row = new Float64Array(n + 3);
          row.set(apps[k] as Float64Array);
          let known = 0;
          for (let c = 0; c <= n; c++) known += row[c] as number;
          row[n + 1] = Math.max(0, sharing.allocated(startup.cpuOf(h.index)) - known);
          row[n + 2] = memory.usedBytes(h.index);
          return row;
        }),
      );
      if (sim.now + step <= config.horizonS + 1e-9) sim.after(step, SAMPLE, 0);
    });
    sim.at(0, SAMPLE, 0);
  }

  schedule(waves.initial().flatMap((first) => first.indices.map((i) => ({ i, t: first.atS + offset(i) }))));
  jobApps.forEach((_, k) => nextArrival(k, 0));
  sim.run(config.horizonS);

  const slowdowns = running.slowdowns(reqs.length);
  const instances: InstanceRecord[] = reqs.map((r, i) => {
    const k = startIndex[i] as number;
    return {
      app: r.app.name,
      replica: r.replica,
      kind: r.app.kind,
      host: placedOn[i]?.name,
      requestedAt: requestedAt[i] as number,
      readyAt: readyAt[i] as number,
      doneAt: doneAt[i] as number,
      reason: reasons[i],
      phases: STARTUP_PHASES.map((_, p) => (k < 0 ? 0 : startup.phaseSeconds(k, p))),
      slowdown: slowdowns[i] as number,
    };
  });
  const cpu = hosts.filter((h) => h.everUsed).map((h) => ({ used: sharing.usageIntegral(startup.cpuOf(h.index)), capacity: sharing.capacity(startup.cpuOf(h.index)) }));
  const cost = costOf(w, mode, hosts, (h) => {
    const capacity = sharing.capacity(startup.cpuOf(h.index));
    const u = capacity > 0 && config.horizonS > 0 ? sharing.usageIntegral(startup.cpuOf(h.index)) / (capacity * config.horizonS) : 0;
    return Math.min(1, Math.max(0, u));
  });
  return {
    replication,
    seed: deriveSeed(config.seed, replication),
    metrics: metricsOf(hosts, instances, startup.pullStats, {
      horizonS: config.horizonS,
      cpuUsed: cpu.reduce((a, c) => a + c.used, 0),
      cpuCapacity: cpu.reduce((a, c) => a + c.capacity, 0),
      overheadCoreSeconds: running.overheadCoreSeconds(),
      oomKills: memory.oomKills,
      swapSeconds: memory.swapSeconds(),
      cost,
    }),
    costItems: [
      { kind: "hosts", name: "hosts", monthly: cost.hosts, detail: cost.hostsDetail },
      // Rules for other modes are left out: a mode's bill lists what applies to it.
      ...cost.perRule
        .filter((_, k) => ruleApplies(w.cost.licences[k] as LicenceRule, { name: mode.name, kind: mode.kind }))
        .map((r) => ({ kind: "licenses" as const, name: r.name, monthly: r.monthly, detail: r.detail })),
      { kind: "operations", name: "operations", monthly: cost.operations, detail: cost.operationsDetail },
    ],
    hostInstances: hosts.map((h) => h.instances),
    rejections: groupRejections(instances),
    apps: Object.fromEntries(w.apps.map((a) => [a.name, appMetrics(instances.filter((i) => i.app === a.name))])),
    instances,
    samples:
      step !== undefined && step > 0
        ? { timesS: samples.timesS, hosts: hosts.map((h) => h.name), columns: [...w.apps.map((a) => a.name), "overhead", "start-up", "memoryBytes"], rows: samples.rows }
        : undefined,
    eventsProcessed: sim.eventsProcessed,
  };
}

/** Jobs waiting for room, first come first served (a waiting head blocks those behind it). */
class JobQueue {
  private items: number[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  push(i: number): void {
    this.items.push(i);
  }
  peek(): number {
    return this.items[this.head] as number;
  }
  shift(): number {
    const i = this.items[this.head++] as number;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return i;
  }
}

/**
 * Which requests go when: apps without a rollout request every replica from their start; with
 * `rollout: { batch }`, a wave of `batch` replicas waits until the previous wave is ready or rejected.
 */
class Waves {
  private readonly remaining = new Map<string, number>();
  private readonly waveOf: Int32Array;
  private readonly members = new Map<string, number[]>();

  constructor(private readonly reqs: readonly Request[]) {
    // Only the services present at construction have waves; jobs arrive on their own.
    this.waveOf = new Int32Array(reqs.length);
    reqs.forEach((r, i) => {
      const wave = r.app.rollout ? Math.floor(r.replica / r.app.rollout.batch) : 0;
      this.waveOf[i] = wave;
      const key = `${r.app.name}\u0000${wave}`;
      const list = this.members.get(key);
      if (list) list.push(i);
      else this.members.set(key, [i]);
      this.remaining.set(key, (this.remaining.get(key) ?? 0) + 1);
    });
  }

  /** Wave 0 of every app, with the app's start time. */
  initial(): { readonly indices: readonly number[]; readonly atS: number }[] {
    const out: { indices: number[]; atS: number }[] = [];
    for (const [key, indices] of this.members) {
      if (!key.endsWith("\u00000")) continue;
      out.push({ indices, atS: (this.reqs[indices[0] as number] as Request).app.startAtS });
    }
    return out;
  }

  /** Marks request i ready or rejected; returns the app's next wave when this one is complete. */
  settled(i: number): { readonly indices: readonly number[]; readonly pauseS: number } | undefined {
    const r = this.reqs[i] as Request;
    if (i >= this.waveOf.length || !r.app.rollout) return undefined;
    const wave = this.waveOf[i] as number;
    const key = `${r.app.name}\u0000${wave}`;
    const left = (this.remaining.get(key) as number) - 1;
    this.remaining.set(key, left);
    if (left > 0) return undefined;
    const next = this.members.get(`${r.app.name}\u0000${wave + 1}`);
    return next ? { indices: next, pauseS: r.app.rollout.pauseS } : undefined;
  }
}

function appMetrics(mine: readonly InstanceRecord[]): Record<(typeof APP_METRICS)[number], number> {
  const sorted = (xs: number[]): number[] => xs.sort((a, b) => a - b);
  const q = (xs: readonly number[], p: number): number => (xs.length ? quantileSorted(xs as number[], p) : 0);
  const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const slowdowns = sorted(mine.filter((i) => !Number.isNaN(i.slowdown)).map((i) => i.slowdown));
  const latencies = sorted(mine.filter((i) => i.kind === "service" && !Number.isNaN(i.readyAt)).map((i) => i.readyAt - i.requestedAt));
  const done = mine.filter((i) => i.kind === "job" && !Number.isNaN(i.doneAt));
  return {
    "instances.placed": mine.filter((i) => i.kind === "service" && i.host !== undefined).length,
    "startup.p95": q(latencies, 0.95),
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": q(slowdowns, 0.99),
    "jobs.completed": done.length,
    "jobs.turnaround.mean": mean(done.map((j) => j.doneAt - j.requestedAt)),
  };
}

interface CpuTotals {
  readonly horizonS: number;
  readonly cpuUsed: number;
  readonly cpuCapacity: number;
  readonly overheadCoreSeconds: number;
  readonly oomKills: number;
  readonly swapSeconds: number;
  readonly cost: CostBreakdown;
}

/** What the hosts the run used cost per month, with their OS instances licensed and patched. */
function costOf(w: Workload, mode: Mode, hosts: readonly Host[], utilization: (h: Host) => number): CostBreakdown {
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

function metricsOf(
  hosts: readonly Host[],
  all: readonly InstanceRecord[],
  pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number },
  cpu: CpuTotals,
): Record<MetricName, number> {
  const instances = all.filter((i) => i.kind === "service");
  const jobs = all.filter((i) => i.kind === "job");
  const placed = instances.filter((i) => i.host !== undefined).length;
  const used = hosts.filter((h) => h.everUsed);
  const sorted = (xs: number[]): number[] => xs.sort((a, b) => a - b);
  const q = (xs: readonly number[], p: number): number => (xs.length ? quantileSorted(xs as number[], p) : 0);
  const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const latencies = sorted(instances.filter((i) => !Number.isNaN(i.readyAt)).map((i) => i.readyAt - i.requestedAt));
  const slowdowns = sorted(instances.filter((i) => !Number.isNaN(i.slowdown)).map((i) => i.slowdown));
  const done = jobs.filter((j) => !Number.isNaN(j.doneAt));
  const turnaround = sorted(done.map((j) => j.doneAt - j.requestedAt));
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
    "startup.p50": q(latencies, 0.5),
    "startup.p95": q(latencies, 0.95),
    "startup.p99": q(latencies, 0.99),
    "startup.max": latencies.length ? (latencies[latencies.length - 1] as number) : 0,
    "startup.allReady": instances.reduce((acc, i) => (Number.isNaN(i.readyAt) ? acc : Math.max(acc, i.readyAt)), 0),
    ...phaseMeans(instances),
    "pull.bytes": pulls.bytes,
    "pull.cacheHitRatio": pulls.requests > 0 ? 1 - pulls.downloads / pulls.requests : 0,
    "slowdown.mean": mean(slowdowns),
    "slowdown.p99": q(slowdowns, 0.99),
    "cpu.utilization": cpu.cpuCapacity > 0 && cpu.horizonS > 0 ? cpu.cpuUsed / (cpu.cpuCapacity * cpu.horizonS) : 0,
    "jobs.arrived": jobs.length,
    "jobs.completed": done.length,
    "jobs.turnaround.mean": mean(turnaround),
    "jobs.turnaround.p95": q(turnaround, 0.95),
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

function groupRejections(instances: readonly InstanceRecord[]): Rejection[] {
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
