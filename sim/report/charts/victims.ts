/**
 * The noisy-neighbour figure: who suffers, per mode. For every app, how slow its slowest
 * instances ran (the p99 of their slowdown) in each mode, so a planner sees at once whether the
 * isolation a mode buys protects the victims, and what it does to the neighbour itself.
 *
 * Contract: `noisyNeighbourChart` is pure; it reads only the results contract (each mode's
 * per-app `slowdown.p99` summaries) and returns a standalone Vega-Lite spec (data inlined, theme
 * config included) that compiles as is. One small panel per app, in the order the apps first
 * appear in the results (the scenario's), stacked on a shared x axis; in each, one horizontal
 * bar per mode (results order, report colours) from 1× (unaffected) to the mean over
 * replications, a 95% CI whisker, and the value past both ("1.66×"). A mode without a value for
 * an app (the app was not there, or none of its instances ran) keeps its row with a muted
 * "no data". Values below 1 are drawn at 1. Never throws on well-formed results.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { textWidth } from "../fonts.js";
import { CHART_CONFIG, INK, panelTitle } from "../theme.js";
import { colorsFor, onePanelFigure } from "./common.js";
import { factorAxisFitting, formatFactor, noDataLayer, unaffectedRuleLayer } from "./factor.js";
import type { FactorAxis } from "./factor.js";
import { modeBandEncoding, modeColorEncoding, modeLabelWidth } from "./mode-axis.js";

/** Plot width and band height, pixels. */
const WIDTH = 560;
const BAND = 30;
const VALUE_LABEL_SIZE = 12;
/** Space between the end of a bar (or its whisker) and its value. */
const LABEL_GAP = 6;
const APP_TITLE_SIZE = 14;
const METRIC = "slowdown.p99";
const NO_DATA = "no data";
const X_TITLE = "Slowdown at p99 (CPU demanded / work done)";

/** One mode's bar in one app's panel. */
export interface VictimRow {
  readonly app: string;
  readonly mode: string;
  /** Mean over replications of the app's p99 slowdown, and its 95% CI, as drawn (at least 1). */
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  /** The mean as in the results. */
  readonly rawMean: number;
  /** Replications the mean is over. */
  readonly n: number;
  /** "1.66×" */
  readonly label: string;
  /** Where the label is anchored: the bar's or the whisker's end, whichever is further right. */
  readonly labelAt: number;
}

/** A mode with no value for an app. */
export interface VictimGapRow {
  readonly app: string;
  readonly mode: string;
  readonly label: string;
}

/** Apps in the order they first appear across the modes (the scenario's order). */
export function contentionApps(results: Results): string[] {
  const apps: string[] = [];
  for (const mode of Object.values(results.modes)) {
    for (const app of Object.keys(mode.apps ?? {})) if (!apps.includes(app)) apps.push(app);
  }
  return apps;
}

function valueOf(results: Results, mode: string, app: string): { mean: number; lo: number; hi: number; n: number } | undefined {
  const summary = results.modes[mode]?.apps?.[app]?.[METRIC];
  // A slowdown is at least 1 by definition; 0 or less (or no number) means nothing was measured.
  if (summary === undefined || !Number.isFinite(summary.mean) || summary.mean <= 0) return undefined;
  const lo = Number.isFinite(summary.lo) ? Math.min(summary.lo, summary.mean) : summary.mean;
  const hi = Number.isFinite(summary.hi) ? Math.max(summary.hi, summary.mean) : summary.mean;
  return { mean: summary.mean, lo, hi, n: summary.n };
}

interface Layout {
  readonly axis: FactorAxis;
  readonly apps: string[];
  readonly rows: VictimRow[];
  readonly gaps: VictimGapRow[];
}

