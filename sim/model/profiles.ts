/**
 * Built-in isolation-mode profiles: the parameters each mode starts from, in SI units, each
 * default citing its docs/calibration.md source key (or saying it is a judgement). Scenarios override
 * any field inline; `densim profiles` prints this catalogue.
 */
import { defaultDrain, MIGRATION_DEFAULTS } from "./maintenance.js";
import type { Distribution } from "../engine/index.js";

export type ModeKind = "bare" | "container" | "vm" | "microvm";
export const MODE_KINDS: readonly ModeKind[] = ["bare", "container", "vm", "microvm"];
export type OsFamily = "linux" | "windows";

/** What an app's work is bound by: each class pays its own virtualisation tax (felter15). */
export const WORKLOAD_CLASSES = ["cpu", "memory", "compression", "database", "network"] as const;
export type WorkloadClass = (typeof WORKLOAD_CLASSES)[number];
/** Share of host CPU lost to virtualisation, per workload class. */
export type ClassTax = Readonly<Record<WorkloadClass, number>>;
/** The same tax for every class. */
export const flatTax = (t: number): ClassTax => ({ cpu: t, memory: t, compression: t, database: t, network: t });

/**
 * How the mode's I/O path treats a tenant's running disk I/O. Host disk bandwidth is charged once
 * per byte; what virtualisation costs is a ceiling per instance, a share of what the host's disk
 * would give one native tenant of that pattern (min(bandwidth, op size x IOPS)), and host CPU per
 * operation (exits, virtio emulation).
 */
export interface IoPath {
  readonly sequential: number;
  readonly random: number;
  /** Host core-seconds per I/O operation (0 for a shared kernel). */
  readonly cpuPerOpS: number;
}
const NATIVE_IO: IoPath = { sequential: 1, random: 1, cpuPerOpS: 0 };

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** Where a default comes from: a docs/calibration.md key, or "judgement" with the reasoning. */
export interface Source {
  readonly key: string;
  readonly note: string;
}

/**
 * How a running instance fares next to others. `cpuTax`: fraction of host CPU lost to
 * virtualisation per workload class (a VM needs d / (1 - tax) host cores for d cores of work).
 * `interference`: how much of a neighbour's pressure reaches a tenant (0 = none, 1 = all), per
 * kind of pressure.
 */
export interface Running {
  readonly cpuTax: ClassTax;
  /** Running disk I/O through the mode's I/O path (per pattern). */
  readonly io: IoPath;
  readonly interference: { readonly memoryBandwidth: number; readonly disk: number };
  /** Cores the mode's per-host daemons use while idle (container engine). */
  readonly daemonCpuCores: number;
  /** Guest boot reads: useful bytes per byte of host disk bandwidth (a VM's boot reads are small and random). */
  readonly ioEfficiency: number;
}

interface ProfileBase {
  readonly name: string;
  readonly description: string;
  readonly running: Running;
  /** Dotted parameter path -> source of its default. */
  readonly sources: Readonly<Record<string, Source>>;
  /**
   * Seconds of work on the host's one serial server (processor-shared by every instance starting on
   * the host at once) before the parallel part: daemon locks, mounts, namespace and iptables or tap
   * set-up. One instance alone takes exactly this long; n at once each take about n times as long.
   */
  readonly serial: Distribution;
}


export interface BareProfile extends ProfileBase {
  readonly kind: "bare";
  /** Parallel latency of fork/exec before the app's own init. */
  readonly create: Distribution;
}

export interface ContainerProfile extends ProfileBase {
  readonly kind: "container";
  /** The host OS family whose kernel the containers share (and run). */
  readonly os: OsFamily;
  /**
   * Hyper-V isolation: every container runs in a utility VM of its own, with this memory (guest
   * kernel and hypervisor overhead) and idle CPU; its boot is part of `create`. Absent: process isolation.
   */
  readonly utilityVm?: { readonly memoryBytes: number; readonly idleCpuCores: number };
  /** Engine daemons per host (dockerd + containerd, or containerd + kubelet). */
  readonly engine: { readonly memoryBytes: number };
  /** Per-container runtime process (containerd-shim). */
  readonly shim: { readonly memoryBytes: number };
  /** Layers one host downloads at once. */
  readonly maxConcurrentDownloads: number;
  /** Layer extraction: decompression bytes/s of one core, and disk bytes written per compressed byte. */
  readonly extract: { readonly rateBytesPerS: number; readonly expansion: number };
  /** The parallel part of create + start once the image is local (a delay any number of containers pass at once). */
  readonly create: Distribution;
  /** Bytes create moves on the host disk (snapshot, layer mounts), after the serial part and before the parallel one. */
  readonly createDiskBytes: number;
  /** `pull: lazy`: share of each image's bytes read before the app starts; the rest follows in the background. */
  readonly lazyReadShare: number;
}

/** Hypervisor memory overhead per VM = perVm + perVcpu x vCPUs + perGuestMemory x guest memory; plus perHost once per host. */
export interface HypervisorOverhead {
  readonly perVmBytes: number;
  readonly perVcpuBytes: number;
  readonly perGuestMemory: number;
  readonly perHostBytes: number;
}

export interface VmProfile extends ProfileBase {
  readonly kind: "vm" | "microvm";
  /** The OS family the hypervisor host is licensed and patched as. */
  readonly hostOs: OsFamily;
  readonly guestOs: { readonly family: OsFamily; readonly memoryBytes: number; readonly idleCpuCores: number };
  readonly hypervisor: HypervisorOverhead;
  /**
   * Disk bytes copied per VM before boot (0 for a linked clone), and the management plane's limit on
   * provisioning operations per host at once (0: none); further requests wait their turn (FIFO).
   */
  readonly provision: { readonly copyBytes: number; readonly concurrentOps: number };
  /** Guest boot: a fixed delay (firmware, timers, VMM start), CPU work on one core, disk reads alongside. */
  readonly boot: { readonly delay: Distribution; readonly work: Distribution; readonly readBytes: number };
  /** CPU work of guest init (cloud-init), core-seconds on one core. */
  readonly guestInit: Distribution;
}

