/**
 * One replication of one mode: services are requested on their schedule and placed (largest
 * first for ffd/bfd) or rejected; jobs arrive and wait first come first served until they fit;
 * placed instances start up (StartupModel), then work (RunningModel); the run's metrics are read
 * off the hosts, the flows and the instances at the horizon.
 */
import { RngStreams, sample, Simulation, type Distribution, type Rng } from "../engine/index.js";
import {
  AppNumbers,
  footprint,
  Host,
  HostSharing,
  MemoryModel,
  RunningModel,
  StartupModel,
  STARTUP_PHASES,
  type App,
  type Arrivals,
  type Footprint,
  type Mode,
  drainPolicy,
  preCopyMigration,
  runningFlows,
} from "../model/index.js";
import { FluidSharing } from "../sharing/index.js";
import { grown } from "../sharing/grow.js";
import { Placer, sortsLargestFirst, type PlacementPolicy, type PlacementRequest } from "../placement/index.js";
import { ServiceTable } from "./service-table.js";
import type { Workload } from "./resolve.js";
import { JobQueue, Waves } from "./queues.js";
import type { RunResult } from "./results.js";
import { hostReport, type HostReport, type ServiceOutcomes } from "./run-metrics.js";
import { runOutput } from "./run-output.js";
import { FailureAccount, outagesOf, thinSteps } from "./failures.js";
import { JobBook, type JobRecord, type JobSink } from "./jobs.js";
import type { InstanceRecord } from "./instance-record.js";
import { ReadyLog, SampleCollector, type ReadyDigest, type SampleDigest } from "./sample-digest.js";
import { Callbacks, guestRebootTimes, MaintenanceAccount, MigrationChannels, RollingPatch } from "./maintenance.js";
import { Samplers } from "./samplers.js";
import type { HostGroup } from "./host-groups.js";

export interface RunConfig {
  readonly seed: number;
  readonly horizonS: number;
  readonly policy: PlacementPolicy;
  /** Sample host CPU and memory every this many seconds (none when absent). */
  readonly sampleStepS?: number;
  /**
   * Build the per-instance records (`instances`; default true). False: the output's `instances`
   * is empty and only the metrics and the digest are read off the run's columns.
   */
  readonly records?: boolean;
  /**
   * Keep each sample's per-host rows (`Samples.rows`, for timeseries.csv; default true). False:
   * only the sums the results read are kept (`Samples.totals`, `Samples.memoryBytes`), a row's
   * worth of memory per host instead of a row per host and sample.
   */
  readonly hostRows?: boolean;
  /**
   * Simulate one host group of a run that decomposes (host-groups.ts): only its hosts, numbered from
   * 0, and the services placement gave them, each on its host; every other setting as the whole run's.
   */
  readonly group?: HostGroup;
}

/**
 * Host samples of one run: `rows[t]` holds every host's row one after another, host h's at
 * h x columns.length = [cores per app..., overhead, start-up, memory in use (bytes)] (hostRow).
 * One buffer per sample, not an object per host and sample: 20,000 hosts x 120 samples would be
 * 2.4 million typed-array views per mode.
 */
export interface Samples {
  readonly timesS: readonly number[];
  readonly hosts: readonly string[];
  /** App names, then "overhead", "start-up", "memoryBytes". */
  readonly columns: readonly string[];
  /** Per host: whether it ran anything during the run, and its cores less the reserve. */
  readonly used: readonly boolean[];
  readonly cores: readonly number[];
  /** Per sample, every host's row (empty when the run was asked for no host rows: RunConfig.hostRows). */
  readonly rows: readonly Float64Array[];
  /**
   * Per sample, each CPU column (apps..., overhead, start-up) summed over every host in host order:
   * a host never used holds exact zeros there, so this is the sum over the used hosts, as results read it.
   */
  readonly totals: readonly Float64Array[];
  /** Per sample, each host's memory in use, bytes (the rows' last column). */
  readonly memoryBytes: readonly Float64Array[];
  /**
   * The same rows sampled finely over the start-up window: every `FINE_START_S` from 0 (samplers.ts), the
   * step doubling (every other sample dropped) whenever there are 2 x FINE_SAMPLES, until every
   * service is ready or rejected plus a tenth of that time. Empty when no service is requested.
   */
  readonly startup: {
    readonly timesS: readonly number[];
    /**
     * Per sample, each CPU column (apps..., overhead, start-up) summed over every host, in host order
     * (a host never used holds exact zeros, so this is the sum over the used hosts): only the total is
     * charted, so the per-host rows are not kept.
     */
    readonly totals: readonly Float64Array[];
  };
  /** When an instance was OOM-killed, seconds, ascending. */
  readonly oomKillTimesS: readonly number[];
}

/** Host `h`'s row of sample `j` (a view into the sample's buffer). */
export function hostRow(samples: Pick<Samples, "rows" | "columns">, j: number, h: number): Float64Array {
  const width = samples.columns.length;
  return (samples.rows[j] as Float64Array).subarray(h * width, (h + 1) * width);
}

const PHASES = STARTUP_PHASES.length;

/** A guest whose reboot slot finds it busy (starting, down, migrating) tries again this much later, seconds. */
const REBOOT_RETRY_S = 60;


export type { InstanceRecord } from "./instance-record.js";

/**
 * What the results need of a run's instances, bounded in size however many jobs ran: start-up
 * latencies (services and jobs; exact up to a limit, else a sketch), services' slowdowns ascending,
 * and when instances became ready.
 */
export interface RunDigest {
  readonly latencies: SampleDigest;
  readonly slowdowns: Float64Array;
  readonly ready: ReadyDigest;
}

