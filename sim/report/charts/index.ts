/**
 * Every densim chart, and the lists of them the CLI writes.
 *
 * Contract: `allCharts` returns, in a fixed order, one `{ name, spec }` per chart of a report:
 * the density figure first, then the start-up charts in `startupCharts` order. Names are plain
 * file-name stems (the CLI writes `<name>.svg`, `<name>.png`, `<name>.vl.json`) and never change
 * with the results. All builders are pure functions of the results contract.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { densityChart } from "./density.js";
import { readyOverTimeChart } from "./ready-over-time.js";
import { startupEcdfChart } from "./startup-ecdf.js";
import { startupPhasesChart } from "./startup-phases.js";

export interface NamedChart {
  /** File-name stem: "density", "startup-ecdf", ... */
  readonly name: string;
  readonly spec: TopLevelSpec;
}

/** The density figure as a list entry. */
export function densityCharts(results: Results): NamedChart[] {
  return [{ name: "density", spec: densityChart(results) }];
}

/** The start-up charts: latency ECDF, ready over time, phase breakdown. */
export function startupCharts(results: Results): NamedChart[] {
  return [
    { name: "startup-ecdf", spec: startupEcdfChart(results) },
    { name: "ready-over-time", spec: readyOverTimeChart(results) },
    { name: "startup-phases", spec: startupPhasesChart(results) },
  ];
}

/** Every chart of a report: density first, then the start-up charts. */
export function allCharts(results: Results): NamedChart[] {
  return [...densityCharts(results), ...startupCharts(results)];
}

export { densityChart } from "./density.js";
export { readyOverTimeChart } from "./ready-over-time.js";
export { startupEcdfChart } from "./startup-ecdf.js";
export { startupPhasesChart } from "./startup-phases.js";
