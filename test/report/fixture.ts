/**
 * A small, plausible `Results` for report tests: 4 hosts of 32 cores / 64 GiB, 48 instances of
 * 1 GiB requested (46 "web" services and 2 "analytics" ones, the noisy neighbour), 5
 * replications, one mode of each kind, run for 2 hours.
 *
 * Contract: deterministic; memory parts of every run and every summary sum exactly to the
 * cluster's memory (all sizes are multiples of 1/64 GiB, exact in binary floating point).
 * Contention: bare and container tenants share a kernel and suffer (slowdown up to ~2.2×),
 * VMs hardly (~1.06×); analytics asks for far more CPU than it requested, so under a VM's vCPU
 * cap its own slowdown is high. `cpuSeries` has 60 samples over the 2 hours.
 * Costs are opt-in (`fixtureResults(withCosts())`), so the plain fixture's chart list stays as
 * it was: then every mode has `costItems` (hosts, Windows Server Standard and Datacenter,
 * operations) and cost metrics, each run's total exactly the sum of its items.
 */

import type {
  MetricSummary,
  ModeKind,
  ModeResult,
  Results,
  RunResult,
  StartupPhase,
} from "../../sim/experiment/results.js";
import { APP_METRICS, CPU_SERIES_OTHER, METRICS, STARTUP_PHASES } from "../../sim/experiment/results.js";
import type { CpuSeries } from "../../sim/experiment/results.js";
import { findProfile, profileParameters } from "../../sim/model/index.js";

export const GIB = 1024 ** 3;
export const HOSTS = 4;
export const HOST_MEMORY_GIB = 64;
export const HOST_CORES = 32;
export const REPLICATIONS = 5;
/** The run's length: 2 hours. */
export const HORIZON_S = 7200;
/** CPU samples in `cpuSeries`, evenly spread from 0 to `HORIZON_S`. */
export const CPU_SAMPLES = 60;
/** Cores each used host keeps for itself: `capacityCores` is the rest. */
export const RESERVED_CORES_PER_HOST = 1;
/** Analytics instances per mode (the rest of the placed instances are web). */
export const ANALYTICS_INSTANCES = 2;

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
  /**
   * Pooled slowdown: percentile p is 1 + excess·(e^(sigma·z(p)) − e^(sigma·z(0))), z the
   * normal quantile (ends clamped), so percentile 0 is exactly 1 (an unaffected instance).
   */
  readonly slowdownExcess: number;
  readonly slowdownSigma: number;
  /** App name -> [mean slowdown, p99 slowdown] of its instances; the keys are the apps, in order. */
  readonly appSlowdown: Readonly<Record<string, readonly [number, number]>>;
  /** Cores analytics may burn per instance (a VM's vCPUs); Infinity when nothing caps it. */
  readonly analyticsCapCores: number;
  /** Overhead cores: per used host (daemons), per instance (idle guests), share of app CPU (tax). */
  readonly overheadPerHost: number;
  readonly overheadPerInstance: number;
  readonly overheadTax: number;
  /** Start-up work at time 0, cores, decaying with `startupDecayS` and gone after 10 minutes. */
  readonly startupCores: number;
  readonly startupDecayS: number;
  /** What the mode costs; without it the mode has no `costItems` and no cost metrics. */
  readonly cost?: CostShape;
}

/** A mode's cost in USD per month, each part [per used host, per placed instance]. */
export interface CostShape {
  readonly hosts: readonly [number, number];
  /** Rule name -> its part, one entry per `FIXTURE_LICENCES` rule, in that order (0 where it does not apply). */
  readonly licences: Readonly<Record<string, readonly [number, number]>>;
  readonly operations: readonly [number, number];
}

/** The fixture's licence rules: Windows Server Standard (stacked per 2 OS instances) and Datacenter. */
export const FIXTURE_LICENCES = ["windows-server-2022-standard", "windows-server-2022-datacenter"] as const;
/** USD per month for a 32-core host: two 16-core packs, list price over 36 months. */
const STANDARD_PER_HOST = (2 * 1069) / 36;
const DATACENTER_PER_HOST = (2 * 6155) / 36;
/** A host ($38k over 36 months plus power and rack space). */
const HOST_PER_MONTH = 1150;

/**
 * Costs per mode: bare and container hosts license their host OS with Standard; VM hosts take
 * Datacenter (unlimited guests); microVM guests stack Standard, a licensing per 2 guests.
 * Operations: patching each host, plus each guest OS (VMs) or image (containers).
 */
