/**
 * Memory over time: working sets that grow, hosts whose tenants use more than the physical
 * memory (VM memory overcommit, growth on bare metal or in unlimited containers) swap, which slows
 * every tenant of the host; an instance with a hard memory ceiling (a container under limits, an
 * app inside a VM) that grows past it is OOM-killed and, with `restart: always`, started again.
 */
import type { Simulation } from "../engine/index.js";
import type { Footprint } from "./footprint.js";
import type { Host } from "./host.js";
import type { App, Mode } from "./workload.js";

/**
 * Slowdown of a swapping host's tenants per unit of overflow: with 10% of its tenants' memory
 * swapped out a host's work runs at 1 / (1 + 0.5). A judgement: swap-in latency dominates
 * anything that touches a swapped page; no published figure (docs/calibration.md, judgement).
 */
export const SWAP_PENALTY = 5;

interface Tenant {
  readonly index: number;
  readonly app: App;
  readonly host: Host;
  readonly fp: Footprint;
  readonly since: number;
  /** Working-set growth in bytes per second (0: flat). */
  readonly growth: number;
  alive: boolean;
}

export class MemoryModel {
  private readonly tenants: Tenant[][];
  private readonly oomKind: number;
  private readonly checkKind: number;
  private readonly byOom: Tenant[] = [];
  oomKills = 0;
  private swapAccrued = 0;
  /** Per host: swapping since `since[h]`, or not. */
  private readonly swapping: boolean[];
  private readonly since: number[];
  private ticking = false;
  /**
   * Per host: its usage as last computed, while none of its tenants grows (then it changes only
   * when a tenant comes or goes); undefined when it must be computed afresh.
   */
  private readonly cached: ({ readonly used: number; readonly tenantBytes: number } | undefined)[];
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
    this.cached = hosts.map(() => undefined);
    this.growing = hosts.map(() => 0);
    this.oomKind = sim.register((k) => this.oom(this.byOom[k] as Tenant));
    // Growing working sets change swap state between events: re-check every host each step while any grows.
    this.checkKind = sim.register(() => {
      this.hosts.forEach((_, k) => this.checkHost(k));
      if (sim.now + stepS <= horizonS + 1e-9) sim.after(stepS, this.checkKind, 0);
    });
  }

  /** Instance `index` of `app` is running on `host` from now: its working set starts at the app's memory. */
  track(index: number, app: App, host: Host, fp: Footprint): void {
    const growth = app.grow ? Math.max(0, (app.grow.toBytes - app.memoryBytes) / app.grow.overS) : 0;
    const t: Tenant = { index, app, host, fp, since: this.sim.now, growth, alive: true };
    (this.tenants[host.index] as Tenant[]).push(t);
    const known = this.cached[host.index];
    if (growth > 0) {
      this.growing[host.index] = (this.growing[host.index] as number) + 1;
      this.cached[host.index] = undefined;
    } else if (known !== undefined) {
      // The sum usage() would form: the same terms, the new tenant's last (it is last in the list).
      const bytes = this.workingSet(t, this.sim.now) + fp.guestOsBytes + fp.hypervisorBytes + fp.runtimeBytes;
      this.cached[host.index] = { used: known.used + bytes, tenantBytes: known.tenantBytes + bytes };
    }
    if (growth > 0 && !this.ticking) {
      this.ticking = true;
      this.sim.after(this.stepS, this.checkKind, 0);
    }
    // A hard ceiling: a container under limits, or the app's share of its guest in a VM.
    const ceiling = this.mode.kind === "vm" || this.mode.kind === "microvm" || (this.mode.kind === "container" && this.mode.limits);
    if (ceiling && growth > 0) {
      const headroom = Math.max(0, (app.memoryLimitBytes ?? app.memoryBytes) - app.memoryBytes);
      const at = this.sim.now + headroom / growth;
      if (at <= this.horizonS) {
        this.byOom.push(t);
        this.sim.at(at, this.oomKind, this.byOom.length - 1);
      }
    }
    this.checkHost(host.index);
  }

  /** Instance `index` is gone (finished or killed). */
  untrack(index: number, host: Host): void {
    const list = this.tenants[host.index] as Tenant[];
    const k = list.findIndex((t) => t.index === index && t.alive);
    if (k >= 0) {
      const t = list[k] as Tenant;
      t.alive = false;
      list.splice(k, 1);
      this.cached[host.index] = undefined;
      if (t.growth > 0) this.growing[host.index] = (this.growing[host.index] as number) - 1;
    }
    this.checkHost(host.index);
  }

  /** Host-seconds spent swapping, up to now. */
  swapSeconds(): number {
    let total = this.swapAccrued;
    this.swapping.forEach((on, k) => {
      if (on) total += this.sim.now - (this.since[k] as number);
    });
    return total;
  }

  private workingSet(t: Tenant, now: number): number {
    if (!t.app.grow) return t.app.memoryBytes;
    return Math.min(t.app.memoryBytes + t.growth * (now - t.since), t.app.grow.toBytes);
  }

  private oom(t: Tenant): void {
    if (!t.alive) return;
    this.oomKills++;
    this.untrack(t.index, t.host);
    this.onOomKill(t.index);
  }

  /**
   * Bytes host k's tenants, its reserve and its per-host overheads use now (working sets as they
   * are, guests in full); the per-host overheads only once the mode uses the host.
   */
  usedBytes(k: number): number {
    return this.usage(k).used;
  }

  private usage(k: number): { readonly used: number; readonly tenantBytes: number } {
    const known = this.cached[k];
    if (known !== undefined) return known;
    const now = this.sim.now;
    const h = this.hosts[k] as Host;
    let used = h.spec.reservedMemoryBytes + (h.everUsed ? h.baseRuntimeBytes + h.baseHypervisorBytes : 0);
    let tenantBytes = 0;
    for (const t of this.tenants[k] as Tenant[]) {
      const bytes = this.workingSet(t, now) + t.fp.guestOsBytes + t.fp.hypervisorBytes + t.fp.runtimeBytes;
      used += bytes;
      tenantBytes += bytes;
    }
    const out = { used, tenantBytes };
    // everUsed only ever turns true (at a placement, before the tenant arrives): cache once it has.
    if (this.growing[k] === 0 && h.everUsed) this.cached[k] = out;
    return out;
  }

  /** Host k's memory now: beyond its physical memory it swaps, and its tenants slow down. */
  private checkHost(k: number): void {
    const now = this.sim.now;
    const h = this.hosts[k] as Host;
    const list = this.tenants[k] as Tenant[];
    const { used, tenantBytes } = this.usage(k);
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
