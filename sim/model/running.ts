/**
 * Instances at work: each ready service is a CPU demand flow on its host that follows its load
 * pattern, capped by its vCPUs or cgroup quota and weighted by its request; a VM pays the mode's
 * CPU tax; co-located tenants slow each other through the mode's interference coefficients; each
 * VM's idle guest and each host's engine daemons take CPU too. Slowdown of an instance is the CPU
 * work it demanded over the work it got done, both integrated over time.
 */
import type { Simulation } from "../engine/index.js";
import type { FlowId, FluidSharing, ResourceId, Use } from "../sharing/index.js";
import type { Host } from "./host.js";
import { LoadCursor } from "./load.js";
import { OverheadFlows, type OverheadHandle } from "./overhead-flows.js";
import type { RngFamily, RngStreams } from "../engine/index.js";
import type { App, Mode } from "./workload.js";

interface Service {
  readonly index: number;
  /** Its position in RunningModel.services (and in the sampling columns). */
  readonly pos: number;
  readonly app: App;
  /** Where it runs; a service relocated after a host failure moves. */
  host: Host;
  readonly cursor: LoadCursor;
  flow: FlowId;
  /** Disk I/O flow while running (-1 without I/O or while down); useful bytes per second. */
  ioFlow: FlowId;
  ioDemandInt: number;
  ioDoneInt: number;
  ioLastReceived: number;
  demand: number;
  factor: number;
  /** Memory-pressure factor of the host (1 = not swapping). */
  swap: number;
  demandInt: number;
  usefulInt: number;
  lastT: number;
  lastReceived: number;
  running: boolean;
  idle: OverheadHandle | undefined;
  /** Its share of its host's pressure now (0 unless it presses and runs). */
  contrib: number;
}

/**
 * A neighbour pressing at twice its request saturates what it presses on (the memory bus, the
 * disk queue): more cores add no more pressure. A judgement; xavier13 gives one stressor level.
 */
export const ACTIVITY_CEILING = 2;

/** A slowdown no run reports above: an instance that got (almost) nothing done. */
export const SLOWDOWN_CEILING = 1000;

export class RunningModel {
  private readonly services: Service[] = [];
  /**
   * What sampling reads of each service, by position, kept as columns so that a sample walks typed
   * arrays rather than objects: its CPU flow (-1 while down), I/O flow (-1 if none), app slot, host.
   */
  private sFlow: Int32Array = new Int32Array(64);
  private sIo: Int32Array = new Int32Array(64);
  private sSlot: Int32Array = new Int32Array(64);
  private sHost: Int32Array = new Int32Array(64);
  /** Sampling scratch: rates of the services' CPU and I/O flows. */
  private sRate = new Float64Array(0);
  private sIoRate = new Float64Array(0);
  /** Apps in the order first seen, with their slot in the columns above. */
  private readonly slotOf = new Map<App, number>();
  private readonly slotApps: App[] = [];
  private readonly members: Service[][];
  /** Demand changes due at a time, batched into one engine event per distinct time. */
  private readonly calendar = new Map<number, Service[]>();
  private readonly slots: number[] = [];
  private readonly changeKind: number;
  /** Idle guests and engine daemons (a job's idle guest must not stay forever: stopped rows are dropped). */
  private readonly overheadFlows = new OverheadFlows();
  private overheadDone = 0;
  private taxCoreSeconds = 0;
  /** Host CPU services spent on the virtualisation tax so far (settled with their accounts). */
  private serviceTax = 0;
  private readonly jobs = new Set<{ readonly app: App; readonly host: Host; flow: FlowId; readonly hostPerUseful: number }>();
  /** Host core-seconds spent in the I/O path so far (settled with the services' accounts). */
  private ioCpu = 0;
  private readonly cm: number;
  private readonly cd: number;

  constructor(
    private readonly sim: Simulation,
    private readonly sharing: FluidSharing,
    private readonly mode: Mode,
    hosts: readonly Host[],
    private readonly cpuOf: (host: number) => ResourceId,
    private readonly streams: RngStreams,
    private readonly diskOf: (host: number) => ResourceId = () => -1,
  ) {
    const r = mode.profile.running;
    this.cm = r.interference.memoryBandwidth;
    this.cd = r.interference.disk;
    this.members = hosts.map(() => []);
    this.changeKind = sim.register((slot) => this.applyChanges(this.slots[slot] as number));
    this.daemons = hosts.map(() => false);
  }

