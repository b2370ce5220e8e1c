/**
 * Built-in isolation-mode profiles: the parameters each mode starts from, in SI units, each
 * default citing its CALIBRATION.md source key (or saying it is a judgement). Scenarios override
 * any field inline; `densim profiles` prints this catalogue.
 */
import type { Distribution } from "../engine/index.js";

export type ModeKind = "bare" | "container" | "vm" | "microvm";
export const MODE_KINDS: readonly ModeKind[] = ["bare", "container", "vm", "microvm"];
export type OsFamily = "linux" | "windows";

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** Where a default comes from: a CALIBRATION.md key, or "judgement" with the reasoning. */
export interface Source {
  readonly key: string;
  readonly note: string;
}

interface ProfileBase {
  readonly name: string;
  readonly description: string;
  /** Request-to-ready latency until start-up is modelled as work on shared resources. */
  readonly startLatency: Distribution;
  /** Dotted parameter path -> source of its default. */
  readonly sources: Readonly<Record<string, Source>>;
}

export interface BareProfile extends ProfileBase {
  readonly kind: "bare";
}

export interface ContainerProfile extends ProfileBase {
  readonly kind: "container";
  /** Engine daemons per host (dockerd + containerd, or containerd + kubelet). */
  readonly engine: { readonly memoryBytes: number };
  /** Per-container runtime process (containerd-shim). */
  readonly shim: { readonly memoryBytes: number };
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
  readonly guestOs: { readonly family: OsFamily; readonly memoryBytes: number; readonly idleCpuCores: number };
  readonly hypervisor: HypervisorOverhead;
}

export type Profile = BareProfile | ContainerProfile | VmProfile;

const constant = (value: number): Distribution => ({ dist: "constant", value });

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

const LINUX_GUEST_MEMORY: Source = {
  key: "judgement",
  note: "512 MiB for a minimal Linux server guest with its page cache kept small; no source in CALIBRATION.md",
};