export type Profile = BareProfile | ContainerProfile | VmProfile;

/** Every field a profile of some kind has. */
type ProfileField = keyof BareProfile | keyof ContainerProfile | keyof VmProfile;

/**
 * The profile with one object layout whatever its kind: every kind's fields in one order, the other
 * kinds' undefined (and its `running` likewise). A run reads its mode's profile on hot paths (each
 * start, placement and CPU tax), and a thread runs modes of every kind in turn: V8 compiles such
 * code for the object layouts it has met and discards it when another turns up, then compiles it
 * again. One layout took an 8-point sweep of batch-jobs.yaml (3 modes, 21 days) from 105 such
 * discards on one thread to 94 (node --trace-deopt). Values are untouched; code tells kinds apart
 * by `kind`, never by which fields are present.
 */
export function oneLayout(p: Profile): Profile {
  const q = p as Partial<Record<ProfileField, unknown>>;
  const r = p.running;
  const running: Record<keyof Running, unknown> = {
    cpuTax: r.cpuTax,
    io: r.io,
    interference: r.interference,
    daemonCpuCores: r.daemonCpuCores,
    ioEfficiency: r.ioEfficiency,
  };
  const out: Record<ProfileField, unknown> = {
    kind: p.kind,
    name: p.name,
    description: p.description,
    running,
    sources: p.sources,
    serial: p.serial,
    create: q.create,
    os: q.os,
    utilityVm: q.utilityVm,
    engine: q.engine,
    shim: q.shim,
    maxConcurrentDownloads: q.maxConcurrentDownloads,
    extract: q.extract,
    createDiskBytes: q.createDiskBytes,
    lazyReadShare: q.lazyReadShare,
    hostOs: q.hostOs,
    guestOs: q.guestOs,
    hypervisor: q.hypervisor,
    provision: q.provision,
    boot: q.boot,
    guestInit: q.guestInit,
  };
  return out as unknown as Profile;
}

const constant = (value: number): Distribution => ({ dist: "constant", value });

/**
 * Start-up steps vary from one instance to the next: a lognormal with a coefficient of variation of
 * 15% (judgement, the middle of the 10-20% spread repeated runs of docker run and VM boots show);
 * its mean is the published figure, so one instance on average keeps it. A zero stays a constant.
 */
export const STARTUP_CV = 0.15;
const spread = (mean: number): Distribution => (mean > 0 ? { dist: "lognormal", mean, sd: STARTUP_CV * mean } : constant(0));

/*
 * Serial and parallel parts of `docker run` on a warm cache, from three published figures: alone on
 * an SSD 0.568 s and on an HDD 1.157 s (dockerrun26); 32 at once on one host about 7.4 s each
 * (dockerstorm21). Create is a serial step s, processor-shared by every create on the host, whose
 * synchronous disk work D goes at the disk's pace (the step lasts max(s, D / disk bandwidth) alone),
 * then a parallel delay p.
 *   Alone on an SSD (s > D / B_ssd): s + p = 0.568 s.
 *   32 at once: processor sharing ends instance i's step at sum_j min(s_j, s_i); with s drawn with a
 *   CV c, E[min(s_j, s_i)] = k s, k = 1 - c / sqrt(pi) = 0.915 (normal approximation), so the mean
 *   is s (1 + 31 k) + p = 7.4 s. Subtracting: 31 k s = 6.832 s, s = 0.241 s, p = 0.327 s.
 *   Alone on an HDD the disk paces the step: D / B_hdd + p = 1.157 s, so D = 0.830 s x B_hdd = 83 MB
 *   with B_hdd = 100 MB/s (judgement: a 7,200 rpm disk); on densim's default 1 GB/s SSD that is
 *   83 ms < s, so the SSD figure holds. D stands in for seek-bound metadata writes.
 */
const WARM_RUN_SSD_S = 0.568;
const WARM_RUN_HDD_S = 1.157;
const STORM_COUNT = 32;
const STORM_EACH_S = 7.4;
/** The HDD-class disk the dockerrun26 HDD figure is read on (judgement). */
export const CALIBRATION_HDD_BYTES_PER_S = 100e6;
const PS_OVERLAP = 1 - STARTUP_CV / Math.sqrt(Math.PI);
const DOCKER_SERIAL_S = (STORM_EACH_S - WARM_RUN_SSD_S) / ((STORM_COUNT - 1) * PS_OVERLAP);
const DOCKER_PARALLEL_S = WARM_RUN_SSD_S - DOCKER_SERIAL_S;
/** The serial part of docker's create, 241 ms of 568 ms: taken for engines without a measurement of their own. */
const DOCKER_SERIAL_SHARE = DOCKER_SERIAL_S / WARM_RUN_SSD_S;
const CREATE_DISK_BYTES = (WARM_RUN_HDD_S - DOCKER_PARALLEL_S) * CALIBRATION_HDD_BYTES_PER_S;
/** containerd: 250 ms alone (containerd), split in docker's proportions; the same disk work (judgement). */
const CONTAINERD_ALONE_S = 0.25;
const CONTAINERD_SERIAL_S = CONTAINERD_ALONE_S * (DOCKER_SERIAL_S / WARM_RUN_SSD_S);

/** slacker16: containers read 6.4% of their image's data before (and while) they start. */
const LAZY_READ_SHARE = 0.064;

