/**
 * Turns a validated scenario (SI units) into the model's inputs: host types, apps and the modes
 * to compare, each mode's profile with the scenario's overrides applied.
 */
import type { Distribution } from "../engine/index.js";
import {
  DEFAULT_PROFILE,
  findProfile,
  oneLayout,
  MODE_DEFAULTS,
  recoveryDefault,
  MODE_KINDS,
  parseRuntime,
  type App,
  type HostType,
  type Layer,
  type Mode,
  type Registry,
  type Arrivals,
  type LoadPattern,
  PRESSURE_LEVELS,
  type ModeKind,
  type Profile,
  type ClassTax,
  WORKLOAD_CLASSES,
  drainPolicy,
  type DrainKind,
  type DrainOverrides,
  type MaintenanceSpec,
} from "../model/index.js";
import { resolveLicence, type HostCostSpec, type LicenceRule, type OperationsSpec } from "../cost/index.js";
import type { AppSpec, DurationDistribution, ImageSpec, ModeSpec, Scenario, TraceData } from "../scenario/index.js";
import { toLicenceSpec } from "../scenario/licences.js";

export interface Workload {
  readonly hostTypes: readonly HostType[];
  readonly hostNames: readonly string[];
  readonly apps: readonly App[];
  readonly modes: readonly Mode[];
  readonly registry: Registry;
  readonly cost: CostConfig;
  /** Planned maintenance (absent: none). */
  readonly maintenance?: MaintenanceSpec;
  /** Scheduled host failures, in the scenario's order: host index, when, and the repair time if given. */
  readonly events: readonly HostEvent[];
  /** Failover reserve: whole hosts held back (the last ones), or a share of every host's capacity. */
  readonly reserve: Reserve;
}

export interface HostEvent {
  readonly host: number;
  readonly atS: number;
  readonly repairS: number | undefined;
}

export type Reserve = { readonly hosts: number; readonly share: 0 } | { readonly hosts: 0; readonly share: number };

/** What the cost layer needs besides the run: per-host prices, licence rules, operations. */
export interface CostConfig {
  /** One per host, in cluster order. */
  readonly hostCosts: readonly HostCostSpec[];
  readonly licences: readonly LicenceRule[];
  readonly operations: OperationsSpec;
  readonly countIdleHosts: boolean;
}

function costConfig(s: Scenario): CostConfig {
  const hostCosts = s.hosts.flatMap((h) => {
    const c = h.cost;
    const spec: HostCostSpec =
      c === undefined ? { monthly: 0 } : "monthly" in c ? { monthly: c.monthly } : { price: c.price, lifetimeMonths: c.lifetime, watts: c.watts, kwhPrice: c.kwhPrice };
    return Array.from({ length: h.count }, () => spec);
  });
  return {
    hostCosts,
    licences: s.licenses.map((l) => resolveLicence(toLicenceSpec(l, s.cost.amortizeMonths))),
    operations: s.operations ?? { patchHoursPerOsInstance: 0, hourlyRate: 0, microvmGuestsArePatched: false },
    countIdleHosts: s.cost.countIdleHosts,
  };
}

export function toDistribution(d: DurationDistribution): Distribution {
  return typeof d === "number" ? { dist: "constant", value: d } : d;
}

/** An image's layers, base image first, each digest once (the loader has ruled out cycles). */
export function imageLayers(images: Scenario["images"], name: string | undefined): Layer[] {
  const chain: ImageSpec[] = [];
  for (let cur = name; cur !== undefined; ) {
    const img = images[cur];
    if (!img || chain.includes(img)) break;
    chain.unshift(img);
    cur = img.from;
  }
  const seen = new Set<string>();
  const out: Layer[] = [];
  for (const img of chain) {
    for (const l of img.layers) {
      if (seen.has(l.digest)) continue;
      seen.add(l.digest);
      out.push({ digest: l.digest, bytes: l.size });
    }
  }
  return out;
}

function arrivalsOf(a: AppSpec, traces: ReadonlyMap<string, TraceData>): Arrivals | undefined {
  const r = a.arrivals;
  if (!r) return undefined;
  if (r.process === "poisson") return { process: "poisson", ratePerS: r.rate };
  if (r.process === "interval") return { process: "interval", everyS: r.every, atS: r.at };
  return { process: "trace", timesS: traceOf(traces, `arrivals:${a.name}`).times };
}

