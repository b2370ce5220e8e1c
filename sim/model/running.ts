/**
 * Instances at work: each ready service is a CPU demand flow on its host that follows its load
 * pattern, capped by its vCPUs or cgroup quota and weighted by its request; a VM pays the mode's
 * CPU tax; co-located tenants slow each other through the mode's interference coefficients; each
 * VM's idle guest and each host's engine daemons take CPU too. Slowdown of an instance is the CPU
 * work it demanded over the work it got done, both integrated over time.
 */
import type { Simulation } from "../engine/index.js";
import { grown, resized } from "../sharing/grow.js";
import { ReusedSpec, type FlowId, type ResourceId } from "../sharing/index.js";
import type { HostSharing } from "./host-sharing.js";
import type { Host } from "./host.js";
import { LoadColumns } from "./load.js";
import { HostRows, type RowView, type RunningJob } from "./host-rows.js";
import { OverheadFlows, type OverheadHandle } from "./overhead-flows.js";
import { POSITION_BLOCK, SERVICE_CHUNK, ServiceColumns } from "./service-columns.js";
import { DueCalendar } from "./due-calendar.js";
import type { RngFamily, RngStreams } from "../engine/index.js";
import type { App, Mode } from "./workload.js";
import { Interned } from "./interned.js";
import { removeAt } from "./remove-at.js";

/** Cores a guest OS takes idle: a VM's, or a Hyper-V-isolated container's utility VM; 0 when the mode runs none. */
export function idleGuestCores(mode: Mode): number {
  const p = mode.profile;
  return p.kind === "vm" || p.kind === "microvm" ? p.guestOs.idleCpuCores : p.kind === "container" ? (p.utilityVm?.idleCpuCores ?? 0) : 0;
}

/**
 * Flows a running instance of `app` keeps in `mode`: its CPU demand, its disk I/O if the app does
 * any, and its guest's idle CPU if the mode runs a guest (startFlows, startIo, idleGuest).
 */
export function runningFlows(app: App, mode: Mode): number {
  return 1 + (app.ioBytesPerS > 0 ? 1 : 0) + (idleGuestCores(mode) > 0 ? 1 : 0);
}

/** A running job: what sampling reads (RunningJob) and what its end needs. */
interface JobState extends RunningJob {
  readonly work: number;
  /** The mode's CPU tax on its work. */
  readonly tax: number;
  /** Its idle guest's overhead flow, -1 for none. */
  readonly idle: number;
  /** The caller's number for it, handed to `done`. */
  readonly tag: number;
  /** Its stopJob index, -1 for none. */
  readonly index: number;
  readonly done: (tag: number) => void;
}

/**
 * A neighbour pressing at twice its request saturates what it presses on (the memory bus, the
 * disk queue): more cores add no more pressure. A judgement; xavier13 gives one stressor level.
 */
export const ACTIVITY_CEILING = 2;

/** A slowdown no run reports above: an instance that got (almost) nothing done. */
export const SLOWDOWN_CEILING = 1000;

export class RunningModel {
  /** Services by position (in per-host chunks, rising in start order on each host): their state as columns, their load in rows of the same numbers. */
  private readonly cols = new ServiceColumns();
  private readonly loads = new LoadColumns();
  /** Apps in the order first seen, with their slot in the columns. */
  private readonly appSlots = new Interned<App>();
  private readonly slotApps = this.appSlots.items;
  /** Per host: the positions of its services, in the order they joined (rising, but for relocated ones: `unordered`). */
  private readonly members: number[][];
  private readonly unordered: Uint8Array;
  /** Demand changes due at a time, batched into one engine event per distinct time. */
  private readonly calendar = new DueCalendar();
  private readonly slots: number[] = [];
  private readonly changeKind: number;
  /** Idle guests and engine daemons (a job's idle guest must not stay forever: stopped rows are dropped). */
  private readonly overheadFlows = new OverheadFlows();
  private overheadDone = 0;
  private taxCoreSeconds = 0;
  private readonly jobs = new Set<RunningJob>();
  /** Each host's sampled row, kept between samples. */
  private readonly hostRows: HostRows;
  private readonly cm: number;
  private readonly cd: number;