export interface RunOutput extends RunResult {
  /** Services in request order, then jobs in arrival order unless a job sink took them. */
  readonly instances: readonly InstanceRecord[];
  readonly digest: RunDigest;
  /** Metrics of this run that are sketch estimates (`jobs.turnaround.p95`, `apps.<app>.jobs.turnaround.p95`); [] when none. */
  readonly estimated: readonly string[];
  /** USD per month by item: hosts, each licence rule, operations. */
  readonly costItems: readonly { readonly kind: "hosts" | "licenses" | "operations"; readonly name: string; readonly monthly: number; readonly detail: string }[];
  readonly samples: Samples | undefined;
  /** Engine events the run processed (for benchmarks). */
  readonly eventsProcessed: number;
  /** When hosts failed, seconds, ascending. */
  readonly failureTimesS: readonly number[];
  /** Per failure that lost instances and got all back: seconds to the last one ready, ascending. */
  readonly recoveryTimesS: readonly number[];
  /** [time s, service instances ready] at each change, when some host failed (else empty). */
  readonly readySteps: readonly (readonly [number, number])[];
}

/**
 * What a host group's run (runGroup) hands to the merge (host-groups.ts mergeGroups), as plain data
 * that crosses worker threads: its services' columns (in the order of `services`, their indices
 * among the whole run's), its hosts' reports and samples (hosts `from` to `to` of the whole run's),
 * and its sums.
 */
export interface GroupPart {
  readonly from: number;
  readonly to: number;
  readonly services: Int32Array;
  readonly requestedAt: Float64Array;
  readonly readyAt: Float64Array;
  /** Service k's first start's seconds in phase p at [k x STARTUP_PHASES.length + p]. */
  readonly phases: Float64Array;
  /** NaN for a service that never ran. */
  readonly slowdowns: Float64Array;
  readonly kills: Int32Array;
  readonly hosts: readonly HostReport[];
  readonly pulls: { readonly bytes: number; readonly requests: number; readonly downloads: number };
  readonly overheadCoreSeconds: number;
  readonly oomKills: number;
  readonly swapSeconds: number;
  readonly eventsProcessed: number;
  /**
   * Sampled as a whole run samples, but its start-up samples are every point of the fine grid up
   * to the horizon (none thinned, none after the window: keptFineSamples and fineWindowEnd in
   * samplers.ts give the whole run's from the group that settled last).
   */
  readonly samples: Sampled | undefined;
  /** When its last service settled and the fine step then; undefined when one never did. */
  readonly settled: { readonly atS: number; readonly stepS: number } | undefined;
}

/** Observes a run's lifecycle events (`densim trace`): instance -1 for host-level events. */
export type RunListener = (time: number, instance: number, event: string, detail: string) => void;

/** The cluster's hosts for a mode, with the failover reserve marked: the last `reserve.hosts`, or a share of each. */
export function buildHosts(w: Workload, mode: Mode, from = 0, to = Infinity): Host[] {
  const hosts: Host[] = [];
  const apps = new AppNumbers();
  const reserve = w.reserve ?? { hosts: 0, share: 0 };
  const count = w.hostTypes.reduce((n, t) => n + t.count, 0);
  let k = 0;
  for (const t of w.hostTypes)
    for (let i = 0; i < t.count; i++, k++) {
      if (k < from || k >= to) continue;
      const h = new Host(hosts.length, `${t.type}-${i + 1}`, t, mode, apps);
      h.reserveShare = reserve.share;
      h.reserveHost = k >= count - reserve.hosts;
      hosts.push(h);
    }
  return hosts;
}

/** ffd and bfd take the largest first among requests made at the same time: memory, then CPU. */
const largestFirst = (a: Footprint, b: Footprint): number => b.memoryCommitBytes - a.memoryCommitBytes || b.cpuCommitCores - a.cpuCommitCores;

const dropJob: JobSink = () => {};

/**
 * One run. Listener instance numbers: services by request order, then jobs by arrival (the
 * services' count plus the arrival number). With `jobSink`, job records go to it and are not kept.
 */
export function runOnce(whole: Workload, mode: Mode, config: RunConfig, replication: number, listener?: RunListener, jobSink?: JobSink): RunOutput {
  if (config.group) throw new Error("runOnce: a host group's run is runGroup's");
  return simulate(whole, mode, config, replication, listener, jobSink) as RunOutput;
}

/** One host group's run of a run that decomposes (host-groups.ts): its part of the whole run. */
export function runGroup(whole: Workload, mode: Mode, config: RunConfig, group: HostGroup, replication: number): GroupPart {
  return simulate(whole, mode, { ...config, group }, replication) as GroupPart;
}

