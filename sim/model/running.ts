/**
 * Instances at work: each ready service is a CPU demand flow on its host that follows its load
 * pattern, capped by its vCPUs or cgroup quota and weighted by its request; a VM pays the mode's
 * CPU tax; co-located tenants slow each other through the mode's interference coefficients; each
 * VM's idle guest and each host's engine daemons take CPU too. Slowdown of an instance is the CPU
 * work it demanded over the work it got done, both integrated over time.
 */
import type { Simulation } from "../engine/index.js";
import type { FlowId, FluidSharing, ResourceId } from "../sharing/index.js";
import type { Host } from "./host.js";
import { LoadCursor } from "./load.js";
import type { RngStreams } from "../engine/index.js";
import type { App, Mode } from "./workload.js";

interface Service {
  readonly index: number;
  readonly app: App;
  readonly host: Host;
  readonly cursor: LoadCursor;
  flow: FlowId;
  demand: number;
  factor: number;
  demandInt: number;
  usefulInt: number;
  lastT: number;
  lastReceived: number;
  running: boolean;
}

/** A slowdown no run reports above: an instance that got (almost) nothing done. */
export const SLOWDOWN_CEILING = 1000;

export class RunningModel {
  private readonly services: Service[] = [];
  private readonly members: Service[][];
  /** Demand changes due at a time, batched into one engine event per distinct time. */
  private readonly calendar = new Map<number, Service[]>();
  private readonly slots: number[] = [];
  private readonly changeKind: number;
  private readonly overheadFlows: FlowId[] = [];
  private overheadDone = 0;
  private taxCoreSeconds = 0;
  private readonly tax: number;
  private readonly cm: number;
  private readonly cd: number;

  constructor(
    private readonly sim: Simulation,
    private readonly sharing: FluidSharing,
    private readonly mode: Mode,
    hosts: readonly Host[],
    private readonly cpuOf: (host: number) => ResourceId,
    private readonly streams: RngStreams,
  ) {
    const r = mode.profile.running;
    this.tax = r.cpuTax;
    this.cm = r.interference.memoryBandwidth;
    this.cd = r.interference.disk;
    this.members = hosts.map(() => []);
    this.changeKind = sim.register((slot) => this.applyChanges(this.slots[slot] as number));
    // Engine daemons run on every host from the start, busy or not.
    if (r.daemonCpuCores > 0) for (const h of hosts) this.overheadFlows.push(sharing.startFlow({ work: Infinity, uses: [{ resource: cpuOf(h.index) }], cap: r.daemonCpuCores }));
  }

  /** A ready service instance starts working; `index` identifies it in `slowdowns()`. */
  startService(index: number, app: App, replica: number, host: Host): void {
    const cursor = new LoadCursor(app.load, this.streams.get(`load/${app.name}#${replica}`), this.sim.now);
    const s: Service = {
      index,
      app,
      host,
      cursor,
      flow: -1,
      demand: cursor.value,
      factor: 1,
      demandInt: 0,
      usefulInt: 0,
      lastT: this.sim.now,
      lastReceived: 0,
      running: true,
    };
    this.services.push(s);
    this.sharing.batch(() => {
      s.flow = this.sharing.startFlow({ work: Infinity, uses: [{ resource: this.cpuOf(host.index) }], weight: this.weight(app), cap: 0 });
      this.idleGuest(host);
      this.join(host.index, s);
    });
    this.due(s);
  }

  /** Runs a job's `work` core-seconds on `host`; `onDone` when finished. Interference is taken as it is at the start. */
  startJob(app: App, host: Host, work: number, onDone: () => void): void {
    const f = 1 + app.sensitivity * this.pressureOn(host.index, undefined);
    const hostPerUseful = f / (1 - this.tax);
    const idle = this.idleGuest(host);
    this.sharing.startFlow({
      work,
      uses: [{ resource: this.cpuOf(host.index), coef: hostPerUseful }],
      weight: this.weight(app),
      cap: this.limitHostCores(app) / hostPerUseful,
      onDone: () => {
        this.taxCoreSeconds += work * hostPerUseful * this.tax;
        if (idle !== undefined) this.stopOverhead(idle);
        onDone();
      },
    });
  }

  /** Each instance's slowdown (demanded / done), settled to now; NaN for instances that never ran. */
  slowdowns(count: number): Float64Array {
    const out = new Float64Array(count).fill(NaN);
    for (const s of this.services) {
      this.settle(s);
      if (s.demandInt <= 0) out[s.index] = 1;
      else out[s.index] = Math.min(SLOWDOWN_CEILING, s.usefulInt > 0 ? s.demandInt / s.usefulInt : SLOWDOWN_CEILING);
    }
    return out;
  }

  /** Core-seconds spent on overhead so far: idle guests, engine daemons, the virtualisation tax. */
  overheadCoreSeconds(): number {
    let total = this.overheadDone + this.taxCoreSeconds;
    for (const f of this.overheadFlows) if (f >= 0) total += this.sharing.received(f);
    for (const s of this.services) if (s.running) this.settle(s);
    return total + this.serviceTax;
  }

  private serviceTax = 0;

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

  private idleGuest(host: Host): FlowId | undefined {
    const p = this.mode.profile;
    if ((p.kind !== "vm" && p.kind !== "microvm") || p.guestOs.idleCpuCores <= 0) return undefined;
    const f = this.sharing.startFlow({ work: Infinity, uses: [{ resource: this.cpuOf(host.index) }], cap: p.guestOs.idleCpuCores });
    this.overheadFlows.push(f);
    return f;
  }

  private stopOverhead(f: FlowId): void {
    const k = this.overheadFlows.indexOf(f);
    this.overheadDone += this.sharing.received(f);
    this.sharing.cancelFlow(f);
    if (k >= 0) this.overheadFlows[k] = -1;
  }

  /** Neighbours' pressure reaching a tenant on `host` (excluding `self`), before its sensitivity. */
  private pressureOn(host: number, self: Service | undefined): number {
    let p = 0;
    for (const m of this.members[host] as Service[]) {
      if (m === self || !m.running) continue;
      p += this.cm * m.app.pressure.memoryBandwidth + this.cd * m.app.pressure.disk;
    }
    return p;
  }

  private join(host: number, s: Service): void {
    (this.members[host] as Service[]).push(s);
    this.refactor(host);
  }

  /** Recomputes every tenant's interference factor on `host` (after settling what it got so far). */
  private refactor(host: number): void {
    for (const m of this.members[host] as Service[]) {
      this.settle(m);
      m.factor = 1 + m.app.sensitivity * this.pressureOn(host, m);
      this.recap(m);
    }
  }

  private recap(s: Service): void {
    const hostCores = (s.demand * s.factor) / (1 - this.tax);
    this.sharing.setCap(s.flow, Math.min(hostCores, this.limitHostCores(s.app, true)));
  }

  private settle(s: Service): void {
    const now = this.sim.now;
    const received = this.sharing.received(s.flow);
    const got = received - s.lastReceived;
    s.usefulInt += (got * (1 - this.tax)) / s.factor;
    this.serviceTax += got * this.tax;
    s.lastReceived = received;
    s.demandInt += s.demand * (now - s.lastT);
    s.lastT = now;
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
      for (const s of list) {
        this.settle(s);
        s.cursor.advance();
        s.demand = s.cursor.value;
        this.recap(s);
      }
    });
    for (const s of list) this.due(s);
  }
}
