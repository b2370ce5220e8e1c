/**
 * Start-up as work on shared resources: each instance goes through its mode's phases (image
 * pull, layer extraction, create; or disk provisioning, guest boot, guest init; then app init),
 * each phase a delay or a fluid flow on the host's CPU, disk and NIC, the registry, and the host's
 * one serial server (daemon locks and the like: processor-shared, capacity one second of work per
 * second), so concurrent starts slow each other down and boot storms emerge rather than being assumed.
 */
import { sample, type Rng, type RngFamily, type RngStreams, type Simulation } from "../engine/index.js";
import { ReusedSpec, type ResourceId } from "../sharing/index.js";
import type { HostSharing } from "./host-sharing.js";
import type { Host } from "./host.js";
import { type CacheWaiter, LayerCaches } from "./layer-cache.js";
import { OpsLimit } from "./ops-limit.js";
import type { App, Layer, Mode, Registry } from "./workload.js";
import { Interned } from "./interned.js";
import { StartSlots } from "./start-slots.js";

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

/** Each start's draws, at [slot * DRAWS + D_*], in seconds (core-seconds for CPU work). */
const DRAWS = 6;
const D_INIT = 0;
const D_SERIAL = 1;
const D_CREATE = 2;
const D_BOOT_DELAY = 3;
const D_BOOT_WORK = 4;
const D_GUEST_INIT = 5;

/**
 * What a start does next when what it waited for ends (a flow, a delay, a provisioning slot): the
 * steps of one state machine over slot numbers, so a start in flight is a row of columns, not a
 * chain of closures. A step that ends a phase leaves it first.
 */
const S_CREATE_SERIAL = 0; // the create's serial work is done: its parallel delay
const S_CREATE_DELAY = 1; // create ends: app init
const S_OPS = 2; // a provisioning slot is granted: the disk copy
const S_PROVISION = 3; // provisioning ends: boot, from the VMM's serial work
const S_BOOT_SERIAL = 4; // the VMM is spawned: the provisioning slot is given back, the boot delay
const S_BOOT_DELAY = 5; // the boot's work (CPU and disk reads)
const S_BOOT = 6; // boot ends: guest init
const S_GUEST_INIT = 7; // guest init ends: app init
const S_INIT = 8; // app init ends: ready
const STEPS = 9;
/** A flow's token: its slot and the step its end takes. */
const STEP_BITS = 4;
const STEP_MASK = (1 << STEP_BITS) - 1;

/** begin()'s options when none are given (one object, not a new one per start). */
const PLAIN_START: { readonly sharedDisk?: boolean } = {};

export class StartupModel implements CacheWaiter {
  /** The starts in flight, a slot each. */
  private readonly slots = new StartSlots(PHASE_COUNT, DRAWS);
  /** The sharing client whose flows' ends take a step: token (slot << STEP_BITS) | step. */
  private readonly client: number;
  /** Per step: the engine kind of delays that end in it, made once. */
  private readonly delayKinds: number[];
  /** Lazily pulled images: per slot, the rest of its layers, fetched once its start-up share is in. */
  private readonly lazyRest = new Map<number, Layer[]>();
  /** Apps by their index in the slots' `app` column, and each one's layers as keyed in the caches. */
  private readonly appSlots = new Interned<App>();
  private readonly ownLayers: (readonly Layer[])[] = [];
  private readonly resources: HostResources[];
  private readonly caches: LayerCaches;
  private readonly registry: ResourceId;
  private readonly ops: OpsLimit;
  /** Disk bytes a create writes alongside its serial work (containers' writable layer), 0 for others. */
  private readonly createDiskBytes: number;
  /** The flow a step is about to start (work, cap, uses; weight always 1), filled in just before. */
  private readonly spec = new ReusedSpec();

