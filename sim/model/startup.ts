/**
 * Start-up as work on shared resources: each instance goes through its mode's phases (image
 * pull, layer extraction, create; or disk provisioning, guest boot, guest init; then app init),
 * each phase a delay or a fluid flow on the host's CPU, disk and NIC, the registry, and the host's
 * one serial server (daemon locks and the like: processor-shared, capacity one second of work per
 * second), so concurrent starts slow each other down and boot storms emerge rather than being assumed.
 */
import { sample, type Rng, type RngFamily, type RngStreams, type Simulation } from "../engine/index.js";
import type { FluidSharing, ResourceId, Use } from "../sharing/index.js";
import type { Host } from "./host.js";
import { LayerCaches } from "./layer-cache.js";
import { OpsLimit } from "./ops-limit.js";
import type { App, Layer, Mode, Registry } from "./workload.js";

/** Phases in the order an instance goes through them; per mode only some apply. */
export const STARTUP_PHASES = ["pull", "extract", "create", "provision", "boot", "guestInit", "init"] as const;
export type StartupPhase = (typeof STARTUP_PHASES)[number];
const PHASE_COUNT = STARTUP_PHASES.length;
const P_PULL = 0;
const P_EXTRACT = 1;
const P_CREATE = 2;
const P_PROVISION = 3;
const P_BOOT = 4;
const P_GUEST_INIT = 5;
const P_INIT = 6;

/** One instance's start-up, as the run asks for it. */
export interface StartRequest {
  readonly app: App;
  readonly replica: number;
  readonly host: Host;
  /** When it was requested (and placed). */
  readonly requestedAt: number;
}

/** A start-up in progress: its request and its slot. */
interface Starting extends StartRequest {
  readonly index: number;
}

/** Observes lifecycle steps, for `densim trace`. */
export type StartupListener = (time: number, instance: number, event: string, detail: string) => void;

/** The resources of one host that start-up work runs on. */
interface HostResources {
  readonly cpu: ResourceId;
  readonly disk: ResourceId;
  readonly nic: ResourceId;
  /** The host's serial server: one second of serial start-up work per second, shared by all. */
  readonly serial: ResourceId;
}

interface StepFamilies {
  readonly init: RngFamily;
  readonly serial: RngFamily;
  readonly create: RngFamily;
  readonly boot: RngFamily;
  readonly guestInit: RngFamily;
}

/** One instance's draws for its start-up steps, in seconds (core-seconds for CPU work). */
interface Draws {
  readonly init: number;
  readonly serial: number;
  readonly create: number;
  readonly bootDelay: number;
  readonly bootWork: number;
  readonly guestInit: number;
}

