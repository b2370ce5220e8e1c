/**
 * A host's allocation state in one run and one mode: what is committed against its CPU and
 * memory, which ports, runtimes and OS family its instances hold, and the memory breakdown.
 */
import type { Footprint } from "./footprint.js";
import { hostOverhead } from "./footprint.js";
import type { OsFamily } from "./profiles.js";
import type { App, HostType, Mode } from "./workload.js";
import { grown } from "../sharing/grow.js";

/** Commitments may reach capacity up to this relative tolerance (float sums of requests). */
export const CAPACITY_EPSILON = 1e-9;

/** The ports a VM's instance holds on its host: none (one shared list, not a new empty one per call). */
const NO_PORTS: readonly number[] = [];

/** A host's running sums, at these places in its `sums`. */
const S_CPU = 0;
const S_MEMORY = 1;
const S_APP = 2;
const S_GUEST_OS = 3;
const S_HYPERVISOR = 4;
const S_RUNTIME = 5;
const S_IDLE_CPU = 6;
const SUMS = 7;

/**
 * App name -> its number in the `appCounts` of one run's hosts, which share one table (buildHosts):
 * it holds that run's apps only, so a long-lived process (the explorer, a pool worker, the fuzzer)
 * running scenario after scenario does not widen every later host's counts by every name it has seen.
 */
export class AppNumbers {
  private readonly numbers = new Map<string, number>();

  /** The app's number, given on first sight. */
  of(name: string): number {
    let k = this.numbers.get(name);
    if (k === undefined) {
      k = this.numbers.size;
      this.numbers.set(name, k);
    }
    return k;
  }

  /** The app's number, or -1 if none of these hosts has seen it. */
  find(name: string): number {
    return this.numbers.get(name) ?? -1;
  }
}

export class Host {
  readonly cpuCapacityCores: number;
  readonly memoryCapacityBytes: number;
  /**
   * Per-host memory of the mode (engine daemons, hypervisor): kept free on every host so placement
   * can count on it, but only taken (in the breakdown, in memory use) on a host the mode uses.
   */
  readonly baseRuntimeBytes: number;
  readonly baseHypervisorBytes: number;

  /**
   * What is committed here (CPU, memory) and the memory breakdown, as one small typed array: a
   * commit updates one cache line, not a boxed number each (a storm commits on host after host).
   */
  private readonly sums = new Float64Array(SUMS);
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
  /** Guest OS instances (VMs) here now and at most at once, by family, and most instances at once. */
  private linuxGuests = 0;
  private windowsGuests = 0;
  private peakLinuxGuests = 0;
  private peakWindowsGuests = 0;
  peakInstances = 0;
  /** Per app (appNumber): its instances here now at [2k], and at most at once at [2k + 1] (per-app licences: SQL Server). */
  private appCounts = new Int32Array(0);
  instances = 0;
  os: OsFamily | undefined = undefined;
  /** Port -> app that holds it (bare: listening ports; container: published ports). */
  readonly ports = new Map<number, string>();
  /** Runtime family -> version and how many instances use it (bare only). */
  readonly runtimes = new Map<string, { readonly version: string; count: number }>();

  /** Called after commit or release changed the committed CPU or memory (the placement index listens). */
  onCommitChange: ((host: Host) => void) | undefined = undefined;

  osInstances = 0;

  get cpuCommittedCores(): number {
    return this.sums[S_CPU]!;
  }
  get memoryCommittedBytes(): number {
    return this.sums[S_MEMORY]!;
  }
  get appBytes(): number {
    return this.sums[S_APP]!;
  }
  get guestOsBytes(): number {
    return this.sums[S_GUEST_OS]!;
  }
  get hypervisorBytes(): number {
    return this.sums[S_HYPERVISOR]!;
  }
  get runtimeBytes(): number {
    return this.sums[S_RUNTIME]!;
  }
  get idleCpuCores(): number {
    return this.sums[S_IDLE_CPU]!;
  }
  /** Most guest OS instances (VMs) at once, by family. */
  get peakGuests(): { readonly linux: number; readonly windows: number } {
    return { linux: this.peakLinuxGuests, windows: this.peakWindowsGuests };
  }