export const FIXTURE_COSTS: Readonly<Record<string, CostShape>> = {
  bare: { hosts: [HOST_PER_MONTH, 0], licences: { [FIXTURE_LICENCES[0]]: [STANDARD_PER_HOST, 0], [FIXTURE_LICENCES[1]]: [0, 0] }, operations: [180, 0] },
  container: { hosts: [HOST_PER_MONTH, 0], licences: { [FIXTURE_LICENCES[0]]: [STANDARD_PER_HOST, 0], [FIXTURE_LICENCES[1]]: [0, 0] }, operations: [180, 3] },
  vm: { hosts: [HOST_PER_MONTH, 0], licences: { [FIXTURE_LICENCES[0]]: [0, 0], [FIXTURE_LICENCES[1]]: [DATACENTER_PER_HOST, 0] }, operations: [180, 35] },
  microvm: {
    hosts: [HOST_PER_MONTH, 0],
    licences: { [FIXTURE_LICENCES[0]]: [STANDARD_PER_HOST, STANDARD_PER_HOST / 2], [FIXTURE_LICENCES[1]]: [0, 0] },
    operations: [180, 12],
  },
};

/** Shapes with their costs: `fixtureResults(withCosts())` has cost items and cost metrics in every mode. */
export function withCosts(shapes: Readonly<Record<string, ModeShape>> = FIXTURE_SHAPES): Record<string, ModeShape> {
  return Object.fromEntries(
    Object.entries(shapes).map(([name, shape]) => {
      const cost = FIXTURE_COSTS[name] ?? FIXTURE_COSTS[shape.kind];
      return [name, cost === undefined ? shape : { ...shape, cost }];
    }),
  );
}

/** One run's cost items (USD per month): hosts, each licence rule, operations; and the arithmetic. */
export function runCostItems(
  cost: CostShape,
  hosts: readonly number[],
): { kind: "hosts" | "licenses" | "operations"; name: string; usd: number; detail: string }[] {
  const placed = hosts.reduce((sum, v) => sum + v, 0);
  const used = hosts.filter((v) => v > 0).length;
  const part = (kind: "hosts" | "licenses" | "operations", name: string, [perHost, perInstance]: readonly [number, number]) => {
    const usd = used * perHost + placed * perInstance;
    return { kind, name, usd, detail: `${name}: ${used} x $${perHost.toFixed(2)} + ${placed} x $${perInstance.toFixed(2)} = $${usd.toFixed(2)}/month` };
  };
  return [
    part("hosts", "hosts", cost.hosts),
    ...Object.entries(cost.licences).map(([name, rate]) => part("licenses", name, rate)),
    part("operations", "operations", cost.operations),
  ];
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
    slowdownExcess: 0.25,
    slowdownSigma: 0.55,
    appSlowdown: { web: [1.24, 1.95], analytics: [1.05, 1.12] },
    analyticsCapCores: Infinity,
    overheadPerHost: 0.1,
    overheadPerInstance: 0,
    overheadTax: 0,
    startupCores: 0.5,
    startupDecayS: 30,
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
    slowdownExcess: 0.2,
    slowdownSigma: 0.6,
    appSlowdown: { web: [1.2, 1.8], analytics: [1.06, 1.15] },
    analyticsCapCores: Infinity,
    overheadPerHost: 0.5,
    overheadPerInstance: 0.01,
    overheadTax: 0.01,
    startupCores: 7,
    startupDecayS: 120,
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
    slowdownExcess: 0.015,
    slowdownSigma: 0.5,
    appSlowdown: { web: [1.01, 1.04], analytics: [2.9, 3.6] },
    analyticsCapCores: 2,
    overheadPerHost: 0.25,
    overheadPerInstance: 0.1,
    overheadTax: 0.04,
    startupCores: 14,
    startupDecayS: 150,
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
    slowdownExcess: 0.03,
    slowdownSigma: 0.5,
    appSlowdown: { web: [1.02, 1.09], analytics: [2.7, 3.3] },
    analyticsCapCores: 2,
    overheadPerHost: 0.1,
    overheadPerInstance: 0.02,
    overheadTax: 0.03,
    startupCores: 3,
    startupDecayS: 40,
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
  const slowdown = fixtureSlowdownQuantiles(shape);
  const cpu = fixtureCpuSeries(shape);
  const cpuUsed =
    cpu.values.reduce((sum, values) => sum + values.reduce((a, v) => a + v, 0), 0) / Math.max(1, cpu.timesS.length);
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
    "memory.overcommitted": 0,
    "cpu.committed": placed * 0.5,
    "cpu.overhead": placed * (shape.hypervisorGib > 0 ? 0.1 : 0.01),
    "slowdown.mean": 1 + (slowdown.reduce((sum, v) => sum + v, 0) / slowdown.length - 1) * wobble,
    "slowdown.p99": 1 + ((slowdown[99] ?? 1) - 1) * wobble,
    "cpu.utilization": Math.min(1, (cpuUsed / Math.max(1, cpu.capacityCores)) * wobble),
    "jobs.arrived": 0,
    "jobs.completed": 0,
    "jobs.turnaround.mean": 0,
    "jobs.turnaround.p95": 0,
    "jobs.inSystem.mean": 0,
    "osInstances": shape.kind === "vm" || shape.kind === "microvm" ? placed + used : used,
  };
  if (shape.cost !== undefined) {
    const items = runCostItems(shape.cost, hosts);
    const sum = (kind: string): number => items.filter((item) => item.kind === kind).reduce((a, item) => a + item.usd, 0);
    const total = sum("hosts") + sum("licenses") + sum("operations");
    Object.assign(values, {
      "cost.monthly.total": total,
      "cost.monthly.hosts": sum("hosts"),
      "cost.monthly.licenses": sum("licenses"),
      "cost.monthly.operations": sum("operations"),
      "cost.perInstance": placed > 0 ? total / placed : 0,
    });
  }
  // Keys in METRICS order, as the contract promises.
  return Object.fromEntries(METRICS.map((name) => [name, values[name] ?? Number.NaN]));
}