export class StartupModel {
  /** Seconds each start spent in each phase: [slot * PHASE_COUNT + phase]. */
  private phaseS = new Float64Array(0);
  private phaseStart = new Float64Array(0);
  /** Starts by slot; a released slot is reused, so memory follows the starts alive, not every start ever. */
  private readonly instances: (Starting | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly resources: HostResources[];
  private readonly caches: LayerCaches;
  private readonly registry: ResourceId;
  private readonly delayKind: number;
  private readonly ops: OpsLimit;
  /** What each instance does when its pending delay ends. */
  private readonly afterDelay: (() => void)[] = [];

  constructor(
    private readonly sim: Simulation,
    private readonly sharing: FluidSharing,
    private readonly streams: RngStreams,
    private readonly mode: Mode,
    hosts: readonly Host[],
    apps: readonly App[],
    registry: Registry,
    private readonly onReady: (instance: number) => void,
    private readonly listener?: StartupListener,
  ) {
    // The host OS keeps its reserved cores; start-up and app work share the rest.
    this.resources = hosts.map((h) => ({
      cpu: sharing.addResource(Math.max(0, h.spec.cores - h.spec.reservedCores), `${h.name}/cpu`),
      disk: sharing.addResource(h.spec.diskBytesPerS, `${h.name}/disk`),
      nic: sharing.addResource(h.spec.networkBytesPerS, `${h.name}/nic`),
      serial: sharing.addResource(1, `${h.name}/serial`),
    }));
    const p0 = mode.profile;
    this.ops = new OpsLimit(hosts.length, p0.kind === "vm" || p0.kind === "microvm" ? p0.provision.concurrentOps : 0);
    this.registry = sharing.addResource(registry.bytesPerS, "registry");
    const p = mode.profile;
    // A warm cache holds every layer any app needs; a cold one only what the host was given.
    const everyLayer = new Set(apps.flatMap((a) => a.layers.map((l) => this.layerKey(a, l.digest))));
    this.caches = new LayerCaches(
      sim,
      sharing,
      hosts.map((h) => {
        if (mode.cache === "warm") return everyLayer;
        if (mode.layerSharing) return h.spec.prepulledLayers;
        // Without sharing only an app's own image, prepulled as such, is of use to it.
        const own = apps.filter((a) => a.image !== undefined && h.spec.prepulledImages.has(a.image));
        return new Set(own.flatMap((a) => a.layers.map((l) => this.layerKey(a, l.digest))));
      }),
      {
        registry: this.registry,
        latencyS: registry.latencyS,
        maxConcurrentDownloads: p.kind === "container" ? p.maxConcurrentDownloads : 3,
        extractRateBytesPerS: p.kind === "container" ? p.extract.rateBytesPerS : 150e6,
        expansion: p.kind === "container" ? p.extract.expansion : 1,
        hostResources: this.resources,
      },
      listener ? (t, host, what) => listener(t, -1, "layer", `${hosts[host]?.name} ${what}`) : undefined,
    );
    this.delayKind = sim.register((i) => {
      const next = this.afterDelay[i];
      this.afterDelay[i] = noop;
      (next as () => void)();
    });
  }

  /** Cache key of a layer: its digest, or per image when layers are not shared between images. */
  private layerKey(app: App, digest: string): string {
    return this.mode.layerSharing ? digest : `${app.image ?? ""}/${digest}`;
  }

  /**
   * Host `h` fails (false) or is back (true): its CPU, disk, NIC and serial server have no capacity
   * while it is down, so nothing on it progresses (its daemons and any step under way stall).
   */
  setHostUp(h: number, up: boolean, spec: { readonly cores: number; readonly reservedCores: number; readonly diskBytesPerS: number; readonly networkBytesPerS: number }): void {
    const r = this.resources[h] as HostResources;
    this.sharing.batch(() => {
      this.sharing.setCapacity(r.cpu, up ? Math.max(0, spec.cores - spec.reservedCores) : 0);
      this.sharing.setCapacity(r.disk, up ? spec.diskBytesPerS : 0);
      this.sharing.setCapacity(r.nic, up ? spec.networkBytesPerS : 0);
      this.sharing.setCapacity(r.serial, up ? 1 : 0);
    });
  }

  /** The disk resource of host `h`, shared with running I/O. */
  diskOf(h: number): ResourceId {
    return (this.resources[h] as HostResources).disk;
  }

  /** The CPU resource of host `h` (cores less its reserve), shared with running work. */
  cpuOf(h: number): ResourceId {
    return (this.resources[h] as HostResources).cpu;
  }

  /** Layer downloads so far: bytes, layer requests, and requests that needed a new download. */
  get pullStats(): { readonly bytes: number; readonly requests: number; readonly downloads: number } {
    return this.caches.stats;
  }

  /** Seconds the start in `slot` spent in phase `p` (index into STARTUP_PHASES); valid until the slot is released. */
  phaseSeconds(slot: number, p: number): number {
    return this.phaseS[slot * PHASE_COUNT + p] as number;
  }

  /**
   * Frees `slot` once its start is ready (read its phases first): a later start reuses it. Nothing
   * of a start is pending once it is ready (the rest of a lazy pull no longer refers to it).
   */
  release(slot: number): void {
    if (this.instances[slot] === undefined) throw new Error(`StartupModel.release: slot ${slot} is not in use`);
    this.instances[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** The slot the next begin() or restart() takes (so a caller can note whose it is before events for it fire). */
  nextSlot(): number {
    return this.freeSlots.length > 0 ? (this.freeSlots[this.freeSlots.length - 1] as number) : this.instances.length;
  }

  /** A slot for a new start, its phase times zeroed. */
  private allocate(r: StartRequest): Starting {
    const index = this.freeSlots.length > 0 ? (this.freeSlots.pop() as number) : this.instances.length;
    const s: Starting = { ...r, index };
    this.aborted.delete(index);
    if (index === this.instances.length) {
      this.instances.push(s);
      this.afterDelay.push(noop);
      this.ensureCapacity();
    } else {
      this.instances[index] = s;
      this.phaseS.fill(0, index * PHASE_COUNT, (index + 1) * PHASE_COUNT);
    }
    return s;
  }

  /**
   * Starts `r` now; returns its slot, which `onReady` and `phaseSeconds` name. Each step draws from
   * its own family keyed by the replica (`create/<app>` at the replica, ...), so every mode sees the
   * same draws (common random numbers); with `rng` (jobs, restarts, recoveries) all come from it.
   */
  begin(request: StartRequest, rng?: Rng, how: { readonly sharedDisk?: boolean } = {}): number {
    const s = this.allocate(request);
    const d = this.draw(s, rng);
    const p = this.mode.profile;
    const i = s.index;
    const h = s.host.index;
    const r = this.resources[h] as HostResources;
    const init = (): void => this.cpuWork(i, P_INIT, d.init, this.initCap(s.app), () => this.ready(i));
    switch (p.kind) {
      case "bare":
        this.create(i, d, 0, init);
        return i;
      case "container": {
        const own = this.mode.layerSharing ? s.app.layers : s.app.layers.map((l) => ({ digest: this.layerKey(s.app, l.digest), bytes: l.bytes }));
        const lazy = this.mode.pull === "lazy";
        const { head, rest } = lazy ? this.splitLazy(h, own, p.lazyReadShare) : { head: own, rest: [] };
        this.enter(i, P_PULL);
        this.caches.acquire(
          h,
          head,
          () => {
            this.leave(i, P_PULL);
            this.enter(i, P_EXTRACT);
          },
          () => {
            this.leave(i, P_EXTRACT);
            // The rest of a lazily pulled image follows on the same network while the app starts.
            if (rest.length > 0) this.caches.acquire(h, rest, noop, noop, true);
            this.create(i, d, p.createDiskBytes, init);
          },
        );
        return i;
      }
      case "vm":
      case "microvm": {
        const io = 1 / p.running.ioEfficiency;
        const afterBoot = (): void => this.cpuWork(i, P_GUEST_INIT, d.guestInit, 1, init);
        const bootWork = (): void => {
          // Boot CPU and its disk reads progress together: one flow on both, capped at one core (booting is serial).
          const uses: Use[] = [{ resource: r.cpu }];
          // The guest reads through a virtual disk: each byte costs 1 / ioEfficiency bytes of host disk.
          if (p.boot.readBytes > 0 && d.bootWork > 0) uses.push({ resource: r.disk, coef: (p.boot.readBytes / d.bootWork) * io });
          if (d.bootWork > 0) this.flow(i, P_BOOT, d.bootWork, uses, 1, afterBoot, true);
          else this.flow(i, P_BOOT, p.boot.readBytes, [{ resource: r.disk, coef: io }], Infinity, afterBoot, true);
        };
        // The management plane runs a bounded number of provisioning tasks per host (FIFO beyond it);
        // a task lasts from the disk copy to the VMM's spawn. Waiting for a slot counts as provisioning.
        this.enter(i, P_PROVISION);
        // An aborted start-up gives its slot back at the next step it would have taken.
        const unlessAborted = (then: () => void) => (): void => (this.aborted.has(i) ? this.ops.release(h) : then());
        this.ops.acquire(
          h,
          unlessAborted(() =>
            // A full copy reads and writes every byte on the host's disk; a linked clone, or an HA restart
            // of a VM whose disk is on shared storage, copies nothing.
            this.flow(i, P_PROVISION, how.sharedDisk ? 0 : p.provision.copyBytes, [{ resource: r.disk, coef: 2 }], Infinity, unlessAborted(() => {
              this.enter(i, P_BOOT);
              this.serialWork(i, d.serial, 0, () => {
                this.ops.release(h);
                this.pause(i, d.bootDelay, bootWork);
              });
            }), true),
          ),
        );
        return i;
      }
    }
  }

  /**
   * Starts a killed instance again on its host: the image (or the guest) is already there, so a
   * container is created and started again, a process or an app inside a VM re-runs its init.
   */
  restart(request: StartRequest, rng: Rng): number {
    const s = this.allocate(request);
    const d = this.draw(s, rng);
    const i = s.index;
    const init = (): void => this.cpuWork(i, P_INIT, d.init, this.initCap(s.app), () => this.ready(i));
    const p = this.mode.profile;
    if (p.kind === "container") this.create(i, d, p.createDiskBytes, init);
    else if (p.kind === "bare") this.create(i, d, 0, init);
    else init();
    return i;
  }

  /**
   * Gives up start-up `i` (its host failed): no further step of it starts and it never becomes
   * ready; a step already under way runs out on its host's resources (which a failed host has none of).
   */
  abort(i: number): void {
    this.aborted.add(i);
  }

  private readonly aborted = new Set<number>();

  /** Per app: a keyed family per step (`startup/<app>`, `serial/<app>`, ...), indexed by replica. */
  private readonly families = new Map<App, StepFamilies>();

  /**
   * The instance's draws: the app's init first, then each step from its own family, keyed by the
   * replica (rng.ts RngFamily): the same numbers in every mode, and no generator built per instance.
   */
  private draw(s: Starting, rng: Rng | undefined): Draws {
    const p = this.mode.profile;
    let f = this.families.get(s.app);
    if (f === undefined) {
      const of = (what: string): RngFamily => this.streams.family(`${what}/${s.app.name}`);
      f = { init: of("startup"), serial: of("serial"), create: of("create"), boot: of("boot"), guestInit: of("guest-init") };
      this.families.set(s.app, f);
    }
    const r = s.replica;
    const init = sample(s.app.init, rng ?? f.init.of(r));
    const serial = sample(p.serial, rng ?? f.serial.of(r));
    if (p.kind === "bare" || p.kind === "container") return { init, serial, create: sample(p.create, rng ?? f.create.of(r)), bootDelay: 0, bootWork: 0, guestInit: 0 };
    const boot = rng ?? f.boot.of(r);
    const bootDelay = sample(p.boot.delay, boot);
    return { init, serial, create: 0, bootDelay, bootWork: sample(p.boot.work, boot), guestInit: sample(p.guestInit, rng ?? f.guestInit.of(r)) };
  }

  /**
   * A lazily pulled image: for each layer not already on the host, the share read at start
   * (fetched before the app starts) and the rest (fetched in the background).
   */
  private splitLazy(host: number, layers: readonly Layer[], share: number): { head: Layer[]; rest: Layer[] } {
    const head: Layer[] = [];
    const rest: Layer[] = [];
    for (const l of layers) {
      if (this.caches.has(host, l.digest)) head.push(l);
      else {
        head.push({ digest: `${l.digest}@start`, bytes: l.bytes * share });
        rest.push({ digest: `${l.digest}@rest`, bytes: l.bytes * (1 - share) });
      }
    }
    return { head, rest };
  }

  /**
   * Create and start: the serial step on the host's serial server, its disk work going alongside
   * (so the step lasts max(serial, disk bytes / disk bandwidth) alone), then the parallel delay.
   */
  private create(i: number, d: Draws, diskBytes: number, then: () => void): void {
    this.enter(i, P_CREATE);
    this.serialWork(i, d.serial, diskBytes, () => this.delay(i, P_CREATE, d.create, then));
  }

  /** Serial start-up work on the instance's host's serial server (with disk bytes alongside); the phase is entered. */
  private serialWork(i: number, seconds: number, diskBytes: number, then: () => void): void {
    if (this.aborted.has(i)) return;
    const r = this.resources[this.instances[i]!.host.index] as HostResources;
    if (seconds > 0) {
      const uses: Use[] = [{ resource: r.serial }];
      if (diskBytes > 0) uses.push({ resource: r.disk, coef: diskBytes / seconds });
      this.sharing.startFlow({ work: seconds, uses, onDone: then });
    } else if (diskBytes > 0) this.sharing.startFlow({ work: diskBytes, uses: [{ resource: r.disk }], onDone: then });
    else then();
  }

  /** A delay within a phase already entered, leaving it to whatever follows. */
  private pause(i: number, seconds: number, then: () => void): void {
    if (this.aborted.has(i)) return;
    if (seconds <= 0) {
      then();
      return;
    }
    this.afterDelay[i] = then;
    this.sim.after(seconds, this.delayKind, i);
  }

  private ensureCapacity(): void {
    if (this.phaseS.length >= this.instances.length * PHASE_COUNT) return;
    const grown = new Float64Array(Math.max(64, this.phaseS.length * 2, this.instances.length * PHASE_COUNT));
    grown.set(this.phaseS);
    this.phaseS = grown;
    const starts = new Float64Array(grown.length);
    starts.set(this.phaseStart);
    this.phaseStart = starts;
  }

  /** App init may use as many cores as the app requests (its vCPUs in a VM, its quota under limits). */
  private initCap(app: App): number {
    const m = this.mode;
    if (m.kind === "vm" || m.kind === "microvm") return m.vcpus === "auto" ? Math.max(1, Math.ceil(app.cpuCores - 1e-9)) : m.vcpus;
    if (m.kind === "container" && m.limits) return app.cpuCores;
    return Math.max(1, Math.ceil(app.cpuCores - 1e-9));
  }

  private enter(i: number, phase: number): void {
    this.phaseStart[i * PHASE_COUNT + phase] = this.sim.now;
    this.listener?.(this.sim.now, i, "phase", STARTUP_PHASES[phase] as string);
  }

  private leave(i: number, phase: number): void {
    const k = i * PHASE_COUNT + phase;
    this.phaseS[k] = (this.phaseS[k] as number) + (this.sim.now - (this.phaseStart[k] as number));
  }

  /** A delay that ends `phase` (entered already); `then` runs when it ends (at once for 0). */
  private delay(i: number, phase: number, seconds: number, then: () => void): void {
    this.pause(i, seconds, () => {
      this.leave(i, phase);
      then();
    });
  }

  private cpuWork(i: number, phase: number, work: number, cap: number, then: () => void): void {
    const r = this.resources[this.instances[i]!.host.index] as HostResources;
    this.flow(i, phase, work, [{ resource: r.cpu }], cap, then);
  }

  /** Work on shared resources counted in `phase`; `continues` means the phase was entered already. */
  private flow(i: number, phase: number, work: number, uses: readonly Use[], cap: number, then: () => void, continues = false): void {
    if (this.aborted.has(i)) return;
    if (!continues) this.enter(i, phase);
    const done = (): void => {
      this.leave(i, phase);
      then();
    };
    if (work <= 0) {
      done();
      return;
    }
    this.sharing.startFlow({ work, uses, cap, onDone: done });
  }

  private ready(i: number): void {
    if (this.aborted.has(i)) return;
    this.listener?.(this.sim.now, i, "ready", "");
    this.onReady(i);
  }
}

const noop = (): void => {};
