/**
 * A host's allocation state in one run and one mode: what is committed against its CPU and
 * memory, which ports, runtimes and OS family its instances hold, and the memory breakdown.
 */
import type { Footprint } from "./footprint.js";
import { hostOverhead } from "./footprint.js";
import type { OsFamily } from "./profiles.js";
import type { App, HostType, Mode } from "./workload.js";

/** Commitments may reach capacity up to this relative tolerance (float sums of requests). */
export const CAPACITY_EPSILON = 1e-9;

/** The ports a VM's instance holds on its host: none (one shared list, not a new empty one per call). */
const NO_PORTS: readonly number[] = [];

export class Host {
  readonly cpuCapacityCores: number;
  readonly memoryCapacityBytes: number;
  /**
   * Per-host memory of the mode (engine daemons, hypervisor): kept free on every host so placement
   * can count on it, but only taken (in the breakdown, in memory use) on a host the mode uses.
   */
  readonly baseRuntimeBytes: number;
  readonly baseHypervisorBytes: number;

  cpuCommittedCores = 0;
  /** Out of service (failed, or drained for maintenance): placement never chooses it. */
  down = false;
  /** Share of its CPU and memory capacity held back as failover reserve: only recovery placements may use it. */
  reserveShare = 0;
  /** The whole host is failover reserve (`reserve: { hosts }`): only recovery placements may use it. */
  reserveHost = false;
  /** True once any instance or job has run here. */
  everUsed = false;
  /** The OS family its host OS ran (bare, container: its tenants'), once known. */
  hostOs: OsFamily | undefined = undefined;
  /** Most guest OS instances (VMs) at once, by family, and most instances at once. */
  readonly peakGuests = { linux: 0, windows: 0 };
  private readonly guests = { linux: 0, windows: 0 };
  peakInstances = 0;
  /** Per app name: its instances here now, and at most at once (per-app licences: SQL Server); one entry, one lookup per commit. */
  private readonly byApp = new Map<string, { now: number; peak: number }>();
  memoryCommittedBytes = 0;
  instances = 0;
  os: OsFamily | undefined = undefined;
  /** Port -> app that holds it (bare: listening ports; container: published ports). */
  readonly ports = new Map<number, string>();
  /** Runtime family -> version and how many instances use it (bare only). */
  readonly runtimes = new Map<string, { readonly version: string; count: number }>();

  /** Called after commit or release changed the committed CPU or memory (the placement index listens). */
  onCommitChange: ((host: Host) => void) | undefined = undefined;

  appBytes = 0;
  guestOsBytes = 0;
  hypervisorBytes = 0;
  runtimeBytes = 0;
  idleCpuCores = 0;
  osInstances = 0;

  constructor(
    readonly index: number,
    readonly name: string,
    readonly spec: HostType,
    readonly mode: Mode,
  ) {
    const base = hostOverhead(mode);
    this.baseRuntimeBytes = base.runtimeBytes;
    this.baseHypervisorBytes = base.hypervisorBytes;
    this.cpuCapacityCores = Math.max(0, spec.cores - spec.reservedCores) * mode.overcommitCpu;
    this.memoryCapacityBytes = Math.max(0, spec.memoryBytes - spec.reservedMemoryBytes - base.runtimeBytes - base.hypervisorBytes);
  }

  fitsCpu(cores: number): boolean {
    return this.cpuCommittedCores + cores <= this.cpuCapacityCores * (1 + CAPACITY_EPSILON);
  }

  fitsMemory(bytes: number): boolean {
    return this.memoryCommittedBytes + bytes <= this.memoryCapacityBytes * (1 + CAPACITY_EPSILON);
  }

  /** Host ports an instance of `app` would hold here: only bare processes and published container ports collide. */
  conflictPorts(app: App): readonly number[] {
    if (this.mode.kind === "bare") return app.ports;
    if (this.mode.kind === "container") return app.publish;
    return NO_PORTS;
  }

  /** Bare processes and containers share the host's kernel, so they need its OS family; VMs bring their own. */
  sharesHostOs(): boolean {
    return this.mode.kind === "bare" || this.mode.kind === "container";
  }

  /** Most instances of app `name` here at once. */
  peakOf(name: string): number {
    return this.byApp.get(name)?.peak ?? 0;
  }

  commit(app: App, fp: Footprint): void {
    this.cpuCommittedCores += fp.cpuCommitCores;
    this.memoryCommittedBytes += fp.memoryCommitBytes;
    this.instances += 1;
    this.everUsed = true;
    this.peakInstances = Math.max(this.peakInstances, this.instances);
    let count = this.byApp.get(app.name);
    if (count === undefined) {
      count = { now: 0, peak: 0 };
      this.byApp.set(app.name, count);
    }
    if (++count.now > count.peak) count.peak = count.now;
    if (fp.osInstances > 0) {
      this.guests[app.os] += fp.osInstances;
      this.peakGuests[app.os] = Math.max(this.peakGuests[app.os], this.guests[app.os]);
    }
    this.appBytes += fp.appBytes;
    this.guestOsBytes += fp.guestOsBytes;
    this.hypervisorBytes += fp.hypervisorBytes;
    this.runtimeBytes += fp.runtimeBytes;
    this.idleCpuCores += fp.idleCpuCores;
    this.osInstances += fp.osInstances;
    for (const p of this.conflictPorts(app)) this.ports.set(p, app.name);
    if (this.mode.kind === "bare" && app.runtime) {
      const rt = this.runtimes.get(app.runtime.family);
      if (rt) rt.count++;
      else this.runtimes.set(app.runtime.family, { version: app.runtime.version, count: 1 });
    }
    if (this.sharesHostOs()) {
      this.os = app.os;
      this.hostOs = app.os;
    }
    this.onCommitChange?.(this);
  }

  /** Gives back what `commit(app, fp)` took: a finished job or a stopped instance. */
  release(app: App, fp: Footprint): void {
    this.cpuCommittedCores -= fp.cpuCommitCores;
    this.memoryCommittedBytes -= fp.memoryCommitBytes;
    this.instances -= 1;
    const count = this.byApp.get(app.name);
    if (count !== undefined) count.now--;
    this.appBytes -= fp.appBytes;
    this.guestOsBytes -= fp.guestOsBytes;
    this.hypervisorBytes -= fp.hypervisorBytes;
    this.runtimeBytes -= fp.runtimeBytes;
    this.idleCpuCores -= fp.idleCpuCores;
    this.osInstances -= fp.osInstances;
    if (fp.osInstances > 0) this.guests[app.os] -= fp.osInstances;
    for (const p of this.conflictPorts(app)) if (this.ports.get(p) === app.name) this.ports.delete(p);
    if (this.mode.kind === "bare" && app.runtime) {
      const rt = this.runtimes.get(app.runtime.family);
      if (rt && --rt.count === 0) this.runtimes.delete(app.runtime.family);
    }
    if (this.instances === 0) {
      this.os = undefined;
      // Sums of many floats drift: an empty host is exactly empty.
      this.cpuCommittedCores = 0;
      this.memoryCommittedBytes = 0;
    }
    this.onCommitChange?.(this);
  }
}
