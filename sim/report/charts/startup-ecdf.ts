/**
 * The start-up latency figure: for each mode, the share of instances ready within a given time
 * of their request (an empirical CDF), on a log time axis so that a 10 ms process and a 60 s VM
 * fit one chart.
 *
 * Contract: `startupEcdfChart` is pure; it reads only the results contract (each mode's
 * `startupQuantiles`) and returns a standalone Vega-Lite spec (data inlined, theme config
 * included) that compiles as is. One step-after line per mode in its report colour, through
 * (percentile p's seconds, p %); each mode's p95 is a dot labelled with the mode and its value,
 * placed where it overlaps no line and no other label when such a place exists. Times under
 * `LOG_FLOOR_S` are drawn at it, and the subtitle says so. Modes without quantiles (no instance
 * became ready) are left out and named in the subtitle. Never throws on well-formed results.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { INK, panelTitle } from "../theme.js";
import {
  LABEL_GAP,
  LABEL_HEIGHT,
  cleanQuantiles,
  colorsFor,
  directLabelLayers,
  labelWidths,
  listNames,
  noteLines,
  onePanelFigure,
  quantileAt,
} from "./common.js";
import type { Box } from "./layout.js";
import { boxesOverlap, collisions, stepSegments } from "./layout.js";
import { modeColorEncoding } from "./mode-axis.js";
import { LOG_FLOOR_S, formatSeconds, logTimeAxis } from "./time.js";
import type { TimeAxis } from "./time.js";

/** Plot size, pixels. */
const WIDTH = 640;
const HEIGHT = 340;
/** Pixels between a p95 dot and its label. */
const LABEL_OFFSET = 8;
/** The percentile marked on every line. */
const MARKED = 0.95;

/** One point of a mode's ECDF. */
export interface EcdfRow {
  readonly mode: string;
  /** Share of the mode's ready instances ready by `seconds`, 0..1. */
  readonly fraction: number;
  /** Request-to-ready seconds as drawn: at least `LOG_FLOOR_S`. */
  readonly seconds: number;
  /** Request-to-ready seconds as in the results. */
  readonly rawSeconds: number;
}

/** A mode's p95 dot and its two-part label ("vm" in the mode colour, "p95 52 s" in ink). */
export interface EcdfMarkRow {
  readonly mode: string;
  /** The p95, as drawn (at least `LOG_FLOOR_S`) and as in the results. */
  readonly seconds: number;
  readonly rawSeconds: number;
  readonly fraction: number;
  /** "p95 52 s" */
  readonly valueLabel: string;
  /** Where the label's name and value start (seconds) and its vertical middle (fraction). */
  readonly nameAt: number;
  readonly valueAt: number;
  readonly labelAt: number;
}

/**
 * Every drawn ECDF point, modes in results order: quantile i of n is at fraction i / (n - 1),
 * so the 101 percentiles of the contract sit at 0 %, 1 %, ... 100 %. Non-decreasing in both
 * seconds and fraction within a mode. Modes without quantiles have no rows.
 */
export function startupEcdfRows(results: Results): EcdfRow[] {
  const rows: EcdfRow[] = [];
  for (const [mode, result] of Object.entries(results.modes)) {
    const quantiles = cleanQuantiles(result.startupQuantiles);
    const last = quantiles.length - 1;
    quantiles.forEach((rawSeconds, index) => {
      rows.push({
        mode,
        fraction: last === 0 ? 1 : index / last,
        seconds: Math.max(LOG_FLOOR_S, rawSeconds),
        rawSeconds,
      });
    });
  }
  return rows;
}


interface Layout {
  readonly axis: TimeAxis;
  readonly rows: EcdfRow[];
  readonly marks: EcdfMarkRow[];
  /** Modes with no ready instance, in results order. */
  readonly missing: string[];
  /** Whether any time was below the floor and drawn at it. */
  readonly clamped: boolean;
}

