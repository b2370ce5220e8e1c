/**
 * Time on chart axes and labels: which ticks a log or linear time axis gets, labelled as
 * `formatDuration` (sim/report/format.ts) writes them ("10 ms", "1 min").
 *
 * Contract: pure functions of their arguments. Tick values are exact numbers the axis is given
 * as `values`, and `labelExpr` maps each back to the label `formatSeconds` gives it, so axis
 * labels and data labels read alike.
 */

import { formatDuration } from "../format.js";
import { niceStep } from "./common.js";

/** The smallest time a log axis shows: 1 ms. Shorter times (zero included) are drawn at it. */
export const LOG_FLOOR_S = 0.001;

/**
 * A duration as densim writes it everywhere: `formatDuration` ("0 s", "13.1 ms", "8.12 s",
 * "1.5 min", "2 h"). Axis ticks are picked so that it writes them short ("10 ms", "1 min").
 */
export const formatSeconds = formatDuration;

/** Log-axis gridlines: decades, then the minute and hour marks people think in. */
const MAJOR_TICKS: readonly number[] = [0.001, 0.01, 0.1, 1, 10, 60, 600, 3600, 36000, 864000];
/** Finer steps for a log axis that spans only a decade or two. */
const MINOR_TICKS: readonly number[] = [
  0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 20, 30, 120, 300, 1200, 1800, 7200, 18000, 72000, 86400, 172800,
];

export interface TimeAxis {
  /** Scale domain in seconds, [lo, hi]. */
  readonly domain: readonly [number, number];
  /** Tick values in seconds, ascending. */
  readonly ticks: readonly number[];
  /** A Vega expression turning a tick's `datum.value` into its label. */
  readonly labelExpr: string;
}

/** Picks the label of the nearest tick (by the axis's own distance): robust to float noise. */
export function tickLabelExpr(ticks: readonly number[], labels: readonly string[], log: boolean): string {
  if (ticks.length === 0) return "''";
  let expr = JSON.stringify(labels[labels.length - 1] ?? "").replace(/"/g, "'");
  for (let i = ticks.length - 2; i >= 0; i -= 1) {
    const a = ticks[i] ?? 0;
    const b = ticks[i + 1] ?? 0;
    const mid = log ? Math.sqrt(a * b) : (a + b) / 2;
    const label = JSON.stringify(labels[i] ?? "").replace(/"/g, "'");
    expr = `datum.value < ${mid} ? ${label} : ${expr}`;
  }
  return expr;
}

/** Ticks closer than this (in decades) to a labelled neighbour would put labels on top of each other. */
const MIN_TICK_GAP_DECADES = 0.4;

/**
 * A log time axis covering [min, max] seconds (both clamped to at least `LOG_FLOOR_S`): the
 * domain runs from the nice time (major or minor tick) at or below `min` to the one at or above
 * `max`, so lines fill the plot; ticks at the majors inside, with the 2-5 steps added when fewer
 * than four majors would show, and the domain's ends labelled when they are not too close to
 * a labelled major.
 */
export function logTimeAxis(min: number, max: number): TimeAxis {
  const lo = Math.max(LOG_FLOOR_S, Number.isFinite(min) ? min : LOG_FLOOR_S);
  const hi = Math.max(lo, Number.isFinite(max) ? max : lo);
  const majors = [...MAJOR_TICKS];
  while ((majors[majors.length - 1] ?? 1) < hi) majors.push((majors[majors.length - 1] ?? 1) * 10);
  const nice = [...majors, ...MINOR_TICKS].sort((a, b) => a - b);
  let start = nice[0] ?? LOG_FLOOR_S;
  for (const tick of nice) if (tick <= lo * (1 + 1e-9)) start = tick;
  let end = nice.find((tick) => tick >= hi * (1 - 1e-9)) ?? hi;
  if (end <= start) end = nice.find((tick) => tick > start) ?? start * 10;
  const inside = (tick: number): boolean => tick >= start * (1 - 1e-9) && tick <= end * (1 + 1e-9);
  let ticks = majors.filter(inside);
  if (ticks.length < 4) ticks = [...ticks, ...MINOR_TICKS.filter(inside)].sort((a, b) => a - b);
  const far = (tick: number): boolean =>
    ticks.every((other) => Math.abs(Math.log10(other / tick)) >= MIN_TICK_GAP_DECADES * (1 - 1e-9));
  if (!ticks.includes(start) && far(start)) ticks = [start, ...ticks];
  if (!ticks.includes(end) && far(end)) ticks = [...ticks, end];
  return {
    domain: [start, end],
    ticks,
    labelExpr: tickLabelExpr(ticks, ticks.map(formatSeconds), true),
  };
}

export interface LinearTimeAxis extends TimeAxis {
  /** The unit the tick labels count in, for the axis title: "s", "min" or "h". */
  readonly unit: string;
}

/**
 * A linear time axis from 0 to at least `max` seconds, counting in seconds up to 3 minutes,
 * then minutes up to 3 hours, then hours; the domain ends on a tick. Labels are bare numbers
 * in `unit` (the axis title carries the unit).
 */
export function linearTimeAxis(max: number, intervals = 5): LinearTimeAxis {
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const unitSeconds = top <= 180 ? 1 : top <= 3 * 3600 ? 60 : 3600;
  const unit = unitSeconds === 1 ? "s" : unitSeconds === 60 ? "min" : "h";
  const step = niceStep(top / unitSeconds, intervals);
  const count = Math.ceil(top / unitSeconds / step - 1e-9);
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step * unitSeconds).toPrecision(12)));
  const labels = ticks.map((tick) => String(Number((tick / unitSeconds).toPrecision(12))));
  return {
    domain: [0, ticks[ticks.length - 1] ?? top],
    ticks,
    unit,
    labelExpr: tickLabelExpr(ticks, labels, false),
  };
}
