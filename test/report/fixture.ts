/**
 * A small, plausible `Results` for report tests: 4 hosts of 32 cores / 64 GiB, 48 web
 * instances of 1 GiB requested, 5 replications, one mode of each kind.
 *
 * Contract: deterministic; memory parts of every run and every summary sum exactly to the
 * cluster's memory (all sizes are multiples of 1/64 GiB, exact in binary floating point).
 */

import type {
  MetricSummary,
  ModeKind,
  ModeResult,
  Results,
  RunResult,
  StartupPhase,
} from "../../sim/experiment/results.js";
import { METRICS, STARTUP_PHASES } from "../../sim/experiment/results.js";

export const GIB = 1024 ** 3;
export const HOSTS = 4;
export const HOST_MEMORY_GIB = 64;
export const HOST_CORES = 32;
export const REPLICATIONS = 5;

/** What one mode looks like in the fixture, in friendly units (GiB, counts). */
export interface ModeShape {
  readonly kind: ModeKind;
  readonly profile: string;
  readonly requested: number;
  /** Per replication: instances on each host. */
  readonly hostInstances: readonly (readonly number[])[];
  /** Per-instance memory, GiB. */
  readonly guestOsGib: number;
  readonly hypervisorGib: number;
  readonly runtimePerInstanceGib: number;
  /** Per used host (container engine, say), GiB. */
  readonly runtimePerHostGib: number;
  /** Median request-to-ready seconds; latencies spread log-normally around it. */
  readonly startupS: number;
  /** Log-normal shape of the start-up latency (sd of its log). */
  readonly startupSigma: number;
  /** Mean seconds per instance in each start-up phase; phases left out are 0. */
  readonly phasesS: Readonly<Partial<Record<StartupPhase, number>>>;
}

const RESERVE_PER_HOST_GIB = 2;
const APP_GIB = 1;

export const FIXTURE_SHAPES: Readonly<Record<string, ModeShape>> = {
  bare: {
    kind: "bare",
    profile: "systemd",
    requested: 48,
    hostInstances: [
      [24, 24, 0, 0],
      [24, 24, 0, 0],
      [25, 23, 0, 0],
      [24, 24, 0, 0],
      [26, 22, 0, 0],
    ],
    guestOsGib: 0,
    hypervisorGib: 0,
    runtimePerInstanceGib: 0,
    runtimePerHostGib: 0,
    // fork/exec and a quick app init: about 10 ms.
    startupS: 0.01,
    startupSigma: 0.15,
    phasesS: { create: 0.002, init: 0.0081 },
  },
  container: {
    kind: "container",
    profile: "containerd",
    requested: 48,
    hostInstances: [
      [22, 20, 6, 0],
      [22, 22, 4, 0],
      [21, 21, 6, 0],
      [22, 21, 5, 0],
      [22, 22, 4, 0],
    ],
    guestOsGib: 0,
    hypervisorGib: 0,
    runtimePerInstanceGib: 1 / 64,
    runtimePerHostGib: 0.5,
    // Cold image pulls dominate: 3 to 20 s.
    startupS: 7,
    startupSigma: 0.45,
    phasesS: { pull: 4.5, extract: 1.6, create: 0.6, init: 1.0 },
  },
  vm: {
    kind: "vm",
    profile: "qemu-kvm",
    requested: 48,
    hostInstances: [
      [10, 10, 10, 10],
      [10, 10, 10, 9],
      [10, 10, 10, 10],
      [10, 10, 9, 10],
      [10, 10, 10, 10],
    ],
    guestOsGib: 0.5,
    hypervisorGib: 0.25,
    runtimePerInstanceGib: 0,
    runtimePerHostGib: 0.25,
    // Full VMs: disk clone, firmware and kernel boot, cloud-init: 8 to 60 s.
    startupS: 22,
    startupSigma: 0.45,
    phasesS: { provision: 3.5, boot: 12, guestInit: 6, init: 2.8 },
  },
  microvm: {
    kind: "microvm",
    profile: "firecracker",
    requested: 48,
    hostInstances: [
      [18, 17, 13, 0],
      [18, 18, 12, 0],
      [17, 17, 14, 0],
      [18, 16, 14, 0],
      [18, 18, 12, 0],
    ],
    guestOsGib: 0.125,
    hypervisorGib: 1 / 32,
    runtimePerInstanceGib: 0,
    runtimePerHostGib: 0.125,
    // Firecracker-style: 150 to 500 ms.
    startupS: 0.27,
    startupSigma: 0.25,
    phasesS: { provision: 0.02, boot: 0.125, guestInit: 0.06, init: 0.073 },
  },
};

/**
 * Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9):
 * enough to make plausible log-normal quantiles.
 */
