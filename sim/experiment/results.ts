/**
 * The results contract (DESIGN.md "Results"): what `results.json` holds and what `report/` reads.
 * Plain data only; every number is in SI base units (seconds, bytes, cores, USD per month).
 */

import type { ModeKind } from "../model/profiles.js";

export type { ModeKind };

/** Mean over replications with a 95% confidence interval [lo, hi] of the mean. */
export interface MetricSummary {
  readonly mean: number;
  readonly sd: number;
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
}

/** One group of identical rejections, kubectl-style: `0/4 hosts: 3 insufficient memory, 1 port 8080 in use`. */
export interface Rejection {
  readonly app: string;
  readonly count: number;
  readonly reason: string;
}

export interface RunResult {
  readonly replication: number;
  readonly seed: number;
  /**
   * Dotted metric name -> value, keys in the fixed order of `METRICS`. A metric with no value in
   * this run is absent: start-up figures when no instance became ready, slowdowns when no service
   * ran (or, for `slowdown.noisy.*`, no noisy app exists), turnaround when no job completed,
   * `density.perHost` and `cost.perInstance` when nothing was placed.
   */
  readonly metrics: Readonly<Record<string, number>>;
  /** Instances placed on each host, in the scenario's host order. */
  readonly hostInstances: readonly number[];
  readonly rejections: readonly Rejection[];
  /** App name -> its own metrics (APP_METRICS), in the scenario's app order; absent where it has no value, as in `metrics`. */
  readonly apps: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface ModeResult {
  readonly kind: ModeKind;
  readonly profile: string;
  /**
   * The overcommit ratios in force (committed per physical): CPU against cores less the reserve,
   * memory of VM guests against host memory (1 for bare and containers).
   */
  readonly overcommit?: { readonly cpu: number; readonly memory: number };
  /**
   * Metric -> summary over the replications where it has a value (`n` counts them): n = 0, with
   * every figure 0, when no replication has one (nothing placed, nothing ran): shown as "–".
   */
  readonly summary: Readonly<Record<string, MetricSummary>>;
  /**
   * Request-to-ready latency in seconds pooled over every replication's ready instances: element p is
   * the p-th percentile, p = 0..100 (101 values); empty when no instance became ready.
   */
  readonly startupQuantiles: readonly number[];
  /** Replication 0: [time s, instances ready by then], a step curve from 0 to the last ready instance (at most ~400 points). */
  readonly readyCurve: readonly (readonly [number, number])[];
  /**
   * Host failures, present only when a host failed in some replication. `readySteps`: replication
   * 0's service instances ready over the whole horizon, [time s, count] at each change (at most
   * ~1,600 points; a dip survives thinning), empty when no host failed in it; `timesS`: when its hosts
   * failed; `recoveryS`: seconds from each failure to the last of its lost instances ready again,
   * pooled over replications, ascending (failures with an instance not recovered are left out).
   */
  readonly failures?: {
    readonly readySteps: readonly (readonly [number, number])[];
    readonly timesS: readonly number[];
    readonly recoveryS: readonly number[];
  };
  /**
   * Services' slowdown (CPU demanded / CPU work done, per instance) pooled over replications:
   * element p is the p-th percentile, p = 0..100; empty when no service ran.
   */
  readonly slowdownQuantiles: readonly number[];
  /** Replication 0: cluster CPU over time, cores, stacked by what used it (CPU_SERIES_OTHER names the non-app parts). */
  readonly cpuSeries: CpuSeries;
  /**
   * Replication 0: the same, sampled finely over the start-up window only (from 0 until every
   * service is ready or rejected, plus a tenth); empty when no service started.
   */
  readonly startupCpuSeries: CpuSeries;
  /** Replication 0: memory in use over time per host group, and when instances were OOM-killed. */
  readonly memorySeries: MemorySeries;
  /**
   * Monthly cost by item (USD per month, mean over replications): hosts, each licence rule by its
   * name, operations; `detail` is replication 0's arithmetic, for people.
   */
  readonly costItems: readonly CostItem[];
  /** App name -> summary of its APP_METRICS over replications. */
  readonly apps: Readonly<Record<string, Readonly<Record<string, MetricSummary>>>>;
  /**
   * Figures that are streaming-sketch estimates rather than exact (present only when some are):
   * `startupQuantiles` when the pooled start-up latencies, or `jobs.turnaround.p95` and
   * `apps.<app>.jobs.turnaround.p95` when some run's job turnarounds, outgrew the exact limit
   * (100,000 values per run); each such quantile is within 1% of a sample value of (within one of)
   * its rank (DDSketch, sim/experiment/sample-digest.ts).
   */
  readonly estimated?: readonly string[];
  /** The mode's profile parameters in force (`densim profiles` order), each with where its value comes from. */
  readonly assumptions: readonly Assumption[];
  readonly runs: readonly RunResult[];
}

/**
 * One parameter of a mode's profile as run: `guestOs.memory`, `512 MiB`, and its source — the
 * profile default's docs/calibration.md key and note, or `scenario: modes.<mode>` where the scenario
 * overrode it.
 */
export interface Assumption {
  readonly parameter: string;
  readonly value: string;
  readonly source: string;
}

/** Metrics reported per app as well: a noisy neighbour's victims are seen by name. */
export const APP_METRICS = [
  "instances.placed",
  "instances.rejected",
  "startup.p50",
  "startup.p95",
  "slowdown.mean",
  "slowdown.p99",
  "oomKills",
  "jobs.completed",
  "jobs.turnaround.mean",
  "jobs.turnaround.p95",
  "availability",
] as const;

/** The results.json format version; readers refuse a newer one. 2: provenance, SLOs. */
export const RESULTS_SCHEMA_VERSION = 2;

/** What was run: enough to reproduce it and to say how two runs differ. */
export interface ScenarioProvenance {
  readonly name: string;
  readonly title: string;
  /** sha256 of the effective scenario (after overrides) and its traces, 16 hex digits. */
  readonly hash: string;
  /** The scenario file as named on the command line. */
  readonly file: string;
  /** The question the scenario asks (its header comment); "" when it has none. */
  readonly question: string;
  /** `path=value` overrides applied, in order (`--set`, `--seed`, `--replications`). */
  readonly overrides: readonly string[];
  /** The mode names run when `--mode` chose some, else every mode the scenario compares. */
  readonly modes: readonly string[];
  /** The effective scenario text (YAML), as run. */
  readonly text: string;
}

/** A service-level objective and its verdict per mode. */
export interface SloResult {
  /** The metric as written: `startup.p95`, `apps.web.slowdown.p99`. */
  readonly metric: string;
  readonly op: "<=" | ">=";
  /** The bound in SI units (seconds, bytes, USD per month, a factor, a count, a share 0..1). */
  readonly bound: number;
  /** The objective as written in the scenario, e.g. `startup.p95: 60s`. */
  readonly text: string;
  /** True when judged on the CI's pessimistic end (`--strict`: hi for "<=", lo for ">="); absent: on the mean. */
  readonly strict?: boolean;
  /** Mode name -> verdict, in the results' mode order. */
  readonly verdicts: Readonly<Record<string, SloVerdict>>;
}

export interface SloVerdict {
  readonly met: boolean;
  /** The metric's summary over replications (mean and 95% CI); absent when the mode has no value (nothing ran). */
  readonly value?: MetricSummary;
  /** The figure judged against the bound: the mean, or the CI's pessimistic end under --strict. */
  readonly judged?: number;
  /** Why it is missed when there is no figure to judge (e.g. "no instance became ready"). */
  readonly reason?: string;
}

export interface Results {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly tool: { readonly name: "densim"; readonly version: string };
  readonly scenario: ScenarioProvenance;
  readonly seed: number;
  readonly replications: number;
  readonly horizonS: number;
  readonly cluster: {
    readonly hosts: number;
    readonly cores: number;
    readonly memoryBytes: number;
    readonly hostNames: readonly string[];
  };
  /** The scenario's apps, in its order. */
  readonly apps: readonly AppInfo[];
  /** Mode name -> result, in the scenario's mode order. */
  readonly modes: Readonly<Record<string, ModeResult>>;
  /** The scenario's service-level objectives with a verdict per mode; [] when it sets none. */
  readonly slo: readonly SloResult[];
}

/** Metric names, in the order they appear in results.json. Units: counts, bytes, seconds. */
export const METRICS = [
  "instances.requested",
  "instances.placed",
  "instances.rejected",
  "instances.notRequested",
  "hosts.used",
  "density.perHost",
  "startup.mean",
  "startup.p50",
  "startup.p95",
  "startup.p99",
  "startup.max",
  "startup.allReady",
  "startup.phase.pull",
  "startup.phase.extract",
  "startup.phase.create",
  "startup.phase.provision",
  "startup.phase.boot",
  "startup.phase.guestInit",
  "startup.phase.init",
  "pull.bytes",
  "pull.cacheHitRatio",
  "slowdown.mean",
  "slowdown.p99",
  "slowdown.victims.mean",
  "slowdown.victims.p99",
  "slowdown.noisy.mean",
  "slowdown.noisy.p99",
  "cpu.utilization",
  "jobs.arrived",
  "jobs.completed",
  "jobs.turnaround.mean",
  "jobs.turnaround.p95",
  "jobs.inSystem.mean",
  "memory.app",
  "memory.guestOs",
  "memory.hypervisor",
  "memory.runtime",
  "memory.reserved",
  "memory.free",
  "memory.overcommitted",
  "cpu.committed",
  "cpu.overhead",
  "osInstances",
  "oomKills",
  "swapSeconds",
  "cost.monthly.total",
  "cost.monthly.hosts",
  "cost.monthly.licenses",
  "cost.monthly.operations",
  "cost.perInstance",
  "cost.monthly.reserve",
  "availability",
  "failures.hosts",
  "failures.instancesLost",
  "failures.jobsLost",
  "failures.downtime",
  "failures.notRecovered",
  "recovery.p50",
  "recovery.p95",
  "recovery.max",
  "recovery.detect",
  "recovery.afterDetect.p50",
  "recovery.afterDetect.max",
  "maintenance.window",
  "maintenance.hostTime",
  "maintenance.drained",
  "maintenance.unplaced",
  "maintenance.migrations",
  "maintenance.nonConverged",
  "maintenance.migrationBytes",
  "maintenance.pause.p50",
  "maintenance.pause.max",
  "maintenance.guestReboots",
  "maintenance.downtime",
] as const;
export type MetricName = (typeof METRICS)[number];

/**
 * The memory breakdown at the horizon, bottom to top of a stacked bar, none negative: every part
 * but the last sums to the cluster's physical memory. `memory.overcommitted` is memory promised to
 * tenants (VM guests under memory overcommit) beyond a host's physical memory: it is taken out of
 * that host's app and guest OS parts (which then count what physical memory holds) and stacks
 * past the physical memory; a host with it has no free memory.
 */
export const MEMORY_PARTS = [
  "memory.app",
  "memory.guestOs",
  "memory.hypervisor",
  "memory.runtime",
  "memory.reserved",
  "memory.free",
  "memory.overcommitted",
] as const;

/** Start-up phases in order; `startup.phase.<name>` is the mean seconds an instance spent in each. */
export { STARTUP_PHASES, type StartupPhase } from "../model/startup.js";

/** Sampled CPU use: `values[k][j]` is the cores series k used at `timesS[j]` (summed over hosts). */
export interface CpuSeries {
  readonly timesS: readonly number[];
  /** App names in scenario order, then CPU_SERIES_OTHER. */
  readonly series: readonly string[];
  readonly values: readonly (readonly number[])[];
  /** Cores of the hosts used (less their reserves): the top of the stack. */
  readonly capacityCores: number;
}

/** Sampled memory in use, at the times of the CPU samples, over the hosts the run used. */
export interface MemorySeries {
  readonly timesS: readonly number[];
  /** One per host type with a used host, in scenario order. */
  readonly groups: readonly MemoryGroup[];
  /** When an instance was OOM-killed (reached its memory ceiling), seconds, ascending. */
  readonly oomKillTimesS: readonly number[];
}

export interface MemoryGroup {
  /** The host type. */
  readonly name: string;
  /** Hosts of this type the run used. */
  readonly hosts: number;
  /** Their physical memory, bytes: beyond it they swap. */
  readonly physicalBytes: number;
  /** Bytes in use at each sample: working sets, guests in full, overheads and the hosts' reserves. */
  readonly inUseBytes: readonly number[];
}

/** An app as the report needs to know it: a noisy one presses on its neighbours, a growing one leaks. */
export interface AppInfo {
  readonly name: string;
  readonly kind: "service" | "job";
  /** It has `pressure` (memory bandwidth or disk): a noisy neighbour. */
  readonly noisy: boolean;
  /** Its working set grows (`grow`). */
  readonly grows: boolean;
}

/** Non-app CPU in a CpuSeries: virtualisation tax, idle guests and engine daemons; and start-up work. */
export const CPU_SERIES_OTHER = ["overhead", "start-up"] as const;

export interface CostItem {
  readonly kind: "hosts" | "licenses" | "operations";
  readonly name: string;
  readonly monthly: MetricSummary;
  readonly detail: string;
}
