/**
 * The start-up breakdown figure: where an instance's start-up time goes in each mode, as one
 * horizontal bar per mode stacked from the mean seconds of each start-up phase.
 *
 * Contract: `startupPhasesChart` is pure; it reads only the results contract (the
 * `startup.phase.<phase>` summaries) and returns a standalone Vega-Lite spec (data inlined,
 * theme config included) that compiles as is. Modes run top to bottom in results order; phases
 * stack left to right in `STARTUP_PHASES` order, each segment from the end of the previous, so a
 * bar ends at the sum of its phase means, printed past its end. Segments wide enough for their
 * value are labelled inside. Phases that are 0 in every mode are left out of the legend (and
 * zero-length segments out of the data). A mode whose phases are all 0 gets an empty bar and
 * a "no phase data" note. Throws, naming mode and metric, if a phase summary is missing.
 */

import type { TopLevelSpec } from "vega-lite";
import type { ModeResult, Results, StartupPhase } from "../../experiment/results.js";
import { STARTUP_PHASES } from "../../experiment/results.js";
import { textWidth } from "../fonts.js";
import { PHASE_COLORS, PHASE_LABELS, panelTitle, phaseColors, textColorOn } from "../theme.js";
import { colorEncoding, onePanelFigure, tickedAxisEncoding } from "./common.js";
import { modeBandEncoding } from "./mode-axis.js";
import {
  DETAIL_FONT_SIZE,
  TOTAL_FONT_SIZE,
  TOTAL_GAP,
  barEndLayers,
  segmentFits,
  segmentLabelLayer,
  segmentLayer,
  stackLegend,
} from "./stacked-bars.js";
import { formatSeconds, linearTimeAxis } from "./time.js";

/** Plot width and band height, pixels. */
const WIDTH = 600;
const BAND = 48;
const NO_DATA = "no phase data";
/** Phase detail after a short bar's total: the gap before it. */
const DETAIL_GAP = 12;

/** One segment of a mode's stack. */
export interface PhaseRow {
  readonly mode: string;
  readonly phase: StartupPhase;
  /** Legend name of the phase. */
  readonly phaseLabel: string;
  /** Index in `STARTUP_PHASES`: the stack order. */
  readonly order: number;
  /** Mean seconds per instance in the phase (> 0). */
  readonly seconds: number;
  /** Where the segment starts and ends, seconds from the bar's start. */
  readonly start: number;
  readonly end: number;
  /** Share of the mode's total, 0..1. */
  readonly share: number;
}

/** A bar's total, drawn past its end. */
export interface PhaseTotalRow {
  readonly mode: string;
  /** Sum of the mode's phase means, seconds. */
  readonly total: number;
  /** "24 s", or "no phase data" when every phase is 0. */
  readonly label: string;
}

/**
 * For a bar with segments too narrow to label: its phases in words after the total, largest
 * first ("OS boot 12 s · Guest init 6 s · +2 more"), as many as fit in the plot.
 */
export interface PhaseDetailRow {
  readonly mode: string;
  /** Where the text starts, seconds on the x axis. */
  readonly at: number;
  readonly text: string;
}

/** An in-bar label, for segments wide enough to hold it. */
export interface PhaseLabelRow {
  readonly mode: string;
  readonly phase: StartupPhase;
  /** Segment centre, seconds. */
  readonly mid: number;
  readonly text: string;
  readonly color: string;
}

function phaseMean(name: string, mode: ModeResult, phase: StartupPhase): number {
  const key = `startup.phase.${phase}`;
  const summary = mode.summary[key];
  if (summary === undefined) {
    throw new Error(`startupPhasesChart: mode "${name}" has no "${key}" summary`);
  }
  // A negative or non-finite mean is not a duration: draw nothing for it.
  return Number.isFinite(summary.mean) && summary.mean > 0 ? summary.mean : 0;
}

/** Every non-empty segment, modes in results order, phases in `STARTUP_PHASES` order. */
export function startupPhaseRows(results: Results): PhaseRow[] {
  const rows: PhaseRow[] = [];
  for (const [name, mode] of Object.entries(results.modes)) {
    const means = STARTUP_PHASES.map((phase) => phaseMean(name, mode, phase));
    const total = means.reduce((sum, v) => sum + v, 0);
    let start = 0;
    STARTUP_PHASES.forEach((phase, order) => {
      const seconds = means[order] ?? 0;
      if (seconds <= 0) return;
      rows.push({
        mode: name,
        phase,
        phaseLabel: PHASE_LABELS[phase],
        order,
        seconds,
        start,
        end: start + seconds,
        share: seconds / total,
      });
      start += seconds;
    });
  }
  return rows;
}

/** Each mode's total, in results order. */
export function startupPhaseTotals(results: Results): PhaseTotalRow[] {
  return Object.entries(results.modes).map(([name, mode]) => {
    const total = STARTUP_PHASES.reduce((sum, phase) => sum + phaseMean(name, mode, phase), 0);
    return { mode: name, total, label: total > 0 ? formatSeconds(total) : NO_DATA };
  });
}