function loadOf(a: AppSpec, traces: ReadonlyMap<string, TraceData>): LoadPattern {
  const l = a.load;
  if (!l) return { pattern: "constant", cores: a.cpu };
  switch (l.pattern) {
    case "constant":
      return l;
    case "diurnal":
      return { pattern: "diurnal", mean: l.mean, peak: l.peak, periodS: l.period, peakAtS: l.peakAt, steps: l.steps, jitterS: l.jitter };
    case "bursty":
      return { pattern: "bursty", base: l.base, burst: l.burst, onMeanS: l.on, offMeanS: l.off };
    case "spikes":
      return { pattern: "spikes", base: l.base, spike: l.spike, everyS: l.every, durationS: l.duration };
    case "trace": {
      const t = traceOf(traces, `load:${a.name}`);
      return { pattern: "trace", timesS: t.times, cores: t.values, loop: l.loop };
    }
  }
}

function traceOf(traces: ReadonlyMap<string, TraceData>, key: string): TraceData {
  const t = traces.get(key);
  if (!t) throw new Error(`resolveWorkload: trace ${key} was not loaded`);
  return t;
}

/** The model's view of a scenario; `traces` are the CSV traces the loader read (LoadedScenario.traces). */
export function resolveWorkload(s: Scenario, traces: ReadonlyMap<string, TraceData> = new Map()): Workload {
  const hostTypes: HostType[] = s.hosts.map((h) => ({
    type: h.type,
    count: h.count,
    cores: h.cores,
    sockets: h.sockets,
    memoryBytes: h.memory,
    reservedCores: h.reserved.cores,
    reservedMemoryBytes: h.reserved.memory,
    diskBytesPerS: h.disk.bandwidth,
    diskIops: h.disk.iops,
    networkBytesPerS: h.network,
    prepulledImages: new Set(h.prepulled),
    prepulledLayers: new Set(h.prepulled.flatMap((img) => imageLayers(s.images, img).map((l) => l.digest))),
    ...(h.failures
      ? { failures: { mtbfS: h.failures.mtbf, timesS: h.failures.times, repair: h.failures.repair === undefined ? undefined : toDistribution(h.failures.repair) } }
      : {}),
  }));
  const hostNames = hostTypes.flatMap((t) => Array.from({ length: t.count }, (_, i) => `${t.type}-${i + 1}`));
  const apps: App[] = s.apps.map((a) => ({
    name: a.name,
    kind: a.kind,
    replicas: a.kind === "service" ? (a.replicas ?? 0) : 0,
    arrivals: arrivalsOf(a, traces),
    work: a.work === undefined ? undefined : toDistribution(a.work),
    load: loadOf(a, traces),
    pressure: {
      memoryBandwidth: PRESSURE_LEVELS[a.pressure?.memoryBandwidth ?? "none"],
      disk: PRESSURE_LEVELS[a.pressure?.disk ?? "none"],
    },
    sensitivity: a.sensitivity,
    ioBytesPerS: a.io?.disk ?? 0,
    ioPattern: a.io?.pattern ?? "sequential",
    ioOpBytes: a.io?.size ?? ((a.io?.pattern ?? "sequential") === "random" ? 4 * 2 ** 10 : 2 ** 20),
    workloadClass: a.class,
    grow: a.grow ? { toBytes: a.grow.to, overS: a.grow.over } : undefined,
    memoryLimitBytes: a.memoryLimit,
    restart: a.restart,
    runtime: parseRuntime(a.runtime),
    os: a.os,
    image: a.image,
    layers: imageLayers(s.images, a.image),
    cpuCores: a.cpu,
    memoryBytes: a.memory,
    init: toDistribution(a.init),
    startAtS: a.start.at,
    staggerS: a.start.stagger,
    rollout: a.rollout ? { batch: a.rollout.batch, pauseS: a.rollout.pause } : undefined,
    ports: a.ports,
    publish: a.publish,
    dirtyRateBytesPerS: a.dirtyRate,
  }));
  const specs: [string, ModeSpec][] = s.modes
    ? Object.entries(s.modes).filter((e): e is [string, ModeSpec] => e[1] !== undefined)
    : MODE_KINDS.map((k) => [k, {}]);
  return {
    hostTypes,
    hostNames,
    apps,
    modes: specs.map(([name, spec]) => resolveMode(name, spec)),
    registry: { bytesPerS: s.registry.bandwidth, latencyS: s.registry.latency },
    cost: costConfig(s),
    // The loader has checked that every event names a host.
    events: s.events.map((e) => ({ host: hostNames.indexOf(e.fail), atS: e.at, repairS: e.repair })),
    reserve: s.reserve === undefined ? { hosts: 0, share: 0 } : "hosts" in s.reserve ? { hosts: s.reserve.hosts, share: 0 } : { hosts: 0, share: s.reserve.percent / 100 },
    maintenance: maintenanceOf(s),
  };
}

