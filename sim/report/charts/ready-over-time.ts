/**
 * The boot-storm figure: how many instances of each mode are ready as time goes by, in the
 * first replication. Time runs from the start of the run, as the contract's `readyCurve` does;
 * that is the first request unless the scenario schedules its deployments later.
 *
 * Contract: `readyOverTimeChart` is pure; it reads only the results contract (each mode's
 * `readyCurve`, and the first run's `instances.requested`) and returns a standalone Vega-Lite
 * spec (data inlined, theme config included) that compiles as is. One step-after line per mode
 * in its report colour; each line's end is a dot, labelled with the mode and when its last
 * instance became ready ("all ready at 58 s", or "40 of 48 ready by 58 s" when some never
 * were). Labels sit in lanes above the lines, each on a thin leader down to its dot, stacked
 * so that no two overlap and no leader runs through another label. Modes whose curve has no
 * ready instance are left out and named in the subtitle. Never throws on well-formed results.
 *
 * The time axis is linear when the modes finish within `LOG_SPREAD` of one another, log
 * otherwise. Why: "ready over time" is a wall-clock story, and a linear axis is what a planner
 * reads as waiting time, so it is the default. But when one mode is done in 10 ms and another
 * takes a minute (or Windows VMs ten), a linear axis squeezes every fast mode into one vertical
 * line on the y axis: their ramps vanish and their colours overlap. A log axis keeps every
 * mode's ramp visible and still reads as time with "10 ms / 1 s / 1 min" ticks; the subtitle
 * says the axis is logarithmic. Facets were the other option, but per-mode panels with their
 * own time axes invite comparing shapes that are seconds versus minutes apart, and with a
 * shared axis they have the same squeeze as one linear panel.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { INK, panelTitle } from "../theme.js";
import { LABEL_GAP, LABEL_HEIGHT, colorsFor, directLabelLayers, labelWidths, listNames, noteLines, onePanelFigure } from "./common.js";
import type { Box } from "./layout.js";
import { placeLaneLabels } from "./layout.js";
import { modeColorEncoding } from "./mode-axis.js";
import { LOG_FLOOR_S, formatSeconds, linearTimeAxis, logTimeAxis } from "./time.js";
import type { TimeAxis } from "./time.js";

/** Plot size, pixels (the lines' part; label lanes are added above). */
const WIDTH = 640;
const HEIGHT = 320;
/** Switch to a log time axis when the slowest mode finishes this many times later than the fastest. */
export const LOG_SPREAD = 20;
/** Label lanes above the lines: lane height and the gap between the top line and the first lane. */
const LANE = LABEL_HEIGHT + 4;
const LANE_GAP = 10;
/** Labels start this far left of their leader, so the leader meets the label's first letters. */
const LEADER_INSET = 4;
/** Clear space between two labels in one lane, so they do not read as one. */
const LABEL_SPACING = 16;

/** One point of a mode's ready curve. */
export interface ReadyRow {
  readonly mode: string;
  /** Seconds since the start of the run as drawn (on a log axis at least the axis start). */
  readonly seconds: number;
  /** Seconds as in the results. */
  readonly rawSeconds: number;
  readonly ready: number;
}

/** A line's end: its dot, its label and the leader between them. */
export interface ReadyEndRow {
  readonly mode: string;
  /** When the last instance became ready: as drawn and as in the results. */
  readonly seconds: number;
  readonly rawSeconds: number;
  readonly ready: number;
  /** "all ready at 58 s" or "40 of 48 ready by 58 s" */
  readonly valueLabel: string;
  /** Where the label's name and value start (seconds, in axis units as drawn). */
  readonly nameAt: number;
  readonly valueAt: number;
  /** The label's vertical middle and the leader's top, in instances. */
  readonly labelAt: number;
  readonly leaderTop: number;
  /** 0 = the lane just above the lines. */
  readonly lane: number;
}

/** A mode's curve points, non-finite ones dropped, in time order. */
function cleanCurve(curve: readonly (readonly [number, number])[]): [number, number][] {
  return curve
    .filter(([t, n]) => Number.isFinite(t) && Number.isFinite(n))
    .map(([t, n]): [number, number] => [Math.max(0, t), n])
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

interface Layout {
  readonly log: boolean;
  readonly axis: TimeAxis & { readonly unit?: string };
  readonly yMax: number;
  /** Plot height, pixels: the lines' HEIGHT plus the label lanes. */
  readonly plotHeight: number;
  readonly yTicks: number[];
  readonly rows: ReadyRow[];
  readonly ends: ReadyEndRow[];
  readonly missing: string[];
}

/** About five ticks from 0 up to at most `max`, at 1-2-5 steps of whole instances, and `max`. */
function countTicks(max: number): number[] {
  if (!(max > 0)) return [0];
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power);
  const ticks: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) ticks.push(v);
  // The top count itself (the fleet size, usually) unless it would crowd the last tick.
  const last = ticks[ticks.length - 1] ?? 0;
  if (max - last >= 0.4 * step && Number.isInteger(max)) ticks.push(max);
  return ticks;
}

