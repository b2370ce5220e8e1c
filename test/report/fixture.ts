/**
 * A small, plausible `Results` for report tests: 4 hosts of 32 cores / 64 GiB, 48 web
 * instances of 1 GiB requested, 5 replications, one mode of each kind.
 *
 * Contract: deterministic; memory parts of every run and every summary sum exactly to the
 * cluster's memory (all sizes are multiples of 1/64 GiB, exact in binary floating point).
 */

import type { MetricSummary, ModeKind, ModeResult, Results, RunResult } from "../../sim/experiment/results.js";
import { METRICS } from "../../sim/experiment/results.js";

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
  readonly startupS: number;
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
    startupS: 0.05,
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
    startupS: 0.4,
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
    startupS: 18,
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
    startupS: 0.9,
  },
};

/** Mean, sample sd and a normal-approximation 95% CI: plausible, not the experiment's maths. */
export function summarize(values: readonly number[]): MetricSummary {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (1.96 * sd) / Math.sqrt(n) : 0;
  return { mean, sd, lo: mean - half, hi: mean + half, n };
}

function runMetrics(shape: ModeShape, hosts: readonly number[]): Record<string, number> {
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
  const values: Record<string, number> = {
    "instances.requested": shape.requested,
    "instances.placed": placed,
    "instances.rejected": shape.requested - placed,
    "hosts.used": used,
    "density.perHost": used > 0 ? placed / used : 0,
    "startup.mean": shape.startupS,
    "startup.p50": shape.startupS * 0.9,
    "startup.p95": shape.startupS * 1.6,
    "startup.p99": shape.startupS * 2.1,
    "startup.max": shape.startupS * 2.5,
    "startup.allReady": shape.startupS * 3,
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
      metrics: runMetrics(shape, hosts),
      hostInstances: hosts,
      rejections:
        placed < shape.requested
          ? [{ app: "web", count: shape.requested - placed, reason: `0/${HOSTS} hosts: ${HOSTS} insufficient cpu` }]
          : [],
    };
  });
  const summary = Object.fromEntries(
    METRICS.map((name) => [name, summarize(runs.map((run) => run.metrics[name] ?? Number.NaN))]),
  );
  return { kind: shape.kind, profile: shape.profile, summary, startupQuantiles: [], readyCurve: [], runs };
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