/** A whole run (runOnce), or a host group's (config.group: runGroup). */
function simulate(whole: Workload, mode: Mode, config: RunConfig, replication: number, listener?: RunListener, jobSink?: JobSink): RunOutput | GroupPart {
  const group = config.group;
  // A host group's hosts are its own, numbered from 0: so are their prices and names.
  const w = group ? { ...whole, hostNames: whole.hostNames.slice(group.from, group.to), cost: { ...whole.cost, hostCosts: whole.cost.hostCosts.slice(group.from, group.to) } } : whole;
  const hosts = buildHosts(whole, mode, group?.from, group?.to);
  const placer = new Placer(hosts, config.policy);
  /** Services, fixed; jobs live in the job book while in flight. */
  const table = new ServiceTable(w.apps, mode, group?.services);
  const services = table.count;
  const streams = new RngStreams(config.seed, replication);
  // Per service, as columns (a million services are a few typed arrays, not a million objects).
  /** Service -> the host it is placed on (its latest), -1 if never placed. */
  const placedOn = new Int32Array(services).fill(-1);
  /** The rejected services' reasons (most services have none). */
  const reasons = new Map<number, string>();
  const hostOf = (i: number): Host => hosts[placedOn[i] as number] as Host;
  const requestedAt = new Float64Array(services).fill(NaN);
  const readyAt = new Float64Array(services).fill(NaN);
  const doneAt = new Float64Array(services).fill(NaN);
  /** Service -> the StartupModel slot of its first start (kept for its phases), -1 if never started. */
  const startIndex = new Int32Array(services).fill(-1);
  /** Service -> its first start's seconds per phase once it was ready ([i * PHASES + p]; its slot is then released), and whether they are. */
  const firstPhases = new Float64Array(services * PHASES);
  const phasesKept = new Uint8Array(services);
  /** Instance -> its latest start (a restart or a relocation starts it again), -1 if never started. */
  const currentStart = new Int32Array(services).fill(-1);
  /** Instance -> whether it holds its host's resources now (placed, not finished, not lost): 1 or 0. */
  const live = new Uint8Array(services);
  /** Instance -> bumped whenever it is stopped, so a migration or reboot under way for it knows it was overtaken. */
  const epoch = new Int32Array(services);
  /** Instance -> a service that is ready and running now (not starting, paused, rebooting or down): 1 or 0. */
  const isUp = new Uint8Array(services);
  /** Guest OS instances live now, and at most at once: a guest moved between hosts is one OS to patch. */
  let liveGuests = 0;
  let peakGuests = 0;
  /** Guest OS instances placed (`delta` > 0) or gone. */
  const guests = (delta: number): void => {
    liveGuests += delta;
    peakGuests = Math.max(peakGuests, liveGuests);
  };
  const setLive = (i: number, v: boolean): void => {
    if ((live[i] === 1) === v) return;
    live[i] = v ? 1 : 0;
    guests((v ? 1 : -1) * table.footprintOf(i).osInstances);
  };

  const sim = new Simulation(Math.max(16, services));
  const sharing = new FluidSharing(sim);
  const hostSharing = new HostSharing(sharing, hosts.length);
  const waves = new Waves(table);
  /**
   * Requests due at one time go as one event: placed in order, their start-up flows begin in one
   * batch, so a host's rates are computed once for all its new instances, not once per instance.
   */
  const requestGroups: (readonly number[])[] = [];
  const REQUESTS = sim.register((g) => {
    const group = requestGroups[g] as readonly number[];
    requestGroups[g] = [];
    sharing.batch(() => {
      for (let k = 0; k < group.length; k++) request(group[k] as number);
    });
  });
  /**
   * StartupModel slot k -> the instance starting there (listener numbering) at [2k], and its job slot
   * (-1 for a service) at [2k + 1]: one line read when the start is ready.
   */
  let startedBy = new Int32Array(2 * services);
  const startedJob = (k: number): number => startedBy[2 * k + 1]!;
  const startup = new StartupModel(
    sim,
    hostSharing,
    streams,
    mode,
    hosts,
    w.apps,
    w.registry,
    (k) => ready(k),
    listener ? (t, k, event, detail) => listener(t, k < 0 ? -1 : startedBy[2 * k]!, event, detail) : undefined,
  );
  // Every service may be starting at once (all requested at t=0): size the slots (and startedBy) once, not by doubling.
  startup.reserve(services);
  // Likewise the flows, now that every resource is added: each service running (runningFlows) and
  // starting (one start-up flow at a time). Growing instead copies every column of the widest table,
  // holding old and new at once (a million VMs: 2 M to 4 M ids, 55 MB more peak RSS); jobs grow it as they come.
  let flows = 0;
  for (let slot = 0; slot < table.apps.length; slot++) {
    const span = table.spanOf(slot);
    flows += (span.to - span.from) * (runningFlows(table.apps[slot]!, mode) + 1);
  }
  sharing.reserve(flows);
  /** The StartupModel slot the next start takes, noted as `instance`'s (and job slot `job`'s) before it begins. */
  const nextStart = (instance: number, job: number): void => {
    const k = startup.nextSlot();
    if (2 * k + 2 > startedBy.length) startedBy = grown(startedBy, 2 * k + 2);
    startedBy[2 * k] = instance;
    startedBy[2 * k + 1] = job;
  };
  /** What StartupModel.begin is asked (it keeps none of it): one object, filled in per start. */
  const starting: { app: App; replica: number; host: Host; requestedAt: number } = { app: w.apps[0]!, replica: 0, host: hosts[0]!, requestedAt: 0 };
  const latencies = new SampleCollector();
  const readyLog = new ReadyLog();
  const running = new RunningModel(sim, hostSharing, mode, hosts, (h) => startup.cpuOf(h), streams, (h) => startup.diskOf(h));
  running.reserve(services);
  const queue = new JobQueue();
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
    const req = table.requestOf(i);
    oomKillTimes.push(sim.now);
    readyCount(-1);
    running.stopService(i);
    isUp[i] = 0;
    kills[i] = (kills[i] ?? 0) + 1;
    listener?.(sim.now, i, "oom-killed", `kill ${kills[i]}`);
    if (req.app.restart === "always") restarts.set(i, sim.after(Math.min(300, 10 * 2 ** ((kills[i] as number) - 1)), RESTART, i));
    else {
      setLive(i, false);
      hostOf(i).release(req.app, req.footprint);
      drainQueue();
    }
  }

  /** Pending restarts after an OOM kill, by instance: a host failure cancels them. */
  const restarts = new Map<number, ReturnType<typeof sim.after>>();

  function restart(i: number): void {
    restarts.delete(i);
    const app = table.appOf(i);
    const replica = table.replicaOf(i);
    listener?.(sim.now, i, "restarting", "");
    currentStart[i] = startup.nextSlot();
    nextStart(i, -1);
    startup.restart({ app, replica, host: hostOf(i), requestedAt: sim.now }, streams.get(`restart/${app.name}#${replica}`));
  }

  /** `recovery`: placed again after its host failed or was drained; `sharedDisk`: a VM's disk is on shared storage (not provisioned again). */
  function place(i: number, host: Host, recovery = false, sharedDisk = true): void {
    const req = table.requestOf(i);
    const replica = table.replicaOf(i);
    running.useHost(host.index);
    host.commit(req.app, req.footprint);
    placedOn[i] = host.index;
    setLive(i, true);
    listener?.(sim.now, i, recovery ? "relocated" : "placed", host.name);
    if ((startIndex[i] as number) < 0) startIndex[i] = startup.nextSlot();
    currentStart[i] = startup.nextSlot();
    nextStart(i, -1);
    starting.app = req.app;
    starting.replica = replica;
    starting.host = host;
    starting.requestedAt = sim.now;
    // A service placed again after a failure: its own stream (the same in every mode); a VM's disk is on shared storage.
    if (recovery) startup.begin(starting, streams.get(`recover/${req.app.name}#${replica}`), { sharedDisk });
    else startup.begin(starting);
  }

  function request(i: number): void {
    requestedAt[i] = sim.now;
    if (group) {
      // Placed before the run, on the whole cluster (host-groups.ts): the decision stands.
      place(i, hosts[group.hostOf[i]! - group.from] as Host);
      return;
    }
    const decision = placer.choose(table.requestOf(i));
    if (decision.host) place(i, decision.host);
    else {
      reasons.set(i, decision.reason);
      listener?.(sim.now, i, "rejected", decision.reason);
      settle(i);
    }
  }

  /** The start in StartupModel slot `k` is ready. */
  function ready(k: number): void {
    const job = startedJob(k);
    if (job >= 0) {
      jobReady(job, k);
      return;
    }
    const i = startedBy[2 * k]!;
    const first = Number.isNaN(readyAt[i] as number);
    if (first) {
      readyAt[i] = sim.now;
      latencies.add(sim.now - (requestedAt[i] as number));
      readyLog.add(sim.now);
    }
    // A restart's phases are not reported; the first start's are copied for the record. Either way
    // the slot is free at once, so the start-up model holds only the starts under way.
    currentStart[i] = -1;
    if (k === startIndex[i] && phasesKept[i] === 0) {
      for (let p = 0; p < PHASES; p++) firstPhases[i * PHASES + p] = startup.phaseSeconds(k, p);
      phasesKept[i] = 1;
    }
    startup.release(k);
    const req = table.requestOf(i);
    const host = hostOf(i);
    readyCount(+1);
    running.startService(i, req.app, table.replicaOf(i), host);
    memory.track(i, req.app, host, req.footprint);
    isUp[i] = 1;
    if (first) settle(i);
    else {
      failures.up(i, sim.now);
      maint.up(i, sim.now);
    }
  }

  /** Job slot `job` (start-up slot `k`) is ready: its phases are noted, the start-up slot freed, its work begins. */
  function jobReady(job: number, k: number): void {
    const i = startedBy[2 * k]!;
    // A job lost with its host and started again counts its start-up once, from its arrival.
    if (book.readyAt(job, sim.now, (slot, p) => startup.phaseSeconds(slot, p))) {
      latencies.add(sim.now - book.of("requested", job));
      readyLog.add(sim.now);
    }
    startup.release(k);
    startedBy[2 * k + 1] = -1;
    const a = book.of("app", job);
    const app = jobApps[a] as App;
    const fp = jobFootprints[a] as Footprint;
    const host = hosts[book.of("host", job)] as Host;
    memory.track(i, app, host, fp);
    // Only a failure or a drain stops a job early: without them no job keeps a way to stop it.
    running.startJob(app, host, book.of("work", job), jobDone, job, jobsMayBeLost ? i : -1);
  }

  /** Job slot `job` has done its work: its host's resources go back and the queue moves (one function for every job, no closure each). */
  function jobDone(job: number): void {
    const i = services + book.of("seq", job);
    const a = book.of("app", job);
    const app = jobApps[a] as App;
    const fp = jobFootprints[a] as Footprint;
    const host = hosts[book.of("host", job)] as Host;
    book.done(job, sim.now);
    guests(-fp.osInstances);
    memory.untrack(i, host);
    listener?.(sim.now, i, "done", "");
    host.release(app, fp);
    drainQueue();
  }

  /** Service instances ready now, and [time, count] at each change (kept when a host fails). */
  let readyNow = 0;
  const readySteps: [number, number][] = [[0, 0]];
  function readyCount(delta: number): void {
    // Only a run where a host fails reports them: the others keep no step per ready instance.
    if (outages.length === 0) return;
    readyNow += delta;
    const last = readySteps[readySteps.length - 1]!;
    if (last[0] === sim.now) last[1] = readyNow;
    else readySteps.push([sim.now, readyNow]);
  }

  // Host failures: each outage takes its host out; after the mode's detection delay each lost
  // instance is placed again (it may use the failover reserve); at repair the host is usable again.
  const failures = new FailureAccount();
  const outages = outagesOf(w, streams, config.horizonS);
  /** Lost instances no host could take yet: tried again whenever a host comes back. */
  let unplaced: number[] = [];
  const FAIL = sim.register((k) => {
    const o = outages[k]!;
    const event = failures.failure(sim.now);
    const host = hosts[o.host] as Host;
    const lost = takeHostOut(host, event);
    if (mode.recovery.action === "none") return;
    for (const i of lost.services) sim.after(mode.recovery.detectS, RELOCATE, i);
    // A lost job goes back to the queue once the loss is noticed, its work lost.
    for (const job of lost.jobs) sim.after(mode.recovery.detectS, REQUEUE, job);
  });
  const REPAIR = sim.register((k) => bringHostBack(hosts[outages[k]!.host] as Host));
  const RELOCATE = sim.register((i) => relocate(i));
  const REQUEUE = sim.register((job) => {
    queue.push(job);
    drainQueue();
  });
  outages.forEach((o, k) => {
    sim.at(o.atS, FAIL, k);
    if (o.backS <= config.horizonS) sim.at(o.backS, REPAIR, k);
  });

  /**
   * Takes `host` out of service now: placement stops choosing it, its resources stop, and every
   * instance on it is stopped and its resources given back. Returns the services among them (request
   * order), the ready ones counting as down with failure `event`, and its jobs (arrival order), which
   * wait in the job book, out of the queue.
   */
  function takeHostOut(host: Host, event: number): { services: number[]; jobs: number[] } {
    host.down = true;
    startup.setHostUp(host.index, false, host.spec);
    listener?.(sim.now, -1, "host-down", host.name);
    const lost: number[] = [];
    for (let i = 0; i < services; i++) if (live[i] && placedOn[i] === host.index) lost.push(i);
    for (const i of lost) stopInstance(i, event);
    const jobs = book.onHost(host.index);
    for (const job of jobs) loseJob(job, host);
    return { services: lost, jobs };
  }

  let jobsLost = 0;
  /**
   * Stops job `job` where it runs or starts and gives its host's resources back; it no longer has a
   * host. `failure`: lost to a host failure (counted), else drained for maintenance.
   */
  function loseJob(job: number, host: Host, failure = true): void {
    const i = services + book.of("seq", job);
    const k = book.startSlotOf(job);
    if (k >= 0) {
      startup.abort(k);
      startedBy[2 * k + 1] = -1;
    } else running.stopJob(i);
    memory.untrack(i, host);
    const a = book.of("app", job);
    host.release(jobApps[a] as App, jobFootprints[a] as Footprint);
    book.lost(job);
    guests(-(jobFootprints[a] as Footprint).osInstances);
    if (failure) jobsLost++;
    listener?.(sim.now, i, "lost", host.name);
  }

  /** Stops instance `i` where it runs and gives its host's resources back; a ready service counts as down with `event`. */
  function stopInstance(i: number, event: number): void {
    const req = table.requestOf(i);
    const host = hostOf(i);
    const k = currentStart[i] as number;
    if (k >= 0) startup.abort(k);
    const pending = restarts.get(i);
    if (pending !== undefined) sim.cancel(pending);
    restarts.delete(i);
    epoch[i] = (epoch[i] ?? 0) + 1;
    isUp[i] = 0;
    // A failure takes over from maintenance: the instance's downtime from now is the failure's.
    if (event >= 0) maint.up(i, sim.now);
    if (event >= 0 && !Number.isNaN(readyAt[i] as number)) failures.down(i, event, sim.now);
    if (running.stopService(i)) readyCount(-1);
    memory.untrack(i, host);
    setLive(i, false);
    host.release(req.app, req.footprint);
    listener?.(sim.now, i, "lost", host.name);
  }

  /**
   * Places lost instance `i` again (a job goes back to the queue, its work lost); it may use the failover
   * reserve. False when no host can take it now: it waits for a host to come back.
   */
  function relocate(i: number, sharedDisk = true): boolean {
    const req = table.requestOf(i);
    const decision = placer.choose({ app: req.app, footprint: req.footprint, recovery: true });
    if (decision.host) place(i, decision.host, true, sharedDisk);
    else {
      listener?.(sim.now, i, "unplaced", decision.reason);
      unplaced.push(i);
    }
    return decision.host !== undefined;
  }

  /** `host` is usable again, empty (its image cache kept: the same machine back from repair); lost instances waiting for room try again. */
  function bringHostBack(host: Host): void {
    host.down = false;
    startup.setHostUp(host.index, true, host.spec);
    listener?.(sim.now, -1, "host-up", host.name);
    const waiting = unplaced;
    unplaced = [];
    for (const i of waiting) relocate(i);
    drainQueue();
  }

  // Planned maintenance (maintenance.ts): rolling host patches drain each host by the mode's policy
  // (live or cold migration, a reschedule, or a stop for the window), patch it, bring it back;
  // guests reboot for their OS patches. Its downtime is counted apart from failures'.
  const maint = new MaintenanceAccount();
  const policy = mode.maintenance ?? drainPolicy(mode.kind);
  const channels = new MigrationChannels(hosts.length);
  const later = new Callbacks(sim);
  /** Instances stopped for their host's patch (drain: stop), by host: they start again there when it is back. */
  const parked = new Map<number, number[]>();
  /** Instances being live-migrated now. */
  const migrating = new Set<number>();
  const patching = w.maintenance?.hostPatch
    ? new RollingPatch(sim, w.maintenance.hostPatch, hosts.length, config.horizonS, {
        drain: drainHost,
        patch: (h) => {
          startup.setHostUp(h, false, (hosts[h] as Host).spec);
          listener?.(sim.now, -1, "patching", (hosts[h] as Host).name);
        },
        back: (h) => {
          const host = hosts[h] as Host;
          // Processes stopped for the window start again on their host, before anything else may take it.
          for (const i of parked.get(h) ?? []) place(i, host, true);
          parked.delete(h);
          bringHostBack(host);
        },
      })
    : undefined;
  /** Whether a job can be stopped before it is done (a host failure, or a drain for a patch). */
  const jobsMayBeLost = outages.length > 0 || patching !== undefined;

  /** Takes host `h` out of placement and moves its instances off by the mode's policy; `empty` once none runs there. False: it is down (failed), skip it. */
  function drainHost(h: number, empty: () => void): boolean {
    const host = hosts[h] as Host;
    if (host.down) return false;
    host.down = true;
    listener?.(sim.now, -1, "draining", host.name);
    let waiting = 1;
    const left = (): void => {
      if (--waiting === 0) empty();
    };
    for (let i = 0; i < services; i++) {
      if (!live[i] || placedOn[i] !== h) continue;
      maint.drained++;
      const up = isUp[i] === 1;
      if (policy.drain === "live" && up && table.appOf(i).kind === "service") {
        waiting++;
        migrate(i, host, left);
        continue;
      }
      // Down from now until ready again: a cold migration's boot, a reschedule's start-up, a stopped process's window.
      stopInstance(i, -1);
      if (up) maint.down(i, sim.now);
      if (policy.drain === "stop" && table.appOf(i).kind === "service") parked.set(h, [...(parked.get(h) ?? []), i]);
      else if (!relocate(i, policy.drain !== "reschedule")) maint.unplaced++;
    }
    // Jobs on the host are evicted (as a drain evicts a batch pod): back to the queue now, their work started over.
    const evicted = book.onHost(h);
    for (const job of evicted) {
      maint.drained++;
      loseJob(job, host, false);
      queue.push(job);
    }
    if (evicted.length > 0) drainQueue();
    left();
    return true;
  }

  /**
   * Live-migrates instance `i` off `source` (pre-copy, migration.ts): the target's room is held from the
   * start, the copy waits for both hosts' migration networks, the guest pauses for the stop-and-copy and
   * resumes on the target. Nowhere to go: it stops with its host and waits for room.
   */
  function migrate(i: number, source: Host, left: () => void): void {
    const req = table.requestOf(i);
    const decision = placer.choose({ app: req.app, footprint: req.footprint, recovery: true });
    if (!decision.host) {
      listener?.(sim.now, i, "unplaced", decision.reason);
      stopInstance(i, -1);
      maint.down(i, sim.now);
      maint.unplaced++;
      unplaced.push(i);
      left();
      return;
    }
    const target = decision.host;
    target.commit(req.app, req.footprint);
    running.useHost(target.index);
    migrating.add(i);
    const token = epoch[i];
    let holding = false;
    /** The instance was stopped meanwhile (its host failed): give the target's room and the network back. */
    const overtaken = (): boolean => {
      if (epoch[i] === token) return false;
      migrating.delete(i);
      target.release(req.app, req.footprint);
      if (holding) channels.release(source.index, target.index);
      left();
      return true;
    };
    channels.request(source.index, target.index, () => {
      holding = true;
      if (overtaken()) return;
      const fp = req.footprint;
      const m = preCopyMigration({
        memoryBytes: fp.appBytes + fp.guestOsBytes,
        bandwidthBytesPerS: policy.migration.bandwidthBytesPerS,
        dirtyRateBytesPerS: req.app.dirtyRateBytesPerS ?? policy.migration.dirtyRateBytesPerS,
        writableWorkingSetBytes: policy.migration.workingSetBytes,
        downtimeLimitS: policy.migration.downtimeLimitS,
        maxRounds: policy.migration.maxRounds,
        onNonConvergence: policy.migration.onNonConvergence,
      });
      listener?.(sim.now, i, "migrating", `${source.name} -> ${target.name}: ${m.rounds} round${m.rounds === 1 ? "" : "s"}, ${m.outcome}`);
      later.after(m.totalS - m.pauseS, () => {
        if (overtaken()) return;
        if (m.outcome === "cold") {
          // Pre-copy gave up: shut down here, boot on a host from shared storage.
          migrating.delete(i);
          target.release(req.app, req.footprint);
          channels.release(source.index, target.index);
          maint.migrationBytes += m.bytesMoved;
          maint.nonConverged++;
          stopInstance(i, -1);
          maint.down(i, sim.now);
          if (!relocate(i)) maint.unplaced++;
          left();
          return;
        }
        // Stop-and-copy: the guest pauses on the source.
        running.stopService(i);
        isUp[i] = 0;
        maint.down(i, sim.now);
        later.after(m.pauseS, () => {
          if (overtaken()) return;
          migrating.delete(i);
          source.release(req.app, req.footprint);
          memory.untrack(i, source);
          placedOn[i] = target.index;
          memory.track(i, req.app, target, req.footprint);
          running.startService(i, req.app, table.replicaOf(i), target);
          isUp[i] = 1;
          maint.up(i, sim.now);
          maint.migrations++;
          if (m.outcome === "forced") maint.nonConverged++;
          maint.migrationBytes += m.bytesMoved;
          maint.pausesS.push(m.pauseS);
          channels.release(source.index, target.index);
          listener?.(sim.now, i, "migrated", target.name);
          left();
        });
      });
    });
  }

  // Guest OS patches: each VM (a microVM when its guests are patched) reboots once a round, at its slot.
  const guestPatch = w.maintenance?.guestPatch;
  const guestsPatched = mode.kind === "vm" || (mode.kind === "microvm" && w.cost.operations.microvmGuestsArePatched === true);
  if (guestPatch && guestsPatched)
    for (const { atS, guest } of guestRebootTimes(guestPatch, services, config.horizonS)) later.at(atS, () => reboot(guest, guestPatch.rebootS));

  /** Instance `i` reboots for `rebootS`; one that is starting, down or moving tries again a minute later (within the horizon). */
  function reboot(i: number, rebootS: number): void {
    if (!live[i] || !isUp[i] || migrating.has(i)) {
      if (sim.now + REBOOT_RETRY_S <= config.horizonS) later.after(REBOOT_RETRY_S, () => reboot(i, rebootS));
      return;
    }
    const token = epoch[i];
    running.stopService(i);
    isUp[i] = 0;
    maint.down(i, sim.now);
    listener?.(sim.now, i, "rebooting", "guest OS patch");
    later.after(rebootS, () => {
      if (epoch[i] !== token) return;
      running.startService(i, table.appOf(i), table.replicaOf(i), hostOf(i));
      isUp[i] = 1;
      maint.up(i, sim.now);
      maint.guestReboots++;
    });
  }

  /** An instance is ready or rejected: a rollout's next wave may go. */
  function settle(i: number): void {
    // The last service settled: the start-up window ends a tenth later.
    if (++settled === services) samplers.allSettled(sim.now);
    const next = waves.settled(i);
    if (next) schedule(next.indices, next.indices.map((k) => sim.now + next.pauseS + offset(k)));
  }

  /** Requests services `indices`, each at its time in `times`, grouped by time (two columns, not an object per request). */
  function schedule(indices: readonly number[], times: readonly number[]): void {
    const n = indices.length;
    const sorted = requestOrder(table, indices, times, config.policy);
    const at = (k: number): number => (sorted === undefined ? k : sorted[k]!);
    for (let k = 0; k < n; ) {
      const t = times[at(k)]!;
      const group: number[] = [];
      for (; k < n && times[at(k)] === t; k++) group.push(indices[at(k)]!);
      sim.at(t, REQUESTS, requestGroups.push(group) - 1);
    }
  }

  const offset = (i: number): number => staggerOffset(table, i);

  // Jobs: each app's arrivals, one pending arrival event per app; a job that fits nowhere waits, first come first served.
  const jobApps = w.apps.filter((a) => a.kind === "job");
  const arrivalCount = jobApps.map(() => 0);
  const ARRIVAL = sim.register((k) => arrive(k));
  const arrivalStreams = jobApps.map((a) => streams.get(`arrivals/${a.name}`));
  const workStreams = jobApps.map((a) => streams.get(`work/${a.name}`));
  /** Each job app's start-up stream, taken at its first start (not looked up by name per job). */
  const jobStartStreams: (Rng | undefined)[] = [];
  const jobFootprints = jobApps.map((a) => footprint(a, mode));
  const jobRequests: PlacementRequest[] = jobApps.map((app, k) => ({ app, footprint: jobFootprints[k] as Footprint }));
  /** Without a sink, job records are kept by arrival number for `instances`. */
  const keptJobs: InstanceRecord[] = [];
  const keep: JobSink = (seq, r) => {
    keptJobs[seq] = jobInstance({ ...r, phases: [...r.phases] });
  };
  const records = config.records ?? true;
  const book = new JobBook(
    jobApps.map((a) => a.name),
    hosts.map((h) => h.name),
    config.horizonS,
    jobSink ?? (records ? keep : dropJob),
  );

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
    // Drawn at arrival, in arrival order, so the n-th job has the same work in every mode.
    const work = sample(app.work as Distribution, workStreams[k] as Rng);
    const job = book.arrive(k, arrivalCount[k] as number, sim.now, work);
    arrivalCount[k] = (arrivalCount[k] as number) + 1;
    listener?.(sim.now, services + book.of("seq", job), "arrived", app.name);
    queue.push(job);
    drainQueue();
    nextArrival(k, sim.now);
  }

  function drainQueue(): void {
    while (queue.size > 0) {
      const job = queue.peek();
      const a = book.of("app", job);
      // A job that finds no host waits its turn: why it did not fit is never reported.
      const host = placer.find(jobRequests[a] as PlacementRequest);
      if (!host) return;
      queue.shift();
      placeJob(job, a, host);
    }
  }

  /** Job slot `job`, of job app `a`, takes `host`: its start-up begins. */
  function placeJob(job: number, a: number, host: Host): void {
    const { app, footprint: fp } = jobRequests[a] as PlacementRequest;
    const i = services + book.of("seq", job);
    guests(fp.osInstances);
    running.useHost(host.index);
    host.commit(app, fp);
    listener?.(sim.now, i, "placed", host.name);
    book.placed(job, host.index, startup.nextSlot());
    nextStart(i, job);
    // Jobs are too many for a stream each: their start-up draws come from the app's stream, in start order.
    const rng = (jobStartStreams[a] ??= streams.get(`startup/${app.name}`));
    startup.begin({ app, replica: book.of("replica", job), host, requestedAt: sim.now }, rng);
  }

  // Sampling: one event per step, and a fine one over the start-up window (samplers.ts).
  const oomKillTimes: number[] = [];
  let settled = 0;
  // Each host's CPU resource in one array: a sample reads it for every host it recomputes.
  const cpuIds = Int32Array.from(hosts, (h) => startup.cpuOf(h.index));
  const samplers = new Samplers(sim, running, w.apps, hosts.length, (h) => sharing.allocated(cpuIds[h]!), (h) => memory.usedBytes(h), group ? { ...config, fineGrid: true } : config, services);
  const step = config.sampleStepS;

  // Every first wave's requests, each at its app's start plus its stagger (plain pushes: flatMap over a
  // million requests costs several times as much).
  const firstIndices: number[] = [];
  const firstTimes: number[] = [];
  for (const f of waves.initial()) {
    for (const i of f.indices) {
      firstIndices.push(i);
      firstTimes.push(f.atS + offset(i));
    }
  }
  schedule(firstIndices, firstTimes);
  jobApps.forEach((_, k) => nextArrival(k, 0));
  sim.run(config.horizonS);

  const jobs = book.finish((slot, p) => startup.phaseSeconds(slot, p));
  const slowdowns = running.slowdowns(services);
  const outcomes = new RunOutcomes(table, placedOn, reasons, requestedAt, readyAt, startIndex, firstPhases, phasesKept, startup, slowdowns, failures, maint, config.horizonS);
  const reports = hosts.map((h) => hostReport(h, w.apps, sharing.usageIntegral(startup.cpuOf(h.index))));
  const sampled =
    step !== undefined && step > 0
      ? {
          timesS: samplers.samples.timesS,
          rows: samplers.samples.rows,
          totals: samplers.samples.totals,
          memoryBytes: samplers.samples.memoryBytes,
          startup: samplers.startup,
          oomKillTimesS: oomKillTimes,
        }
      : undefined;
  if (group) {
    // A host group's run: what the merge needs, as plain data (host-groups.ts mergeGroups).
    const phases = new Float64Array(services * PHASES);
    for (let i = 0; i < services; i++) for (let p = 0; p < PHASES; p++) phases[i * PHASES + p] = outcomes.phase(i, p);
    const part: GroupPart = {
      from: group.from,
      to: group.to,
      services: group.services,
      requestedAt,
      readyAt,
      phases,
      slowdowns,
      kills: Int32Array.from({ length: services }, (_, i) => kills[i] ?? 0),
      hosts: reports,
      pulls: startup.pullStats,
      overheadCoreSeconds: running.overheadCoreSeconds(),
      oomKills: memory.oomKills,
      swapSeconds: memory.swapSeconds(),
      eventsProcessed: sim.eventsProcessed,
      samples: sampled,
      settled: samplers.settled,
    };
    return part;
  }
  const serviceRecords = (): InstanceRecord[] =>
    Array.from({ length: services }, (_, i) => ({
      ...serviceRecord(table, outcomes, i, outcomes.placed(i) ? hostOf(i).name : undefined),
      doneAt: doneAt[i] as number,
    }));
  return runOutput(w, mode, config, replication, {
    hosts: reports,
    table,
    outcomes,
    kills,
    jobs,
    pulls: startup.pullStats,
    overheadCoreSeconds: running.overheadCoreSeconds(),
    oomKills: memory.oomKills,
    swapSeconds: memory.swapSeconds(),
    // Instances that moved (drains, failures) would be counted on every host they ran on: count each guest once.
    peakGuests: w.maintenance || outages.length > 0 ? peakGuests : undefined,
    failures: {
      hosts: failures.failures,
      instancesLost: failures.instancesLost,
      jobsLost,
      notRecovered: failures.notRecovered,
      recoveryTimesS: failures.recoveryTimes(),
      detectS: mode.recovery.detectS,
    },
    maintenance: w.maintenance && {
      windowsS: (patching?.windows ?? []).filter((x) => !Number.isNaN(x.endS)).map((x) => x.endS - x.startS),
      hostSeconds: patching?.outOfServiceSeconds() ?? 0,
      drained: maint.drained,
      unplaced: maint.unplaced,
      migrations: maint.migrations,
      nonConverged: maint.nonConverged,
      migrationBytes: maint.migrationBytes,
      pausesS: [...maint.pausesS].sort((a, b) => a - b),
      guestReboots: maint.guestReboots,
    },
    instances: !records ? [] : jobSink ? serviceRecords() : [...serviceRecords(), ...keptJobs],
    latencies: latencies.digest(),
    ready: readyLog.digest(),
    samples: sampled && samplesOf(w, reports, sampled),
    eventsProcessed: sim.eventsProcessed,
    failureTimesS: outages.filter((o) => o.atS <= config.horizonS).map((o) => o.atS),
    readySteps: outages.length > 0 ? thinSteps(readySteps, config.horizonS) : [],
  });
}