  constructor(
    private readonly sim: Simulation,
    private readonly sharing: HostSharing,
    private readonly mode: Mode,
    private readonly hosts: readonly Host[],
    private readonly cpuOf: (host: number) => ResourceId,
    private readonly streams: RngStreams,
    private readonly diskOf: (host: number) => ResourceId = () => -1,
  ) {
    const r = mode.profile.running;
    this.cm = r.interference.memoryBandwidth;
    this.cd = r.interference.disk;
    this.members = hosts.map(() => []);
    this.unordered = new Uint8Array(hosts.length);
    this.pressedIn = new Uint32Array(hosts.length);
    this.changeKind = sim.register((slot) => this.applyChanges(this.slots[slot] as number));
    this.daemons = hosts.map(() => false);
    this.hostRows = new HostRows(sharing, this.overheadFlows, hosts.length);
  }

  /** Per host: whether the mode's engine daemons run there (from the host's first placement). */
  private readonly daemons: boolean[];

  /**
   * Room for `services` service instances (indices below it) without growing: a million services'
   * columns grown by copying cost copies and, worse, full garbage collections (each big allocation
   * counts towards one). Positions come in per-host chunks, so each host may leave one partly used.
   */
  reserve(services: number): void {
    const rows = services + (SERVICE_CHUNK - 1) * this.hosts.length;
    this.cols.reserve(rows);
    this.loads.reserve(rows);
    if (services > this.posOf.length) this.posOf = resized(this.posOf, services, -1);
  }

  /**
   * The mode starts using a host (its first placement): the engine daemons run there from now on,
   * busy or not. A host the mode never uses runs none, so its CPU overhead is not counted.
   */
  useHost(host: number): void {
    const cores = this.mode.profile.running.daemonCpuCores;
    if (this.daemons[host] || cores <= 0) return;
    this.daemons[host] = true;
    this.overheadFlows.add(this.sharing.startFlow({ work: Infinity, uses: [{ resource: this.cpuOf(host) }], cap: cores }), host);
  }

  /** Instance index -> its service's position, -1 if none (services are the first indices, so it is dense). */
  private posOf: Int32Array = new Int32Array(0);
  /** Per host: a factor >= 1 from memory pressure (swapping) on top of interference. */
  private readonly penalty: number[] = [];
  /** Per host: the sum of its running tenants' pressure contributions. */
  private readonly hostPressure: number[] = [];
  /** The flow about to start, filled in just before (startFlow keeps none of it). */
  private readonly spec = new ReusedSpec();

  /** Service p's flows on its host: its CPU (no demand until settled), its I/O, its idle guest. */
  private startFlows(p: number): void {
    const c = this.cols;
    const host = this.hosts[c.host[p]!] as Host;
    const spec = this.spec;
    spec.work = Infinity;
    spec.weight = this.weight(this.appOf(p));
    spec.cap = 0;
    spec.on(this.cpuOf(host.index));
    c.flow[p] = this.sharing.startFlow(spec);
    this.startIo(p);
    c.idle[p] = this.idleGuest(host);
  }

  // One batch per service start, through methods made once (not a closure per start).
  /** A new service's flows start and it joins its host's tenants. */
  private readonly begin = (p: number): void => {
    this.startFlows(p);
    this.join(this.cols.host[p]!, p);
  };
  /** A restarted service's flows start again and its host's tenants are reconsidered. */
  private readonly resume = (p: number): void => {
    this.startFlows(p);
    this.reconsider(p);
  };