function probit(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const tail = (q: number): number =>
    (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/** Request-to-ready seconds at `fraction` (0..1) of a shape's log-normal latency, ends clamped. */
export function startupAt(shape: ModeShape, fraction: number): number {
  const p = Math.min(0.9975, Math.max(0.0025, fraction));
  return shape.startupS * Math.exp(shape.startupSigma * probit(p));
}

/** Percentiles 0..100 of a shape's start-up latency, as the contract's `startupQuantiles`. */
export function fixtureQuantiles(shape: ModeShape): number[] {
  return Array.from({ length: 101 }, (_, p) => startupAt(shape, p / 100));
}

/** Replication 0's ready curve: the i-th of the placed instances is ready at fraction (i - 0.5) / placed. */
export function fixtureReadyCurve(shape: ModeShape): [number, number][] {
  const placed = (shape.hostInstances[0] ?? []).reduce((sum, v) => sum + v, 0);
  const curve: [number, number][] = [[0, 0]];
  for (let i = 1; i <= placed; i += 1) curve.push([startupAt(shape, (i - 0.5) / placed), i]);
  return curve;
}

/** Mean, sample sd and a normal-approximation 95% CI: plausible, not the experiment's maths. */
export function summarize(values: readonly number[]): MetricSummary {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (1.96 * sd) / Math.sqrt(n) : 0;
  return { mean, sd, lo: mean - half, hi: mean + half, n };
}

function runMetrics(shape: ModeShape, hosts: readonly number[], replication: number): Record<string, number> {
  const placed = hosts.reduce((sum, v) => sum + v, 0);
  const used = hosts.filter((v) => v > 0).length;
  const memory = {
    app: placed * APP_GIB,
    guestOs: placed * shape.guestOsGib,
    hypervisor: placed * shape.hypervisorGib,
    runtime: placed * shape.runtimePerInstanceGib + used * shape.runtimePerHostGib,
    reserved: HOSTS * RESERVE_PER_HOST_GIB,
  };
  const taken = memory.app + memory.guestOs + memory.hypervisor + memory.runtime + memory.reserved;
  // Replications differ a little, as they would.
  const wobble = 1 + 0.02 * (replication - 2);
  const values: Record<string, number> = {
    "instances.requested": shape.requested,
    "instances.placed": placed,
    "instances.rejected": shape.requested - placed,
    "hosts.used": used,
    "density.perHost": used > 0 ? placed / used : 0,
    "startup.mean": shape.startupS * Math.exp(shape.startupSigma ** 2 / 2) * wobble,
    "startup.p50": startupAt(shape, 0.5) * wobble,
    "startup.p95": startupAt(shape, 0.95) * wobble,
    "startup.p99": startupAt(shape, 0.99) * wobble,
    "startup.max": startupAt(shape, 1) * wobble,
    "startup.allReady": startupAt(shape, 1) * wobble,
    ...Object.fromEntries(
      STARTUP_PHASES.map((phase) => [`startup.phase.${phase}`, (shape.phasesS[phase] ?? 0) * wobble]),
    ),
    "pull.bytes": (shape.phasesS.pull ?? 0) > 0 ? placed * 180 * 1024 ** 2 : 0,
    "pull.cacheHitRatio": (shape.phasesS.pull ?? 0) > 0 ? 0.25 : 0,
    "memory.app": memory.app * GIB,
    "memory.guestOs": memory.guestOs * GIB,
    "memory.hypervisor": memory.hypervisor * GIB,
    "memory.runtime": memory.runtime * GIB,
    "memory.reserved": memory.reserved * GIB,
    "memory.free": (HOSTS * HOST_MEMORY_GIB - taken) * GIB,
    "cpu.committed": placed * 0.5,
    "cpu.overhead": placed * (shape.hypervisorGib > 0 ? 0.1 : 0.01),
    "osInstances": shape.kind === "vm" || shape.kind === "microvm" ? placed + used : used,
  };
  // Keys in METRICS order, as the contract promises.
  return Object.fromEntries(METRICS.map((name) => [name, values[name] ?? Number.NaN]));
}

export function fixtureMode(shape: ModeShape, seed = 42): ModeResult {
  const runs: RunResult[] = shape.hostInstances.map((hosts, replication) => {
    const placed = hosts.reduce((sum, v) => sum + v, 0);
    return {
      replication,
      seed: seed + replication,
      metrics: runMetrics(shape, hosts, replication),
      hostInstances: hosts,
      rejections:
        placed < shape.requested
          ? [{ app: "web", count: shape.requested - placed, reason: `0/${HOSTS} hosts: ${HOSTS} insufficient cpu` }]
          : [],
      apps: { web: { "instances.placed": placed, "slowdown.mean": 1, "slowdown.p99": 1 } },
    };
  });
  const summary = Object.fromEntries(
    METRICS.map((name) => [name, summarize(runs.map((run) => run.metrics[name] ?? Number.NaN))]),
  );
  const startupQuantiles = fixtureQuantiles(shape);
  const readyCurve = fixtureReadyCurve(shape);
  const apps = { web: { "slowdown.mean": summarize(runs.map(() => 1)), "slowdown.p99": summarize(runs.map(() => 1)) } };
  return { kind: shape.kind, profile: shape.profile, summary, startupQuantiles, readyCurve, apps, runs };
}

/** The fixture; `shapes` picks and orders the modes (default: bare, container, vm, microvm). */
export function fixtureResults(shapes: Readonly<Record<string, ModeShape>> = FIXTURE_SHAPES): Results {
  const seed = 42;
  return {
    schemaVersion: 1,
    tool: { name: "densim", version: "0.1.0" },
    scenario: { name: "web-fleet", title: "Web fleet: 48 × 1 GiB on 4 hosts", hash: "sha256:0000fixture" },
    seed,
    replications: REPLICATIONS,
    horizonS: 600,
    cluster: {
      hosts: HOSTS,
      cores: HOSTS * HOST_CORES,
      memoryBytes: HOSTS * HOST_MEMORY_GIB * GIB,
      hostNames: Array.from({ length: HOSTS }, (_, i) => `host-${i + 1}`),
    },
    modes: Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, fixtureMode(shape, seed)])),
  };
}