/** What a run sampled (its samplers' lists), without the hosts' names, columns and cores. */
export type Sampled = Omit<Samples, "hosts" | "columns" | "used" | "cores">;

/** A run's samples: what it sampled, with its hosts' names and cores (`hosts`, in order) and the columns named. */
export function samplesOf(w: Workload, hosts: readonly HostReport[], sampled: Sampled): Samples {
  return {
    ...sampled,
    hosts: hosts.map((h) => h.name),
    columns: [...w.apps.map((a) => a.name), "overhead", "start-up", "memoryBytes"],
    used: hosts.map((h) => h.everUsed),
    cores: hosts.map((h) => h.cores),
  };
}

/**
 * A run's services' outcomes, read from its columns. A class, not an object of closures made per
 * run: its methods keep their compiled code from run to run (a closure literal's optimised code is
 * dropped once no closure of it lives, and a sweep of short runs compiled them again and again).
 */
class RunOutcomes implements ServiceOutcomes {
  readonly count: number;

  constructor(
    private readonly table: ServiceTable,
    private readonly placedOn: Int32Array,
    private readonly reasons: ReadonlyMap<number, string>,
    private readonly requested: Float64Array,
    private readonly ready: Float64Array,
    /** Per service: its start's slot in the start-up model (-1: none), and whether its first start's phases were kept (then in firstPhases). */
    private readonly startIndex: Int32Array,
    private readonly firstPhases: Float64Array,
    private readonly phasesKept: Uint8Array,
    private readonly startup: StartupModel,
    private readonly slowdowns: Float64Array,
    private readonly failures: FailureAccount,
    private readonly maint: MaintenanceAccount,
    private readonly horizonS: number,
  ) {
    this.count = placedOn.length;
  }