  /**
   * A ready service instance starts working; `index` identifies it in `slowdowns()`. A restarted
   * instance (after an OOM kill) resumes its accounts: the demand it could not serve while down counts.
   */
  startService(index: number, app: App, replica: number, host: Host): void {
    const c = this.cols;
    const again = index < this.posOf.length ? (this.posOf[index] as number) : -1;
    if (again >= 0) {
      this.settle(again);
      if (c.host[again] !== host.index) {
        // Relocated: it was stopped (no pressure left behind), so it leaves its old host's tenants.
        const old = this.members[c.host[again]!] as number[];
        removeAt(old, old.indexOf(again));
        c.host[again] = host.index;
        (this.members[host.index] as number[]).push(again);
        this.unordered[host.index] = 1;
      }
      c.running[again] = 1;
      c.lastReceived[again] = 0;
      this.sharing.batchWith(this.resume, again);
      return;
    }
    const p = c.add(host.index);
    // Its load is the row of the same number.
    this.loads.add(p, app.load, this.loadDraws(app), replica, this.sim.now);
    c.index[p] = index;
    c.host[p] = host.index;
    c.slot[p] = this.slotOf(app);
    c.flow[p] = -1;
    c.io[p] = -1;
    c.idle[p] = -1;
    c.demand[p] = this.loads.value[p]!;
    c.factor[p] = 1;
    c.swap[p] = 1;
    c.lastT[p] = this.sim.now;
    c.running[p] = 1;
    if (index >= this.posOf.length) this.posOf = grown(this.posOf, index + 1, -1);
    this.posOf[index] = p;
    this.sharing.batchWith(this.begin, p);
    this.due(p);
  }

  /** Stops instance `index` (killed): it does no more work until started again; its demand still counts. False if it was not running. */
  stopService(index: number): boolean {
    const c = this.cols;
    const p = index < this.posOf.length ? (this.posOf[index] as number) : -1;
    if (p < 0 || c.running[p] === 0) return false;
    this.settle(p);
    this.sharing.batch(() => {
      this.sharing.cancelFlow(c.flow[p]!);
      c.flow[p] = -1;
      if (c.io[p]! >= 0) this.sharing.cancelFlow(c.io[p]!);
      c.io[p] = -1;
      c.running[p] = 0;
      if (c.idle[p]! >= 0) this.stopOverhead(c.idle[p]!);
      c.idle[p] = -1;
      if (this.updateContrib(p)) this.refactor(c.host[p]!);
    });
    return true;
  }

  private appOf(p: number): App {
    return this.slotApps[this.cols.slot[p]!] as App;
  }

  /** `app`'s slot; a new slot gets its row in the per-slot tables the hot paths read instead of the app. */
  private slotOf(app: App): number {
    const k = this.appSlots.of(app);
    if (k < this.kCount) return k;
    this.kCount = k + 1;
    const n = k + 1;
    this.kTax = grown(this.kTax, n);
    this.kLimit = grown(this.kLimit, n);
    this.kCores = grown(this.kCores, n);
    this.kSens = grown(this.kSens, n);
    this.kPress = grown(this.kPress, n);
    this.kIo = grown(this.kIo, n);
    this.kIoCpu = grown(this.kIoCpu, n);
    this.kTax[k] = this.taxOf(app);
    this.kLimit[k] = this.limitHostCores(app, true);
    this.kCores[k] = Math.max(app.cpuCores, 1e-3);
    this.kSens[k] = app.sensitivity;
    // NaN: the app does not press (its contribution is 0 whatever its pace).
    this.kPress[k] = this.presses(app) ? this.cm * app.pressure.memoryBandwidth + this.cd * app.pressure.disk : NaN;
    this.kIo[k] = app.ioBytesPerS;
    this.kIoCpu[k] = this.ioCpuPerByte(app);
    return k;
  }

  /**
   * Per app slot: its tax, its service cap (limitHostCores), its request (at least 1e-3), its
   * sensitivity, its pressure per unit of activity (NaN if it does not press), its I/O rate and
   * I/O CPU per byte. Typed rows, so settling and recapping a service read no App object.
   */
  private kCount = 0;
  private kTax = new Float64Array(0);
  private kLimit = new Float64Array(0);
  private kCores = new Float64Array(0);
  private kSens = new Float64Array(0);
  private kPress = new Float64Array(0);
  private kIo = new Float64Array(0);
  private kIoCpu = new Float64Array(0);

  /** Per app: its replicas' load draws (jitter, bursts), keyed by replica: the same in every mode. */
  private readonly loadFamilies = new Map<App, RngFamily>();