function maintenanceOf(s: Scenario): MaintenanceSpec | undefined {
  const m = s.maintenance;
  if (!m || (!m.hostPatch && !m.guestPatch)) return undefined;
  const h = m.hostPatch;
  const g = m.guestPatch;
  return {
    hostPatch: h && { everyS: h.every, durationS: h.duration, parallel: h.parallel, startS: h.start },
    guestPatch: g && { everyS: g.every, rebootS: g.reboot, startS: g.start ?? h?.start ?? 3600, spreadS: g.spread },
  };
}

/** Every field any kind of mode may set; a mode spec of one kind sets a subset. */
interface ModeOverrides {
  readonly kind?: ModeKind;
  readonly profile?: string;
  readonly overcommit?: { readonly cpu?: number; readonly memory?: number };
  readonly vcpus?: "auto" | number;
  readonly limits?: boolean;
  readonly engine?: { readonly memory?: number; readonly cpu?: number };
  readonly shim?: { readonly memory?: number };
  readonly maxConcurrentDownloads?: number;
  readonly cache?: "cold" | "warm";
  readonly layerSharing?: boolean;
  readonly extract?: { readonly rate?: number; readonly expansion?: number };
  readonly create?: DurationDistribution;
  readonly serial?: DurationDistribution;
  readonly createDisk?: number;
  readonly pull?: "eager" | "lazy";
  readonly lazyReadShare?: number;
  readonly guestOs?: { readonly memory?: number; readonly idleCpu?: number };
  readonly hypervisor?: {
    readonly perVm?: number;
    readonly perVcpu?: number;
    readonly perGuestMemory?: number;
    readonly perHost?: number;
  };
  readonly provision?: { readonly copy?: number; readonly concurrentOps?: number };
  readonly boot?: { readonly delay?: DurationDistribution; readonly work?: DurationDistribution; readonly read?: number };
  readonly guestInit?: DurationDistribution;
  readonly cpuTax?: number | Partial<ClassTax>;
  readonly io?: { readonly sequential?: number; readonly random?: number; readonly cpuPerOp?: number };
  readonly utilityVm?: { readonly memory?: number; readonly idleCpu?: number };
  readonly ioEfficiency?: number;
  readonly interference?: { readonly memoryBandwidth?: number; readonly disk?: number };
  readonly drain?: DrainKind;
  readonly migration?: DrainOverrides["migration"];
  readonly recovery?: { readonly detect?: number; readonly action?: "restart" | "none" };
}

export function resolveMode(name: string, spec: ModeSpec): Mode {
  const o: ModeOverrides = spec;
  const kind = o.kind ?? (name as ModeKind);
  const base = findProfile(kind, o.profile ?? DEFAULT_PROFILE[kind]);
  if (!base) throw new Error(`no ${kind} profile ${String(o.profile)}: the schema should have caught this`);
  return {
    name,
    kind,
    profile: oneLayout(applyOverrides(base, o)),
    overcommitCpu: o.overcommit?.cpu ?? MODE_DEFAULTS.overcommitCpu,
    overcommitMemory: o.overcommit?.memory ?? MODE_DEFAULTS.overcommitMemory,
    vcpus: o.vcpus ?? MODE_DEFAULTS.vcpus,
    limits: o.limits ?? MODE_DEFAULTS.limits,
    cache: o.cache ?? MODE_DEFAULTS.cache,
    layerSharing: o.layerSharing ?? MODE_DEFAULTS.layerSharing,
    pull: o.pull ?? MODE_DEFAULTS.pull,
    maintenance: drainPolicy(kind, o),
    recovery: { detectS: o.recovery?.detect ?? recoveryDefault(kind, base.name).detectS, action: o.recovery?.action ?? recoveryDefault(kind, base.name).action },
  };
}

