/**
 * A sweep chart: one metric of every mode across the values of the first varied parameter, a
 * line per mode with its 95% confidence band, so the value where one mode overtakes another reads
 * at a glance; a grid of two or more parameters gets one panel per value of the others.
 * Pure: SweepResults in, Vega-Lite spec out.
 *
 * How points are joined:
 * - `step-after` when the x values are all integers and the metric is a count or money: hosts,
 *   licences and instances change in whole steps, and a sloped line between 20 and 22 replicas
 *   would show a cost no licence count produces.
 * - `linear` for other numeric x values (a metric that varies smoothly with a size or a rate).
 * - `points` (no line, error bars for the CI) when some x value is not a plain number
 *   (`placement.policy=spread,binpack`, `1GiB,2GiB`): a line would invent an order and values
 *   between the categories.
 */
import type { TopLevelSpec } from "vega-lite";
import type { MetricUnit } from "../../experiment/metric-catalog.js";
import type { SweepResults } from "../../experiment/sweep.js";
import { formatSummary, plural } from "../format.js";
import { AXIS_UNITS, metricAxisTitle, parameterWords } from "../metric-words.js";
import { CHART_CONFIG, FONT_FAMILY, modeColors } from "../theme.js";

export interface SweepRow {
  readonly mode: string;
  /** The panel: the other parameters' values in words ("" for a one-parameter sweep). */
  readonly panel: string;
  /** Position on the x axis: the first parameter's value as a number (numeric sweeps), else its index. */
  readonly x: number;
  /** The first parameter's value as written. */
  readonly label: string;
  /** In the plotted unit (AXIS_UNITS): GiB, %, seconds, USD per month... */
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  /** The summary as the table prints it: "$356", "20.9 s ±0.31 s". */
  readonly text: string;
}

export type SweepInterpolation = "step-after" | "linear" | "points";

const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;

/** The metric's unit as recorded in the sweep. */
function unitOf(sweep: SweepResults, metric: string): MetricUnit {
  const m = sweep.metrics.find((x) => x.name === metric);
  if (!m) throw new Error(`sweepChart: the sweep has no metric ${metric}`);
  return m.unit;
}

/** How the chart joins its points (see the file comment). */
export function sweepInterpolation(sweep: SweepResults, metric: string): SweepInterpolation {
  const values = sweep.parameters[0]?.values ?? [];
  if (!values.every((v) => NUMBER.test(v.trim()))) return "points";
  const unit = unitOf(sweep, metric);
  const whole = values.every((v) => Number.isInteger(Number(v)));
  return whole && (unit === "count" || unit === "usd" || unit === "usd-each") ? "step-after" : "linear";
}

/** The panel a grid point belongs to: the second and later parameters' values in words. */
function panelOf(sweep: SweepResults, values: readonly string[]): string {
  return sweep.parameters
    .slice(1)
    .map((p, k) => `${parameterWords(p.path)} = ${values[k + 1] ?? ""}`)
    .join(", ");
}

/** Panels in grid order. */
export function sweepPanels(sweep: SweepResults): string[] {
  const first = Object.values(sweep.modes)[0];
  const panels = (first?.points ?? []).map((p) => panelOf(sweep, p.values));
  return panels.filter((p, i) => panels.indexOf(p) === i);
}

/** One row per mode and grid point with a figure (points where the mode had none are left out). */
export function sweepRows(sweep: SweepResults, metric: string): SweepRow[] {
  const unit = unitOf(sweep, metric);
  const scale = AXIS_UNITS[unit].scale;
  const xValues = sweep.parameters[0]?.values ?? [];
  const numeric = xValues.every((v) => NUMBER.test(v.trim()));
  const rows: SweepRow[] = [];
  for (const [mode, m] of Object.entries(sweep.modes)) {
    for (const p of m.points) {
      const s = p.metrics[metric];
      if (!s) throw new Error(`sweepRows: mode ${mode} has no metric ${metric}`);
      if (s.n === 0 || !Number.isFinite(s.mean)) continue;
      const label = p.values[0] ?? "";
      rows.push({
        mode,
        panel: panelOf(sweep, p.values),
        x: numeric ? Number(label) : xValues.indexOf(label),
        label,
        mean: s.mean * scale,
        lo: s.lo * scale,
        hi: s.hi * scale,
        text: formatSummary(s, unit),
      });
    }
  }
  return rows;
}

/** A mode's name at its last point in a panel, moved up or down so no two overlap. */
export interface SweepLabelRow {
  readonly mode: string;
  readonly panel: string;
  readonly x: number;
  /** Where the label sits, in the plotted unit: the last mean, dodged. */
  readonly labelY: number;
}

/** Label height in pixels, with a little air: the gap two labels keep. */
const LABEL_PX = 15;

/**
 * End-of-line labels per panel, dodged so that modes ending on the same value stay legible.
 * The y scale starts at zero (or the lowest CI end) and ends near the highest, as the chart's does.
 */