/** vsphere65: least-squares fit (relative error) of the seven "Sample Overhead Memory" cells; max error 0.2%. */
export const VSPHERE65_OVERHEAD: HypervisorOverhead = {
  perVmBytes: 14.393 * MiB,
  perVcpuBytes: 3.986 * MiB,
  perGuestMemory: 0.0073932,
  perHostBytes: 0,
};

/** The seven vsphere65 cells (vCPUs, guest MiB, overhead MiB), kept for tests and `densim profiles`. */
export const VSPHERE65_CELLS: readonly (readonly [number, number, number])[] = [
  [1, 256, 20.29],
  [1, 1024, 25.9],
  [1, 4096, 48.64],
  [1, 16384, 139.62],
  [2, 256, 24.28],
  [4, 256, 32.23],
  [8, 256, 48.16],
];

/** xavier13: LU slowdown next to a memory-stressing neighbour 88% on LXC, next to a disk-stressing one 9%. */
const SHARED_KERNEL: Running = {
  cpuTax: flatTax(0),
  io: NATIVE_IO,
  interference: { memoryBandwidth: 0.88, disk: 0.09 },
  daemonCpuCores: 0,
  ioEfficiency: 1,
};
/** xavier13: the same neighbours cost a Xen guest 0.9% and 0%. */
const HARDWARE_VIRT = { memoryBandwidth: 0.009, disk: 0 };
const RUNNING_SOURCES: Readonly<Record<string, Source>> = {
  "running.interference": { key: "xavier13", note: "memory-bandwidth neighbour: LXC 88%, Xen 0.9%; disk neighbour: LXC 9%, Xen 0%" },
};

/** gzip decompression of one core and the on-disk expansion of a layer: judgements, no published source (docs/calibration.md, judgement). */
const EXTRACT = { rateBytesPerS: 150e6, expansion: 2.5 };
const EXTRACT_SOURCE: Source = {
  key: "judgement",
  note: "gunzip ~150 MB/s of compressed input on one core; layers expand ~2.5x on disk",
};

/**
 * A stock Linux cloud image boots in 7-9 s to its first command (ubuntuboot), cloud-init taking
 * over 1.4 s of it. Split as a judgement: 2.5 s of fixed delay (firmware, timers, device probing;
 * 0.1 s of it spawning the VMM, serialised per host by the host's VM daemon), 4 core-seconds of boot
 * CPU with 300 MiB read, 1.5 core-seconds of cloud-init: 8 s on an idle host.
 */
const VM_SERIAL_S = 0.1;
const LINUX_BOOT_S = { delay: 2.5 - VM_SERIAL_S, work: 4, guestInit: 1.5 };
const LINUX_BOOT = {
  serial: spread(VM_SERIAL_S),
  provision: { copyBytes: 0, concurrentOps: 0 },
  boot: { delay: spread(LINUX_BOOT_S.delay), work: spread(LINUX_BOOT_S.work), readBytes: 300 * MiB },
  guestInit: spread(LINUX_BOOT_S.guestInit),
};
const NO_MANAGEMENT_PLANE: Source = { key: "judgement", note: "no management plane in front of the host: no limit on provisioning at once" };
const VM_SERIAL_SOURCE: Source = { key: "judgement", note: "100 ms of the boot's fixed part spawns the VMM under the host's VM daemon, one at a time" };
const LINUX_BOOT_SOURCES: Readonly<Record<string, Source>> = {
  provision: { key: "judgement", note: "linked clone (qcow2 overlay): nothing copied" },
  boot: { key: "ubuntuboot", note: "7-9 s to first command: 2.5 s fixed + 4 core-s on one core + 300 MiB read (split: judgement); CV 15% (judgement)" },
  guestInit: { key: "ubuntuboot", note: "cloud-init > 1.4 s: 1.5 core-s; CV 15% (judgement)" },
  serial: VM_SERIAL_SOURCE,
  "provision.concurrentOps": NO_MANAGEMENT_PLANE,
};
/**
 * felter15's KVM losses by workload class. cpu: tuned Linpack (the guest sees the host's CPU
 * model and cache topology, as current stacks configure it); memory: untuned Linpack, whose loss
 * comes from the guest not knowing the cache topology (judgement: cache/memory-bound code pays
 * it); compression: PXZ (22%, recalled from the paper); database: MySQL with default settings
 * (> 40%); network: throughput equal, the +30 us round trip is not modelled (no request latency
 * in densim), so the cpu figure.
 */