  private loadDraws(app: App): RngFamily {
    let f = this.loadFamilies.get(app);
    if (f === undefined) {
      f = this.streams.family(`load/${app.name}`);
      this.loadFamilies.set(app, f);
    }
    return f;
  }

  /** Sets host `h`'s memory-pressure factor (1 = none); its tenants' CPU work slows by it. */
  setPenalty(h: number, factor: number): void {
    if ((this.penalty[h] ?? 1) === factor) return;
    this.penalty[h] = factor;
    this.sharing.batch(() => this.refactor(h));
  }

  /** The mode's CPU tax for the app's workload class. */
  private taxOf(app: App): number {
    return this.mode.profile.running.cpuTax[app.workloadClass];
  }

  /**
   * Runs a job's `work` core-seconds on `host`; `done(tag)` when finished. Interference is taken as
   * it is at the start. `index` >= 0: `stopJob(index)` may stop it early.
   */
  startJob(app: App, host: Host, work: number, done: (tag: number) => void, tag: number, index = -1): void {
    const f = 1 + app.sensitivity * this.pressureOn(host.index, -1);
    const tax = this.taxOf(app);
    const hostPerUseful = f / (1 - tax);
    const job: JobState = { app, host, flow: -1, hostPerUseful, work, tax, idle: this.idleGuest(host), tag, index, done };
    this.jobs.add(job);
    if (index >= 0) this.jobStops.set(index, job);
    // One spec and one handler for every job: a flow's job is found by its id.
    const spec = this.jobSpec;
    spec.work = work;
    spec.weight = this.weight(app);
    spec.cap = this.limitHostCores(app) / hostPerUseful;
    spec.onDone = this.jobFlowDone;
    spec.on(this.cpuOf(host.index)).coef = hostPerUseful;
    job.flow = this.sharing.startFlow(spec);
    this.jobByFlow[job.flow] = job;
  }

  private readonly jobSpec = new ReusedSpec();
  /** Flow id -> the job running as it. */
  private readonly jobByFlow: (JobState | undefined)[] = [];
  private readonly jobFlowDone = (flow: FlowId): void => {
    const job = this.jobByFlow[flow] as JobState;
    if (job.index >= 0) this.jobStops.delete(job.index);
    this.endJob(job, job.work);
    job.done(job.tag);
  };

  /** Job `job` is over, done or stopped, after `work` core-seconds of its own: its tax is counted and its idle guest's flow stops. */
  private endJob(job: JobState, work: number): void {
    this.jobByFlow[job.flow] = undefined;
    this.jobs.delete(job);
    this.taxCoreSeconds += work * job.hostPerUseful * job.tax;
    if (job.idle >= 0) this.stopOverhead(job.idle);
  }

  /** Running jobs started with an index, by it. */
  private readonly jobStops = new Map<number, JobState>();

  /** Stops job `index` (its host failed): its work so far is lost and its `done` never runs; false if it is not running. */
  stopJob(index: number): boolean {
    const job = this.jobStops.get(index);
    if (!job) return false;
    this.jobStops.delete(index);
    const received = this.sharing.received(job.flow);
    this.sharing.cancelFlow(job.flow);
    this.endJob(job, received);
    return true;
  }

  /** Each instance's slowdown (demanded / done), settled to now; NaN for instances that never ran. */
  slowdowns(count: number): Float64Array {
    const out = new Float64Array(count).fill(NaN);
    const c = this.cols;
    this.settleEvery(false);
    for (let p = 0; p < c.end; p++) {
      if (c.index[p]! < 0) continue;
      // A tenant is as slow as its worse bottleneck: CPU, or its disk I/O.
      const demandInt = c.demandInt[p]!;
      const usefulInt = c.usefulInt[p]!;
      const ioDemandInt = c.ioDemandInt[p]!;
      const ioDoneInt = c.ioDoneInt[p]!;
      const cpu = demandInt <= 0 ? 1 : usefulInt > 0 ? demandInt / usefulInt : SLOWDOWN_CEILING;
      const io = ioDemandInt <= 0 ? 1 : ioDoneInt > 0 ? ioDemandInt / ioDoneInt : SLOWDOWN_CEILING;
      out[c.index[p]!] = Math.min(SLOWDOWN_CEILING, Math.max(cpu, io));
    }
    return out;
  }