/**
 * Label costs: leaving the plot (left, top, bottom), covering another label, crossing another
 * mode's line, touching a segment. Running past the plot's right edge into the margin is
 * allowed at a price (the chart grows wider): better than a label far from its dot, across
 * lines, which is what a long mode name near the right edge would otherwise get.
 */
const OUTSIDE_COST = 1000;
const OVERLAP_COST = 100;
const LINE_COST = 30;
const SEGMENT_COST = 1;
const MARGIN_COST = 15;
const MARGIN_COST_PER_PX = 0.05;
/** How many times the time axis may be lengthened to make room for the labels. */
const MAX_AXIS_BUMPS = 2;
/**
 * Labels beside their dots unless that costs more than this (two labels on top of each
 * other, or several across lines); then one block listing every mode's p95.
 */
const BLOCK_COST = 80;
/** The block: gap between the name and value columns, margin from the plot edges, search step. */
const BLOCK_COLUMN_GAP = 10;
const BLOCK_MARGIN = 10;
const BLOCK_STEP = 8;
const MIN_BUMP_GAIN = 10;

/** Places the p95 labels on `axis`; returns them and how bad the placement is (0 = clean). */
function placeMarks(
  drawn: readonly (readonly [string, readonly number[]])[],
  rows: readonly EcdfRow[],
  axis: TimeAxis,
): { marks: EcdfMarkRow[]; cost: number } {
  const [lo, hi] = axis.domain;
  const span = Math.log10(hi) - Math.log10(lo);
  const toX = (s: number): number => (WIDTH * (Math.log10(s) - Math.log10(lo))) / span;
  const fromX = (px: number): number => 10 ** (Math.log10(lo) + (px / WIDTH) * span);
  const toY = (fraction: number): number => HEIGHT * (1 - fraction);

  // Everything a label must not cover: every line (by mode), and every p95 dot.
  const lines = drawn.map(([mode]) =>
    stepSegments(rows.filter((row) => row.mode === mode).map((row) => [toX(row.seconds), toY(row.fraction)] as const)),
  );
  const dots = drawn.map(([mode, quantiles]) => {
    const raw = quantileAt(quantiles, MARKED);
    const s = Math.max(LOG_FLOOR_S, raw);
    return { mode, raw, s, x: toX(s), y: toY(MARKED) };
  });
  const dotBoxes: Box[] = dots.map((dot) => ({ x0: dot.x - 5, y0: dot.y - 5, x1: dot.x + 5, y1: dot.y + 5 }));

  // Candidate spots, best first: right of the dot just under the 95 % line (the mode's own
  // line is left of the dot there), then up and left (its line is right of the dot above
  // 95 %), then ever lower on the right, then lower on the left.
  const placed: Box[] = [];
  let total = 0;
  const marks: EcdfMarkRow[] = dots.map((dot) => {
    const valueLabel = `p95 ${formatSeconds(dot.raw)}`;
    const widths = labelWidths(dot.mode, valueLabel);
    const right = (top: number): Box => ({ x0: dot.x + LABEL_OFFSET, y0: top, x1: dot.x + LABEL_OFFSET + widths.total, y1: top + LABEL_HEIGHT });
    const left = (top: number): Box => ({ x0: dot.x - LABEL_OFFSET - widths.total, y0: top, x1: dot.x - LABEL_OFFSET, y1: top + LABEL_HEIGHT });
    const candidates: Box[] = [right(dot.y + 2), left(dot.y - 2 - LABEL_HEIGHT)];
    for (let lane = 1; lane <= 6; lane += 1) candidates.push(right(dot.y + 2 + lane * LABEL_HEIGHT));
    for (let lane = 2; lane <= 6; lane += 2) candidates.push(left(dot.y + 2 + lane * LABEL_HEIGHT));
    let best: Box = candidates[0] ?? right(dot.y);
    let bestCost = Number.POSITIVE_INFINITY;
    for (const box of candidates) {
      const outside = box.x0 < 0 || box.y0 < -LABEL_HEIGHT / 2 || box.y1 > HEIGHT;
      const overflow = Math.max(0, box.x1 - WIDTH);
      let cost = (outside ? OUTSIDE_COST : 0) + OVERLAP_COST * placed.filter((other) => boxesOverlap(box, other, 3)).length;
      if (overflow > 0) cost += MARGIN_COST + MARGIN_COST_PER_PX * overflow;
      cost += SEGMENT_COST * collisions(box, dotBoxes, 1);
      for (const line of lines) {
        const hits = collisions(box, line, 2);
        if (hits > 0) cost += LINE_COST + SEGMENT_COST * hits;
      }
      if (cost < bestCost) {
        best = box;
        bestCost = cost;
      }
    }
    placed.push(best);
    total += bestCost;
    const middle = (best.y0 + best.y1) / 2;
    return {
      mode: dot.mode,
      seconds: dot.s,
      rawSeconds: dot.raw,
      fraction: MARKED,
      valueLabel,
      nameAt: fromX(best.x0),
      valueAt: fromX(best.x0 + widths.name + LABEL_GAP),
      labelAt: 1 - middle / HEIGHT,
    };
  });
  if (total < BLOCK_COST || marks.length < 2) return { marks, cost: total };

  // Too crowded for labels beside the dots (modes close together): list them instead in one
  // block, fastest first like the lines, with the values in a column, at the spot of the plot
  // that the fewest lines cross (ties: lower right, where an ECDF leaves room).
  const sorted = [...marks].sort((a, b) => a.rawSeconds - b.rawSeconds || marks.indexOf(a) - marks.indexOf(b));
  const nameWidth = Math.max(...sorted.map((mark) => labelWidths(mark.mode, "").name));
  const valueWidth = Math.max(...sorted.map((mark) => labelWidths("", mark.valueLabel).total - LABEL_GAP));
  const blockWidth = nameWidth + BLOCK_COLUMN_GAP + valueWidth;
  const blockHeight = sorted.length * LABEL_HEIGHT;
  const allSegments = [...lines.flat(), ...dotBoxes];
  let spot: { x: number; y: number; cost: number } | undefined;
  for (let y = BLOCK_MARGIN; y + blockHeight <= HEIGHT - BLOCK_MARGIN; y += BLOCK_STEP) {
    for (let x = BLOCK_MARGIN; x + blockWidth <= WIDTH - BLOCK_MARGIN; x += BLOCK_STEP) {
      const box: Box = { x0: x, y0: y, x1: x + blockWidth, y1: y + blockHeight };
      const cost = collisions(box, allSegments, 4);
      if (spot === undefined || cost < spot.cost || (cost === spot.cost && x + y >= spot.x + spot.y)) spot = { x, y, cost };
    }
  }
  if (spot === undefined) return { marks, cost: total };
  const blockCost = BLOCK_COST + SEGMENT_COST * spot.cost;
  if (blockCost >= total) return { marks, cost: total };
  const at = spot;
  const block = marks.map((mark) => {
    const row = sorted.indexOf(mark);
    const middle = at.y + (row + 0.5) * LABEL_HEIGHT;
    return {
      ...mark,
      nameAt: fromX(at.x),
      valueAt: fromX(at.x + nameWidth + BLOCK_COLUMN_GAP),
      labelAt: 1 - middle / HEIGHT,
    };
  });
  return { marks: block, cost: blockCost };
}

