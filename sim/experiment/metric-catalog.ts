/**
 * Every metric densim reports, with its unit and a name in words: the one place that says what a
 * dotted metric name means. SLOs, sweeps, plans, diffs and every report resolve metrics here, so
 * `apps.<app>.<metric>` is addressable wherever a cluster-wide metric is.
 */
import { APP_METRICS, METRICS, type MetricName, type MetricSummary, type ModeResult } from "./results.js";

import type { MetricUnit } from "../units/format.js";

export type { MetricUnit };

export interface MetricInfo {
  readonly unit: MetricUnit;
  /** A name in words for tables and axis titles, without the unit: "start-up p95". */
  readonly label: string;
  /** Whether more is better (cost, slowdown, latency: no) — for diffs and goal seeking. */
  readonly higherIsBetter: boolean;
}

const m = (unit: MetricUnit, label: string, higherIsBetter = false): MetricInfo => ({ unit, label, higherIsBetter });

export const METRIC_INFO: Readonly<Record<MetricName, MetricInfo>> = {
  "instances.requested": m("count", "instances requested"),
  "instances.placed": m("count", "instances placed", true),
  "instances.rejected": m("count", "instances rejected"),
  "instances.notRequested": m("count", "not requested by the horizon"),
  "hosts.used": m("count", "hosts used"),
  "density.perHost": m("count", "instances per host", true),
  "startup.mean": m("s", "start-up mean"),
  "startup.p50": m("s", "start-up p50"),
  "startup.p95": m("s", "start-up p95"),
  "startup.p99": m("s", "start-up p99"),
  "startup.max": m("s", "start-up max"),
  "startup.allReady": m("s", "all ready at"),
  "startup.phase.pull": m("s", "start-up phase: pull"),
  "startup.phase.extract": m("s", "start-up phase: extract"),
  "startup.phase.create": m("s", "start-up phase: create"),
  "startup.phase.provision": m("s", "start-up phase: provision"),
  "startup.phase.boot": m("s", "start-up phase: boot"),
  "startup.phase.guestInit": m("s", "start-up phase: guest init"),
  "startup.phase.init": m("s", "start-up phase: app init"),
  "pull.bytes": m("bytes", "image bytes pulled"),
  "pull.cacheHitRatio": m("share", "layer cache hit ratio", true),
  "slowdown.mean": m("factor", "slowdown mean"),
  "slowdown.p99": m("factor", "slowdown p99"),
  "slowdown.victims.mean": m("factor", "slowdown of victims mean"),
  "slowdown.victims.p99": m("factor", "slowdown of victims p99"),
  "slowdown.noisy.mean": m("factor", "slowdown of noisy apps mean"),
  "slowdown.noisy.p99": m("factor", "slowdown of noisy apps p99"),
  "cpu.utilization": m("share", "CPU utilisation", true),
  "jobs.arrived": m("count", "jobs arrived"),
  "jobs.completed": m("count", "jobs completed", true),
  "jobs.turnaround.mean": m("s", "job turnaround mean"),
  "jobs.turnaround.p95": m("s", "job turnaround p95"),
  "jobs.inSystem.mean": m("count", "jobs in the system (mean)"),
  "memory.app": m("bytes", "memory: apps"),
  "memory.guestOs": m("bytes", "memory: guest OS"),
  "memory.hypervisor": m("bytes", "memory: hypervisor"),
  "memory.runtime": m("bytes", "memory: engine/shims"),
  "memory.reserved": m("bytes", "memory: host OS reserve (every host)"),
  "memory.free": m("bytes", "memory: free", true),
  "memory.overcommitted": m("bytes", "memory: overcommitted (beyond physical)"),
  "cpu.committed": m("cores", "CPU committed"),
  "cpu.overhead": m("cores", "CPU overhead"),
  osInstances: m("count", "OS instances"),
  oomKills: m("count", "OOM kills"),
  swapSeconds: m("host-s", "swap (host-seconds)"),
  "cost.monthly.total": m("usd", "cost: total / month"),
  "cost.monthly.hosts": m("usd", "cost: hosts / month"),
  "cost.monthly.licenses": m("usd", "cost: licences / month"),
  "cost.monthly.operations": m("usd", "cost: operations / month"),
  "cost.perInstance": m("usd-each", "cost per instance / month"),
  "cost.monthly.reserve": m("usd", "cost: of which failover reserve / month"),
  availability: m("share", "availability (ready share of replica-time)", true),
  "failures.hosts": m("count", "host failures"),
  "failures.instancesLost": m("count", "service instances lost to host failures"),
  "failures.jobsLost": m("count", "jobs lost to host failures (started again)"),
  "failures.downtime": m("s", "instance downtime from failures (summed)"),
  "failures.notRecovered": m("count", "instances not recovered by the horizon"),
  "recovery.p50": m("s", "recovery time after a failure p50"),
  "recovery.p95": m("s", "recovery time after a failure p95"),
  "recovery.max": m("s", "recovery time after a failure max"),
  "recovery.detect": m("s", "recovery: of which detection delay (setting)"),
  "recovery.afterDetect.p50": m("s", "recovery: after detection (placement + start-up) p50"),
  "recovery.afterDetect.max": m("s", "recovery: after detection (placement + start-up) max"),
  "maintenance.window": m("s", "maintenance window (first drain to last host back)"),
  "maintenance.hostTime": m("host-s", "hosts out of service for patches (host-seconds)"),
  "maintenance.drained": m("count", "instances drained off hosts"),
  "maintenance.unplaced": m("count", "drained instances no host could take"),
  "maintenance.migrations": m("count", "live migrations"),
  "maintenance.nonConverged": m("count", "live migrations that did not converge"),
  "maintenance.migrationBytes": m("bytes", "bytes moved by live migration"),
  "maintenance.pause.p50": m("s", "migration pause p50"),
  "maintenance.pause.max": m("s", "migration pause max"),
  "maintenance.guestReboots": m("count", "guest OS reboots"),
  "maintenance.downtime": m("s", "instance downtime from maintenance (summed)"),
};