const KVM_TAX: ClassTax = { cpu: 0.02, memory: 0.17, compression: 0.22, database: 0.4, network: 0.02 };
/** felter15: random 4 KiB IOPS under KVM about half of native, sequential I/O equal (0.98 taken). */
const KVM_IO: IoPath = { sequential: 0.98, random: 0.5, cpuPerOpS: 10e-6 };
const KVM_RUNNING: Running = { cpuTax: KVM_TAX, io: KVM_IO, interference: { memoryBandwidth: 0.009, disk: 0 }, daemonCpuCores: 0, ioEfficiency: 0.5 };
const TAX_SOURCES: Readonly<Record<string, Source>> = {
  "running.cpuTax.cpu": { key: "felter15", note: "tuned Linpack under KVM: -2%" },
  "running.cpuTax.memory": { key: "felter15", note: "untuned Linpack under KVM: -17% (cache topology hidden from the guest; class mapping: judgement)" },
  "running.cpuTax.compression": { key: "felter15", note: "PXZ compression under KVM: -22% (recalled from the paper)" },
  "running.cpuTax.database": { key: "felter15", note: "MySQL under KVM, default settings: > 40% overhead; 40% taken" },
  "running.cpuTax.network": { key: "felter15", note: "throughput equal; +30 us round trip not modelled (no request latency): the cpu figure" },
};
const IO_SOURCES: Readonly<Record<string, Source>> = {
  "running.io.sequential": { key: "felter15", note: "sequential I/O equal to native: 98% of it per VM (judgement for the 2%)" },
  "running.io.random": { key: "felter15", note: "random 4 KiB IOPS under KVM: about half of native per VM" },
  "running.io.cpuPerOp": { key: "judgement", note: "10 us of host CPU per guest I/O (exit + virtio emulation)" },
  "running.ioEfficiency": { key: "felter15", note: "guest boot reads are small random reads: half of native (each byte costs 2 of host disk)" },
};
const VM_RUNNING_SOURCES: Readonly<Record<string, Source>> = {
  ...TAX_SOURCES,
  ...IO_SOURCES,
  "running.interference": { key: "xavier13", note: "memory-bandwidth neighbour: Xen 0.9%; disk neighbour: Xen 0%" },
};
/** felter15 measured KVM only: other hypervisors take its figures (judgement). */
const OTHER_HYPERVISOR_SOURCES: Readonly<Record<string, Source>> = Object.fromEntries(
  Object.entries(VM_RUNNING_SOURCES).map(([k, v]) =>
    k.startsWith("running.cpuTax") || k.startsWith("running.io.")
      ? [k, { key: v.key, note: `${v.note}; KVM's figure taken for this hypervisor (judgement)` }]
      : [k, v],
  ),
);
const CONTAINER_TAX_SOURCES: Readonly<Record<string, Source>> = {
  "running.cpuTax": { key: "felter15", note: "Docker ~ native for CPU, memory, compression and MySQL (with volumes); NAT latency not modelled" },
  "running.io": { key: "felter15", note: "Docker ~ native for random and sequential I/O" },
};

/** vCenter's concurrent provisioning operations per host (judgement: recalled limit, see sources). */
const VCENTER_OPS_PER_HOST = 8;

/*
 * Firecracker: 1,000 microVMs requested at once on a 36-core host are created at about 150 per
 * second (firecracker-nsdi20; firecracker-design's 5 per core per second gives 180), i.e. the last
 * is ready after T = 6.7 s. With a serial spawn s processor-shared by all, T = 1000 s + t, where
 * t ~ 1.3 s is the boot work (0.08 core-s each on 36 cores) still to do when the last spawn ends
 * (read off the simulation: spawns end spread out by their 15% spread). 1000 s = 5.4 s gives s = 5.4 ms,
 * taken from the 12 ms VMM start.
 */
const FIRECRACKER_SERIAL_S = 0.0054;

/** Windows guests take ~8.35x a Linux guest's provisioning time (mao12: 810 s vs 97 s). */
const WINDOWS_FACTOR = 810 / 97;

/** Container engines differ in their daemons and create latency; shims, pulls and extraction are shared. */
function containerProfile(c: {
  readonly name: string;
  readonly description: string;
  readonly os?: OsFamily;
  readonly engineMemoryBytes: number;
  readonly shimMemoryBytes?: number;
  readonly daemonCpuCores: number;
  readonly serialS: number;
  readonly parallelS: number;
  readonly running?: Running;
  readonly utilityVm?: ContainerProfile["utilityVm"];
  readonly sources: Readonly<Record<string, Source>>;
}): ContainerProfile {
  return {
    kind: "container",
    name: c.name,
    description: c.description,
    os: c.os ?? "linux",
    running: { ...(c.running ?? SHARED_KERNEL), daemonCpuCores: c.daemonCpuCores },
    engine: { memoryBytes: c.engineMemoryBytes },
    shim: { memoryBytes: c.shimMemoryBytes ?? 5.2 * MiB },
    maxConcurrentDownloads: 3,
    extract: EXTRACT,
    serial: spread(c.serialS),
    create: spread(c.parallelS),
    createDiskBytes: CREATE_DISK_BYTES,
    lazyReadShare: LAZY_READ_SHARE,
    ...(c.utilityVm ? { utilityVm: c.utilityVm } : {}),
    sources: {
      "shim.memory": { key: "shim", note: "containerd-shim 5.2 MB RSS after the ttrpc change" },
      extract: EXTRACT_SOURCE,
      "create.disk": { key: "dockerrun26", note: "1157 ms on HDD: the serial step moves 83 MB on the disk, 0.83 s at 100 MB/s (HDD rate: judgement), 83 ms on a 1 GB/s SSD (hidden by the 241 ms step)" },
      lazyReadShare: { key: "slacker16", note: "6.4% of the pulled data is read at start (pull: lazy)" },
      ...RUNNING_SOURCES,
      ...CONTAINER_TAX_SOURCES,
      ...c.sources,
    },
  };
}

/** Process-isolated Windows containers: create (silo + the container's own system services), a judgement. */
const WINDOWS_PROCESS_CREATE_S = 3;
/** Hyper-V isolation boots a utility VM per container before the container starts (judgement). */
const UTILITY_VM_BOOT_S = 5;

const LINUX_GUEST_MEMORY: Source = {
  key: "judgement",
  note: "512 MiB for a minimal Linux server guest with its page cache kept small",
};