  /** Core-seconds spent on overhead so far: idle guests, engine daemons, the virtualisation tax. */
  overheadCoreSeconds(): number {
    let total = this.overheadDone + this.taxCoreSeconds;
    total += this.overheadFlows.received(this.sharing.raw);
    // Services' tax and I/O CPU, each summed in position order (whatever order their accounts settled in).
    const c = this.cols;
    let tax = 0;
    let ioCpu = 0;
    this.settleEvery(true);
    for (let p = 0; p < c.end; p++) {
      if (c.index[p]! < 0) continue;
      tax += c.taxInt[p]!;
      ioCpu += c.ioCpuInt[p]!;
    }
    return total + tax + ioCpu;
  }

  /**
   * Cores in use on each host right now, by app (index in `apps`) and overhead; start-up work is
   * what the host's CPU carries beyond these. `out[h][k]` for app k, `out[h][apps.length]` overhead.
   */
  sample(apps: readonly App[], hostCount: number): Float64Array[] {
    const width = apps.length + 1;
    const flat = new Float64Array(hostCount * width);
    this.sampleInto(apps, flat, width);
    return Array.from({ length: hostCount }, (_, h) => flat.subarray(h * width, (h + 1) * width));
  }

  /**
   * As sample(), into one buffer the caller provides (every cell of its first hosts x width is
   * written; cells past apps.length in a row are 0, or past apps.length + 1 with `allocated`): host h's row at h * width (width at least apps.length + 1). Each host's row is kept and
   * recomputed only when a rate on its resources may have moved since the last sample (HostSharing
   * marks it); a row is summed as it always was (its services in position order, then its jobs, then
   * its overhead flows), so the figures are the same to the bit. With `allocated` (a host's CPU
   * allocation; width at least apps.length + 2), cell apps.length + 1 of a row is the CPU the host
   * spends beyond its apps and overhead, max(0, allocated - the row's sum), kept with the row: an
   * unmarked host's allocation has not moved either, so it is read only for the hosts recomputed.
   */
  sampleInto(apps: readonly App[], out: Float64Array, width: number, allocated?: (host: number) => number): void {
    // The kept rows start zeroed: a copy is the sum, and far cheaper than adding cell by cell.
    out.set(this.sampleRows(apps, width, allocated));
  }

  /** Bumped whenever sampleRows recomputes a row (see HostRows.version). */
  get rowsVersion(): number {
    return this.hostRows.version;
  }

  /**
   * The kept rows of sampleInto, brought up to date: read-only, and valid until the next call (a
   * sampler that only sums them needs no copy). `rowsVersion` tells whether any row moved.
   */
  sampleRows(apps: readonly App[], width: number, allocated?: (host: number) => number): Float64Array {
    return this.hostRows.rows(this.rowView(), apps, width, allocated);
  }

  /** What a sample reads of this model, as of now (the per-slot tables are replaced when they grow). */
  private rowView(): RowView {
    return {
      cols: this.cols,
      members: this.members,
      unordered: this.unordered,
      slotApps: this.slotApps,
      kTax: this.kTax,
      kIoCpu: this.kIoCpu,
      anyIo: this.anyIo,
      jobs: this.jobs,
      taxOf: (app) => this.taxOf(app),
    };
  }

  /** Whether any service has an I/O flow (else sampling reads no I/O rates). */
  private anyIo = false;

  private weight(app: App): number {
    // CPU shares follow requests; a VM's weight is its vCPUs.
    const k = this.mode.kind;
    if (k === "vm" || k === "microvm") return this.vcpus(app);
    return Math.max(app.cpuCores, 1e-3);
  }

  private vcpus(app: App): number {
    return this.mode.vcpus === "auto" ? Math.max(1, Math.ceil(app.cpuCores - 1e-9)) : this.mode.vcpus;
  }

  /** The most host CPU an instance may take: its vCPUs, its quota under limits, else no cap (jobs: their request). */
  private limitHostCores(app: App, service = false): number {
    const k = this.mode.kind;
    if (k === "vm" || k === "microvm") return this.vcpus(app);
    if (k === "container" && this.mode.limits) return app.cpuCores;
    return service ? Infinity : app.cpuCores;
  }

