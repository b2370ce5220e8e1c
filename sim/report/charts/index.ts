/**
 * Every densim chart, and the lists of them the CLI writes.
 *
 * Contract: `allCharts` returns, in a fixed order, one `{ name, spec }` per chart of a report
 * that has something to show: the density figure first, then the cost figure, then the
 * start-up charts in `startupCharts` order, then the contention charts in `contentionCharts`
 * order, then the memory figure, then the host-failure figures (`failureCharts`), then the maintenance-window figure; and, as its `skipped` property, one `{ name, reason }` per
 * chart left out, the reason one line for people ("no slowdown chart: every instance ran at
 * 1.00×"). Names are plain file-name stems (the CLI writes `<name>.svg`, `<name>.png`,
 * `<name>.vl.json`) and never change with the results. All builders are pure functions of the
 * results contract.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { formatRatio } from "../format.js";
import { costChart, hasCostData } from "./cost.js";
import { cpuOverTimeChart, cpuStartupChart, cpuStartupReason, hasCpuSeries } from "./cpu-over-time.js";
import { densityChart } from "./density.js";
import { failureChartsReason, failureReadyChart, recoveryChartReason, recoveryTimesChart } from "./failures.js";
import { memoryOverTimeChart, memoryOverTimeReason } from "./memory-over-time.js";
import { maintenanceWindowChart, maintenanceWindowReason } from "./maintenance.js";
import { readyOverTimeChart } from "./ready-over-time.js";
import { startupEcdfChart } from "./startup-ecdf.js";
import { startupPhasesChart } from "./startup-phases.js";
import { hasSlowdownData, slowdownChart } from "./slowdown.js";
import { hasVictimData, noisyNeighbourChart, noisyNeighbourRows } from "./victims.js";

export interface NamedChart {
  /** File-name stem: "density", "startup-ecdf", ... */
  readonly name: string;
  readonly spec: TopLevelSpec;
}

/** A chart left out of a report, and why, in one line. */
export interface SkippedChart {
  readonly name: string;
  readonly reason: string;
}

/** The charts worth drawing, with the ones left out (and why) as `skipped`. */
export type ChartList = NamedChart[] & { readonly skipped: readonly SkippedChart[] };

/** A chart's builder, or the one-line reason it has nothing to show. */
type Candidate = { readonly name: string } & ({ readonly build: () => TopLevelSpec } | { readonly reason: string });

function list(candidates: readonly Candidate[]): ChartList {
  const charts: NamedChart[] = [];
  const skipped: SkippedChart[] = [];
  for (const c of candidates) {
    if ("build" in c) charts.push({ name: c.name, spec: c.build() });
    else skipped.push({ name: c.name, reason: c.reason });
  }
  return Object.assign(charts, { skipped });
}

const when = (name: string, reason: string | undefined, build: () => TopLevelSpec): Candidate => (reason === undefined ? { name, build } : { name, reason });

/** The density figure as a list entry. */
export function densityCharts(results: Results): ChartList {
  return list([{ name: "density", build: () => densityChart(results) }]);
}

/** The cost figure, when some mode has a non-zero monthly total. */
export function costCharts(results: Results): ChartList {
  return list([when("cost", hasCostData(results) ? undefined : "no cost chart: no mode costs anything (give hosts a cost or name licences)", () => costChart(results))]);
}

/** The start-up charts: latency ECDF, ready over time, phase breakdown, and the CPU of a short start-up zoomed in. */
export function startupCharts(results: Results): ChartList {
  return list([
    { name: "startup-ecdf", build: () => startupEcdfChart(results) },
    { name: "ready-over-time", build: () => readyOverTimeChart(results) },
    { name: "startup-phases", build: () => startupPhasesChart(results) },
    when("cpu-startup", cpuStartupReason(results), () => cpuStartupChart(results)),
  ]);
}