/** Percentiles 0..100 of a shape's pooled slowdown, as the contract's `slowdownQuantiles`. */
export function fixtureSlowdownQuantiles(shape: ModeShape): number[] {
  const z = (fraction: number): number => probit(Math.min(0.9975, Math.max(0.0025, fraction)));
  const floor = Math.exp(shape.slowdownSigma * z(0));
  return Array.from({ length: 101 }, (_, p) => 1 + shape.slowdownExcess * (Math.exp(shape.slowdownSigma * z(p / 100)) - floor));
}

/** The apps of a shape, in order, and how many instances each has out of `placed`. */
function appInstances(shape: ModeShape, placed: number): [string, number][] {
  const apps = Object.keys(shape.appSlowdown);
  const others = apps.filter((app) => app !== "web").length;
  return apps.map((app) => [app, app === "web" ? Math.max(0, placed - others * ANALYTICS_INSTANCES) : ANALYTICS_INSTANCES]);
}

/**
 * Replication 0's CPU over time: web follows a diurnal load peaking at 1 h, analytics bursts to
 * 16 cores per instance for 10 minutes out of every 15 (capped by `analyticsCapCores`), other
 * apps use half a core per instance; overhead is steady, start-up work only in the first minutes.
 */
export function fixtureCpuSeries(shape: ModeShape): CpuSeries {
  const hosts = shape.hostInstances[0] ?? [];
  const placed = hosts.reduce((sum, v) => sum + v, 0);
  const used = hosts.filter((v) => v > 0).length;
  const apps = appInstances(shape, placed);
  const timesS = Array.from({ length: CPU_SAMPLES }, (_, j) => (j * HORIZON_S) / (CPU_SAMPLES - 1));
  const appCores = (app: string, count: number, t: number): number => {
    if (app === "web") return count * 0.5 * (0.6 + 0.35 * Math.sin((Math.PI * t) / HORIZON_S));
    if (app === "analytics") return count * Math.min(shape.analyticsCapCores, t % 900 < 600 ? 16 : 2);
    return count * 0.5;
  };
  const appValues = apps.map(([app, count]) => timesS.map((t) => appCores(app, count, t)));
  const overhead = timesS.map((_, j) => {
    const appTotal = appValues.reduce((sum, values) => sum + (values[j] ?? 0), 0);
    return used * shape.overheadPerHost + placed * shape.overheadPerInstance + appTotal * shape.overheadTax;
  });
  const startup = timesS.map((t) => (t < 600 ? shape.startupCores * Math.exp(-t / shape.startupDecayS) : 0));
  return {
    timesS,
    series: [...apps.map(([app]) => app), ...CPU_SERIES_OTHER],
    values: [...appValues, overhead, startup],
    capacityCores: used * (HOST_CORES - RESERVED_CORES_PER_HOST),
  };
}