export const PROFILES: readonly Profile[] = [
  {
    kind: "bare",
    name: "bare",
    description: "Processes on the host OS: no overhead, no isolation",
    running: SHARED_KERNEL,
    serial: constant(0),
    create: spread(0.005),
    sources: {
      create: { key: "judgement", note: "fork+exec of a process: milliseconds; CV 15%" },
      serial: { key: "judgement", note: "no per-host daemon: fork+exec scales with the cores" },
      "running.cpuTax": { key: "felter15", note: "native: no virtualisation tax" },
      "running.io": { key: "felter15", note: "native I/O" },
      "running.interference": { key: "xavier13", note: "processes share one kernel as containers do: the LXC figures (judgement)" },
    },
  },
  containerProfile({
    name: "docker",
    description: "Docker Engine (dockerd + containerd), one containerd-shim per container",
    engineMemoryBytes: 128 * MiB,
    daemonCpuCores: 0.02,
    serialS: DOCKER_SERIAL_S,
    parallelS: DOCKER_PARALLEL_S,
    sources: {
      "engine.memory": { key: "dockerd", note: "engine daemons 100-150 MiB per host (judgement)" },
      maxConcurrentDownloads: { key: "pullconc", note: "dockerd max-concurrent-downloads default 3" },
      create: { key: "dockerrun26", note: "568 ms alone on SSD = 241 ms serial + 327 ms parallel (split: dockerstorm21); CV 15% (judgement)" },
      serial: { key: "dockerstorm21", note: "32 at once take ~7.4 s each (0.6 s alone): 241 ms per create on one per-host server" },
      "running.daemonCpu": { key: "judgement", note: "idle dockerd + containerd: 2% of a core" },
    },
  }),
  containerProfile({
    name: "containerd",
    description: "containerd without dockerd (as under Kubernetes), one shim per container",
    engineMemoryBytes: 64 * MiB,
    daemonCpuCores: 0.01,
    serialS: CONTAINERD_SERIAL_S,
    parallelS: CONTAINERD_ALONE_S - CONTAINERD_SERIAL_S,
    sources: {
      "engine.memory": { key: "judgement", note: "containerd alone, about half of dockerd + containerd" },
      maxConcurrentDownloads: { key: "pullconc", note: "the same 3-layer default as dockerd (judgement for containerd)" },
      create: { key: "containerd", note: "create + start ~250 ms alone (moby#21737) = serial + disk + parallel; CV 15% (judgement)" },
      serial: { key: "judgement", note: "docker's serial share (dockerstorm21): 106 ms of the 250 ms" },
      "running.daemonCpu": { key: "judgement", note: "idle containerd: 1% of a core" },
    },
  }),
  containerProfile({
    name: "windows-process",
    description: "Windows Server containers, process isolation (dockerd on a Windows host, shared kernel)",
    os: "windows",
    engineMemoryBytes: 128 * MiB,
    shimMemoryBytes: 60 * MiB,
    daemonCpuCores: 0.02,
    // Docker's serial share of create (dockerstorm21) taken for Windows: a judgement.
    serialS: WINDOWS_PROCESS_CREATE_S * DOCKER_SERIAL_SHARE,
    parallelS: WINDOWS_PROCESS_CREATE_S * (1 - DOCKER_SERIAL_SHARE),
    sources: {
      "engine.memory": { key: "dockerd", note: "dockerd + containerd on Windows: the Linux figure (judgement)" },
      "shim.memory": { key: "wincontainers", note: "shim + the container's own Windows system services (smss, csrss, lsass, svchost): 60 MiB (judgement)" },
      maxConcurrentDownloads: { key: "pullconc", note: "dockerd max-concurrent-downloads default 3" },
      create: { key: "wincontainers", note: "create + start of a process-isolated Windows container ~3 s (judgement)" },
      serial: { key: "judgement", note: "docker's serial share of create (dockerstorm21) taken for Windows" },
      "running.daemonCpu": { key: "judgement", note: "idle dockerd + containerd: 2% of a core" },
      "running.interference": { key: "xavier13", note: "a shared kernel: the LXC figures (judgement for Windows)" },
      "running.cpuTax": { key: "felter15", note: "Linux Docker ~ native; taken for Windows process isolation (judgement)" },
      "running.io": { key: "felter15", note: "Linux Docker ~ native I/O; taken for Windows process isolation (judgement)" },
    },
  }),
  containerProfile({
    name: "windows-hyperv",
    description: "Windows Server containers, Hyper-V isolation: a utility VM per container",
    os: "windows",
    engineMemoryBytes: 128 * MiB,
    daemonCpuCores: 0.02,
    // The utility VM boots in parallel; the engine's part of create keeps docker's serial share.
    serialS: WINDOWS_PROCESS_CREATE_S * DOCKER_SERIAL_SHARE,
    parallelS: WINDOWS_PROCESS_CREATE_S * (1 - DOCKER_SERIAL_SHARE) + UTILITY_VM_BOOT_S,
    running: { ...KVM_RUNNING, daemonCpuCores: 0.02 },
    utilityVm: { memoryBytes: 300 * MiB, idleCpuCores: 0.02 },
    sources: {
      "engine.memory": { key: "dockerd", note: "dockerd + containerd on Windows: the Linux figure (judgement)" },
      maxConcurrentDownloads: { key: "pullconc", note: "dockerd max-concurrent-downloads default 3" },
      create: { key: "wincontainers", note: "utility VM boot ~5 s + the container's create ~3 s (judgement)" },
      serial: { key: "judgement", note: "docker's serial share of the container's create (dockerstorm21); the utility VM boots in parallel" },
      utilityVm: { key: "wincontainers", note: "utility VM per container: 300 MiB (Windows kernel, services, VM worker), 2% of a core idle (judgement)" },
      "running.daemonCpu": { key: "judgement", note: "idle dockerd + containerd: 2% of a core" },
      ...OTHER_HYPERVISOR_SOURCES,
    },
  }),
  {
    kind: "vm",
    name: "kvm-qemu",
    description: "Plain QEMU/KVM (libvirt) with a Linux guest",
    hostOs: "linux",
    running: KVM_RUNNING,
    guestOs: { family: "linux", memoryBytes: 512 * MiB, idleCpuCores: 0.02 },
    hypervisor: { perVmBytes: 131e6, perVcpuBytes: 0, perGuestMemory: 0, perHostBytes: 0 },
    ...LINUX_BOOT,
    sources: {
      "guestOs.memory": LINUX_GUEST_MEMORY,
      "guestOs.idleCpu": { key: "judgement", note: "2% of a core for an idle Linux guest (timers, agents)" },
      hypervisor: { key: "firecracker-nsdi20", note: "QEMU ~131 MB per VM (Table 1); no per-host figure (judgement: 0)" },
      ...LINUX_BOOT_SOURCES,
      ...VM_RUNNING_SOURCES,
    },
  },
  {
    kind: "vm",
    name: "kubevirt",
    description: "KubeVirt / OpenShift Virtualization (QEMU/KVM in pods) with a Linux guest",
    hostOs: "linux",
    running: KVM_RUNNING,
    guestOs: { family: "linux", memoryBytes: 512 * MiB, idleCpuCores: 0.02 },
    hypervisor: { perVmBytes: 218 * MiB, perVcpuBytes: 8 * MiB, perGuestMemory: 0.002, perHostBytes: 360 * MiB },
    ...LINUX_BOOT,
    sources: {
      "guestOs.memory": LINUX_GUEST_MEMORY,
      "guestOs.idleCpu": { key: "judgement", note: "2% of a core for an idle Linux guest (timers, agents)" },
      hypervisor: { key: "kubevirt", note: "218 MiB + 8 MiB per vCPU + 0.002 x guest memory; +360 MiB per node" },
      ...LINUX_BOOT_SOURCES,
      ...VM_RUNNING_SOURCES,
    },
  },
  {
    kind: "vm",
    name: "vmware-linux",
    description: "VMware vSphere/ESXi with a Linux guest",
    hostOs: "linux",
    running: KVM_RUNNING,
    guestOs: { family: "linux", memoryBytes: 512 * MiB, idleCpuCores: 0.02 },
    hypervisor: VSPHERE65_OVERHEAD,
    ...LINUX_BOOT,
    provision: { copyBytes: 0, concurrentOps: VCENTER_OPS_PER_HOST },
    sources: {
      "guestOs.memory": LINUX_GUEST_MEMORY,
      "guestOs.idleCpu": { key: "judgement", note: "2% of a core for an idle Linux guest (timers, agents)" },
      hypervisor: { key: "vsphere65", note: "linear fit of the seven sample overhead cells, within 0.2%" },
      ...LINUX_BOOT_SOURCES,
      provision: { key: "judgement", note: "linked clone (delta disk): nothing copied" },
      "provision.concurrentOps": {
        key: "judgement",
        note: "vCenter queues provisioning tasks beyond a per-host limit: 8 at once per host (recalled, not read in VMware's text)",
      },
      ...OTHER_HYPERVISOR_SOURCES,
    },
  },
  {
    kind: "vm",
    name: "hyperv-windows",
    description: "Hyper-V with a Windows Server (Desktop Experience) guest",
    hostOs: "windows",
    running: KVM_RUNNING,
    guestOs: { family: "windows", memoryBytes: 2 * GiB, idleCpuCores: 0.05 },
    hypervisor: VSPHERE65_OVERHEAD,
    serial: spread(VM_SERIAL_S),
    provision: { copyBytes: 0, concurrentOps: 0 },
    boot: {
      // The Linux split scaled by the Windows factor; the serial spawn is the VMM's, not the guest's, so unscaled.
      delay: spread((LINUX_BOOT_S.delay + VM_SERIAL_S) * WINDOWS_FACTOR - VM_SERIAL_S),
      work: spread(LINUX_BOOT_S.work * WINDOWS_FACTOR),
      readBytes: 2 * GiB,
    },
    guestInit: spread(LINUX_BOOT_S.guestInit * WINDOWS_FACTOR),
    sources: {
      "guestOs.memory": { key: "winreq", note: "Windows Server Desktop Experience minimum 2 GB" },
      "guestOs.idleCpu": { key: "judgement", note: "5% of a core: Windows services, Defender, updates" },
      hypervisor: { key: "judgement", note: "no published Hyper-V table: the vsphere65 fit is used" },
      provision: { key: "judgement", note: "linked clone (differencing disk): nothing copied" },
      "provision.concurrentOps": NO_MANAGEMENT_PLANE,
      serial: VM_SERIAL_SOURCE,
      boot: {
        key: "mao12",
        note: "Windows/Linux ratio ~8.35 (810 s / 97 s) applied to the Linux boot and guest init (ubuntuboot): ~63 s alone; 2 GiB read (judgement)",
      },
      guestInit: { key: "mao12", note: "cloud-init's Linux figure x 8.35 (sysprep/specialise, judgement)" },
      ...OTHER_HYPERVISOR_SOURCES,
    },
  },
  {
    kind: "microvm",
    name: "firecracker",
    description: "Firecracker microVM: minimal Linux guest, tiny VMM",
    hostOs: "linux",
    running: {
      cpuTax: KVM_TAX,
      io: { sequential: 0.95, random: 0.5, cpuPerOpS: 10e-6 },
      interference: HARDWARE_VIRT,
      daemonCpuCores: 0,
      ioEfficiency: 0.95,
    },
    guestOs: { family: "linux", memoryBytes: 32 * MiB, idleCpuCores: 0.005 },
    hypervisor: { perVmBytes: 5 * MiB, perVcpuBytes: 0, perGuestMemory: 0, perHostBytes: 0 },
    serial: spread(FIRECRACKER_SERIAL_S),
    provision: { copyBytes: 0, concurrentOps: 0 },
    boot: { delay: spread(0.012 + 0.045 - FIRECRACKER_SERIAL_S), work: spread(0.08), readBytes: 0 },
    guestInit: constant(0),
    sources: {
      "guestOs.memory": { key: "judgement", note: "32 MiB for a minimal guest kernel and init" },
      "guestOs.idleCpu": { key: "judgement", note: "0.5% of a core for an idle minimal guest" },
      hypervisor: { key: "firecracker-spec", note: "VMM memory overhead <= 5 MiB per microVM" },
      provision: { key: "judgement", note: "root filesystem shared read-only or a pre-made overlay: nothing copied" },
      "provision.concurrentOps": NO_MANAGEMENT_PLANE,
      boot: {
        key: "firecracker-spec",
        note: "12 ms VMM start (5.4 ms of it serial) + boot to guest init <= 125 ms: 51.6 ms fixed + 0.08 core-s (split is a judgement); CV 15% (judgement)",
      },
      serial: {
        key: "firecracker-nsdi20",
        note: "150 microVMs/s per host: 5.4 ms of the VMM start (jailer, KVM and tap set-up) one at a time per host",
      },
      guestInit: { key: "firecracker-spec", note: "a minimal guest's init is part of the 125 ms boot" },
      ...TAX_SOURCES,
      ...IO_SOURCES,
      "running.cpuTax.cpu": { key: "felter15", note: "KVM underneath: tuned Linpack -2%, within firecracker-spec's guest CPU > 95% of bare metal" },
      "running.io.sequential": { key: "firecracker-spec", note: "guest disk > 95% of bare metal" },
      "running.io.random": { key: "felter15", note: "KVM underneath: random 4 KiB IOPS about half of native (judgement for Firecracker)" },
      "running.ioEfficiency": { key: "firecracker-spec", note: "guest disk > 95% of bare metal" },
      "running.interference": { key: "xavier13", note: "hardware virtualisation: the Xen figures (judgement for Firecracker)" },
    },
  },
];