const dist = (d: DurationDistribution | undefined, fallback: Distribution): Distribution =>
  d === undefined ? fallback : toDistribution(d);

/** A mode's `cpuTax`: one number for every class, or some classes changed. */
function taxOverride(base: ClassTax, o: number | Partial<ClassTax> | undefined): ClassTax {
  if (o === undefined) return base;
  return Object.fromEntries(WORKLOAD_CLASSES.map((c) => [c, typeof o === "number" ? o : (o[c] ?? base[c])])) as unknown as ClassTax;
}

function applyOverrides(base: Profile, o: ModeOverrides): Profile {
  const r = base.running;
  const p: Profile = {
    ...base,
    serial: dist(o.serial, base.serial),
    running: {
      ...r,
      cpuTax: taxOverride(r.cpuTax, o.cpuTax),
      io: {
        sequential: o.io?.sequential ?? r.io.sequential,
        random: o.io?.random ?? r.io.random,
        cpuPerOpS: o.io?.cpuPerOp ?? r.io.cpuPerOpS,
      },
      ioEfficiency: o.ioEfficiency ?? r.ioEfficiency,
      interference: {
        memoryBandwidth: o.interference?.memoryBandwidth ?? r.interference.memoryBandwidth,
        disk: o.interference?.disk ?? r.interference.disk,
      },
    },
  };
  switch (p.kind) {
    case "bare":
      return { ...p, create: dist(o.create, p.create) };
    case "container":
      return {
        ...p,
        engine: { memoryBytes: o.engine?.memory ?? p.engine.memoryBytes },
        running: { ...p.running, daemonCpuCores: o.engine?.cpu ?? p.running.daemonCpuCores },
        shim: { memoryBytes: o.shim?.memory ?? p.shim.memoryBytes },
        maxConcurrentDownloads: o.maxConcurrentDownloads ?? p.maxConcurrentDownloads,
        extract: {
          rateBytesPerS: o.extract?.rate ?? p.extract.rateBytesPerS,
          expansion: o.extract?.expansion ?? p.extract.expansion,
        },
        create: dist(o.create, p.create),
        createDiskBytes: o.createDisk ?? p.createDiskBytes,
        lazyReadShare: o.lazyReadShare ?? p.lazyReadShare,
        ...(p.utilityVm || o.utilityVm
          ? {
              utilityVm: {
                memoryBytes: o.utilityVm?.memory ?? p.utilityVm?.memoryBytes ?? 0,
                idleCpuCores: o.utilityVm?.idleCpu ?? p.utilityVm?.idleCpuCores ?? 0,
              },
            }
          : {}),
      };
    case "vm":
    case "microvm":
      return {
        ...p,
        guestOs: {
          family: p.guestOs.family,
          memoryBytes: o.guestOs?.memory ?? p.guestOs.memoryBytes,
          idleCpuCores: o.guestOs?.idleCpu ?? p.guestOs.idleCpuCores,
        },
        hypervisor: {
          perVmBytes: o.hypervisor?.perVm ?? p.hypervisor.perVmBytes,
          perVcpuBytes: o.hypervisor?.perVcpu ?? p.hypervisor.perVcpuBytes,
          perGuestMemory: o.hypervisor?.perGuestMemory ?? p.hypervisor.perGuestMemory,
          perHostBytes: o.hypervisor?.perHost ?? p.hypervisor.perHostBytes,
        },
        provision: {
          copyBytes: o.provision?.copy ?? p.provision.copyBytes,
          concurrentOps: o.provision?.concurrentOps ?? p.provision.concurrentOps,
        },
        boot: {
          delay: dist(o.boot?.delay, p.boot.delay),
          work: dist(o.boot?.work, p.boot.work),
          readBytes: o.boot?.read ?? p.boot.readBytes,
        },
        guestInit: dist(o.guestInit, p.guestInit),
      };
  }
}