function layout(results: Results): Layout {
  const rows = startupEcdfRows(results);
  const drawn = Object.entries(results.modes)
    .map(([mode, result]) => [mode, cleanQuantiles(result.startupQuantiles)] as const)
    .filter(([, quantiles]) => quantiles.length > 0);
  const missing = Object.keys(results.modes).filter((name) => !drawn.some(([drawnName]) => drawnName === name));
  const seconds = rows.map((row) => row.seconds);
  const min = seconds.length > 0 ? Math.min(...seconds) : LOG_FLOOR_S;
  const max = seconds.length > 0 ? Math.max(...seconds) : 1;
  // The axis ends at the next nice time past the slowest instance; when the labels cannot all
  // find a clean spot (the slowest mode's p95 label has no room at the right edge, say), try
  // the next nice end or two and keep the cleanest.
  let axis = logTimeAxis(min, max);
  let best = { axis, ...placeMarks(drawn, rows, axis) };
  for (let bump = 0; bump < MAX_AXIS_BUMPS && best.cost >= 1; bump += 1) {
    axis = logTimeAxis(min, axis.domain[1] * 1.001);
    const attempt = { axis, ...placeMarks(drawn, rows, axis) };
    // A longer axis squeezes every line: only worth it for a clearly cleaner layout.
    if (attempt.cost <= best.cost - MIN_BUMP_GAIN) best = attempt;
  }
  return {
    axis: best.axis,
    rows,
    marks: best.marks,
    missing,
    clamped: rows.some((row) => row.rawSeconds < LOG_FLOOR_S),
  };
}