  /** The idle guest's overhead flow on `host` (a VM's, a utility VM's), -1 for none. */
  private idleGuest(host: Host): OverheadHandle {
    const cores = idleGuestCores(this.mode);
    if (cores <= 0) return -1;
    const spec = this.spec;
    spec.work = Infinity;
    spec.weight = 1;
    spec.cap = cores;
    spec.on(this.cpuOf(host.index));
    return this.overheadFlows.add(this.sharing.startFlow(spec), host.index);
  }

  private stopOverhead(o: OverheadHandle): void {
    const flow = this.overheadFlows.flowOf(o);
    this.overheadDone += this.sharing.received(flow);
    this.sharing.cancelFlow(flow);
    this.overheadFlows.stop(o);
  }

  /**
   * Neighbours' pressure reaching a tenant on `host` (excluding service `self`, -1 for none), before
   * its sensitivity. A neighbour presses in proportion to the CPU it is allowed to burn against what
   * it requested: "high" at its request is the calibrated stressor; a capped neighbour presses no harder than that.
   */
  private pressureOn(host: number, self: number): number {
    // A running total per host keeps this O(1); it is exactly 0 on hosts where nobody presses.
    const p = (this.hostPressure[host] ?? 0) - (self >= 0 ? this.cols.contrib[self]! : 0);
    return p > 0 ? p : 0;
  }

  /** Brings service `p`'s share of its host's pressure up to date; true when it changed. */
  private updateContrib(p: number): boolean {
    const cols = this.cols;
    const press = this.kPress[cols.slot[p]!]!;
    const c = cols.running[p] === 1 && !Number.isNaN(press) ? press * this.activity(p) : 0;
    if (c === cols.contrib[p]) return false;
    const h = cols.host[p]!;
    this.hostPressure[h] = (this.hostPressure[h] ?? 0) + c - cols.contrib[p]!;
    cols.contrib[p] = c;
    return true;
  }

  /** After service `p` started, stopped or changed pace: every tenant's factor if its pressure changed, else its own. */
  private reconsider(p: number): void {
    if (this.updateContrib(p)) this.refactor(this.cols.host[p]!);
    else this.refactorOne(p, this.penalty[this.cols.host[p]!] ?? 1);
  }

  /** Cores it may burn over cores it requested, at most ACTIVITY_CEILING. */
  private activity(p: number): number {
    const k = this.cols.slot[p]!;
    const a = Math.min(this.cols.demand[p]!, this.kLimit[k]!) / this.kCores[k]!;
    return a < ACTIVITY_CEILING ? a : ACTIVITY_CEILING;
  }

  private presses(app: App): boolean {
    return app.pressure.memoryBandwidth > 0 || app.pressure.disk > 0;
  }

  private join(host: number, p: number): void {
    (this.members[host] as number[]).push(p);
    this.reconsider(p);
  }

  /**
   * Recomputes every tenant's interference factor f on `host` (after settling what it got so far).
   * Interference stalls a tenant on the shared memory bus, caches and kernel: its work costs f
   * times the cycles (its CPU flow asks f times its demand) and each request takes f times as long,
   * which more CPU cannot buy back. Slowdown = f x (CPU wanted / CPU received). Swapping only
   * stretches time: it divides the work done without asking for more CPU.
   */
  private refactor(host: number): void {
    const penalty = this.penalty[host] ?? 1;
    for (const m of this.members[host] as number[]) this.refactorOne(m, penalty);
  }

  private refactorOne(p: number, penalty: number): void {
    this.settle(p);
    const c = this.cols;
    c.factor[p] = 1 + this.kSens[c.slot[p]!]! * this.pressureOn(c.host[p]!, p);
    c.swap[p] = penalty;
    if (c.running[p] === 1) this.recap(p);
  }

  private recap(p: number): void {
    this.capInto(p, this.one, 0);
    this.sharing.setCap(this.cols.flow[p]!, this.one[0]!);
  }