export const PROFILES: readonly Profile[] = [
  {
    kind: "bare",
    name: "bare",
    description: "Processes on the host OS: no overhead, no isolation",
    startLatency: constant(0.01),
    sources: { startLatency: { key: "judgement", note: "fork+exec of a process: milliseconds" } },
  },
  {
    kind: "container",
    name: "docker",
    description: "Docker Engine (dockerd + containerd), one containerd-shim per container",
    engine: { memoryBytes: 128 * MiB },
    shim: { memoryBytes: 5.2 * MiB },
    startLatency: constant(0.568),
    sources: {
      "engine.memory": { key: "dockerd", note: "engine daemons 100-150 MiB per host (judgement)" },
      "shim.memory": { key: "shim", note: "containerd-shim 5.2 MB RSS after the ttrpc change" },
      startLatency: { key: "dockerrun26", note: "docker run with a cached image: 568 ms on SSD" },
    },
  },
  {
    kind: "container",
    name: "containerd",
    description: "containerd without dockerd (as under Kubernetes), one shim per container",
    engine: { memoryBytes: 64 * MiB },
    shim: { memoryBytes: 5.2 * MiB },
    startLatency: constant(0.25),
    sources: {
      "engine.memory": { key: "judgement", note: "containerd alone, about half of dockerd + containerd" },
      "shim.memory": { key: "shim", note: "containerd-shim 5.2 MB RSS after the ttrpc change" },
      startLatency: { key: "containerd", note: "create + start ~250 ms (moby#21737)" },
    },
  },
  {
    kind: "vm",
    name: "kvm-linux",
    description: "KVM/QEMU (KubeVirt overhead model) with a Linux guest",
    guestOs: { family: "linux", memoryBytes: 512 * MiB, idleCpuCores: 0.02 },
    hypervisor: { perVmBytes: 218 * MiB, perVcpuBytes: 8 * MiB, perGuestMemory: 0.002, perHostBytes: 360 * MiB },
    startLatency: constant(8),
    sources: {
      "guestOs.memory": LINUX_GUEST_MEMORY,
      "guestOs.idleCpu": { key: "judgement", note: "2% of a core for an idle Linux guest (timers, agents)" },
      hypervisor: { key: "kubevirt", note: "218 MiB + 8 MiB per vCPU + 0.002 x guest memory; +360 MiB per node" },
      startLatency: { key: "ubuntuboot", note: "stock Ubuntu cloud image: 7-9 s to first command" },
    },
  },
  {
    kind: "vm",
    name: "vmware-linux",
    description: "VMware vSphere/ESXi with a Linux guest",
    guestOs: { family: "linux", memoryBytes: 512 * MiB, idleCpuCores: 0.02 },
    hypervisor: VSPHERE65_OVERHEAD,
    startLatency: constant(8),
    sources: {
      "guestOs.memory": LINUX_GUEST_MEMORY,
      "guestOs.idleCpu": { key: "judgement", note: "2% of a core for an idle Linux guest (timers, agents)" },
      hypervisor: { key: "vsphere65", note: "linear fit of the seven sample overhead cells, within 0.2%" },
      startLatency: { key: "ubuntuboot", note: "stock Ubuntu cloud image: 7-9 s to first command" },
    },
  },
  {
    kind: "vm",
    name: "hyperv-windows",
    description: "Hyper-V with a Windows Server (Desktop Experience) guest",
    guestOs: { family: "windows", memoryBytes: 2 * GiB, idleCpuCores: 0.05 },
    hypervisor: VSPHERE65_OVERHEAD,
    startLatency: constant(8 * 8.35),
    sources: {
      "guestOs.memory": { key: "winreq", note: "Windows Server Desktop Experience minimum 2 GB" },
      "guestOs.idleCpu": { key: "judgement", note: "5% of a core: Windows services, Defender, updates" },
      hypervisor: { key: "judgement", note: "no published Hyper-V table: the vsphere65 fit is used" },
      startLatency: {
        key: "mao12",
        note: "Windows/Linux provisioning ratio ~8.35 (810 s / 97 s) applied to the 8 s Linux boot (ubuntuboot)",
      },
    },
  },
  {
    kind: "microvm",
    name: "firecracker",
    description: "Firecracker microVM: minimal Linux guest, tiny VMM",
    guestOs: { family: "linux", memoryBytes: 32 * MiB, idleCpuCores: 0.005 },
    hypervisor: { perVmBytes: 5 * MiB, perVcpuBytes: 0, perGuestMemory: 0, perHostBytes: 0 },
    startLatency: constant(0.125 + 0.012),
    sources: {
      "guestOs.memory": { key: "judgement", note: "32 MiB for a minimal guest kernel and init" },
      "guestOs.idleCpu": { key: "judgement", note: "0.5% of a core for an idle minimal guest" },
      hypervisor: { key: "firecracker-spec", note: "VMM memory overhead <= 5 MiB per microVM" },
      startLatency: {
        key: "firecracker-spec",
        note: "boot <= 125 ms to guest init plus a typical 12 ms VMM start",
      },
    },
  },
];

/** The profile a mode uses when the scenario names none. */
export const DEFAULT_PROFILE: Readonly<Record<ModeKind, string>> = {
  bare: "bare",
  container: "docker",
  vm: "kvm-linux",
  microvm: "firecracker",
};

export const profileNames = (kind: ModeKind): readonly string[] =>
  PROFILES.filter((p) => p.kind === kind).map((p) => p.name);

export function findProfile(kind: ModeKind, name: string): Profile | undefined {
  return PROFILES.find((p) => p.kind === kind && p.name === name);
}

/** Hypervisor memory for one VM of `vcpus` vCPUs and `guestBytes` of guest memory. */
export function vmOverheadBytes(h: HypervisorOverhead, vcpus: number, guestBytes: number): number {
  return h.perVmBytes + h.perVcpuBytes * vcpus + h.perGuestMemory * guestBytes;
}
