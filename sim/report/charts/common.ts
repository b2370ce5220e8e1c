/**
 * Pieces the charts share: the figure heading and one-panel figure shell, subtitle notes,
 * the rows a straight-line mark needs (drawnRows),
 * mode-coloured direct labels, the mode colour
 * scale restricted to the modes a chart draws, colour and tick-axis encodings, quantile
 * helpers, and the nice tick step the axes are built on.
 *
 * Contract: pure; reads only the results contract.
 */

import type { Config, TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { textWidth } from "../fonts.js";
import { CHART_CONFIG, modeColors } from "../theme.js";
import type { ColorScale } from "../theme.js";

/**
 * The rows a straight-segment mark (a linear line, or an area between two such lines) needs to draw
 * the same shape: within each series (`seriesOf`), a row whose neighbours in that series have the
 * same value in every one of `fields` is left out, as the segment between those two passes through
 * it. Rows must come in drawing (x) order within each series; the first and last row of a series
 * always stay, and the rest keep their order. A run that sits still for hours becomes two rows per
 * series instead of one per sample: the spec, the SVG and the HTML report shrink and render faster,
 * and the picture does not change (nor the tooltip: a line or area shows its first row's).
 */
export function drawnRows<T>(rows: readonly T[], seriesOf: (row: T) => string, fields: readonly (keyof T)[]): T[] {
  const bySeries = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const key = seriesOf(row);
    const list = bySeries.get(key);
    if (list) list.push(i);
    else bySeries.set(key, [i]);
  });
  const keep = new Uint8Array(rows.length).fill(1);
  const same = (a: T, b: T): boolean => fields.every((f) => Object.is(a[f], b[f]));
  for (const list of bySeries.values()) {
    for (let k = 1; k < list.length - 1; k++) {
      const row = rows[list[k] as number] as T;
      if (same(row, rows[list[k - 1] as number] as T) && same(row, rows[list[k + 1] as number] as T)) keep[list[k] as number] = 0;
    }
  }
  return rows.filter((_, i) => keep[i] === 1);
}

/** The figure heading every densim chart carries: the scenario, and how it was run. */
export function figureTitle(results: Results): { text: string; subtitle: string } {
  const replications = `${results.replications} ${results.replications === 1 ? "replication" : "replications"}`;
  return {
    // An untitled scenario still gets a heading: its name.
    text: results.scenario.title.trim() === "" ? results.scenario.name : results.scenario.title,
    subtitle: `${replications} · seed ${results.seed}`,
  };
}

/** One panel of a figure: what a Vega-Lite `hconcat` holds. */
type Panel = Extract<TopLevelSpec, { hconcat: unknown }>["hconcat"][number];

/** A standalone figure of one panel: the figure heading, the theme config (or `config`), `panel`. */
export function onePanelFigure(results: Results, panel: Panel, config: Config = CHART_CONFIG): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: figureTitle(results),
    config,
    hconcat: [panel],
  };
}

/**
 * A chart's notes as subtitle lines: none, or one line of them all joined with " · ", its
 * first letter capitalised ("Values under 1× are drawn at 1× · no service ran in vm").
 */
export function noteLines(notes: readonly string[]): string[] {
  return notes.length > 0 ? [notes.join(" · ").replace(/^./, (c) => c.toUpperCase())] : [];
}

/**
 * The results' mode colours for just `modes`, each mode keeping the colour it has in every
 * other chart of the report (a mode left out does not shift the others' colours).
 */
export function colorsFor(results: Results, modes: readonly string[]): ColorScale {
  const all = modeColors(results);
  const domain: string[] = [];
  const range: string[] = [];
  all.domain.forEach((mode, index) => {
    if (modes.includes(mode)) {
      domain.push(mode);
      range.push(all.range[index] ?? "#222222");
    }
  });
  return { domain, range };
}

/**
 * A nominal colour encoding of `field` on `colors`, with `legend` (no legend when `colors` is
 * empty, or when `legend` is null).
 */
export function colorEncoding<L extends object = never>(field: string, colors: ColorScale, legend: L | null = null) {
  return {
    field,
    type: "nominal" as const,
    scale: { domain: [...colors.domain], range: [...colors.range] },
    legend: colors.domain.length === 0 ? null : legend,
  };
}