  /** Per host: whether the mode's engine daemons run there (from the host's first placement). */
  private readonly daemons: boolean[];

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

  /** Instance index -> its service (an array: services are the first indices, so it is dense). */
  private readonly byIndex: (Service | undefined)[] = [];
  /** Per host: a factor >= 1 from memory pressure (swapping) on top of interference. */
  private readonly penalty: number[] = [];
  /** Per host: the sum of its running tenants' pressure contributions. */
  private readonly hostPressure: number[] = [];

  /**
   * A ready service instance starts working; `index` identifies it in `slowdowns()`. A restarted
   * instance (after an OOM kill) resumes its accounts: the demand it could not serve while down counts.
   */
  startService(index: number, app: App, replica: number, host: Host): void {
    const again = this.byIndex[index];
    if (again) {
      this.settle(again);
      if (again.host !== host) {
        // Relocated: it was stopped (no pressure left behind), so it leaves its old host's tenants.
        const old = this.members[again.host.index] as Service[];
        old.splice(old.indexOf(again), 1);
        again.host = host;
        (this.members[host.index] as Service[]).push(again);
      }
      again.running = true;
      again.lastReceived = 0;
      this.sharing.batch(() => {
        again.flow = this.sharing.startFlow({ work: Infinity, uses: [{ resource: this.cpuOf(host.index) }], weight: this.weight(app), cap: 0 });
        this.startIo(again);
        again.idle = this.idleGuest(host);
        this.reconsider(again);
      });
      this.column(again);
      return;
    }
    const cursor = new LoadCursor(app.load, this.loadDraws(app).of(replica), this.sim.now);
    const s: Service = {
      index,
      pos: this.services.length,
      app,
      host,
      cursor,
      flow: -1,
      ioFlow: -1,
      ioDemandInt: 0,
      ioDoneInt: 0,
      ioLastReceived: 0,
      demand: cursor.value,
      factor: 1,
      swap: 1,
      demandInt: 0,
      usefulInt: 0,
      lastT: this.sim.now,
      lastReceived: 0,
      running: true,
      idle: undefined,
      contrib: 0,
    };
    this.services.push(s);
    while (this.byIndex.length < index) this.byIndex.push(undefined);
    this.byIndex[index] = s;
    this.sharing.batch(() => {
      s.flow = this.sharing.startFlow({ work: Infinity, uses: [{ resource: this.cpuOf(host.index) }], weight: this.weight(app), cap: 0 });
      this.startIo(s);
      s.idle = this.idleGuest(host);
      this.join(host.index, s);
    });
    this.column(s);
    this.due(s);
  }

  /** Stops instance `index` (killed): it does no more work until started again; its demand still counts. False if it was not running. */
  stopService(index: number): boolean {
    const s = this.byIndex[index];
    if (!s || !s.running) return false;
    this.settle(s);
    this.sharing.batch(() => {
      this.sharing.cancelFlow(s.flow);
      s.flow = -1;
      if (s.ioFlow >= 0) this.sharing.cancelFlow(s.ioFlow);
      s.ioFlow = -1;
      s.running = false;
      if (s.idle) this.stopOverhead(s.idle);
      s.idle = undefined;
      if (this.updateContrib(s)) this.refactor(s.host.index);
    });
    this.column(s);
    return true;
  }

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

  /** Writes service `s`'s sampling columns (after its flows changed). */
  private column(s: Service): void {
    const p = s.pos;
    if (p >= this.sFlow.length) {
      const n = Math.max(2 * this.sFlow.length, p + 1);
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(n);
        b.set(a);
        return b;
      };
      this.sFlow = grow(this.sFlow);
      this.sIo = grow(this.sIo);
      this.sSlot = grow(this.sSlot);
      this.sHost = grow(this.sHost);
    }
    let slot = this.slotOf.get(s.app);
    if (slot === undefined) {
      slot = this.slotApps.length;
      this.slotOf.set(s.app, slot);
      this.slotApps.push(s.app);
    }
    this.sFlow[p] = s.running ? s.flow : -1;
    this.sIo[p] = s.ioFlow;
    if (s.ioFlow >= 0) this.anyIo = true;
    this.sSlot[p] = slot;
    this.sHost[p] = s.host.index;
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