function layout(results: Results): Layout {
  const apps = contentionApps(results);
  const modes = Object.keys(results.modes);
  const rows: VictimRow[] = [];
  const gaps: VictimGapRow[] = [];
  for (const app of apps) {
    for (const mode of modes) {
      const value = valueOf(results, mode, app);
      if (value === undefined) {
        gaps.push({ app, mode, label: NO_DATA });
        continue;
      }
      const mean = Math.max(1, value.mean);
      const hi = Math.max(1, value.hi);
      rows.push({
        app,
        mode,
        mean,
        lo: Math.max(1, value.lo),
        hi,
        rawMean: value.mean,
        n: value.n,
        label: formatFactor(value.mean),
        labelAt: Math.max(mean, hi),
      });
    }
  }
  const axis = factorAxisFitting(
    rows.map((row) => ({ value: row.labelAt, labelPx: LABEL_GAP + textWidth(row.label, VALUE_LABEL_SIZE, true) + 4 })),
    WIDTH,
  );
  return { axis, apps, rows, gaps };
}

/** Every bar, apps in order, modes in results order within each. */
export function noisyNeighbourRows(results: Results): VictimRow[] {
  return layout(results).rows;
}

/** Whether the chart is worth drawing: at least two apps, and some slowdown measured. */
export function hasVictimData(results: Results): boolean {
  return contentionApps(results).length >= 2 && noisyNeighbourRows(results).length > 0;
}

export function noisyNeighbourChart(results: Results): TopLevelSpec {
  const modes = Object.keys(results.modes);
  const { axis, apps, rows, gaps } = layout(results);
  const color = modeColorEncoding(colorsFor(results, modes));
  const y = modeBandEncoding(modes, { inner: 0.3, outer: 0.15 }, { minExtent: Math.ceil(modeLabelWidth(modes)) + 6 });
  const x = {
    type: "quantitative" as const,
    scale: { domain: [...axis.domain], nice: false, zero: false },
  };

  const panels = apps.map((app, index) => {
    const last = index === apps.length - 1;
    const xAxis = last
      ? { values: [...axis.ticks], labelExpr: axis.labelExpr, labelFlush: true }
      : { values: [...axis.ticks], labels: false };
    // Every layer carries the same title, or Vega-Lite would merge their fields into "mean, lo, …".
    const px = { ...x, title: last ? X_TITLE : null, axis: xAxis };
    const mine = rows.filter((row) => row.app === app);
    return {
      title: { text: app, fontSize: APP_TITLE_SIZE, color: INK, anchor: "start" as const, offset: 6 },
      width: WIDTH,
      height: { step: BAND },
      layer: [
        unaffectedRuleLayer(px),
        {
          data: { values: mine },
          mark: { type: "bar" as const, opacity: 0.9 },
          encoding: {
            y,
            x: { ...px, field: "mean" },
            x2: { datum: 1 },
            color,
            tooltip: [
              { field: "app", type: "nominal" as const, title: "App" },
              { field: "mode", type: "nominal" as const, title: "Mode" },
              { field: "rawMean", type: "quantitative" as const, title: "p99 slowdown (mean)", format: ".3f" },
              { field: "lo", type: "quantitative" as const, title: "95% CI low", format: ".3f" },
              { field: "hi", type: "quantitative" as const, title: "95% CI high", format: ".3f" },
              { field: "n", type: "quantitative" as const, title: "Replications" },
            ],
          },
        },
        {
          data: { values: mine },
          mark: { type: "errorbar" as const, color: INK, thickness: 1.5, ticks: { size: 8, thickness: 1.5 } },
          encoding: { y, x: { ...px, field: "lo" }, x2: { field: "hi" } },
        },
        {
          data: { values: mine },
          mark: { type: "text" as const, align: "left" as const, baseline: "middle" as const, dx: LABEL_GAP, fontSize: VALUE_LABEL_SIZE, fontWeight: "bold" as const, color: INK },
          encoding: { y, x: { ...px, field: "labelAt" }, text: { field: "label", type: "nominal" as const } },
        },
        noDataLayer(gaps.filter((gap) => gap.app === app), y, px, VALUE_LABEL_SIZE),
      ],
    };
  });

  const figure = {
    title: {
      ...panelTitle("Who suffers, per mode"),
      subtitle: [
        "How much slower each app's slowest 1% of instances ran than alone · 1× = unaffected",
        "Bar: mean of replications · whisker: 95% CI",
      ],
    },
    vconcat: panels,
  };
  return onePanelFigure(results, figure, { ...CHART_CONFIG, concat: { spacing: 18 } });
}
