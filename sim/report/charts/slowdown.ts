/**
 * The contention figure: how much slower each mode's services run than they would alone, as
 * one distribution strip per mode.
 *
 * Contract: `slowdownChart` is pure; it reads only the results contract (each mode's
 * `slowdownQuantiles`) and returns a standalone Vega-Lite spec (data inlined, theme config
 * included) that compiles as is. Modes run top to bottom in results order; each drawn mode gets
 * a whisker from its 5th to its 99th percentile, a box from the 25th to the 75th, a tick at the
 * median, a cap at the 99th, all in its report colour, and a label past the cap
 * ("p99 1.66×", then "median 1.12×" in a lighter tone). The x axis is linear and starts at 1×
 * (unaffected), with a reference rule there; values below 1 are drawn at 1 and the subtitle says
 * so. Modes without quantiles (no service ran) keep their row with a "no service ran" note and
 * are named in the subtitle. Never throws on well-formed results.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { textWidth } from "../fonts.js";
import { INK, MUTED, panelTitle } from "../theme.js";
import { cleanQuantiles, colorsFor, listNames, noteLines, onePanelFigure, quantileAt, tickedAxisEncoding } from "./common.js";
import { factorAxisFitting, formatFactor, noDataLayer, unaffectedRuleLayer } from "./factor.js";
import type { FactorAxis } from "./factor.js";
import { modeBandEncoding, modeColorEncoding } from "./mode-axis.js";

/** Plot width and band height, pixels. */
const WIDTH = 600;
const BAND = 50;
const LABEL_SIZE = 12;
/** Space between the p99 cap and its label, and between the label's two parts. */
const LABEL_GAP = 9;
const PART_GAP = 8;
/** Box and tick sizes, pixels: the box is this tall, the median tick and the p99 cap these. */
const BOX_HEIGHT = 20;
const MEDIAN_TICK = 28;
const CAP_TICK = 14;
const NO_DATA = "no service ran";

/** One drawn mode's strip and label. */
export interface SlowdownRow {
  readonly mode: string;
  /** Percentiles as drawn (at least 1). */
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p99: number;
  /** The 99th percentile and the median as in the results. */
  readonly rawP99: number;
  readonly rawP50: number;
  /** "p99 1.66×" */
  readonly p99Label: string;
  /** "median 1.12×" */
  readonly medianLabel: string;
  /** Where the median label starts, in slowdown units on the x axis. */
  readonly medianAt: number;
}

interface Layout {
  readonly axis: FactorAxis;
  readonly rows: SlowdownRow[];
  /** Modes without quantiles, in results order. */
  readonly missing: string[];
  /** Whether some drawn value was below 1 and drawn at 1. */
  readonly clamped: boolean;
}

function layout(results: Results): Layout {
  const drawn = Object.entries(results.modes)
    .map(([mode, result]) => ({ mode, quantiles: cleanQuantiles(result.slowdownQuantiles ?? []) }))
    .filter((entry) => entry.quantiles.length > 0);
  const missing = Object.keys(results.modes).filter((mode) => !drawn.some((entry) => entry.mode === mode));
  const labels = drawn.map(({ mode, quantiles }) => {
    const rawP99 = quantileAt(quantiles, 0.99);
    const rawP50 = quantileAt(quantiles, 0.5);
    const p99Label = `p99 ${formatFactor(rawP99)}`;
    const medianLabel = `median ${formatFactor(rawP50)}`;
    const p99Px = textWidth(p99Label, LABEL_SIZE, true);
    return { mode, quantiles, rawP99, rawP50, p99Label, medianLabel, p99Px, totalPx: LABEL_GAP + p99Px + PART_GAP + textWidth(medianLabel, LABEL_SIZE) + 4 };
  });
  const axis = factorAxisFitting(labels.map((label) => ({ value: label.rawP99, labelPx: label.totalPx })), WIDTH);
  const [lo, hi] = axis.domain;
  const toX = (value: number): number => (WIDTH * (value - lo)) / (hi - lo);
  const fromX = (px: number): number => lo + (px / WIDTH) * (hi - lo);
  let clamped = false;
  const at = (quantiles: readonly number[], fraction: number): number => {
    const value = quantileAt(quantiles, fraction);
    if (value < 1 - 1e-9) clamped = true;
    return Math.max(1, value);
  };
  const rows = labels.map((label): SlowdownRow => {
    const p99 = at(label.quantiles, 0.99);
    return {
      mode: label.mode,
      p5: at(label.quantiles, 0.05),
      p25: at(label.quantiles, 0.25),
      p50: at(label.quantiles, 0.5),
      p75: at(label.quantiles, 0.75),
      p99,
      rawP99: label.rawP99,
      rawP50: label.rawP50,
      p99Label: label.p99Label,
      medianLabel: label.medianLabel,
      medianAt: fromX(toX(p99) + LABEL_GAP + label.p99Px + PART_GAP),
    };
  });
  return { axis, rows, missing, clamped };
}