/**
 * Mode settings a scenario may leave out, and where each default comes from: they shape every
 * comparison, so `densim profiles` lists them and the run's table states the ratios in force.
 */
export const MODE_DEFAULTS = {
  /** CPU committed per physical core (cores less the reserve): 1 = requests (or whole vCPUs) never exceed the cores. */
  overcommitCpu: 1,
  /** VM and microVM guest memory committed per byte of host memory: 1 = none. */
  overcommitMemory: 1,
  vcpus: "auto",
  limits: false,
  cache: "cold",
  layerSharing: true,
  pull: "eager",
} as const;

/**
 * Recovery after a host failure, per mode kind. Containers: Kubernetes marks a silent node
 * NotReady after node-monitor-grace-period (40 s) and evicts its pods when their default
 * unreachable toleration (300 s) runs out; then they are rescheduled (a pull where the image is
 * missing, then create and init). VMs: vSphere HA declares a host failed after 15 s without
 * heartbeats or ping and restarts its VMs elsewhere (a full boot, the disk on shared storage: no
 * copy). MicroVMs: as VMs (a full guest boot, the root file system on shared storage or in the
 * image), noticed as Kubernetes notices pods (Kata Containers / firecracker-containerd run them as
 * pods): judgement. Bare processes: restarted elsewhere by a cluster manager where runtime and ports
 * allow, noticed in about a minute (judgement).
 */
