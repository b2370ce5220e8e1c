/**
 * Running-fidelity figures with a published number, each computed through the whole simulator
 * (loader, workload, sharing engine): VM I/O by pattern, the CPU tax by workload class, and
 * per-VM hypervisor memory. Plain data so a validation summary can print them as a table
 * (quantity, published, densim, error, source); running.test.ts checks each within its tolerance.
 */
import { resolveWorkload, runOnce } from "../sim/experiment/index.js";
import { loadScenarioText, type LoadedScenario } from "../sim/scenario/index.js";

function scenario(input: Record<string, unknown>): LoadedScenario {
  const r = loadScenarioText(JSON.stringify(input), "validation.json");
  if (!r.ok) throw new Error(r.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`).join("\n"));
  return r;
}

export interface Figure {
  readonly quantity: string;
  readonly published: number;
  /** docs/calibration.md key and what it says. */
  readonly source: string;
  /** Relative error allowed (|densim - published| / published). */
  readonly tolerance: number;
  readonly compute: () => number;
}

type Modes = Record<string, unknown>;

/** One run of each mode with one app alone on one host: its instances' slowdowns and metrics. */
function runModes(app: Record<string, unknown>, modes: Modes, disk: Record<string, unknown> = {}) {
  const s = scenario({
    version: 1,
    name: "figure",
    replications: 1,
    horizon: "1h",
    hosts: [{ type: "h", cores: 32, memory: "256GiB", disk }],
    apps: [{ name: "a", replicas: 1, memory: "4GiB", ...app }],
    modes,
  });
  const w = resolveWorkload(s.scenario, s.traces);
  return w.modes.map((m) => runOnce(w, m, { seed: 1, horizonS: 3600, policy: "first-fit" }, 0));
}

/** IOPS a VM gets over what a process gets, asking for more than a 400,000-IOPS disk gives. */
function ioRatio(pattern: "random" | "sequential"): number {
  const io = pattern === "random" ? { disk: "4GB/s", pattern, size: "4KiB" } : { disk: "4GB/s", pattern };
  const [bare, vm] = runModes({ cpu: 1, load: { pattern: "constant", cores: 0.1 }, io }, { bare: {}, vm: { profile: "kvm-qemu" } }, { bandwidth: "2GB/s", iops: 400000 });
  return bare!.instances[0]!.slowdown / vm!.instances[0]!.slowdown;
}

/** Throughput lost by an app of `cls` whose demand fills its VM's vCPUs: 1 - 1 / slowdown. */
function taxLoss(cls: string): number {
  const [vm] = runModes({ cpu: 4, class: cls, load: { pattern: "constant", cores: 4 } }, { vm: { profile: "kvm-qemu", vcpus: 4 } });
  return 1 - 1 / vm!.instances[0]!.slowdown;
}

/** Hypervisor memory on a host running one VM of `vcpus` vCPUs and 4 GiB of app memory (plus the 512 MiB guest OS), bytes. */
function vmOverheadBytes(profile: string, vcpus: number): number {
  const [vm] = runModes({ cpu: vcpus, load: { pattern: "constant", cores: 0.1 } }, { vm: { profile, vcpus } });
  return vm!.metrics["memory.hypervisor"] as number;
}

export const RUNNING_FIGURES: readonly Figure[] = [
  { quantity: "random 4 KiB IOPS, KVM / native", published: 0.5, source: "felter15: KVM about half of native", tolerance: 0.1, compute: () => ioRatio("random") },
  { quantity: "sequential throughput, KVM / native", published: 1, source: "felter15: sequential I/O equal", tolerance: 0.05, compute: () => ioRatio("sequential") },
  { quantity: "Linpack (tuned) throughput loss under KVM", published: 0.02, source: "felter15: -2% tuned", tolerance: 0.1, compute: () => taxLoss("cpu") },
  { quantity: "Linpack (untuned) throughput loss under KVM", published: 0.17, source: "felter15: -17% untuned (class memory)", tolerance: 0.1, compute: () => taxLoss("memory") },
  { quantity: "PXZ compression throughput loss under KVM", published: 0.22, source: "felter15: -22% (recalled)", tolerance: 0.1, compute: () => taxLoss("compression") },
  { quantity: "MySQL throughput loss under KVM", published: 0.4, source: "felter15: > 40%", tolerance: 0.1, compute: () => taxLoss("database") },
  { quantity: "QEMU memory overhead per VM, MB", published: 131, source: "firecracker-nsdi20: QEMU ~131 MB", tolerance: 0.05, compute: () => vmOverheadBytes("kvm-qemu", 1) / 1e6 },
  {
    quantity: "KubeVirt node with one VM (2 vCPUs, 4.5 GiB guest), hypervisor MiB",
    published: 218 + 2 * 8 + 0.002 * 4608 + 360,
    source: "kubevirt: 218 MiB + 8 MiB/vCPU + 0.002 x guest memory, + 360 MiB per node",
    tolerance: 0.01,
    compute: () => vmOverheadBytes("kubevirt", 2) / 2 ** 20,
  },
];
