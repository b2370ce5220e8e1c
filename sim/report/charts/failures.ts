/**
 * The host-failure figures: service instances ready after the first host failure, per mode
 * (replication 0), and the recovery time of every failure, per mode (all replications).
 *
 * Contract: pure; reads only the results contract (each mode's `failures`), returns standalone
 * Vega-Lite specs. `failureChartsReason` says why there is nothing to draw (no host failed, or no
 * failure lost an instance that came back). Time after the failure runs on a log axis: detection
 * delays of 15 s and 340 s and a wait of hours for a repair all show on one plot, where a linear
 * axis over the day would squeeze every dip into a hairline.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { colorEncoding, colorsFor, noteLines, onePanelFigure, tickedAxisEncoding } from "./common.js";
import { modeBandEncoding } from "./mode-axis.js";
import { formatSeconds, logTimeAxis, tickLabelExpr, type TimeAxis } from "./time.js";

const WIDTH = 640;
const HEIGHT = 300;
/** The first second after the failure is drawn at this time (the log axis has no zero). */
const FLOOR_S = 1;

/** A log time axis over [min, max] without ticks closer than a quarter decade (their labels would collide). */
function sparseLogAxis(min: number, max: number): TimeAxis {
  const axis = logTimeAxis(min, max);
  const ticks: number[] = [];
  for (const t of axis.ticks) if (ticks.length === 0 || Math.log10(t / ticks[ticks.length - 1]!) >= 0.25) ticks.push(t);
  return { domain: axis.domain, ticks, labelExpr: tickLabelExpr(ticks, ticks.map(formatSeconds), true) };
}

/** Modes whose replication 0 had a host failure, in results order. */
const failedModes = (results: Results): string[] => Object.entries(results.modes).filter(([, m]) => (m.failures?.timesS.length ?? 0) > 0).map(([name]) => name);

/** Why the ready-after-failure chart has nothing to show, or undefined. */
export function failureChartsReason(results: Results): string | undefined {
  return failedModes(results).length > 0 ? undefined : "no failure charts: no host failed in the first replication";
}

/** Why the recovery-time chart has nothing to show, or undefined. */
export function recoveryChartReason(results: Results): string | undefined {
  const any = Object.values(results.modes).some((m) => (m.failures?.recoveryS.length ?? 0) > 0);
  return any ? undefined : "no recovery-time chart: no host failure lost an instance that was ready again by the horizon";
}

/** One point of a mode's ready count after the failure. */
export interface FailureReadyRow {
  readonly mode: string;
  /** Seconds after the first failure, as drawn (at least FLOOR_S). */
  readonly after: number;
  readonly ready: number;
}

/**
 * Each mode's ready count from the first failure (replication 0) until the horizon, as step
 * points on seconds after the failure; the count just before the failure is `before`.
 */
export function failureReadyRows(results: Results): { rows: FailureReadyRow[]; before: Map<string, number>; spanS: number } {
  const rows: FailureReadyRow[] = [];
  const before = new Map<string, number>();
  let spanS = 60;
  for (const mode of failedModes(results)) {
    const f = results.modes[mode]!.failures!;
    const t0 = f.timesS[0]!;
    const steps = f.readySteps.filter(([t, n]) => Number.isFinite(t) && Number.isFinite(n));
    const prior = steps.filter(([t]) => t < t0);
    before.set(mode, prior.length > 0 ? prior[prior.length - 1]![1] : 0);
    const after = steps.filter(([t]) => t >= t0);
    // The first point is the count once everything at the failure instant has happened.
    let last = before.get(mode)!;
    const points: [number, number][] = [];
    for (const [t, n] of after) {
      if (t - t0 <= FLOOR_S) last = n;
      else points.push([t - t0, n]);
    }
    rows.push({ mode, after: FLOOR_S, ready: last });
    for (const [dt, n] of points) rows.push({ mode, after: dt, ready: n });
    // The axis runs until every mode is back to its count before the failure, or to the horizon.
    const back = points.find(([, n]) => n >= before.get(mode)!);
    spanS = Math.max(spanS, back ? back[0] * 1.5 : results.horizonS - t0);
  }
  const end = Math.max(FLOOR_S * 10, spanS);
  for (const mode of failedModes(results)) {
    const own = rows.filter((r) => r.mode === mode);
    const lastRow = own[own.length - 1]!;
    if (lastRow.after < end) rows.push({ mode, after: end, ready: lastRow.ready });
  }
  return { rows: rows.filter((r) => r.after <= end), before, spanS: end };
}

