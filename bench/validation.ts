/**
 * Validation cases: published figures densim should reproduce, each with the scenario that
 * measures it through the whole simulator. `npm run validate` prints them as a table
 * (bench/validate.ts); test/validation/ asserts each within its tolerance.
 */
import { resolveWorkload, runOnce, type RunOutput } from "../sim/experiment/index.js";
import { findProfile, VSPHERE65_CELLS, vmOverheadBytes, type VmProfile } from "../sim/model/index.js";
import { loadScenarioText } from "../sim/scenario/index.js";

export interface Validation {
  /** What is compared, with its conditions. */
  readonly quantity: string;
  readonly unit: "s" | "/s" | "MiB" | "×" | "number";
  readonly published: number;
  /** Allowed relative error |densim - published| / published. */
  readonly tolerance: number;
  /** docs/calibration.md key, or the theory the figure comes from. */
  readonly source: string;
  /** Runs densim; deterministic (fixed seeds). */
  readonly measure: () => number;
}

const MiB = 2 ** 20;
/** An app that does nothing once started (`/bin/true`, an idle function): start-up alone is measured. */
const IDLE = { pattern: "constant", cores: 0 };

/** Runs `mode` of a scenario given as plain data, `replications` times (seeds fixed), and returns each run. */
export function runScenario(input: Record<string, unknown>, replications = 1, horizonS = 3600): RunOutput[] {
  const loaded = loadScenarioText(JSON.stringify({ version: 1, name: "validation", ...input }), "validation.json");
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.path}: ${i.message}`).join("\n"));
  const w = resolveWorkload(loaded.scenario);
  const mode = w.modes[0];
  if (!mode) throw new Error("validation scenario without a mode");
  return Array.from({ length: replications }, (_, k) => runOnce(w, mode, { seed: 11, horizonS, policy: "first-fit" }, k));
}

const average = (runs: readonly RunOutput[], metric: string): number => runs.reduce((a, r) => a + (r.metrics[metric] ?? NaN), 0) / runs.length;

/**
 * `docker run` of a cached image (a warm cache, an app whose init is instant): `n` replicas
 * requested `staggerS` apart on one 32-core host with a disk of `disk` bandwidth.
 */
export function warmDockerRun(n: number, staggerS: number, disk = "1GB/s", replications = 4): RunOutput[] {
  return runScenario(
    {
      hosts: [{ type: "h", cores: 32, memory: "256GiB", disk: { bandwidth: disk } }],
      images: { alpine: { layers: [{ digest: "alpine", size: "3MiB" }] } },
      apps: [{ name: "true", replicas: n, cpu: 0.01, memory: "1MiB", init: 0, load: IDLE, image: "alpine", start: { stagger: staggerS } }],
      modes: { container: { profile: "docker", cache: "warm", engine: { cpu: 0 } } },
    },
    replications,
  );
}

/** `n` Firecracker microVMs requested at once on one `cores`-core host (instant app init). */
export function firecrackerStorm(n: number, cores: number, replications = 2): RunOutput[] {
  return runScenario(
    {
      hosts: [{ type: "h", cores, memory: "1TiB" }],
      apps: [{ name: "fn", replicas: n, cpu: 0.01, memory: "1MiB", init: 0, load: IDLE }],
      modes: { microvm: { profile: "firecracker", overcommit: { cpu: 100 } } },
    },
    replications,
    600,
  );
}

/** The xavier13 victim's slowdown next to a memory-bandwidth stressor, in `mode`. */
function xavierVictim(mode: "container" | "vm"): number {
  const [run] = runScenario({
    hosts: [{ type: "h", cores: 16, memory: "64GiB" }],
    apps: [
      { name: "victim", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "constant", cores: 1 } },
      { name: "stressor", replicas: 1, cpu: 2, memory: "1GiB", load: { pattern: "constant", cores: 2 }, pressure: { memoryBandwidth: "high" } },
    ],
    // Constant start-up steps: both start at the same instant, so the slowdown is exact.
    modes: { [mode]: mode === "vm" ? { vcpus: 4, serial: 0, boot: { delay: "2.4s", work: "4s" }, guestInit: "1.5s" } : { create: 0, serial: 0 } },
  });
  return run!.instances.find((i) => i.app === "victim")!.slowdown;
}

/** M/M/1 mean turnaround at load `rho`: Poisson jobs of exponential work (mean 1 core-s) on one core, overheads off. */
function mm1Turnaround(rho: number): number {
  const runs = runScenario(
    {
      seed: 1234,
      hosts: [{ type: "h", cores: 1, memory: "64GiB" }],
      apps: [{ name: "job", kind: "job", arrivals: { process: "poisson", rate: rho }, work: { dist: "exponential", mean: 1 }, cpu: 1, memory: "1MiB" }],
      modes: { container: { create: 0, serial: 0, createDisk: 0, engine: { memory: 0, cpu: 0 }, shim: { memory: 0 } } },
    },
    2,
    50_000,
  );
  return average(runs, "jobs.turnaround.mean");
}

const vsphere = findProfile("vm", "vmware-linux") as VmProfile;

export const VALIDATIONS: readonly Validation[] = [
  {
    quantity: "warm docker run alone, SSD (mean of 200)",
    unit: "s",
    published: 0.568,
    tolerance: 0.05,
    source: "dockerrun26",
    measure: () => average(warmDockerRun(50, 10), "startup.mean"),
  },
  {
    quantity: "warm docker run alone, HDD 100 MB/s (mean of 200)",
    unit: "s",
    published: 1.157,
    tolerance: 0.05,
    source: "dockerrun26",
    measure: () => average(warmDockerRun(50, 10, "100MB/s"), "startup.mean"),
  },
  {
    quantity: "32 warm docker run at once on one host, mean",
    unit: "s",
    published: 7.4,
    tolerance: 0.25,
    source: "dockerstorm21",
    measure: () => average(warmDockerRun(32, 0), "startup.mean"),
  },
  {
    quantity: "1,000 firecracker at once on 36 cores: created per second",
    unit: "/s",
    published: 150,
    tolerance: 0.25,
    source: "firecracker-nsdi20",
    measure: () => 1000 / average(firecrackerStorm(1000, 36), "startup.allReady"),
  },
  {
    quantity: "firecracker boot alone: VMM start + boot to init (mean of 100)",
    unit: "s",
    published: 0.137,
    tolerance: 0.05,
    source: "firecracker-spec",
    measure: () =>
      average(
        runScenario({
          hosts: [{ type: "h", cores: 8, memory: "64GiB" }],
          apps: [{ name: "fn", replicas: 100, cpu: 1, memory: "64MiB", init: 0, load: IDLE, start: { stagger: 5 } }],
          modes: { microvm: { profile: "firecracker", overcommit: { cpu: 100 } } },
        }),
        "startup.mean",
      ),
  },
  ...VSPHERE65_CELLS.map(
    ([vcpus, guestMiB, overheadMiB]): Validation => ({
      quantity: `vmware-linux overhead memory, ${vcpus} vCPU, ${guestMiB} MiB guest`,
      unit: "MiB",
      published: overheadMiB,
      tolerance: 0.02,
      source: "vsphere65",
      measure: () => vmOverheadBytes(vsphere.hypervisor, vcpus, guestMiB * MiB) / MiB,
    }),
  ),
  {
    quantity: "LU slowdown next to a memory-bandwidth stressor, container",
    unit: "×",
    published: 1.88,
    tolerance: 0.01,
    source: "xavier13",
    measure: () => xavierVictim("container"),
  },
  {
    quantity: "LU slowdown next to a memory-bandwidth stressor, VM",
    unit: "×",
    published: 1.009,
    tolerance: 0.01,
    source: "xavier13",
    measure: () => xavierVictim("vm"),
  },
  {
    quantity: "M/M/1 mean turnaround, load 0.5, mean work 1 s",
    unit: "s",
    published: 2,
    tolerance: 0.05,
    source: "queueing theory: E[S] / (1 - rho)",
    measure: () => mm1Turnaround(0.5),
  },
];