  /** Service p's CPU cap, into out[i]: its demand with interference and tax, at most its limit. */
  private capInto(p: number, out: Float64Array, i: number): void {
    const c = this.cols;
    const k = c.slot[p]!;
    const hostCores = (c.demand[p]! * c.factor[p]!) / (1 - this.kTax[k]!);
    out[i] = Math.min(hostCores, this.kLimit[k]!);
  }

  /** Brings service p's accounts up to now. */
  private settle(p: number): void {
    const flow = this.cols.flow[p]!;
    this.one[0] = flow >= 0 ? this.sharing.received(flow) : 0;
    this.account(p, this.one, 0);
  }

  /**
   * settle() of the services list[0..n): their flows' received() first, in a pass of its own (a
   * service's flow is rarely next to the last one's: a short loop's cache misses overlap), then their accounts.
   */
  private settleList(list: Int32Array, n: number): void {
    if (this.listFlows.length < n) {
      this.listFlows = grown(this.listFlows, n);
      this.listValues = grown(this.listValues, n);
    }
    const { listFlows, listValues: listReceived } = this;
    const flow = this.cols.flow;
    for (let i = 0; i < n; i++) listFlows[i] = flow[list[i]!]!;
    this.sharing.receivedInto(listFlows, n, listReceived);
    for (let i = 0; i < n; i++) this.account(list[i]!, listReceived, i);
  }

  /** settle() of every service (only the running ones with `runningOnly`), a block of positions at a time through settleList. */
  private settleEvery(runningOnly: boolean): void {
    const c = this.cols;
    if (this.blockPos.length < POSITION_BLOCK) this.blockPos = grown(this.blockPos, POSITION_BLOCK);
    const list = this.blockPos;
    for (let from = 0; from < c.end; from += POSITION_BLOCK) {
      const to = Math.min(c.end, from + POSITION_BLOCK);
      let n = 0;
      for (let p = from; p < to; p++) if (c.index[p]! >= 0 && (!runningOnly || c.running[p] === 1)) list[n++] = p;
      this.settleList(list, n);
    }
  }

  private blockPos = new Int32Array(0);

  /** Scratch of settle() and recap(): one flow's received() or cap; and of a load step: its services' flows, their received() or new caps. */
  private readonly one = new Float64Array(1);
  private listFlows = new Int32Array(0);
  private listValues = new Float64Array(0);

  /**
   * Settles service p's accounts, its CPU flow's received() being received[i] (ignored while it has no
   * flow). Handed through an array: a float argument to a call V8 does not inline is boxed.
   */
  private account(p: number, receivedNow: Float64Array, i: number): void {
    const now = this.sim.now;
    const c = this.cols;
    const k = c.slot[p]!;
    const lastReceived = c.lastReceived[p]!;
    const received = c.flow[p]! >= 0 ? receivedNow[i]! : lastReceived;
    const got = received - lastReceived;
    const tax = this.kTax[k]!;
    const swap = c.swap[p]!;
    const factor = c.factor[p]!;
    c.usefulInt[p] = c.usefulInt[p]! + (got * (1 - tax)) / (factor * factor * swap);
    c.taxInt[p] = c.taxInt[p]! + got * tax;
    c.lastReceived[p] = received;
    const lastT = c.lastT[p]!;
    c.demandInt[p] = c.demandInt[p]! + c.demand[p]! * (now - lastT);
    const io = this.kIo[k]!;
    if (io > 0) {
      const ioFlow = c.io[p]!;
      const ioLast = c.ioLastReceived[p]!;
      const ioReceived = ioFlow >= 0 ? this.sharing.received(ioFlow) : ioLast;
      c.ioDoneInt[p] = c.ioDoneInt[p]! + (ioReceived - ioLast) / swap;
      c.ioCpuInt[p] = c.ioCpuInt[p]! + (ioReceived - ioLast) * this.kIoCpu[k]!;
      c.ioLastReceived[p] = ioReceived;
      c.ioDemandInt[p] = c.ioDemandInt[p]! + io * (now - lastT);
    }
    c.lastT[p] = now;
  }