  /** Runs a job's `work` core-seconds on `host`; `onDone` when finished. Interference is taken as it is at the start. */
  startJob(app: App, host: Host, work: number, onDone: () => void, index = -1): void {
    const f = 1 + app.sensitivity * this.pressureOn(host.index, undefined);
    const tax = this.taxOf(app);
    const hostPerUseful = f / (1 - tax);
    const idle = this.idleGuest(host);
    const job = { app, host, flow: -1, hostPerUseful };
    this.jobs.add(job);
    if (index >= 0)
      this.jobStops.set(index, () => {
        this.jobs.delete(job);
        this.taxCoreSeconds += this.sharing.received(job.flow) * hostPerUseful * tax;
        this.sharing.cancelFlow(job.flow);
        if (idle !== undefined) this.stopOverhead(idle);
      });
    job.flow = this.sharing.startFlow({
      work,
      uses: [{ resource: this.cpuOf(host.index), coef: hostPerUseful }],
      weight: this.weight(app),
      cap: this.limitHostCores(app) / hostPerUseful,
      onDone: () => {
        this.jobStops.delete(index);
        this.jobs.delete(job);
        this.taxCoreSeconds += work * hostPerUseful * tax;
        if (idle !== undefined) this.stopOverhead(idle);
        onDone();
      },
    });
  }

  /** Running jobs started with an index: how to stop each. */
  private readonly jobStops = new Map<number, () => void>();

  /** Stops job `index` (its host failed): its work so far is lost and `onDone` never runs; false if it is not running. */
  stopJob(index: number): boolean {
    const stop = this.jobStops.get(index);
    if (!stop) return false;
    this.jobStops.delete(index);
    stop();
    return true;
  }

  /** Each instance's slowdown (demanded / done), settled to now; NaN for instances that never ran. */
  slowdowns(count: number): Float64Array {
    const out = new Float64Array(count).fill(NaN);
    for (const s of this.services) {
      this.settle(s);
      // A tenant is as slow as its worse bottleneck: CPU, or its disk I/O.
      const cpu = s.demandInt <= 0 ? 1 : s.usefulInt > 0 ? s.demandInt / s.usefulInt : SLOWDOWN_CEILING;
      const io = s.ioDemandInt <= 0 ? 1 : s.ioDoneInt > 0 ? s.ioDemandInt / s.ioDoneInt : SLOWDOWN_CEILING;
      out[s.index] = Math.min(SLOWDOWN_CEILING, Math.max(cpu, io));
    }
    return out;
  }