export const RECOVERY_DEFAULTS: Readonly<Record<ModeKind, { readonly detectS: number; readonly action: "restart" | "none"; readonly source: Source }>> = {
  bare: { detectS: 60, action: "restart", source: { key: "judgement", note: "a cluster manager's heartbeat timeout (Nomad, Pacemaker), about a minute; then a restart where runtime and ports allow" } },
  container: { detectS: 340, action: "restart", source: { key: "k8s-eviction", note: "node-monitor-grace-period 40 s + default unreachable toleration 300 s, then rescheduled" } },
  vm: {
    detectS: 15,
    action: "restart",
    source: { key: "vsphere-ha", note: "15 s without heartbeats or ping: host failed, its VMs restarted elsewhere (full boot, shared storage); other hypervisors' HA taken as the same (judgement)" },
  },
  microvm: {
    detectS: 340,
    action: "restart",
    source: { key: "k8s-eviction", note: "microVMs run as pods (Kata, firecracker-containerd): Kubernetes' 40 s + 300 s, then a full boot elsewhere (judgement)" },
  },
};

/**
 * Profiles whose instances a different control plane recovers than their kind's default: KubeVirt
 * VMs run in pods, so Kubernetes notices the failed node (40 s + 300 s) before the VM boots elsewhere.
 */
export const RECOVERY_BY_PROFILE: Readonly<Record<string, (typeof RECOVERY_DEFAULTS)[ModeKind]>> = {
  kubevirt: {
    detectS: 340,
    action: "restart",
    source: { key: "k8s-eviction", note: "KubeVirt VMs run in pods: Kubernetes' 40 s + 300 s, then the VM boots elsewhere (its disk a persistent volume)" },
  },
};

/** The recovery a mode of `kind` with profile `profile` gets when the scenario sets none. */
export const recoveryDefault = (kind: ModeKind, profile: string): (typeof RECOVERY_DEFAULTS)[ModeKind] => RECOVERY_BY_PROFILE[profile] ?? RECOVERY_DEFAULTS[kind];

