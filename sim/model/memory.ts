/**
 * Memory over time: working sets that grow, hosts whose tenants use more than the physical
 * memory (VM memory overcommit, growth on bare metal or in unlimited containers) swap, which slows
 * every tenant of the host; an instance with a hard memory ceiling (a container under limits, an
 * app inside a VM) that grows past it is OOM-killed and, with `restart: always`, started again.
 */
import type { Simulation } from "../engine/index.js";
import { grown } from "../sharing/grow.js";
import type { Footprint } from "./footprint.js";
import type { Host } from "./host.js";
import type { App, Mode } from "./workload.js";
import { Interned } from "./interned.js";
import { removeAt } from "./remove-at.js";

/**
 * Slowdown of a swapping host's tenants per unit of overflow: with 10% of its tenants' memory
 * swapped out a host's work runs at 1 / (1 + 0.5). A judgement: swap-in latency dominates
 * anything that touches a swapped page; no published figure (docs/calibration.md, judgement).
 */
export const SWAP_PENALTY = 5;

export class MemoryModel {
  /**
   * Tenants as rows of columns (instance, host, app and footprint as indices, when tracked, growth
   * in bytes per second, 0: flat); a row freed by untrack is reused, its generation bumped so an OOM
   * event scheduled for its old tenant finds it gone.
   */
  private rows = 0;
  private readonly freeRows: number[] = [];
  private tIndex = new Int32Array(0);
  private tHost = new Int32Array(0);
  private tApp = new Int32Array(0);
  private tFp = new Int32Array(0);
  private tSince = new Float64Array(0);
  private tGrowth = new Float64Array(0);
  private tAlive = new Uint8Array(0);
  private tGen = new Int32Array(0);
  private readonly apps = new Interned<App>();
  private readonly fps = new Interned<Footprint>();
  /** Per host: its tenants' rows, in the order they came. */
  private readonly tenants: number[][];
  private readonly oomKind: number;
  private readonly checkKind: number;
  /** Scheduled OOM kills: the row and its generation then. */
  private readonly oomRow: number[] = [];
  private readonly oomGen: number[] = [];
  oomKills = 0;
  private swapAccrued = 0;
  /** Per host: swapping since `since[h]`, or not. */
  private readonly swapping: boolean[];
  private readonly since: number[];
  private ticking = false;
  /**
   * Per host: its usage as last computed (all of it, and its tenants' part); `fresh` while none of
   * its tenants grows (then it changes only when a tenant comes or goes), else computed afresh.
   */
  private readonly used: Float64Array;
  private readonly tenantBytes: Float64Array;
  private readonly fresh: Uint8Array;
  /** Per host: how many of its tenants grow. */
  private readonly growing: number[];

  constructor(
    private readonly sim: Simulation,
    private readonly mode: Mode,
    private readonly hosts: readonly Host[],
    private readonly stepS: number,
    private readonly horizonS: number,
    private readonly setPenalty: (host: number, factor: number) => void,
    private readonly onOomKill: (index: number) => void,
  ) {
    this.tenants = hosts.map(() => []);
    this.swapping = hosts.map(() => false);
    this.since = hosts.map(() => 0);
    this.used = new Float64Array(hosts.length);
    this.tenantBytes = new Float64Array(hosts.length);
    this.fresh = new Uint8Array(hosts.length);
    this.growing = hosts.map(() => 0);
    this.oomKind = sim.register((k) => this.oom(this.oomRow[k]!, this.oomGen[k]!));
    // Growing working sets change swap state between events: re-check every host at every multiple of
    // the step from the first after a tenant grows (a clock of its own time, not of when growth began:
    // a host's checks fall at the same times whatever the other hosts do).
    this.checkKind = sim.register((k) => {
      this.hosts.forEach((_, h) => this.checkHost(h));
      if ((k + 1) * stepS <= horizonS + 1e-9) sim.at((k + 1) * stepS, this.checkKind, k + 1);
    });
  }

  /** Instance `index` of `app` is running on `host` from now: its working set starts at the app's memory. */
  track(index: number, app: App, host: Host, fp: Footprint): void {
    const growth = app.grow ? Math.max(0, (app.grow.toBytes - app.memoryBytes) / app.grow.overS) : 0;
    const h = host.index;
    const t = this.addRow(index, h, app, fp, growth);
    (this.tenants[h] as number[]).push(t);
    if (growth > 0) {
      this.growing[h] = (this.growing[h] as number) + 1;
      this.fresh[h] = 0;
    } else if (this.fresh[h] === 1) {
      // The sum usage() would form: the same terms, the new tenant's last (it is last in the list).
      const bytes = this.tenantRowBytes(t, this.sim.now);
      this.used[h] = this.used[h]! + bytes;
      this.tenantBytes[h] = this.tenantBytes[h]! + bytes;
    }
    if (growth > 0 && !this.ticking) {
      this.ticking = true;
      const k = Math.floor(this.sim.now / this.stepS) + 1;
      if (k * this.stepS <= this.horizonS + 1e-9) this.sim.at(k * this.stepS, this.checkKind, k);
    }
    // A hard ceiling: a container under limits, or the app's share of its guest in a VM.
    const ceiling = this.mode.kind === "vm" || this.mode.kind === "microvm" || (this.mode.kind === "container" && this.mode.limits);
    if (ceiling && growth > 0) {
      const headroom = Math.max(0, (app.memoryLimitBytes ?? app.memoryBytes) - app.memoryBytes);
      const at = this.sim.now + headroom / growth;
      if (at <= this.horizonS) {
        this.oomRow.push(t);
        this.oomGen.push(this.tGen[t]!);
        this.sim.at(at, this.oomKind, this.oomRow.length - 1);
      }
    }
    this.checkHost(h);
  }