  constructor(
    private readonly sim: Simulation,
    private readonly sharing: HostSharing,
    private readonly streams: RngStreams,
    private readonly mode: Mode,
    hosts: readonly Host[],
    apps: readonly App[],
    registry: Registry,
    private readonly onReady: (instance: number) => void,
    private readonly listener?: StartupListener,
  ) {
    // The host OS keeps its reserved cores; start-up and app work share the rest.
    // The CPU, disk and serial server are the host's own (their rates move its samples); the NIC
    // joins the registry that every host shares.
    this.resources = hosts.map((h) => ({
      cpu: sharing.addResource(Math.max(0, h.spec.cores - h.spec.reservedCores), `${h.name}/cpu`, h.index),
      disk: sharing.addResource(h.spec.diskBytesPerS, `${h.name}/disk`, h.index),
      nic: sharing.addResource(h.spec.networkBytesPerS, `${h.name}/nic`),
      serial: sharing.addResource(1, `${h.name}/serial`, h.index),
    }));
    const p = mode.profile;
    this.createDiskBytes = p.kind === "container" ? p.createDiskBytes : 0;
    this.ops = new OpsLimit(hosts.length, p.kind === "vm" || p.kind === "microvm" ? p.provision.concurrentOps : 0, (i) => this.step(i, S_OPS));
    this.registry = sharing.addResource(registry.bytesPerS, "registry");
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
      // The model is the caches' waiter: its methods keep their compiled code from run to run, as closures made per run would not.
      this,
      listener ? (t, host, what) => listener(t, -1, "layer", `${hosts[host]?.name} ${what}`) : undefined,
    );
    this.client = sharing.client((t) => this.step(t >>> STEP_BITS, t & STEP_MASK));
    // Only the create and boot delays wait on the clock.
    this.delayKinds = Array.from({ length: STEPS }, (_, step) => (step === S_CREATE_DELAY || step === S_BOOT_DELAY ? sim.register((i) => this.step(i, step)) : -1));
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
    return this.slots.phaseS[slot * PHASE_COUNT + p] as number;
  }

  /**
   * Frees `slot` once its start is ready (read its phases first): a later start reuses it. Nothing
   * of a start is pending once it is ready (the rest of a lazy pull no longer refers to it).
   */
  release(slot: number): void {
    this.slots.release(slot);
  }

  /** Room for `starts` starts in flight at once (a run that knows its scale calls it first). */
  reserve(starts: number): void {
    this.slots.reserve(starts);
  }

  /** The slot the next begin() or restart() takes (so a caller can note whose it is before events for it fire). */
  nextSlot(): number {
    return this.slots.next();
  }

  /** A slot for a new start on `r`'s host, its phase times zeroed and its draws taken. */
  private allocate(r: StartRequest, rng: Rng | undefined): number {
    const i = this.slots.take(r.host.index, this.slotOfApp(r.app));
    this.draw(i, r, rng);
    return i;
  }

  /** The app's index in `apps` (apps in the order first started), its cache keys noted with it. */
  private slotOfApp(app: App): number {
    const k = this.appSlots.of(app);
    if (k === this.ownLayers.length) this.ownLayers.push(this.mode.layerSharing ? app.layers : app.layers.map((l) => ({ digest: this.layerKey(app, l.digest), bytes: l.bytes })));
    return k;
  }

  /**
   * Starts `r` now; returns its slot, which `onReady` and `phaseSeconds` name. Each step draws from
   * its own family keyed by the replica (`create/<app>` at the replica, ...), so every mode sees the
   * same draws (common random numbers); with `rng` (jobs, restarts, recoveries) all come from it.
   */
  begin(request: StartRequest, rng?: Rng, how: { readonly sharedDisk?: boolean } = PLAIN_START): number {
    const i = this.allocate(request, rng);
    const p = this.mode.profile;
    const h = request.host.index;
    switch (p.kind) {
      case "bare":
        this.create(i);
        return i;
      case "container": {
        const own = this.ownLayers[this.slots.app[i]!]!;
        let head = own;
        if (this.mode.pull === "lazy") {
          const split = this.splitLazy(h, own, p.lazyReadShare);
          head = split.head;
          if (split.rest.length > 0) this.lazyRest.set(i, split.rest);
        }
        this.enter(i, P_PULL);
        this.caches.acquire(h, head, i);
        return i;
      }
      case "vm":
      case "microvm":
        // The management plane runs a bounded number of provisioning tasks per host (FIFO beyond it);
        // a task lasts from the disk copy to the VMM's spawn. Waiting for a slot counts as provisioning.
        this.slots.sharedDisk[i] = how.sharedDisk ? 1 : 0;
        this.enter(i, P_PROVISION);
        this.ops.acquire(h, i);
        return i;
    }
  }

  /**
   * Starts a killed instance again on its host: the image (or the guest) is already there, so a
   * container is created and started again, a process or an app inside a VM re-runs its init.
   */
  restart(request: StartRequest, rng: Rng): number {
    const i = this.allocate(request, rng);
    const k = this.mode.profile.kind;
    if (k === "container" || k === "bare") this.create(i);
    else this.init(i);
    return i;
  }

  /**
   * Gives up start-up `i` (its host failed): no further step of it starts and it never becomes
   * ready; a step already under way runs out on its host's resources (which a failed host has none of).
   * Its slot is never released, so nothing still pending for it can reach a later start.
   */
  abort(i: number): void {
    this.slots.aborted[i] = 1;
  }

  /** Per app (its index in the slots' `app` column): a keyed family per step (`startup/<app>`, `serial/<app>`, ...), indexed by replica. */
  private readonly families: StepFamilies[] = [];

  /**
   * The start's draws: the app's init first, then each step from its own family, keyed by the
   * replica (rng.ts RngFamily): the same numbers in every mode, and no generator built per instance.
   */
  private draw(i: number, s: StartRequest, rng: Rng | undefined): void {
    const p = this.mode.profile;
    const k = this.slots.app[i]!;
    let f = this.families[k];
    if (f === undefined) {
      const of = (what: string): RngFamily => this.streams.family(`${what}/${s.app.name}`);
      f = { init: of("startup"), serial: of("serial"), create: of("create"), boot: of("boot"), guestInit: of("guest-init") };
      // Apps get their index in first-started order: the array fills in order.
      this.families.push(f);
    }
    const r = s.replica;
    const d = this.slots.draws;
    const at = i * DRAWS;
    d[at + D_INIT] = sample(s.app.init, rng ?? f.init.at(r));
    d[at + D_SERIAL] = sample(p.serial, rng ?? f.serial.at(r));
    if (p.kind === "bare" || p.kind === "container") {
      d[at + D_CREATE] = sample(p.create, rng ?? f.create.at(r));
      d[at + D_BOOT_DELAY] = 0;
      d[at + D_BOOT_WORK] = 0;
      d[at + D_GUEST_INIT] = 0;
      return;
    }
    const boot = rng ?? f.boot.at(r);
    d[at + D_CREATE] = 0;
    d[at + D_BOOT_DELAY] = sample(p.boot.delay, boot);
    d[at + D_BOOT_WORK] = sample(p.boot.work, boot);
    d[at + D_GUEST_INIT] = sample(p.guestInit, rng ?? f.guestInit.at(r));
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

  /** The layer caches' waiter: every layer of start `i`'s image is downloaded, extraction follows. */
  downloaded(i: number): void {
    this.leave(i, P_PULL);
    this.enter(i, P_EXTRACT);
  }

  /** The layer caches' waiter: every layer of start `i`'s image is extracted, the container is created. */
  present(i: number): void {
    this.leave(i, P_EXTRACT);
    // The rest of a lazily pulled image follows on the same network while the app starts.
    const rest = this.lazyRest.get(i);
    if (rest !== undefined) {
      this.lazyRest.delete(i);
      this.caches.acquire(this.slots.host[i]!, rest, -1, true);
    }
    this.create(i);
  }

  /** Takes start `i`'s next step, now that what it waited for has ended. */
  private step(i: number, step: number): void {
    const d = i * DRAWS;
    switch (step) {
      case S_CREATE_SERIAL:
        this.pause(i, this.slots.draws[d + D_CREATE]!, S_CREATE_DELAY);
        return;
      case S_CREATE_DELAY:
        this.leave(i, P_CREATE);
        this.init(i);
        return;
      case S_OPS:
        // An aborted start-up gives its provisioning slot back at the next step it would have taken.
        if (this.slots.aborted[i] === 1) {
          this.ops.release(this.slots.host[i]!);
          return;
        }
        // A full copy reads and writes every byte on the host's disk; a linked clone, or an HA restart
        // of a VM whose disk is on shared storage, copies nothing.
        this.spec.work = this.slots.sharedDisk[i] === 1 ? 0 : this.vmProfile().provision.copyBytes;
        this.spec.cap = Infinity;
        this.spec.on(this.res(i).disk).coef = 2;
        this.flow(i, P_PROVISION, S_PROVISION, true);
        return;
      case S_PROVISION:
        this.leave(i, P_PROVISION);
        if (this.slots.aborted[i] === 1) {
          this.ops.release(this.slots.host[i]!);
          return;
        }
        this.enter(i, P_BOOT);
        this.serialWork(i, this.slots.draws[d + D_SERIAL]!, 0, S_BOOT_SERIAL);
        return;
      case S_BOOT_SERIAL:
        this.ops.release(this.slots.host[i]!);
        this.pause(i, this.slots.draws[d + D_BOOT_DELAY]!, S_BOOT_DELAY);
        return;
      case S_BOOT_DELAY:
        this.bootWork(i);
        return;
      case S_BOOT:
        this.leave(i, P_BOOT);
        this.spec.work = this.slots.draws[d + D_GUEST_INIT]!;
        this.spec.cap = 1;
        this.spec.on(this.res(i).cpu);
        this.flow(i, P_GUEST_INIT, S_GUEST_INIT);
        return;
      case S_GUEST_INIT:
        this.leave(i, P_GUEST_INIT);
        this.init(i);
        return;
      case S_INIT:
        this.leave(i, P_INIT);
        this.ready(i);
        return;
    }
  }

  private vmProfile(): Extract<Mode["profile"], { kind: "vm" | "microvm" }> {
    const p = this.mode.profile;
    if (p.kind !== "vm" && p.kind !== "microvm") throw new Error(`StartupModel: a ${p.kind} start has no VM step`);
    return p;
  }

  private res(i: number): HostResources {
    return this.resources[this.slots.host[i]!] as HostResources;
  }

  /** The guest boots: its CPU work and disk reads as one flow (or the reads alone). */
  private bootWork(i: number): void {
    const p = this.vmProfile();
    const r = this.res(i);
    const work = this.slots.draws[i * DRAWS + D_BOOT_WORK]!;
    const io = 1 / p.running.ioEfficiency;
    const spec = this.spec;
    if (work > 0) {
      // Boot CPU and its disk reads progress together: one flow on both, capped at one core (booting is serial).
      spec.work = work;
      spec.cap = 1;
      spec.on(r.cpu);
      // The guest reads through a virtual disk: each byte costs 1 / ioEfficiency bytes of host disk.
      if (p.boot.readBytes > 0) spec.alsoOn(r.disk).coef = (p.boot.readBytes / work) * io;
    } else {
      spec.work = p.boot.readBytes;
      spec.cap = Infinity;
      spec.on(r.disk).coef = io;
    }
    this.flow(i, P_BOOT, S_BOOT, true);
  }

  /**
   * Create and start: the serial step on the host's serial server, its disk work going alongside
   * (so the step lasts max(serial, disk bytes / disk bandwidth) alone), then the parallel delay.
   */
  private create(i: number): void {
    this.enter(i, P_CREATE);
    this.serialWork(i, this.slots.draws[i * DRAWS + D_SERIAL]!, this.createDiskBytes, S_CREATE_SERIAL);
  }

  /** App init on the host's CPU, up to as many cores as the app may use. */
  private init(i: number): void {
    this.spec.work = this.slots.draws[i * DRAWS + D_INIT]!;
    this.spec.cap = this.initCap(this.appSlots.items[this.slots.app[i]!]!);
    this.spec.on(this.res(i).cpu);
    this.flow(i, P_INIT, S_INIT);
  }

  /** Serial start-up work on the instance's host's serial server (with disk bytes alongside), then `next`; the phase is entered. */
  private serialWork(i: number, seconds: number, diskBytes: number, next: number): void {
    if (this.slots.aborted[i] === 1) return;
    const r = this.res(i);
    const spec = this.spec;
    spec.cap = Infinity;
    if (seconds > 0) {
      spec.work = seconds;
      spec.on(r.serial);
      if (diskBytes > 0) spec.alsoOn(r.disk).coef = diskBytes / seconds;
      this.startFlow(i, next);
    } else if (diskBytes > 0) {
      spec.work = diskBytes;
      spec.on(r.disk);
      this.startFlow(i, next);
    } else this.step(i, next);
  }

  /** A delay within a phase already entered, then `next`. */
  private pause(i: number, seconds: number, next: number): void {
    if (this.slots.aborted[i] === 1) return;
    if (seconds <= 0) this.step(i, next);
    else this.sim.after(seconds, this.delayKinds[next]!, i);
  }

  /** App init may use as many cores as the app requests (its vCPUs in a VM, its quota under limits). */
  private initCap(app: App): number {
    const m = this.mode;
    if (m.kind === "vm" || m.kind === "microvm") return m.vcpus === "auto" ? Math.max(1, Math.ceil(app.cpuCores - 1e-9)) : m.vcpus;
    if (m.kind === "container" && m.limits) return app.cpuCores;
    return Math.max(1, Math.ceil(app.cpuCores - 1e-9));
  }

  private enter(i: number, phase: number): void {
    this.slots.enter(i, phase, this.sim.now);
    this.listener?.(this.sim.now, i, "phase", STARTUP_PHASES[phase] as string);
  }

  private leave(i: number, phase: number): void {
    this.slots.leave(i, phase, this.sim.now);
  }

  /**
   * The flow in `spec` (filled in just before), counted in `phase` (`continues`: entered already),
   * then `next`, which leaves it.
   */
  private flow(i: number, phase: number, next: number, continues = false): void {
    if (this.slots.aborted[i] === 1) return;
    if (!continues) this.enter(i, phase);
    if (this.spec.work <= 0) this.step(i, next);
    else this.startFlow(i, next);
  }

  /** The flow in `spec`, of start `i`, whose end takes step `next`. */
  private startFlow(i: number, next: number): void {
    this.sharing.startFlowFor(this.spec, this.client, (i << STEP_BITS) | next);
  }

  private ready(i: number): void {
    if (this.slots.aborted[i] === 1) return;
    this.listener?.(this.sim.now, i, "ready", "");
    this.onReady(i);
  }
}