/** Each mode setting with its default as shown to people, the kinds it applies to, and its source. */
export const MODE_DEFAULT_SOURCES: readonly { readonly path: string; readonly value: string; readonly kinds: readonly ModeKind[]; readonly source: Source }[] = [
  {
    path: "overcommit.cpu",
    value: `${MODE_DEFAULTS.overcommitCpu}:1`,
    kinds: MODE_KINDS,
    source: { key: "judgement", note: "no CPU overcommit: requests (VMs: whole vCPUs) fit the cores less the reserve; set modes.<mode>.overcommit.cpu" },
  },
  {
    path: "overcommit.memory",
    value: `${MODE_DEFAULTS.overcommitMemory}:1`,
    kinds: ["vm", "microvm"],
    source: { key: "judgement", note: "no memory overcommit: guest memory fits host memory; set modes.<mode>.overcommit.memory" },
  },
  { path: "vcpus", value: MODE_DEFAULTS.vcpus, kinds: ["vm", "microvm"], source: { key: "judgement", note: "ceil(app CPU request) vCPUs per VM" } },
  { path: "limits", value: String(MODE_DEFAULTS.limits), kinds: ["container"], source: { key: "judgement", note: "docker run without --cpus/--memory: no cgroup limits" } },
  { path: "cache", value: MODE_DEFAULTS.cache, kinds: ["container"], source: { key: "judgement", note: "only hosts[].prepulled images are local at time 0" } },
  { path: "layerSharing", value: String(MODE_DEFAULTS.layerSharing), kinds: ["container"], source: { key: "judgement", note: "equal layer digests are pulled once per host" } },
  {
    path: "pull",
    value: MODE_DEFAULTS.pull,
    kinds: ["container"],
    source: { key: "judgement", note: "eager: the whole image before start; lazy (eStargz/SOCI): lazyReadShare first, the rest in the background" },
  },
  ...MODE_KINDS.map((kind) => ({
    path: "drain",
    value: defaultDrain(kind),
    kinds: [kind],
    source: {
      key: kind === "microvm" ? "firecracker-design" : kind === "vm" ? "precopy" : "judgement",
      note: {
        bare: "a bare process goes down with its host for the patch window (no runtime elsewhere is assumed to fit)",
        container: "a drained container stops and starts elsewhere (pull if the image is missing)",
        vm: "VMs are live-migrated off a host being patched (vMotion, QEMU)",
        microvm: "no live migration in Firecracker: a drained microVM boots on another host",
      }[kind],
    },
  })),
  { path: "migration.bandwidth", value: MIGRATION_DEFAULTS.bandwidthLabel, kinds: ["vm", "microvm"], source: { key: "qemu-migration", note: "QEMU's default max-bandwidth" } },
  { path: "migration.downtimeLimit", value: `${MIGRATION_DEFAULTS.downtimeLimitS * 1000} ms`, kinds: ["vm", "microvm"], source: { key: "qemu-migration", note: "QEMU's default downtime-limit" } },
  { path: "migration.dirtyRate", value: MIGRATION_DEFAULTS.dirtyRateLabel, kinds: ["vm", "microvm"], source: { key: "judgement", note: "a moderately busy server guest; set it from your own dirty-page tracking" } },
  {
    path: "migration.workingSet",
    value: "all guest memory",
    kinds: ["vm", "microvm"],
    source: { key: "judgement", note: "no writable-working-set cap: a round can leave any page dirty; set it when you know the guest's hot set" },
  },
  { path: "migration.maxRounds", value: String(MIGRATION_DEFAULTS.maxRounds), kinds: ["vm", "microvm"], source: { key: "precopy", note: "Xen's pre-copy round limit before a forced stop-and-copy" } },
  {
    path: "migration.onNonConvergence",
    value: MIGRATION_DEFAULTS.onNonConvergence,
    kinds: ["vm", "microvm"],
    source: { key: "precopy", note: "after the last round the guest is stopped and the rest sent, however long the pause (Xen; libvirt's --timeout suspend)" },
  },
  ...MODE_KINDS.map((k) => ({
    path: "recovery.detect",
    value: `${RECOVERY_DEFAULTS[k].detectS} s`,
    kinds: [k],
    source: RECOVERY_DEFAULTS[k].source,
  })),
  ...Object.entries(RECOVERY_BY_PROFILE).map(([name, r]) => ({
    path: `recovery.detect (${name})`,
    value: `${r.detectS} s`,
    kinds: MODE_KINDS.filter((k) => PROFILES.some((p) => p.kind === k && p.name === name)),
    source: r.source,
  })),
  { path: "recovery.action", value: "restart", kinds: MODE_KINDS, source: { key: "judgement", note: "lost instances are placed again (recovery: { action: none } leaves them down)" } },
];

/** The profile a mode uses when the scenario names none. */
export const DEFAULT_PROFILE: Readonly<Record<ModeKind, string>> = {
  bare: "bare",
  container: "docker",
  vm: "kubevirt",
  microvm: "firecracker",
};

/**
 * Old names kept so existing scenarios run: `kvm-linux` was the KubeVirt overhead model under a
 * plain KVM name, and stays exactly that (`kubevirt`).
 */
export const PROFILE_ALIASES: Readonly<Record<string, { readonly kind: ModeKind; readonly profile: string }>> = {
  "kvm-linux": { kind: "vm", profile: "kubevirt" },
};

/** Profile names a scenario may write for `kind`, aliases included. */
export const profileNames = (kind: ModeKind): readonly string[] => [
  ...PROFILES.filter((p) => p.kind === kind).map((p) => p.name),
  ...Object.entries(PROFILE_ALIASES)
    .filter(([, a]) => a.kind === kind)
    .map(([n]) => n),
];

export function findProfile(kind: ModeKind, name: string): Profile | undefined {
  const alias = PROFILE_ALIASES[name];
  const target = alias && alias.kind === kind ? alias.profile : name;
  return PROFILES.find((p) => p.kind === kind && p.name === target);
}

/** Hypervisor memory for one VM of `vcpus` vCPUs and `guestBytes` of guest memory. */
export function vmOverheadBytes(h: HypervisorOverhead, vcpus: number, guestBytes: number): number {
  return h.perVmBytes + h.perVcpuBytes * vcpus + h.perGuestMemory * guestBytes;
}
