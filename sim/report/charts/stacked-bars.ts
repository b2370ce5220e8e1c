/**
 * The pieces of a stacked-bar figure with one horizontal bar per mode (cost, start-up phases,
 * and the density figure's memory panel): the segment layer, the labels inside segments wide
 * enough to hold them, the legend under the plot, and the texts past a bar's end (its total,
 * the note of a bar with nothing drawn, and a detail after the total).
 *
 * Contract: pure functions of their arguments. Segment rows carry `start` and `end` (data
 * units from the bar's start); in-bar label rows carry `text` and a literal `color`; detail rows
 * carry `at` (where the text starts) and `text`.
 */

import { textWidth } from "../fonts.js";
import { INK, MUTED } from "../theme.js";

/** In-bar labels: font size, and the clear space a segment needs around its label. */
const SEGMENT_FONT_SIZE = 11;
const SEGMENT_LABEL_PAD = 10;
/** The total past a bar's end: font size, and the space between the bar's end and it. */
export const TOTAL_FONT_SIZE = 13;
export const TOTAL_GAP = 6;
/** Secondary text past a bar (a detail, or the note of an empty bar): font size. */
export const DETAIL_FONT_SIZE = 12;
/** Space between the legend's columns, pixels. */
export const LEGEND_COLUMN_PADDING = 18;

/** Whether a segment `widthPx` wide holds `text` as an in-bar label. */
export function segmentFits(widthPx: number, text: string): boolean {
  return widthPx >= textWidth(text, SEGMENT_FONT_SIZE) + SEGMENT_LABEL_PAD;
}

/** The legend under a stacked bar: untitled, horizontal, in `columns` columns. */
export function stackLegend(columns: number) {
  return {
    title: null,
    orient: "bottom" as const,
    direction: "horizontal" as const,
    columns,
    columnPadding: LEGEND_COLUMN_PADDING,
    rowPadding: 6,
  };
}

/** The segments: one bar from `start` to `end` per row, white between neighbours. */
export function segmentLayer<Y, X extends object, C, T>(values: readonly object[], y: Y, x: X, color: C, tooltip: T) {
  return {
    data: { values: [...values] },
    mark: { type: "bar" as const, stroke: "white", strokeWidth: 1 },
    encoding: { y, x: { ...x, field: "start" }, x2: { field: "end" }, color, tooltip },
  };
}

/** In-bar labels, centred at `x` (the segment centres), each in its row's literal colour. */
export function segmentLabelLayer<Y, X>(values: readonly object[], y: Y, x: X) {
  return {
    data: { values: [...values] },
    mark: { type: "text" as const, fontSize: SEGMENT_FONT_SIZE, align: "center" as const, baseline: "middle" as const },
    encoding: {
      y,
      x,
      text: { field: "text", type: "nominal" as const },
      // Literal colours (no scale): white on dark segments, ink on light ones.
      color: { field: "color", type: "nominal" as const, scale: null },
    },
  };
}

/**
 * The texts past the bars, left-aligned: each drawn bar's total in bold at its `totalField`,
 * the muted note of each empty bar (its `label` at `totalField`), and the muted details at `at`.
 */
export function barEndLayers<Y, X extends object>(
  y: Y,
  x: X,
  totalField: string,
  rows: { readonly totals: readonly object[]; readonly empty: readonly object[]; readonly details: readonly object[] },
) {
  const text = <M extends object>(values: readonly object[], field: string, textField: string, mark: M) => ({
    data: { values: [...values] },
    mark: { type: "text" as const, align: "left" as const, baseline: "middle" as const, ...mark },
    encoding: { y, x: { ...x, field }, text: { field: textField, type: "nominal" as const } },
  });
  return [
    text(rows.totals, totalField, "label", { dx: TOTAL_GAP, fontSize: TOTAL_FONT_SIZE, fontWeight: "bold" as const, color: INK }),
    text(rows.empty, totalField, "label", { dx: TOTAL_GAP, fontSize: DETAIL_FONT_SIZE, color: MUTED }),
    text(rows.details, "at", "text", { fontSize: DETAIL_FONT_SIZE, color: MUTED }),
  ];
}