  /** Instance `index` is gone (finished or killed). */
  untrack(index: number, host: Host): void {
    const list = this.tenants[host.index] as number[];
    const k = list.findIndex((t) => this.tIndex[t] === index && this.tAlive[t] === 1);
    if (k >= 0) {
      const t = list[k] as number;
      removeAt(list, k);
      this.fresh[host.index] = 0;
      if (this.tGrowth[t]! > 0) this.growing[host.index] = (this.growing[host.index] as number) - 1;
      this.tAlive[t] = 0;
      this.tGen[t] = this.tGen[t]! + 1;
      this.freeRows.push(t);
    }
    this.checkHost(host.index);
  }

  /** Host-seconds spent swapping, up to now. */
  swapSeconds(): number {
    let total = this.swapAccrued;
    for (let k = 0; k < this.swapping.length; k++) if (this.swapping[k]) total += this.sim.now - (this.since[k] as number);
    return total;
  }

  /** A row for a new tenant. */
  private addRow(index: number, host: number, app: App, fp: Footprint, growth: number): number {
    let t = this.freeRows.pop();
    if (t === undefined) {
      t = this.rows++;
      if (t >= this.tIndex.length) {
        this.tIndex = grown(this.tIndex, t + 1);
        this.tHost = grown(this.tHost, t + 1);
        this.tApp = grown(this.tApp, t + 1);
        this.tFp = grown(this.tFp, t + 1);
        this.tSince = grown(this.tSince, t + 1);
        this.tGrowth = grown(this.tGrowth, t + 1);
        this.tAlive = grown(this.tAlive, t + 1);
        this.tGen = grown(this.tGen, t + 1);
      }
    }
    this.tIndex[t] = index;
    this.tHost[t] = host;
    this.tApp[t] = this.apps.of(app);
    this.tFp[t] = this.fps.of(fp);
    this.tSince[t] = this.sim.now;
    this.tGrowth[t] = growth;
    this.tAlive[t] = 1;
    return t;
  }

  /** Tenant `t`'s bytes now: its working set as it is, its guest, hypervisor and runtime in full. */
  private tenantRowBytes(t: number, now: number): number {
    const fp = this.fps.items[this.tFp[t]!]!;
    return this.workingSet(t, now) + fp.guestOsBytes + fp.hypervisorBytes + fp.runtimeBytes;
  }

  private workingSet(t: number, now: number): number {
    const app = this.apps.items[this.tApp[t]!]!;
    if (!app.grow) return app.memoryBytes;
    return Math.min(app.memoryBytes + this.tGrowth[t]! * (now - this.tSince[t]!), app.grow.toBytes);
  }

  /** The OOM kill scheduled for row `t` at generation `gen`, unless that tenant is gone already. */
  private oom(t: number, gen: number): void {
    if (this.tGen[t] !== gen || this.tAlive[t] === 0) return;
    this.oomKills++;
    const index = this.tIndex[t]!;
    this.untrack(index, this.hosts[this.tHost[t]!] as Host);
    this.onOomKill(index);
  }

  /**
   * Bytes host k's tenants, its reserve and its per-host overheads use now (working sets as they
   * are, guests in full); the per-host overheads only once the mode uses the host.
   */
  usedBytes(k: number): number {
    this.measure(k);
    return this.used[k]!;
  }

  /** Brings host k's `used` and `tenantBytes` up to now. */
  private measure(k: number): void {
    if (this.fresh[k] === 1) return;
    const now = this.sim.now;
    const h = this.hosts[k] as Host;
    let used = h.spec.reservedMemoryBytes + (h.everUsed ? h.baseRuntimeBytes + h.baseHypervisorBytes : 0);
    let tenantBytes = 0;
    for (const t of this.tenants[k] as number[]) {
      const bytes = this.tenantRowBytes(t, now);
      used += bytes;
      tenantBytes += bytes;
    }
    this.used[k] = used;
    this.tenantBytes[k] = tenantBytes;
    // everUsed only ever turns true (at a placement, before the tenant arrives): cache once it has.
    if (this.growing[k] === 0 && h.everUsed) this.fresh[k] = 1;
  }

  /** Host k's memory now: beyond its physical memory it swaps, and its tenants slow down. */
  private checkHost(k: number): void {
    const now = this.sim.now;
    const h = this.hosts[k] as Host;
    const list = this.tenants[k] as number[];
    this.measure(k);
    const used = this.used[k]!;
    const tenantBytes = this.tenantBytes[k]!;
    const excess = list.length > 0 ? Math.max(0, used - h.spec.memoryBytes) : 0;
    const on = excess > 0;
    if (on !== this.swapping[k]) {
      if (!on) this.swapAccrued += now - (this.since[k] as number);
      else this.since[k] = now;
      this.swapping[k] = on;
    }
    this.setPenalty(k, on ? 1 + (SWAP_PENALTY * excess) / tenantBytes : 1);
  }
}