/** Phases with time in at least one mode, in `STARTUP_PHASES` order: the legend. */
export function startupPhasesShown(results: Results): StartupPhase[] {
  const rows = startupPhaseRows(results);
  return STARTUP_PHASES.filter((phase) => rows.some((row) => row.phase === phase));
}

/** The x axis: room for the longest bar and its total label, ending on a tick. */
function timeAxis(results: Results): ReturnType<typeof linearTimeAxis> {
  const totals = startupPhaseTotals(results);
  const longest = Math.max(0, ...totals.map((row) => row.total));
  if (!(longest > 0)) return linearTimeAxis(1);
  // The label past the longest bar needs its width in pixels: scale the domain so it fits.
  const labelPx = Math.max(...totals.map((row) => textWidth(row.label, TOTAL_FONT_SIZE, true))) + TOTAL_GAP + 4;
  return linearTimeAxis((longest * WIDTH) / Math.max(WIDTH / 2, WIDTH - labelPx));
}

/** In-bar labels for segments at least as wide as their text plus padding. */
export function startupPhaseLabels(results: Results): PhaseLabelRow[] {
  const domainEnd = timeAxis(results).domain[1];
  const rows: PhaseLabelRow[] = [];
  for (const row of startupPhaseRows(results)) {
    const text = formatSeconds(row.seconds);
    const widthPx = (row.seconds / domainEnd) * WIDTH;
    if (segmentFits(widthPx, text)) {
      rows.push({ mode: row.mode, phase: row.phase, mid: (row.start + row.end) / 2, text, color: textColorOn(PHASE_COLORS[row.phase]) });
    }
  }
  return rows;
}

/** Detail text for bars with an unlabelled segment, fitted to the room right of their total. */
export function startupPhaseDetails(results: Results): PhaseDetailRow[] {
  const domainEnd = timeAxis(results).domain[1];
  const labels = startupPhaseLabels(results);
  const segments = startupPhaseRows(results);
  const rows: PhaseDetailRow[] = [];
  for (const total of startupPhaseTotals(results)) {
    const count = (list: readonly { readonly mode: string }[]): number => list.filter((row) => row.mode === total.mode).length;
    if (!(total.total > 0) || count(labels) === count(segments)) continue;
    const startPx =
      (total.total / domainEnd) * WIDTH + TOTAL_GAP + textWidth(total.label, TOTAL_FONT_SIZE, true) + DETAIL_GAP;
    const room = WIDTH - startPx;
    // Largest first; ties keep the phase order.
    const phases = segments
      .filter((row) => row.mode === total.mode)
      .sort((a, b) => b.seconds - a.seconds || a.order - b.order)
      .map((row) => `${row.phaseLabel} ${formatSeconds(row.seconds)}`);
    let text = "";
    for (let shown = phases.length; shown >= 1; shown -= 1) {
      const rest = phases.length - shown;
      const candidate = [...phases.slice(0, shown), ...(rest > 0 ? [`+${rest} more`] : [])].join(" · ");
      if (textWidth(candidate, DETAIL_FONT_SIZE) <= room) {
        text = candidate;
        break;
      }
    }
    if (text !== "") rows.push({ mode: total.mode, at: (startPx / WIDTH) * domainEnd, text });
  }
  return rows;
}

export function startupPhasesChart(results: Results): TopLevelSpec {
  const modes = Object.keys(results.modes);
  const rows = startupPhaseRows(results);
  const totals = startupPhaseTotals(results);
  const labels = startupPhaseLabels(results);
  const details = startupPhaseDetails(results);
  const shown = startupPhasesShown(results);
  const colors = phaseColors(shown);
  const axis = timeAxis(results);

  const y = modeBandEncoding(modes, { inner: 0.35, outer: 0.2 });
  const x = tickedAxisEncoding(`Mean time per instance (${axis.unit})`, axis, true);

  const noData = totals.filter((row) => row.total <= 0).map((row) => row.mode);
  return onePanelFigure(results, {
    title: {
      ...panelTitle("Where start-up time goes"),
      subtitle:
        "Mean seconds an instance spends in each start-up phase · mean of replications" +
        (noData.length === modes.length && modes.length > 0
          ? " · no mode has phase data"
          : noData.length > 0
            ? ` · ${noData.length === 1 ? "one mode has" : `${noData.length} modes have`} no phase data`
            : ""),
    },
    width: WIDTH,
    height: { step: BAND },
    layer: [
      segmentLayer(rows, y, x, colorEncoding("phaseLabel", colors, stackLegend(4)), [
        { field: "mode", type: "nominal", title: "Mode" },
        { field: "phaseLabel", type: "nominal", title: "Phase" },
        { field: "seconds", type: "quantitative", title: "Seconds (mean)", format: ".3~f" },
        { field: "share", type: "quantitative", title: "Share", format: ".0%" },
      ]),
      segmentLabelLayer(labels, y, { ...x, field: "mid" }),
      ...barEndLayers(y, x, "total", {
        totals: totals.filter((row) => row.total > 0),
        empty: totals.filter((row) => !(row.total > 0)),
        details,
      }),
    ],
  });
}