/** Why the slowdown chart has nothing to show: no service ran, or every instance ran unaffected. */
export function slowdownReason(results: Results): string | undefined {
  if (!hasSlowdownData(results)) return "no slowdown chart: no service ran";
  const worst = Math.max(...Object.values(results.modes).flatMap((m) => m.slowdownQuantiles.filter(Number.isFinite)));
  return formatRatio(worst) === formatRatio(1) ? `no slowdown chart: every instance ran at ${formatRatio(1)}` : undefined;
}

/** Why the victims chart has nothing to show: no noisy neighbour, or too little measured. */
export function victimsReason(results: Results): string | undefined {
  if (!(results.apps ?? []).some((app) => app.noisy)) return "no victims chart: no app has `pressure`, so no app is a noisy neighbour";
  if (!hasVictimData(results)) return "no victims chart: slowdowns were measured for fewer than two apps";
  const unaffected = formatRatio(1);
  return noisyNeighbourRows(results).every((row) => row.label === unaffected) ? `no victims chart: every app ran at ${unaffected}` : undefined;
}

/**
 * The contention charts with something to show: the slowdown distribution (unless every
 * instance ran at 1.00×), CPU over time (when there are samples), who suffers (when some app is
 * a noisy neighbour and at least two apps have slowdowns measured).
 */
export function contentionCharts(results: Results): ChartList {
  return list([
    when("slowdown", slowdownReason(results), () => slowdownChart(results)),
    when("cpu-over-time", hasCpuSeries(results) ? undefined : "no CPU-over-time chart: no CPU samples", () => cpuOverTimeChart(results)),
    when("victims", victimsReason(results), () => noisyNeighbourChart(results)),
  ]);
}

/** The memory figure, when memory grows, is overcommitted or kills instances. */
export function memoryCharts(results: Results): ChartList {
  return list([when("memory-over-time", memoryOverTimeReason(results), () => memoryOverTimeChart(results))]);
}

/**
 * The host-failure figures, when a host failed: ready instances after the failure, recovery times.
 * A scenario without failures gets neither, silently (no skip note for what it never asked about).
 */
export function failureCharts(results: Results): ChartList {
  if (!Object.values(results.modes).some((m) => m.failures !== undefined)) return list([]);
  return list([
    when("failure-ready", failureChartsReason(results), () => failureReadyChart(results)),
    when("recovery-time", failureChartsReason(results) ?? recoveryChartReason(results), () => recoveryTimesChart(results)),
  ]);
}

/** The maintenance-window figure, when a round of host patches finished; nothing (not even a reason) without maintenance. */
export function maintenanceCharts(results: Results): ChartList {
  const configured = Object.values(results.modes).some((m) => {
    const s = m.summary["maintenance.hostTime"];
    return s !== undefined && s.n > 0 && Number.isFinite(s.mean);
  });
  if (!configured) return list([]);
  return list([when("maintenance-window", maintenanceWindowReason(results), () => maintenanceWindowChart(results))]);
}

/** Every chart of a report with something to show, in the order above; `skipped` says what was left out and why. */
export function allCharts(results: Results): ChartList {
  const parts = [
    densityCharts(results),
    costCharts(results),
    startupCharts(results),
    contentionCharts(results),
    memoryCharts(results),
    failureCharts(results),
    maintenanceCharts(results),
  ];
  return Object.assign(
    parts.flatMap((part) => [...part]),
    { skipped: parts.flatMap((part) => part.skipped) },
  );
}

export { costChart, hasCostData } from "./cost.js";
export { cpuOverTimeChart, cpuStartupChart, cpuStartupReason } from "./cpu-over-time.js";
export { memoryOverTimeChart, memoryOverTimeReason } from "./memory-over-time.js";
export { maintenanceWindowChart, maintenanceWindowReason } from "./maintenance.js";
export { densityChart } from "./density.js";
export { failureReadyChart, recoveryTimesChart } from "./failures.js";
export { readyOverTimeChart } from "./ready-over-time.js";
export { startupEcdfChart } from "./startup-ecdf.js";
export { startupPhasesChart } from "./startup-phases.js";
export { slowdownChart } from "./slowdown.js";
export { noisyNeighbourChart } from "./victims.js";