/** A precomputed axis: scale domain, explicit tick values, and a Vega expression for their labels. */
export interface TickedAxis {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  readonly labelExpr: string;
}

/**
 * A quantitative x encoding (no field: each layer adds its own) drawing exactly `axis`: its
 * domain, unniced, and its ticks with their labels, the end labels flush with the plot.
 */
export function tickedAxisEncoding(title: string, axis: TickedAxis, zero: boolean) {
  return {
    type: "quantitative" as const,
    title,
    scale: { domain: [...axis.domain], nice: false, zero },
    axis: { values: [...axis.ticks], labelExpr: axis.labelExpr, labelFlush: true },
  };
}

/** 1, 2, 2.5 or 5 times a power of ten: the step giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 2.5, 5, 10].find((f) => f * power >= raw * (1 - 1e-9)) ?? 10;
  return factor * power;
}

/** "a, b and c" */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1] ?? ""}`;
}

/** Direct labels: the mode name in bold in its colour, then the value in ink. */
export const LABEL_FONT_SIZE = 12;
/** Pixels between the name and the value of a direct label. */
export const LABEL_GAP = 5;
/** Height of a one-line label box, pixels (DejaVu's ascent plus descent at 12 px, rounded up). */
export const LABEL_HEIGHT = 15;

/** Widths of a two-part direct label, pixels. */
export function labelWidths(name: string, value: string): { name: number; total: number } {
  const nameWidth = textWidth(name, LABEL_FONT_SIZE, true);
  return { name: nameWidth, total: nameWidth + LABEL_GAP + textWidth(value, LABEL_FONT_SIZE) };
}

/** How wide the white halo behind label text is, pixels: keeps text readable over lines and grid. */
export const HALO_WIDTH = 4;

/**
 * The text layers of two-part direct labels: the mode name (bold, mode colour) starting at
 * `nameField`, the value (ink) at `valueField`, both centred vertically on `yField`, each drawn
 * over a white halo of itself so a line running behind never cuts through the letters.
 * `x` and `y` are the chart's position encodings (their scales are shared with the lines).
 */
export function directLabelLayers<X extends object, Y extends object, C extends object>(
  values: readonly object[],
  fields: { readonly name: string; readonly value: string; readonly y: string },
  x: X,
  y: Y,
  color: C,
  valueColor: string,
) {
  const base = { type: "text" as const, align: "left" as const, baseline: "middle" as const, fontSize: LABEL_FONT_SIZE };
  const halo = { stroke: "white", strokeWidth: HALO_WIDTH, strokeJoin: "round" as const, strokeOpacity: 1 };
  const data = { values: [...values] };
  const nameEncoding = { x: { ...x, field: fields.name }, y: { ...y, field: fields.y }, text: { field: "mode", type: "nominal" as const } };
  const valueEncoding = { x: { ...x, field: fields.value }, y: { ...y, field: fields.y }, text: { field: "valueLabel", type: "nominal" as const } };
  return [
    { data, mark: { ...base, ...halo, fontWeight: "bold" as const, color: "white" }, encoding: nameEncoding },
    { data, mark: { ...base, ...halo, color: "white" }, encoding: valueEncoding },
    { data, mark: { ...base, fontWeight: "bold" as const }, encoding: { ...nameEncoding, color } },
    { data, mark: { ...base, color: valueColor }, encoding: valueEncoding },
  ];
}

/** A mode's quantiles, non-finite values dropped and sorted (they are percentiles 0..100). */
export function cleanQuantiles(quantiles: readonly number[]): number[] {
  return quantiles.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
}

/** The value at `fraction` of sorted quantiles, interpolating between neighbours. */
export function quantileAt(quantiles: readonly number[], fraction: number): number {
  const last = quantiles.length - 1;
  if (last <= 0) return quantiles[0] ?? Number.NaN;
  const position = fraction * last;
  const below = Math.floor(position);
  const lo = quantiles[below] ?? Number.NaN;
  const hi = quantiles[Math.min(last, below + 1)] ?? lo;
  return lo + (hi - lo) * (position - below);
}