/** Service instances ready after the first host failure, one step line per mode. */
export function failureReadyChart(results: Results): TopLevelSpec {
  const modes = failedModes(results);
  const { rows, before, spanS } = failureReadyRows(results);
  const axis = sparseLogAxis(FLOOR_S, spanS);
  const colors = colorsFor(results, modes);
  const first = results.modes[modes[0]!]!.failures!.timesS[0]!;
  const notes = [`before the failure: ${modes.map((m) => `${m} ${before.get(m)}`).join(", ")} ready`];
  return onePanelFigure(results, {
    title: {
      text: `Service instances ready after the first host failure (at ${formatSeconds(first)}), first replication`,
      subtitle: noteLines(notes),
    },
    width: WIDTH,
    height: HEIGHT,
    data: { values: rows },
    mark: { type: "line", interpolate: "step-after", strokeWidth: 2, clip: true },
    encoding: {
      x: { ...tickedAxisEncoding("time after the failure (log scale)", axis, false), field: "after", scale: { type: "log", domain: [...axis.domain], nice: false } },
      y: { field: "ready", type: "quantitative", title: "instances ready", scale: { zero: true } },
      color: colorEncoding("mode", colors, { title: "mode", orient: "bottom" }),
      tooltip: [
        { field: "mode", type: "nominal" },
        { field: "after", type: "quantitative", title: "seconds after the failure", format: ".1f" },
        { field: "ready", type: "quantitative", title: "instances ready" },
      ],
    },
  } as never);
}

/** Recovery time of every failure that lost instances and got them all back, per mode: a dot each, a tick at the median. */
export function recoveryTimesChart(results: Results): TopLevelSpec {
  const modes = Object.keys(results.modes);
  const rows = modes.flatMap((mode) => (results.modes[mode]!.failures?.recoveryS ?? []).filter(Number.isFinite).map((s) => ({ mode, seconds: Math.max(FLOOR_S, s) })));
  const drawn = modes.filter((m) => rows.some((r) => r.mode === m));
  const medians = drawn.map((mode) => {
    const xs = rows.filter((r) => r.mode === mode).map((r) => r.seconds);
    const mid = xs.length % 2 === 1 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2;
    return { mode, seconds: mid, label: `median ${formatSeconds(mid)} (${xs.length} ${xs.length === 1 ? "failure" : "failures"})` };
  });
  const all = rows.map((r) => r.seconds);
  const axis = sparseLogAxis(Math.min(...all), Math.max(...all) * 1.2);
  const colors = colorsFor(results, drawn);
  const missing = modes.filter((m) => !drawn.includes(m));
  const notes = missing.length > 0 ? [`no recovered failure in ${missing.join(", ")}`] : [];
  const x = { ...tickedAxisEncoding("recovery time: failure to the last lost instance ready again (log scale)", axis, false), field: "seconds", scale: { type: "log", domain: [...axis.domain], nice: false } };
  const y = modeBandEncoding(drawn, { inner: 0.2, outer: 0.1 });
  return onePanelFigure(results, {
    title: { text: "Recovery time after a host failure, every replication", subtitle: noteLines(notes) },
    width: WIDTH,
    height: Math.max(60, 40 * drawn.length),
    layer: [
      {
        data: { values: rows },
        mark: { type: "circle", size: 60, opacity: 0.7 },
        encoding: { x, y, color: colorEncoding("mode", colors), tooltip: [{ field: "mode" }, { field: "seconds", type: "quantitative", format: ".1f", title: "seconds" }] },
      },
      {
        data: { values: medians },
        mark: { type: "tick", thickness: 2, size: 24, color: "#222222" },
        encoding: { x, y },
      },
      {
        data: { values: medians },
        mark: { type: "text", align: "left", dx: 8, dy: -12, fontSize: 11, color: "#222222" },
        encoding: { x, y, text: { field: "label" } },
      },
    ],
  } as never);
}
