/**
 * Every densim chart, and the lists of them the CLI writes.
 *
 * Contract: `allCharts` returns, in a fixed order, one `{ name, spec }` per chart of a report:
 * the density figure first, then the cost figure (when some mode has a non-zero monthly total),
 * then the start-up charts in `startupCharts` order, then the contention charts in
 * `contentionCharts` order, each only when the results have its data. Names are plain
 * file-name stems (the CLI writes `<name>.svg`, `<name>.png`, `<name>.vl.json`) and never change
 * with the results. All builders are pure functions of the results contract.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { costChart, hasCostData } from "./cost.js";
import { cpuOverTimeChart, hasCpuSeries } from "./cpu-over-time.js";
import { densityChart } from "./density.js";
import { readyOverTimeChart } from "./ready-over-time.js";
import { startupEcdfChart } from "./startup-ecdf.js";
import { startupPhasesChart } from "./startup-phases.js";
import { hasSlowdownData, slowdownChart } from "./slowdown.js";
import { hasVictimData, noisyNeighbourChart } from "./victims.js";

export interface NamedChart {
  /** File-name stem: "density", "startup-ecdf", ... */
  readonly name: string;
  readonly spec: TopLevelSpec;
}

/** The density figure as a list entry. */
export function densityCharts(results: Results): NamedChart[] {
  return [{ name: "density", spec: densityChart(results) }];
}

/** The cost figure as a list entry, when some mode has a non-zero monthly total; else none. */
export function costCharts(results: Results): NamedChart[] {
  return hasCostData(results) ? [{ name: "cost", spec: costChart(results) }] : [];
}

/** The start-up charts: latency ECDF, ready over time, phase breakdown. */
export function startupCharts(results: Results): NamedChart[] {
  return [
    { name: "startup-ecdf", spec: startupEcdfChart(results) },
    { name: "ready-over-time", spec: readyOverTimeChart(results) },
    { name: "startup-phases", spec: startupPhasesChart(results) },
  ];
}

/**
 * The contention charts that have data: the slowdown distribution and CPU over time when some
 * mode ran services (has slowdown quantiles / CPU samples), who suffers when there are at least
 * two apps with slowdowns measured.
 */
export function contentionCharts(results: Results): NamedChart[] {
  const charts: NamedChart[] = [];
  if (hasSlowdownData(results)) charts.push({ name: "slowdown", spec: slowdownChart(results) });
  if (hasCpuSeries(results)) charts.push({ name: "cpu-over-time", spec: cpuOverTimeChart(results) });
  if (hasVictimData(results)) charts.push({ name: "victims", spec: noisyNeighbourChart(results) });
  return charts;
}

/**
 * Every chart of a report: density first, then the cost figure (when there are costs), then the
 * start-up charts, then the contention charts with data.
 */
export function allCharts(results: Results): NamedChart[] {
  return [...densityCharts(results), ...costCharts(results), ...startupCharts(results), ...contentionCharts(results)];
}

export { costChart, hasCostData } from "./cost.js";
export { cpuOverTimeChart } from "./cpu-over-time.js";
export { densityChart } from "./density.js";
export { readyOverTimeChart } from "./ready-over-time.js";
export { startupEcdfChart } from "./startup-ecdf.js";
export { startupPhasesChart } from "./startup-phases.js";
export { slowdownChart } from "./slowdown.js";
export { noisyNeighbourChart } from "./victims.js";