export type AppMetricName = (typeof APP_METRICS)[number];

export const APP_METRIC_INFO: Readonly<Record<AppMetricName, MetricInfo>> = {
  "instances.placed": METRIC_INFO["instances.placed"],
  "instances.rejected": METRIC_INFO["instances.rejected"],
  "startup.p50": METRIC_INFO["startup.p50"],
  "startup.p95": METRIC_INFO["startup.p95"],
  "slowdown.mean": METRIC_INFO["slowdown.mean"],
  "slowdown.p99": METRIC_INFO["slowdown.p99"],
  oomKills: METRIC_INFO.oomKills,
  "jobs.completed": METRIC_INFO["jobs.completed"],
  "jobs.turnaround.mean": METRIC_INFO["jobs.turnaround.mean"],
  "jobs.turnaround.p95": METRIC_INFO["jobs.turnaround.p95"],
  availability: METRIC_INFO.availability,
};

const isMetric = (name: string): name is MetricName => Object.prototype.hasOwnProperty.call(METRIC_INFO, name);
const isAppMetric = (name: string): name is AppMetricName => Object.prototype.hasOwnProperty.call(APP_METRIC_INFO, name);

/** A metric name split into its app (for `apps.<app>.<metric>`) and the metric itself. */
export interface MetricRef {
  readonly name: string;
  readonly app?: string;
  readonly metric: string;
  readonly info: MetricInfo;
}

/**
 * Resolves a metric name against the apps a scenario has: `startup.p95`, `apps.web.slowdown.p99`.
 * Returns undefined for a name that is not a metric (see `suggestMetric`).
 */
export function parseMetric(name: string, appNames: readonly string[]): MetricRef | undefined {
  if (isMetric(name)) return { name, metric: name, info: METRIC_INFO[name] };
  if (!name.startsWith("apps.")) return undefined;
  // App names may contain dots: take the longest app name that matches.
  const rest = name.slice("apps.".length);
  const app = [...appNames].sort((a, b) => b.length - a.length).find((a) => rest.startsWith(`${a}.`));
  if (app === undefined) return undefined;
  const metric = rest.slice(app.length + 1);
  if (!isAppMetric(metric)) return undefined;
  return { name, app, metric, info: APP_METRIC_INFO[metric] };
}

/** Every metric name a scenario with these apps can address, cluster-wide first. */
export function metricNames(appNames: readonly string[]): string[] {
  return [...METRICS, ...appNames.flatMap((a) => APP_METRICS.map((k) => `apps.${a}.${k}`))];
}

/**
 * The closest metric names to a mistyped one, for "did you mean" (at most three): by edit distance
 * counting a swap of neighbours as one edit, then names with the same letters (p59 -> p95) first.
 */
export function suggestMetric(name: string, appNames: readonly string[]): string[] {
  const letters = (s: string): string => [...s].sort().join("");
  const mine = letters(name);
  const scored = metricNames(appNames).map((n) => ({ n, d: editDistance(name, n), same: letters(n) === mine ? 0 : 1 }));
  const limit = Math.max(2, Math.floor(name.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.same - b.same || (a.n < b.n ? -1 : 1))
    .slice(0, 3)
    .map((s) => s.n);
}

/** A metric's summary in one mode's results, cluster-wide or per app; undefined when absent. */
export function metricSummary(mode: ModeResult, ref: MetricRef): MetricSummary | undefined {
  if (ref.app === undefined) return mode.summary[ref.metric];
  return mode.apps[ref.app]?.[ref.metric];
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    const up = d[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