  appName(i: number): string {
    return this.table.appOf(i).name;
  }

  placed(i: number): boolean {
    return (this.placedOn[i] as number) >= 0;
  }

  reason(i: number): string | undefined {
    return this.reasons.get(i);
  }

  requestedAt(i: number): number {
    return this.requested[i] as number;
  }

  readyAt(i: number): number {
    return this.ready[i] as number;
  }

  phase(i: number, p: number): number {
    const k = this.startIndex[i] as number;
    return this.phasesKept[i] === 1 ? (this.firstPhases[i * PHASES + p] as number) : k < 0 ? 0 : this.startup.phaseSeconds(k, p);
  }

  slowdown(i: number): number {
    return this.slowdowns[i] as number;
  }

  downS(i: number): number {
    return this.failures.downtime(i, this.horizonS);
  }

  maintenanceDownS(i: number): number {
    return this.maint.downtime(i, this.horizonS);
  }
}

/** Service `i`'s instance record (its `doneAt` NaN: a service runs to the horizon unless a run says otherwise), on `host`. */
export function serviceRecord(table: ServiceTable, outcomes: ServiceOutcomes, i: number, host: string | undefined): InstanceRecord {
  return {
    app: outcomes.appName(i),
    replica: table.replicaOf(i),
    kind: "service" as const,
    host,
    requestedAt: outcomes.requestedAt(i),
    readyAt: outcomes.readyAt(i),
    doneAt: NaN,
    reason: outcomes.reason(i),
    phases: STARTUP_PHASES.map((_, p) => outcomes.phase(i, p)),
    slowdown: outcomes.slowdown(i),
    downS: outcomes.downS(i),
    maintenanceDownS: outcomes.maintenanceDownS(i),
  };
}