/** The p95 dots and their label positions, modes in results order (those with quantiles). */
export function startupEcdfMarks(results: Results): EcdfMarkRow[] {
  return layout(results).marks;
}

export function startupEcdfChart(results: Results): TopLevelSpec {
  const { axis, rows, marks, missing, clamped } = layout(results);
  const drawnModes = Object.keys(results.modes).filter((mode) => !missing.includes(mode));
  const color = modeColorEncoding(colorsFor(results, drawnModes));
  const x = {
    field: "seconds",
    type: "quantitative" as const,
    title: "Time from request to ready (log scale)",
    scale: { type: "log" as const, domain: [...axis.domain], nice: false },
    axis: { values: [...axis.ticks], labelExpr: axis.labelExpr, labelFlush: true },
  };
  const y = {
    field: "fraction",
    type: "quantitative" as const,
    title: "Instances ready (share)",
    scale: { domain: [0, 1], nice: false },
    axis: { format: ".0%", values: [0, 0.25, 0.5, 0.75, 1] },
  };

  const notes: string[] = [];
  if (clamped) notes.push(`Times under ${formatSeconds(LOG_FLOOR_S)} are drawn at ${formatSeconds(LOG_FLOOR_S)}`);
  if (missing.length > 0) notes.push(`not shown, no instance became ready: ${listNames(missing)}`);
  const subtitle = [
    "Share of instances ready within a given time of being requested · all replications pooled · dot: 95th percentile",
    ...noteLines(notes),
  ];

  return onePanelFigure(results, {
    title: { ...panelTitle("Start-up latency"), subtitle },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: rows },
        mark: { type: "line", interpolate: "step-after", strokeWidth: 2.5, strokeJoin: "miter" },
        encoding: {
          x,
          y,
          color,
          order: { field: "fraction", type: "quantitative" },
          tooltip: [
            { field: "mode", type: "nominal", title: "Mode" },
            { field: "rawSeconds", type: "quantitative", title: "Seconds", format: ".3~f" },
            { field: "fraction", type: "quantitative", title: "Ready", format: ".0%" },
          ],
        },
      },
      {
        data: { values: marks },
        mark: { type: "point", filled: true, size: 70, opacity: 1, stroke: "white", strokeWidth: 1.5 },
        encoding: {
          x,
          y,
          color,
          tooltip: [
            { field: "mode", type: "nominal", title: "Mode" },
            { field: "rawSeconds", type: "quantitative", title: "p95 seconds", format: ".3~f" },
          ],
        },
      },
      ...directLabelLayers(marks, { name: "nameAt", value: "valueAt", y: "labelAt" }, x, y, color, INK),
    ],
  });
}