  /** Host core-seconds per byte of the app's I/O: the mode's CPU per operation over the operation's size. */
  private ioCpuPerByte(app: App): number {
    return this.mode.profile.running.io.cpuPerOpS / app.ioOpBytes;
  }

  /**
   * A tenant's steady disk I/O, in useful bytes per second. The host disk is charged once per
   * byte, or more for small operations when its IOPS bind before its bandwidth (each byte costs
   * max(1, bandwidth / (op size x IOPS)) of bandwidth). The mode's I/O path lets one instance
   * reach at most its share (per pattern, felter15) of what the disk gives one native tenant,
   * min(bandwidth, op size x IOPS), and costs host CPU per operation (exits, emulation).
   */
  private startIo(p: number): void {
    const c = this.cols;
    const app = this.appOf(p);
    const io = app.ioBytesPerS;
    const host = this.hosts[c.host[p]!] as Host;
    const disk = this.diskOf(host.index);
    if (io <= 0 || disk < 0) return;
    const spec = host.spec;
    const path = this.mode.profile.running.io;
    const opBytesPerS = app.ioOpBytes * spec.diskIops;
    const native = Math.min(spec.diskBytesPerS, opBytesPerS);
    const share = app.ioPattern === "random" ? path.random : path.sequential;
    const flow = this.spec;
    flow.work = Infinity;
    flow.weight = 1;
    flow.cap = Math.min(io, share * native);
    flow.on(disk).coef = Math.max(1, spec.diskBytesPerS / opBytesPerS);
    const cpuPerByte = this.ioCpuPerByte(app);
    if (cpuPerByte > 0) flow.alsoOn(this.cpuOf(host.index)).coef = cpuPerByte;
    c.ioLastReceived[p] = 0;
    c.io[p] = this.sharing.startFlow(flow);
    this.anyIo = true;
  }

  private due(p: number): void {
    const t = this.loads.nextChange[p]!;
    if (!Number.isFinite(t)) return;
    if (!this.calendar.add(t, p)) return;
    this.slots.push(t);
    this.sim.at(Math.max(t, this.sim.now), this.changeKind, this.slots.length - 1);
  }

  /** Per host: the applyChanges call that last listed it as pressing (a stamp, so no set per call). */
  private readonly pressedIn: Uint32Array;
  private changeCall = 0;

  private applyChanges(t: number): void {
    // In position order: the services' columns and their hosts are read nearly in order (their flows less so).
    const list = this.calendar.take(t);
    const c = this.cols;
    const loads = this.loads;
    const call = ++this.changeCall;
    const pressedIn = this.pressedIn;
    // In passes, each reading few columns: a service's flow is rarely next to the last one's, and
    // a short loop's many independent cache misses overlap. Settling reads flows, changing none.
    this.settleList(list, list.length);
    for (let i = 0; i < list.length; i++) loads.advance(list[i]!);
    this.sharing.batch(() => {
      const pressing: number[] = [];
      // The new caps are set in a pass of their own, in the same order (the pressure updates change no flow).
      const { listFlows, listValues } = this;
      let recapped = 0;
      for (let i = 0; i < list.length; i++) {
        const p = list[i]!;
        const before = c.demand[p]!;
        const demand = loads.value[p]!;
        // An unchanged demand leaves the cap and the pressure as they are (only the accounts settle).
        if (demand === before) continue;
        c.demand[p] = demand;
        if (c.running[p] === 1) {
          listFlows[recapped] = c.flow[p]!;
          this.capInto(p, listValues, recapped++);
        }
        if (this.updateContrib(p)) {
          const h = c.host[p]!;
          if (pressedIn[h] !== call) {
            pressedIn[h] = call;
            pressing.push(h);
          }
        }
      }
      this.sharing.setCaps(listFlows, listValues, recapped);
      // A noisy neighbour's change of pace changes what its neighbours suffer; hosts in index order,
      // so the engine hears of the changes in an order that does not depend on the walk's.
      pressing.sort((a, b) => a - b);
      for (const h of pressing) this.refactor(h);
    });
    for (let i = 0; i < list.length; i++) this.due(list[i]!);
  }
}