  constructor(
    readonly index: number,
    readonly name: string,
    readonly spec: HostType,
    readonly mode: Mode,
    /** The table of app numbers this run's hosts share. */
    private readonly appNumbers: AppNumbers,
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
    const k = this.appNumbers.find(name);
    return k < 0 || 2 * k + 1 >= this.appCounts.length ? 0 : this.appCounts[2 * k + 1]!;
  }

  commit(app: App, fp: Footprint): void {
    const s = this.sums;
    s[S_CPU] = s[S_CPU]! + fp.cpuCommitCores;
    s[S_MEMORY] = s[S_MEMORY]! + fp.memoryCommitBytes;
    this.instances += 1;
    this.everUsed = true;
    this.peakInstances = Math.max(this.peakInstances, this.instances);
    const k = 2 * this.appNumbers.of(app.name);
    if (k + 1 >= this.appCounts.length) this.appCounts = grown(this.appCounts, k + 2, 0, 2);
    const now = ++this.appCounts[k]!;
    if (now > this.appCounts[k + 1]!) this.appCounts[k + 1] = now;
    if (fp.osInstances > 0) {
      if (app.os === "linux") {
        this.linuxGuests += fp.osInstances;
        this.peakLinuxGuests = Math.max(this.peakLinuxGuests, this.linuxGuests);
      } else {
        this.windowsGuests += fp.osInstances;
        this.peakWindowsGuests = Math.max(this.peakWindowsGuests, this.windowsGuests);
      }
    }
    s[S_APP] = s[S_APP]! + fp.appBytes;
    s[S_GUEST_OS] = s[S_GUEST_OS]! + fp.guestOsBytes;
    s[S_HYPERVISOR] = s[S_HYPERVISOR]! + fp.hypervisorBytes;
    s[S_RUNTIME] = s[S_RUNTIME]! + fp.runtimeBytes;
    s[S_IDLE_CPU] = s[S_IDLE_CPU]! + fp.idleCpuCores;
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
    const s = this.sums;
    s[S_CPU] = s[S_CPU]! - fp.cpuCommitCores;
    s[S_MEMORY] = s[S_MEMORY]! - fp.memoryCommitBytes;
    this.instances -= 1;
    const k = 2 * this.appNumbers.find(app.name);
    if (k >= 0 && k < this.appCounts.length) this.appCounts[k] = this.appCounts[k]! - 1;
    s[S_APP] = s[S_APP]! - fp.appBytes;
    s[S_GUEST_OS] = s[S_GUEST_OS]! - fp.guestOsBytes;
    s[S_HYPERVISOR] = s[S_HYPERVISOR]! - fp.hypervisorBytes;
    s[S_RUNTIME] = s[S_RUNTIME]! - fp.runtimeBytes;
    s[S_IDLE_CPU] = s[S_IDLE_CPU]! - fp.idleCpuCores;
    this.osInstances -= fp.osInstances;
    if (fp.osInstances > 0) {
      if (app.os === "linux") this.linuxGuests -= fp.osInstances;
      else this.windowsGuests -= fp.osInstances;
    }
    for (const p of this.conflictPorts(app)) if (this.ports.get(p) === app.name) this.ports.delete(p);
    if (this.mode.kind === "bare" && app.runtime) {
      const rt = this.runtimes.get(app.runtime.family);
      if (rt && --rt.count === 0) this.runtimes.delete(app.runtime.family);
    }
    if (this.instances === 0) {
      this.os = undefined;
      // Sums of many floats drift: an empty host is exactly empty.
      s[S_CPU] = 0;
      s[S_MEMORY] = 0;
    }
    this.onCommitChange?.(this);
  }
}