/** Each drawn mode's strip, modes in results order (those with quantiles). */
export function slowdownRows(results: Results): SlowdownRow[] {
  return layout(results).rows;
}

/** Modes with no slowdown data (no service ran), in results order. */
export function slowdownMissing(results: Results): string[] {
  return layout(results).missing;
}

/** Whether any mode has slowdown data: the chart is worth drawing. */
export function hasSlowdownData(results: Results): boolean {
  return Object.values(results.modes).some((mode) => cleanQuantiles(mode.slowdownQuantiles ?? []).length > 0);
}

export function slowdownChart(results: Results): TopLevelSpec {
  const modes = Object.keys(results.modes);
  const { axis, rows, missing, clamped } = layout(results);
  const color = modeColorEncoding(colorsFor(results, rows.map((row) => row.mode)));
  const y = modeBandEncoding(modes, { inner: 0, outer: 0.1 });
  const x = tickedAxisEncoding("Slowdown (CPU demanded / work done)", axis, false);
  const tooltip = [
    { field: "mode", type: "nominal" as const, title: "Mode" },
    { field: "p5", type: "quantitative" as const, title: "p5", format: ".3f" },
    { field: "p25", type: "quantitative" as const, title: "p25", format: ".3f" },
    { field: "rawP50", type: "quantitative" as const, title: "Median", format: ".3f" },
    { field: "p75", type: "quantitative" as const, title: "p75", format: ".3f" },
    { field: "rawP99", type: "quantitative" as const, title: "p99", format: ".3f" },
  ];

  const notes: string[] = [];
  if (clamped) notes.push("values under 1× are drawn at 1×");
  if (missing.length > 0) notes.push(`no service ran in ${listNames(missing)}`);
  const subtitle = [
    "Each service instance's CPU demanded over CPU work done · 1× = unaffected · all replications pooled",
    "Box: middle half of the instances · whisker: 5th to 99th percentile · tick: median",
    ...noteLines(notes),
  ];

  return onePanelFigure(results, {
    title: { ...panelTitle("Slowdown under contention"), subtitle },
    width: WIDTH,
    height: { step: BAND },
    layer: [
      // The 1× reference: the left edge of every strip.
      unaffectedRuleLayer(x),
      {
        data: { values: rows },
        mark: { type: "rule", strokeWidth: 2 },
        encoding: { y, x: { ...x, field: "p5" }, x2: { field: "p99" }, color, tooltip },
      },
      {
        data: { values: rows },
        mark: { type: "bar", height: BOX_HEIGHT, opacity: 0.85 },
        encoding: { y, x: { ...x, field: "p25" }, x2: { field: "p75" }, color, tooltip },
      },
      {
        data: { values: rows },
        mark: { type: "tick", orient: "vertical", size: CAP_TICK, thickness: 2, opacity: 1 },
        encoding: { y, x: { ...x, field: "p99" }, color },
      },
      {
        data: { values: rows },
        mark: { type: "tick", orient: "vertical", size: MEDIAN_TICK, thickness: 3, color: INK, opacity: 1 },
        encoding: { y, x: { ...x, field: "p50" }, tooltip },
      },
      {
        data: { values: rows },
        mark: { type: "text", align: "left", baseline: "middle", dx: LABEL_GAP, fontSize: LABEL_SIZE, fontWeight: "bold", color: INK },
        encoding: { y, x: { ...x, field: "p99" }, text: { field: "p99Label", type: "nominal" } },
      },
      {
        data: { values: rows },
        mark: { type: "text", align: "left", baseline: "middle", fontSize: LABEL_SIZE, color: MUTED },
        encoding: { y, x: { ...x, field: "medianAt" }, text: { field: "medianLabel", type: "nominal" } },
      },
      noDataLayer(missing.map((mode) => ({ mode, at: 1, label: NO_DATA })), y, x, LABEL_SIZE),
    ],
  });
}