  /** Core-seconds spent on overhead so far: idle guests, engine daemons, the virtualisation tax. */
  overheadCoreSeconds(): number {
    let total = this.overheadDone + this.taxCoreSeconds;
    total += this.overheadFlows.received(this.sharing);
    for (const s of this.services) if (s.running) this.settle(s);
    return total + this.serviceTax + this.ioCpu;
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
   * As sample(), adding into one buffer the caller provides (zeroed): host h's row at h * width
   * (width at least apps.length + 1), so a service's row is an offset, not an object to look up.
   */
  sampleInto(apps: readonly App[], out: Float64Array, width: number): void {
    const over = apps.length;
    if (this.appIndexFor !== apps) {
      this.appIndexFor = apps;
      this.appIndex = new Map(apps.map((a, k) => [a, k]));
    }
    const appIndex = this.appIndex;
    // Per app slot: its column in `out`, its tax, its I/O CPU per byte.
    const slots = this.slotApps;
    const col = new Int32Array(slots.length);
    const taxes = new Float64Array(slots.length);
    const ioCpu = new Float64Array(slots.length);
    for (let k = 0; k < slots.length; k++) {
      const app = slots[k]!;
      col[k] = appIndex.get(app)!;
      taxes[k] = this.taxOf(app);
      ioCpu[k] = this.ioCpuPerByte(app);
    }
    const { sFlow, sIo, sSlot, sHost, sharing } = this;
    const n = this.services.length;
    if (this.sRate.length < n) {
      this.sRate = new Float64Array(sFlow.length);
      this.sIoRate = new Float64Array(sFlow.length);
    }
    const { sRate, sIoRate } = this;
    // Positions follow start order, as flow ids mostly do: the flow table is read in order.
    sharing.ratesInto(sFlow, n, sRate);
    if (this.anyIo) sharing.ratesInto(sIo, n, sIoRate);
    for (let i = 0; i < n; i++) {
      if (sFlow[i]! < 0) continue;
      const rate = sRate[i]!;
      const slot = sSlot[i]!;
      const tax = taxes[slot]!;
      const base = sHost[i]! * width;
      const k = base + col[slot]!;
      out[k] = out[k]! + rate * (1 - tax);
      out[base + over] = out[base + over]! + rate * tax + (sIo[i]! >= 0 ? sIoRate[i]! * ioCpu[slot]! : 0);
    }
    for (const j of this.jobs) {
      const hostCores = this.sharing.rate(j.flow) * j.hostPerUseful;
      const tax = this.taxOf(j.app);
      const base = j.host.index * width;
      const k = base + appIndex.get(j.app)!;
      out[k] = out[k]! + hostCores * (1 - tax);
      out[base + over] = out[base + over]! + hostCores * tax;
    }
    this.overheadFlows.addRates(this.sharing, out, width, over);
  }

  /** Whether any service has an I/O flow (else sampling reads no I/O rates). */
  private anyIo = false;
  private appIndexFor: readonly App[] | undefined;
  private appIndex = new Map<App, number>();

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

  private idleGuest(host: Host): OverheadHandle | undefined {
    const p = this.mode.profile;
    // A VM's guest OS, or a Hyper-V-isolated container's utility VM.
    const cores = p.kind === "vm" || p.kind === "microvm" ? p.guestOs.idleCpuCores : p.kind === "container" ? (p.utilityVm?.idleCpuCores ?? 0) : 0;
    if (cores <= 0) return undefined;
    return this.overheadFlows.add(this.sharing.startFlow({ work: Infinity, uses: [{ resource: this.cpuOf(host.index) }], cap: cores }), host.index);
  }

  private stopOverhead(o: OverheadHandle): void {
    const flow = this.overheadFlows.flowOf(o);
    this.overheadDone += this.sharing.received(flow);
    this.sharing.cancelFlow(flow);
    this.overheadFlows.stop(o);
  }

  /**
   * Neighbours' pressure reaching a tenant on `host` (excluding `self`), before its sensitivity.
   * A neighbour presses in proportion to the CPU it is allowed to burn against what it requested:
   * "high" at its request is the calibrated stressor; a capped neighbour presses no harder than that.
   */
  private pressureOn(host: number, self: Service | undefined): number {
    // A running total per host keeps this O(1); it is exactly 0 on hosts where nobody presses.
    const p = (this.hostPressure[host] ?? 0) - (self ? self.contrib : 0);
    return p > 0 ? p : 0;
  }

  /** Brings `s`'s share of its host's pressure up to date; true when it changed. */
  private updateContrib(s: Service): boolean {
    const c = s.running && this.presses(s) ? (this.cm * s.app.pressure.memoryBandwidth + this.cd * s.app.pressure.disk) * this.activity(s) : 0;
    if (c === s.contrib) return false;
    const h = s.host.index;
    this.hostPressure[h] = (this.hostPressure[h] ?? 0) + c - s.contrib;
    s.contrib = c;
    return true;
  }

  /** After `s` started, stopped or changed pace: every tenant's factor if its pressure changed, else its own. */
  private reconsider(s: Service): void {
    if (this.updateContrib(s)) this.refactor(s.host.index);
    else this.refactorOne(s, this.penalty[s.host.index] ?? 1);
  }

  /** Cores it may burn over cores it requested, at most ACTIVITY_CEILING. */
  private activity(s: Service): number {
    const a = Math.min(s.demand, this.limitHostCores(s.app, true)) / Math.max(s.app.cpuCores, 1e-3);
    return a < ACTIVITY_CEILING ? a : ACTIVITY_CEILING;
  }

  private presses(s: Service): boolean {
    return s.app.pressure.memoryBandwidth > 0 || s.app.pressure.disk > 0;
  }

  private join(host: number, s: Service): void {
    (this.members[host] as Service[]).push(s);
    this.reconsider(s);
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
    for (const m of this.members[host] as Service[]) this.refactorOne(m, penalty);
  }

  private refactorOne(m: Service, penalty: number): void {
    this.settle(m);
    m.factor = 1 + m.app.sensitivity * this.pressureOn(m.host.index, m);
    m.swap = penalty;
    if (m.running) this.recap(m);
  }

  private recap(s: Service): void {
    const hostCores = (s.demand * s.factor) / (1 - this.taxOf(s.app));
    this.sharing.setCap(s.flow, Math.min(hostCores, this.limitHostCores(s.app, true)));
  }

  private settle(s: Service): void {
    const now = this.sim.now;
    const received = s.flow >= 0 ? this.sharing.received(s.flow) : s.lastReceived;
    const got = received - s.lastReceived;
    const tax = this.taxOf(s.app);
    s.usefulInt += (got * (1 - tax)) / (s.factor * s.factor * s.swap);
    this.serviceTax += got * tax;
    s.lastReceived = received;
    s.demandInt += s.demand * (now - s.lastT);
    const io = s.app.ioBytesPerS;
    if (io > 0) {
      const ioReceived = s.ioFlow >= 0 ? this.sharing.received(s.ioFlow) : s.ioLastReceived;
      s.ioDoneInt += (ioReceived - s.ioLastReceived) / s.swap;
      this.ioCpu += (ioReceived - s.ioLastReceived) * this.ioCpuPerByte(s.app);
      s.ioLastReceived = ioReceived;
      s.ioDemandInt += io * (now - s.lastT);
    }
    s.lastT = now;
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
  private startIo(s: Service): void {
    const app = s.app;
    const io = app.ioBytesPerS;
    const disk = this.diskOf(s.host.index);
    if (io <= 0 || disk < 0) return;
    const spec = s.host.spec;
    const path = this.mode.profile.running.io;
    const opBytesPerS = app.ioOpBytes * spec.diskIops;
    const native = Math.min(spec.diskBytesPerS, opBytesPerS);
    const share = app.ioPattern === "random" ? path.random : path.sequential;
    const uses: Use[] = [{ resource: disk, coef: Math.max(1, spec.diskBytesPerS / opBytesPerS) }];
    const cpuPerByte = this.ioCpuPerByte(app);
    if (cpuPerByte > 0) uses.push({ resource: this.cpuOf(s.host.index), coef: cpuPerByte });
    s.ioLastReceived = 0;
    s.ioFlow = this.sharing.startFlow({ work: Infinity, uses, cap: Math.min(io, share * native) });
  }

  private due(s: Service): void {
    const t = s.cursor.nextChange;
    if (!Number.isFinite(t)) return;
    const list = this.calendar.get(t);
    if (list) {
      list.push(s);
      return;
    }
    this.calendar.set(t, [s]);
    this.slots.push(t);
    this.sim.at(Math.max(t, this.sim.now), this.changeKind, this.slots.length - 1);
  }

  private applyChanges(t: number): void {
    const list = this.calendar.get(t) ?? [];
    this.calendar.delete(t);
    this.sharing.batch(() => {
      const pressing = new Set<number>();
      for (const s of list) {
        this.settle(s);
        s.cursor.advance();
        s.demand = s.cursor.value;
        if (s.running) this.recap(s);
        if (this.updateContrib(s)) pressing.add(s.host.index);
      }
      // A noisy neighbour's change of pace changes what its neighbours suffer.
      for (const h of pressing) this.refactor(h);
    });
    for (const s of list) this.due(s);
  }
}