/** An app's per-replication metrics: slowdowns wobble around the shape's by a few per cent. */
function appRunMetrics(shape: ModeShape, app: string, count: number, replication: number): Record<string, number> {
  const [mean, p99] = shape.appSlowdown[app] ?? [1, 1];
  const wobble = 1 + 0.04 * (replication - 2) * (replication % 2 === 0 ? 1 : -0.5);
  const values: Record<string, number> = {
    "instances.placed": count,
    "startup.p95": startupAt(shape, 0.95),
    "slowdown.mean": 1 + (mean - 1) * wobble,
    "slowdown.p99": 1 + (p99 - 1) * wobble,
    "jobs.completed": 0,
    "jobs.turnaround.mean": 0,
  };
  return Object.fromEntries(APP_METRICS.map((name) => [name, values[name] ?? Number.NaN]));
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
      apps: Object.fromEntries(
        appInstances(shape, placed).map(([app, count]) => [app, appRunMetrics(shape, app, count, replication)]),
      ),
    };
  });
  const summary = Object.fromEntries(
    METRICS.map((name) => [name, summarize(runs.map((run) => run.metrics[name] ?? Number.NaN))]),
  );
  const startupQuantiles = fixtureQuantiles(shape);
  const readyCurve = fixtureReadyCurve(shape);
  const slowdownQuantiles = fixtureSlowdownQuantiles(shape);
  const cpuSeries = fixtureCpuSeries(shape);
  const apps = Object.fromEntries(
    Object.keys(shape.appSlowdown).map((app) => [
      app,
      Object.fromEntries(APP_METRICS.map((name) => [name, summarize(runs.map((run) => run.apps[app]?.[name] ?? Number.NaN))])),
    ]),
  );
  const cost = shape.cost;
  const perRun = cost === undefined ? [] : shape.hostInstances.map((hosts) => runCostItems(cost, hosts));
  const costItems = (perRun[0] ?? []).map((item, index) => ({
    kind: item.kind,
    name: item.name,
    monthly: summarize(perRun.map((items) => items[index]?.usd ?? Number.NaN)),
    detail: item.detail,
  }));
  return {
    kind: shape.kind,
    profile: shape.profile,
    summary,
    startupQuantiles,
    readyCurve,
    slowdownQuantiles,
    cpuSeries,
    // No start-up zoom and no memory over time unless a test adds them.
    startupCpuSeries: { timesS: [], series: [], values: [], capacityCores: 0 },
    memorySeries: { timesS: [], groups: [], oomKillTimesS: [] },
    costItems,
    apps,
    assumptions: fixtureAssumptions(shape),
    runs,
  };
}

/** The built-in profile's parameters when the shape names one, else none. */
function fixtureAssumptions(shape: ModeShape): ModeResult["assumptions"] {
  const p = findProfile(shape.kind, shape.profile);
  return p ? profileParameters(p) : [];
}

/** The fixture; `shapes` picks and orders the modes (default: bare, container, vm, microvm). */
export function fixtureResults(shapes: Readonly<Record<string, ModeShape>> = FIXTURE_SHAPES): Results {
  const seed = 42;
  return {
    schemaVersion: 2,
    tool: { name: "densim", version: "0.1.0" },
    scenario: {
      name: "web-fleet",
      title: "Web fleet: 48 × 1 GiB on 4 hosts",
      hash: "sha256:0000fixture",
      file: "web-fleet.yaml",
      question: "How many 1 GiB web services fit on four hosts in each mode?",
      overrides: [],
      modes: Object.keys(shapes),
      text: "version: 1\nname: web-fleet\n",
    },
    seed,
    replications: REPLICATIONS,
    horizonS: HORIZON_S,
    cluster: {
      hosts: HOSTS,
      cores: HOSTS * HOST_CORES,
      memoryBytes: HOSTS * HOST_MEMORY_GIB * GIB,
      hostNames: Array.from({ length: HOSTS }, (_, i) => `host-${i + 1}`),
    },
    // Analytics is the noisy neighbour.
    apps: [
      { name: "web", kind: "service", noisy: false, grows: false },
      { name: "analytics", kind: "service", noisy: true, grows: false },
    ],
    modes: Object.fromEntries(Object.entries(shapes).map(([name, shape]) => [name, fixtureMode(shape, seed)])),
    slo: [],
  };
}