/** A job's record as an instance record (instances.csv's columns). */
export function jobInstance(r: JobRecord): InstanceRecord {
  return { app: r.app, replica: r.replica, kind: "job", host: r.host, requestedAt: r.requestedAt, readyAt: r.readyAt, doneAt: r.doneAt, reason: undefined, phases: r.phases, slowdown: NaN, downS: 0, maintenanceDownS: 0 };
}

/** Service i's delay after its wave (or its app's start) begins: its stagger slot. */
export function staggerOffset(table: ServiceTable, i: number): number {
  const app = table.appOf(i);
  const replica = table.replicaOf(i);
  const slot = app.rollout ? replica % app.rollout.batch : replica;
  return slot * app.staggerS;
}

/**
 * The order services `indices` are requested in, each at its time in `times` (positions into both;
 * undefined: as given): by time, then largest first for ffd and bfd, then by index. The run requests
 * them so, and so does a host-grouped run's placement (host-groups.ts).
 */
export function requestOrder(table: ServiceTable, indices: readonly number[], times: readonly number[], policy: PlacementPolicy): number[] | undefined {
  const n = indices.length;
  // Requests at one time go in request order, or largest first for ffd/bfd (a and b are positions).
  const order = (a: number, b: number): number =>
    times[a]! - times[b]! ||
    (sortsLargestFirst(policy) ? largestFirst(table.footprintOf(indices[a]!), table.footprintOf(indices[b]!)) : 0) ||
    indices[a]! - indices[b]!;
  // Often (every replica at once, in request order) they are in order already: a million need no sort.
  return isOrdered(n, order) ? undefined : Array.from({ length: n }, (_, k) => k).sort(order);
}

/** Whether positions 0..n-1 are in `order` already (a check in one pass instead of a sort). */
function isOrdered(n: number, order: (a: number, b: number) => number): boolean {
  for (let k = 1; k < n; k++) if (order(k - 1, k) > 0) return false;
  return true;
}
