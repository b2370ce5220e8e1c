/**
 * Start-up as work on shared resources: each instance goes through its mode's phases (image
 * pull, layer extraction, create; or disk provisioning, guest boot, guest init; then app init),
 * each phase a fixed delay or a fluid flow on the host's CPU, disk and NIC and the registry, so
 * concurrent starts slow each other down and boot storms emerge rather than being assumed.
 */
import { sample, type Rng, type RngStreams, type Simulation } from "../engine/index.js";
import type { FluidSharing, ResourceId, Use } from "../sharing/index.js";
import type { Host } from "./host.js";
import { LayerCaches } from "./layer-cache.js";
import type { App, Mode, Registry } from "./workload.js";

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

/** One instance's start-up, as the run sees it. */
export interface Starting {
  readonly index: number;
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
}

export class StartupModel {
  /** Seconds each instance spent in each phase: [instance * PHASE_COUNT + phase]. */
  private phaseS = new Float64Array(0);
  private phaseStart = new Float64Array(0);
  private readonly instances: Starting[] = [];
  private readonly resources: HostResources[];
  private readonly caches: LayerCaches;
  private readonly registry: ResourceId;
  private readonly delayKind: number;
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
    }));
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

  /** Seconds instance `i` spent in phase `p` (index into STARTUP_PHASES). */
  phaseSeconds(i: number, p: number): number {
    return this.phaseS[i * PHASE_COUNT + p] as number;
  }

  /**
   * Starts instance `s` now; its index must be the next one. Its draws come from `rng`, by default
   * the replica's own stream (so every mode sees the same draws: common random numbers).
   */
  begin(s: Starting, rng: Rng = this.streams.get(`startup/${s.app.name}#${s.replica}`)): void {
    if (s.index !== this.instances.length) throw new Error(`StartupModel.begin: instance ${s.index} out of order`);
    this.instances.push(s);
    this.afterDelay.push(noop);
    this.ensureCapacity();
    // The app's own init work is drawn first, so every mode sees the same draw.
    const initWork = sample(s.app.init, rng);
    const p = this.mode.profile;
    const i = s.index;
    const init = (): void => this.cpuWork(i, P_INIT, initWork, this.initCap(s.app), () => this.ready(i));
    switch (p.kind) {
      case "bare":
        this.delay(i, P_CREATE, sample(p.create, rng), init);
        return;
      case "container":
        this.enter(i, P_PULL);
        this.caches.acquire(
          s.host.index,
          this.mode.layerSharing ? s.app.layers : s.app.layers.map((l) => ({ digest: this.layerKey(s.app, l.digest), bytes: l.bytes })),
          () => {
            this.leave(i, P_PULL);
            this.enter(i, P_EXTRACT);
          },
          () => {
            this.leave(i, P_EXTRACT);
            this.delay(i, P_CREATE, sample(p.create, rng), init);
          },
        );
        return;
      case "vm":
      case "microvm": {
        const bootDelay = sample(p.boot.delay, rng);
        const bootWork = sample(p.boot.work, rng);
        const guestInit = sample(p.guestInit, rng);
        const r = this.resources[s.host.index] as HostResources;
        const boot = (): void =>
          this.delay(i, P_BOOT, bootDelay, () => {
            // Boot CPU and its disk reads progress together: one flow on both, capped at one core (booting is serial).
            const uses: Use[] = [{ resource: r.cpu }];
            // The guest reads through a virtual disk: each byte costs 1 / ioEfficiency bytes of host disk.
            const io = 1 / p.running.ioEfficiency;
            if (p.boot.readBytes > 0 && bootWork > 0) uses.push({ resource: r.disk, coef: (p.boot.readBytes / bootWork) * io });
            const afterBoot = (): void => this.cpuWork(i, P_GUEST_INIT, guestInit, 1, init);
            if (bootWork > 0) this.flow(i, P_BOOT, bootWork, uses, 1, afterBoot, true);
            else this.flow(i, P_BOOT, p.boot.readBytes, [{ resource: r.disk, coef: io }], Infinity, afterBoot, true);
          });
        // A full copy reads and writes every byte on the host's disk; a linked clone copies nothing.
        this.flow(i, P_PROVISION, p.provision.copyBytes, [{ resource: r.disk, coef: 2 }], Infinity, boot);
        return;
      }
    }
  }

  /**
   * Starts a killed instance again on its host: the image (or the guest) is already there, so a
   * container is created and started again, a process or an app inside a VM re-runs its init.
   */
  restart(s: Starting, rng: Rng): void {
    if (s.index !== this.instances.length) throw new Error(`StartupModel.restart: instance ${s.index} out of order`);
    this.instances.push(s);
    this.afterDelay.push(noop);
    this.ensureCapacity();
    const initWork = sample(s.app.init, rng);
    const i = s.index;
    const init = (): void => this.cpuWork(i, P_INIT, initWork, this.initCap(s.app), () => this.ready(i));
    const p = this.mode.profile;
    if (p.kind === "container" || p.kind === "bare") this.delay(i, P_CREATE, sample(p.create, rng), init);
    else init();
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

  /** A fixed delay counted in `phase`; `then` runs when it ends (at once for 0). */
  private delay(i: number, phase: number, seconds: number, then: () => void): void {
    this.enter(i, phase);
    // The boot phase spans its delay and its work: the work's flow leaves it.
    const done = (): void => {
      if (phase !== P_BOOT) this.leave(i, phase);
      then();
    };
    if (seconds <= 0) {
      done();
      return;
    }
    this.afterDelay[i] = done;
    this.sim.after(seconds, this.delayKind, i);
  }

  private cpuWork(i: number, phase: number, work: number, cap: number, then: () => void): void {
    const r = this.resources[this.instances[i]!.host.index] as HostResources;
    this.flow(i, phase, work, [{ resource: r.cpu }], cap, then);
  }

  /** Work on shared resources counted in `phase`; `continues` means the phase was entered already. */
  private flow(i: number, phase: number, work: number, uses: readonly Use[], cap: number, then: () => void, continues = false): void {
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
    this.listener?.(this.sim.now, i, "ready", "");
    this.onReady(i);
  }
}

const noop = (): void => {};