export function sweepLabelRows(rows: readonly SweepRow[], zero: boolean, heightPx: number): SweepLabelRow[] {
  if (rows.length === 0) return [];
  const low = Math.min(zero ? 0 : Infinity, ...rows.map((r) => r.lo));
  const high = Math.max(...rows.map((r) => r.hi));
  const gap = ((high - low || 1) * LABEL_PX) / heightPx;
  const out: SweepLabelRow[] = [];
  const panels = rows.map((r) => r.panel).filter((p, i, all) => all.indexOf(p) === i);
  for (const panel of panels) {
    const mine = rows.filter((r) => r.panel === panel);
    const ends = mine
      .filter((r) => !mine.some((q) => q.mode === r.mode && q.x > r.x))
      .sort((a, b) => a.mean - b.mean || (a.mode < b.mode ? -1 : 1));
    let previous = -Infinity;
    for (const e of ends) {
      const labelY = Math.max(e.mean, previous + gap);
      out.push({ mode: e.mode, panel, x: e.x, labelY });
      previous = labelY;
    }
  }
  return out;
}

export function sweepChart(sweep: SweepResults, metric: string): TopLevelSpec {
  const rows = sweepRows(sweep, metric);
  const info = sweep.metrics.find((x) => x.name === metric);
  if (!info) throw new Error(`sweepChart: the sweep has no metric ${metric}`);
  const param = sweep.parameters[0];
  if (!param) throw new Error("sweepChart: the sweep varies no parameter");
  const interpolation = sweepInterpolation(sweep, metric);
  const axis = AXIS_UNITS[info.unit];
  const xTitle = parameterWords(param.path);
  const yTitle = metricAxisTitle(info.label, info.unit);
  const colors = modeColors({ modes: Object.fromEntries(Object.entries(sweep.modes).map(([n, m]) => [n, { kind: m.kind }])) });
  const color = { field: "mode", type: "nominal" as const, title: null, scale: { domain: colors.domain, range: colors.range }, sort: colors.domain };
  const zero = info.unit !== "factor";
  const y = {
    field: "mean",
    type: "quantitative" as const,
    title: yTitle,
    scale: { zero },
    axis: axis.format ? { format: axis.format } : {},
  };
  const tooltip = [
    { field: "mode", type: "nominal" as const },
    { field: "label", type: "nominal" as const, title: xTitle },
    ...(sweep.parameters.length > 1 ? [{ field: "panel", type: "nominal" as const, title: "panel" }] : []),
    { field: "text", type: "nominal" as const, title: info.label },
  ];
  const panels = sweepPanels(sweep);
  const faceted = sweep.parameters.length > 1;
  const size = faceted ? { width: 300, height: 220 } : { width: 640, height: 340 };
  const labels = interpolation === "points" ? [] : sweepLabelRows(rows, zero, size.height);
  const values = (items: readonly object[]): { values: object[] } => ({ values: items.map((r) => ({ ...r })) });

  // One panel per value of the other parameters; each layer carries its own data (no filters:
  // Vega-Lite's optimiser gives up on many filtered layers in a facet).
  const panelLayers = (panel: string): unknown[] => {
    const mine = values(rows.filter((r) => r.panel === panel));
    if (interpolation === "points") {
      const x = { field: "label", type: "ordinal" as const, title: xTitle, sort: [...param.values], axis: { labelAngle: 0 } };
      const xOffset = { field: "mode", sort: colors.domain };
      return [
        { data: mine, mark: { type: "rule", strokeWidth: 2 }, encoding: { x, xOffset, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color } },
        { data: mine, mark: { type: "point", filled: true, size: 80 }, encoding: { x, xOffset, y, color, tooltip } },
      ];
    }
    const xs = param.values.map(Number);
    const x = {
      field: "x",
      type: "quantitative" as const,
      title: xTitle,
      scale: { zero: false, nice: false, domain: [Math.min(...xs), Math.max(...xs)] },
      axis: { values: xs, format: xs.every((v) => Number.isInteger(v)) ? "d" : "~f" },
    };
    return [
      { data: mine, mark: { type: "area", opacity: 0.15, interpolate: interpolation }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color } },
      { data: mine, mark: { type: "line", interpolate: interpolation, point: { size: 60, filled: true }, strokeWidth: 2.5 }, encoding: { x, y, color, tooltip } },
      {
        // The mode's name at its last point, instead of a legend the eye has to travel to.
        data: values(labels.filter((l) => l.panel === panel)),
        mark: { type: "text", align: "left", baseline: "middle", dx: 8, fontWeight: "bold", fontSize: 13 },
        encoding: { x, y: { field: "labelY", type: "quantitative" }, text: { field: "mode" }, color: { ...color, legend: null } },
      },
    ];
  };
  const grid = sweep.parameters.map((p) => `${p.values.length}`).join(" × ");
  const title = {
    text: sweep.scenario.title,
    subtitle: [
      `${info.label} across ${sweep.parameters.map((p) => parameterWords(p.path)).join(" and ")}${faceted ? ` (${grid} points)` : ""}`,
      `${plural(sweep.replications, "replication")} each · seed ${sweep.seed} · ${interpolation === "points" ? "bars" : "band"}: 95% CI`,
    ],
    anchor: "start" as const,
    font: FONT_FAMILY,
  };
  const base = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", config: CHART_CONFIG, title };
  if (!faceted) return { ...base, ...size, layer: panelLayers(""), resolve: { scale: { color: "shared" } } } as TopLevelSpec;
  return {
    ...base,
    columns: Math.min(3, panels.length),
    concat: panels.map((panel) => ({ ...size, title: { text: panel, fontSize: 12, font: FONT_FAMILY }, layer: panelLayers(panel) })),
    resolve: { scale: { color: "shared", y: "shared" } },
  } as TopLevelSpec;
}