function layout(results: Results): Layout {
  const curves = Object.entries(results.modes).map(([mode, result]) => ({
    mode,
    requested: result.runs[0]?.metrics["instances.requested"],
    points: cleanCurve(result.readyCurve),
  }));
  const drawn = curves.filter((curve) => curve.points.some(([, n]) => n > 0));
  const missing = curves.filter((curve) => !drawn.includes(curve)).map((curve) => curve.mode);

  // When each line ends (its last instance ready) and how spread out those ends are.
  const endOf = (points: readonly [number, number][]): [number, number] => {
    const top = Math.max(...points.map(([, n]) => n));
    return points.find(([, n]) => n === top) ?? [0, 0];
  };
  const endTimes = drawn.map((curve) => endOf(curve.points)[0]);
  const slowest = Math.max(0, ...endTimes);
  const fastest = Math.min(...endTimes.map((t) => Math.max(t, LOG_FLOOR_S)));
  const log = drawn.length > 0 && slowest > 0 && slowest / fastest > LOG_SPREAD;
  const firstReady = Math.min(
    ...drawn.map((curve) => curve.points.find(([, n]) => n > 0)?.[0] ?? slowest),
  );
  const axis: TimeAxis & { readonly unit?: string } = log
    ? logTimeAxis(firstReady, slowest)
    : linearTimeAxis(slowest);
  const [lo, hi] = axis.domain;
  const toX = log
    ? (s: number): number => (WIDTH * (Math.log10(Math.max(s, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo))
    : (s: number): number => (WIDTH * s) / hi;
  const fromX = log
    ? (px: number): number => 10 ** (Math.log10(lo) + (px / WIDTH) * (Math.log10(hi) - Math.log10(lo)))
    : (px: number): number => (px / WIDTH) * hi;

  // On a log axis time 0 has no place: each line starts where its first instance gets ready,
  // rising from 0 there, rather than running along the floor from an arbitrary 1 ms.
  const rows: ReadyRow[] = drawn.flatMap((curve) => {
    let points = curve.points;
    if (log) {
      const first = points.findIndex(([, n]) => n > 0);
      const [t0] = points[first] ?? [lo, 0];
      points = [[t0, 0], ...points.slice(first)];
    }
    return points.map(([t, n]) => ({ mode: curve.mode, seconds: log ? Math.max(lo, t) : t, rawSeconds: t, ready: n }));
  });

  // Labels hang in lanes above the lines, on leaders from each line's end (see placeLaneLabels).
  interface Placed {
    readonly index: number;
    readonly box: Box;
    readonly lane: number;
  }
  const texts = drawn.map((curve) => {
    const [t, n] = endOf(curve.points);
    const requested = curve.requested;
    const value =
      requested !== undefined && Number.isFinite(requested) && n < requested
        ? `${n} of ${requested} ready by ${formatSeconds(t)}`
        : `all ready at ${formatSeconds(t)}`;
    return { value, widths: labelWidths(curve.mode, value), leaderX: toX(t) };
  });
  const placed: Placed[] = placeLaneLabels(
    texts.map((text) => ({ leaderX: text.leaderX, width: text.widths.total })),
    WIDTH,
    LEADER_INSET,
    LABEL_SPACING,
  ).map((placement, index) => {
    const width = texts[index]?.widths.total ?? 0;
    const { lane, x0 } = placement;
    return { index, lane, box: { x0, y0: -(lane + 1) * LANE, x1: x0 + width, y1: -lane * LANE } };
  });
  const lanes = Math.max(0, ...placed.map((p) => p.lane + 1));
  // Lanes take the top of the plot: grow the y domain so the lines keep HEIGHT pixels below them.
  const reserve = LANE_GAP + lanes * LANE;
  const top = Math.max(1, ...rows.map((row) => row.ready));
  const yMax = (top * (HEIGHT + reserve)) / HEIGHT;
  const fromY = (pxBelowLines: number): number => top - (pxBelowLines / HEIGHT) * top;

  const ends: ReadyEndRow[] = placed
    .sort((a, b) => a.index - b.index)
    .map((p) => {
      const curve = drawn[p.index]!;
      const [t, n] = endOf(curve.points);
      const text = texts[p.index]!;
      // Lane boxes are in pixels above the top line (negative y), then LANE_GAP higher.
      const middle = (p.box.y0 + p.box.y1) / 2 - LANE_GAP;
      return {
        mode: curve.mode,
        seconds: log ? Math.max(lo, t) : t,
        rawSeconds: t,
        ready: n,
        valueLabel: text.value,
        nameAt: fromX(p.box.x0),
        valueAt: fromX(p.box.x0 + text.widths.name + LABEL_GAP),
        labelAt: fromY(middle),
        leaderTop: fromY(p.box.y1 - LANE_GAP - 1),
        lane: p.lane,
      };
    });

  return { log, axis, yMax, plotHeight: HEIGHT + reserve, yTicks: countTicks(top), rows, ends, missing };
}

/** Every drawn curve point, modes in results order. */
export function readyOverTimeRows(results: Results): ReadyRow[] {
  return layout(results).rows;
}

/** Each drawn line's end dot, label and leader, modes in results order. */
export function readyOverTimeEnds(results: Results): ReadyEndRow[] {
  return layout(results).ends;
}

/** Whether the chart uses a log time axis for these results. */
export function readyOverTimeIsLog(results: Results): boolean {
  return layout(results).log;
}

export function readyOverTimeChart(results: Results): TopLevelSpec {
  const { log, axis, yMax, plotHeight, yTicks, rows, ends, missing } = layout(results);
  const drawnModes = Object.keys(results.modes).filter((mode) => !missing.includes(mode));
  const color = modeColorEncoding(colorsFor(results, drawnModes));
  const x = {
    field: "seconds",
    type: "quantitative" as const,
    title: log ? "Time since the start of the run (log scale)" : `Time since the start of the run (${axis.unit ?? "s"})`,
    scale: log
      ? { type: "log" as const, domain: [...axis.domain], nice: false }
      : { type: "linear" as const, domain: [...axis.domain], nice: false, zero: true },
    axis: { values: [...axis.ticks], labelExpr: axis.labelExpr, labelFlush: true },
  };
  const y = {
    field: "ready",
    type: "quantitative" as const,
    title: "Instances ready",
    scale: { domain: [0, yMax], nice: false },
    axis: { values: yTicks, format: "d" },
  };

  const [first, last] = [ends.reduce((m, e) => Math.min(m, e.rawSeconds), Infinity), ends.reduce((m, e) => Math.max(m, e.rawSeconds), 0)];
  const subtitle = [
    log
      ? `First replication · log time axis: the modes finish between ${formatSeconds(first)} and ${formatSeconds(last)}`
      : "First replication · each line ends when its last instance is ready",
  ];
  const notes: string[] = [];
  const floor = axis.domain[0];
  if (log && rows.some((row) => row.ready > 0 && row.rawSeconds < floor)) {
    notes.push(`times under ${formatSeconds(floor)} are drawn at ${formatSeconds(floor)}`);
  }
  if (missing.length > 0) notes.push(`not shown, no instance became ready: ${listNames(missing)}`);
  subtitle.push(...noteLines(notes));

  return onePanelFigure(results, {
    title: { ...panelTitle("Boot storm: instances ready over time"), subtitle },
    width: WIDTH,
    height: plotHeight,
    layer: [
      {
        data: { values: rows },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2.5 },
        encoding: {
          x,
          y,
          color,
          order: { field: "rawSeconds", type: "quantitative" },
          tooltip: [
            { field: "mode", type: "nominal", title: "Mode" },
            { field: "rawSeconds", type: "quantitative", title: "Seconds", format: ".3~f" },
            { field: "ready", type: "quantitative", title: "Ready" },
          ],
        },
      },
      {
        data: { values: ends },
        mark: { type: "rule", strokeWidth: 1, opacity: 0.7 },
        encoding: { x, y: { ...y, field: "ready" }, y2: { field: "leaderTop" }, color },
      },
      {
        data: { values: ends },
        mark: { type: "point", filled: true, size: 60, opacity: 1, stroke: "white", strokeWidth: 1.5 },
        encoding: { x, y, color },
      },
      ...directLabelLayers(ends, { name: "nameAt", value: "valueAt", y: "labelAt" }, x, y, color, INK),
    ],
  });
}
