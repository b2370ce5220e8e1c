/**
 * The CPU figure: what the hosts' cores were busy with over the run, in the first replication,
 * one small panel per mode on a shared time axis.
 *
 * Contract: `cpuOverTimeChart` is pure; it reads only the results contract (each mode's
 * `cpuSeries`) and returns a standalone Vega-Lite spec (data inlined, theme config included)
 * that compiles as is. Each panel stacks the mode's series in contract order from the bottom
 * (apps in scenario order in the `APP_PALETTE`, then overhead in grey and start-up work in light
 * grey; past MAX_APP_SERIES apps, those using the least CPU share one series, "Other apps (n)",
 * on top of the others), so the top of the stack at each sample is the sum of the series there;
 * a dashed rule marks the mode's `capacityCores`, labelled at its right end. Every panel shares the y scale
 * (cores) and the time axis (from 0 to the last sample, `linearTimeAxis` ticks), so panels
 * compare at a glance. The panel subtitle gives the mean cores busy, its share of the capacity
 * and the mean overhead. A panel's data leaves out the samples inside a stretch where a series stays
 * the same (drawnRows): the drawn areas are those of every sample. Series that are 0 in every mode
 * stay out of the legend, which wraps past LEGEND_COLUMNS entries. Modes without samples are left
 * out and named in the subtitle. Never throws on well-formed results.
 */

import type { TopLevelSpec } from "vega-lite";
import type { CpuSeries, Results } from "../../experiment/results.js";
import { CPU_SERIES_OTHER } from "../../experiment/results.js";
import { APP_PALETTE, CHART_CONFIG, CPU_OTHER_COLORS, CPU_OTHER_LABELS, INK, MUTED, modeColors, panelTitle } from "../theme.js";
import type { ColorScale } from "../theme.js";
import { formatDuration, formatShare, formatValue, groupedSigFigs } from "../format.js";
import { drawnRows, figureTitle, listNames } from "./common.js";
import { linearTimeAxis } from "./time.js";
import type { LinearTimeAxis } from "./time.js";

/** One panel's plot size, pixels. */
const WIDTH = 640;
const HEIGHT = 90;
/** Room above the tallest stack or capacity rule for the capacity label, as a share of it. */
const HEADROOM = 1.18;
const CAPACITY_LABEL_SIZE = 11;
/** Legend entries per row when there are more than fit under the panels. */
const LEGEND_COLUMNS = 6;
/**
 * The most apps the CPU charts draw apart, one colour each: past it, all but the MAX_APP_SERIES - 1
 * using the most CPU share one series, "Other apps (n)", rather than colours repeating.
 */
export const MAX_APP_SERIES = APP_PALETTE.length;
/** The series key of the apps drawn together (no app name starts with a NUL). */
export const OTHER_APPS = "\u0000other apps";

/** App name -> the series it is drawn in: its own, or OTHER_APPS (see MAX_APP_SERIES). */
export type AppSeries = ReadonlyMap<string, string>;

type OtherSeries = (typeof CPU_SERIES_OTHER)[number];

/** One sample of one series of a mode's stack. */
export interface CpuRow {
  readonly mode: string;
  /** The series' name in the results and its legend name. */
  readonly series: string;
  readonly seriesLabel: string;
  /** Index in the mode's `series`: the stack order, 0 at the bottom. */
  readonly order: number;
  readonly seconds: number;
  /** Cores the series used (non-finite and negative values read as 0). */
  readonly cores: number;
  /** Where its band starts and ends, cores from 0. */
  readonly y0: number;
  readonly y1: number;
}

/** A mode's capacity rule and its label. */
export interface CpuCapacityRow {
  readonly mode: string;
  readonly capacityCores: number;
  /** "capacity 62 cores" */
  readonly label: string;
}

/** One panel's headline numbers, over the samples drawn. */
export interface CpuPanelSummary {
  readonly mode: string;
  /** Mean cores in use (top of the stack), and mean overhead cores. */
  readonly meanCores: number;
  readonly meanOverhead: number;
  readonly capacityCores: number;
  /** "38 of 62 cores busy on average (61%) · overhead 0.2 cores" */
  readonly text: string;
}

function isOther(name: string, index: number, series: readonly string[]): name is OtherSeries {
  // The non-app parts are the last entries of `series`: an app named "overhead" stays an app.
  const others = CPU_SERIES_OTHER.length;
  return index >= series.length - others && (CPU_SERIES_OTHER as readonly string[]).includes(name);
}

/** A mode's samples are drawable: times, at least one series, and values for them. */
function drawable(cpu: CpuSeries | undefined): cpu is CpuSeries {
  return cpu !== undefined && cpu.timesS.length > 0 && cpu.series.length > 0 && cpu.values.length > 0;
}

/**
 * The legend names of every series of every drawn mode, apps in the order they first appear
 * and then the non-app parts, with their colours; an app whose name collides with a non-app
 * legend name is suffixed " (app)".
 */
function seriesNames(results: Results): { apps: string[]; others: OtherSeries[] } {
  const apps: string[] = [];
  const others = new Set<OtherSeries>();
  for (const mode of Object.values(results.modes)) {
    if (!drawable(mode.cpuSeries)) continue;
    mode.cpuSeries.series.forEach((name, index, series) => {
      if (isOther(name, index, series)) others.add(name);
      else if (!apps.includes(name)) apps.push(name);
    });
  }
  return { apps, others: CPU_SERIES_OTHER.filter((name) => others.has(name)) };
}

/** The legend name of the apps drawn together. */
function otherAppsLabel(n: number): string {
  return `Other apps (${n})`;
}

/** An app's legend name: its own, unless it would read as a non-app part's or the other apps'. */
function appLabel(name: string): string {
  const taken = (Object.values(CPU_OTHER_LABELS) as string[]).includes(name) || /^Other apps \(\d+\)$/.test(name);
  return taken ? `${name} (app)` : name;
}

function legendName(name: string, index: number, series: readonly string[]): string {
  return isOther(name, index, series) ? CPU_OTHER_LABELS[name] : appLabel(name);
}

/**
 * Which series each app is drawn in: its own while at most MAX_APP_SERIES apps use any CPU in the
 * drawn modes' samples; else the MAX_APP_SERIES - 1 using the most (cores summed over the samples of
 * every drawn mode; ties in scenario order) keep theirs and the rest share OTHER_APPS.
 */
export function appSeries(results: Results): AppSeries {
  const { apps } = seriesNames(results);
  const total = new Map<string, number>(apps.map((app) => [app, 0]));
  for (const mode of Object.values(results.modes)) {
    const cpu = mode.cpuSeries;
    if (!drawable(cpu)) continue;
    cpu.series.forEach((name, k, series) => {
      if (isOther(name, k, series)) return;
      let sum = total.get(name) ?? 0;
      for (const v of cpu.values[k] ?? []) sum += clean(v);
      total.set(name, sum);
    });
  }
  const used = apps.filter((app) => (total.get(app) ?? 0) > 0);
  if (used.length <= MAX_APP_SERIES) return new Map(apps.map((app) => [app, app]));
  const byUse = [...used].sort((a, b) => (total.get(b) ?? 0) - (total.get(a) ?? 0) || apps.indexOf(a) - apps.indexOf(b));
  const kept = new Set(byUse.slice(0, MAX_APP_SERIES - 1));
  return new Map(apps.map((app) => [app, kept.has(app) ? app : OTHER_APPS]));
}

/** How many apps share OTHER_APPS. */
function otherAppCount(groups: AppSeries): number {
  let n = 0;
  for (const to of groups.values()) if (to === OTHER_APPS) n++;
  return n;
}

function clean(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Every drawn mode's stacked samples, modes in results order, series bottom to top: the apps drawn
 * apart (`groups`, appSeries), then the other apps' sum when some share a series, then the non-app parts.
 */
export function cpuOverTimeRows(results: Results, groups: AppSeries = appSeries(results)): CpuRow[] {
  const rows: CpuRow[] = [];
  const others = otherAppCount(groups);
  for (const [mode, result] of Object.entries(results.modes)) {
    const cpu = result.cpuSeries;
    if (!drawable(cpu)) continue;
    cpu.timesS.forEach((seconds, j) => {
      if (!Number.isFinite(seconds)) return;
      let y0 = 0;
      let order = 0;
      let shared = 0;
      let sharedDone = others === 0;
      const push = (series: string, seriesLabel: string, cores: number): void => {
        rows.push({ mode, series, seriesLabel, order: order++, seconds, cores, y0, y1: y0 + cores });
        y0 += cores;
      };
      cpu.series.forEach((series, k) => {
        const cores = clean(cpu.values[k]?.[j]);
        const app = !isOther(series, k, cpu.series);
        if (app && groups.get(series) === OTHER_APPS) {
          shared += cores;
          return;
        }
        // The shared series sits on top of the apps drawn apart, under the non-app parts.
        if (!app && !sharedDone) {
          push(OTHER_APPS, otherAppsLabel(others), shared);
          sharedDone = true;
        }
        push(series, legendName(series, k, cpu.series), cores);
      });
      if (!sharedDone) push(OTHER_APPS, otherAppsLabel(others), shared);
    });
  }
  return rows;
}

/** Each drawn mode's capacity rule, in results order. */
export function cpuCapacityRows(results: Results): CpuCapacityRow[] {
  return Object.entries(results.modes)
    .filter(([, result]) => drawable(result.cpuSeries))
    .map(([mode, result]) => {
      const capacityCores = clean(result.cpuSeries.capacityCores);
      return { mode, capacityCores, label: `capacity ${formatCores(capacityCores)}` };
    });
}

/** Modes with no CPU samples, in results order. */
export function cpuOverTimeMissing(results: Results): string[] {
  return Object.entries(results.modes)
    .filter(([, result]) => !drawable(result.cpuSeries))
    .map(([mode]) => mode);
}

/** Whether any mode has CPU samples: the chart is worth drawing. */
export function hasCpuSeries(results: Results): boolean {
  return cpuOverTimeMissing(results).length < Object.keys(results.modes).length;
}

/**
 * Legend name -> colour of the series drawn: apps in `APP_PALETTE` order (the apps drawn apart, when
 * some share a series, each its own colour, and the other apps the next), then the non-app parts.
 */
export function cpuSeriesColors(results: Results, groups: AppSeries = appSeries(results), rows = cpuOverTimeRows(results, groups)): ColorScale {
  const used = new Set(rows.filter((row) => row.cores > 0).map((row) => row.seriesLabel));
  const { apps, others } = seriesNames(results);
  const shared = otherAppCount(groups);
  const domain: string[] = [];
  const range: string[] = [];
  const apart = apps.filter((app) => groups.get(app) !== OTHER_APPS);
  apart.forEach((app, index) => {
    const label = appLabel(app);
    if (!used.has(label)) return;
    domain.push(label);
    range.push(APP_PALETTE[index % APP_PALETTE.length] ?? INK);
  });
  if (shared > 0 && used.has(otherAppsLabel(shared))) {
    domain.push(otherAppsLabel(shared));
    range.push(APP_PALETTE[(MAX_APP_SERIES - 1) % APP_PALETTE.length] ?? INK);
  }
  for (const other of others) {
    if (!used.has(CPU_OTHER_LABELS[other])) continue;
    domain.push(CPU_OTHER_LABELS[other]);
    range.push(CPU_OTHER_COLORS[other]);
  }
  return { domain, range };
}

/** "62 cores", "2.37 cores", "1 core": `formatValue` in cores. */
function formatCores(cores: number): string {
  return formatValue(cores > 0 ? cores : 0, "cores");
}

/** Each drawn mode's mean use over its samples, in results order. */
export function cpuPanelSummaries(results: Results, groups: AppSeries = appSeries(results), rows = cpuOverTimeRows(results, groups)): CpuPanelSummary[] {
  return cpuCapacityRows(results).map(({ mode, capacityCores }) => {
    const mine = rows.filter((row) => row.mode === mode);
    const times = new Set(mine.map((row) => row.seconds)).size;
    const tops = new Map<number, number>();
    let overhead = 0;
    for (const row of mine) {
      tops.set(row.seconds, Math.max(tops.get(row.seconds) ?? 0, row.y1));
      if (row.seriesLabel === CPU_OTHER_LABELS.overhead) overhead += row.cores;
    }
    const meanCores = [...tops.values()].reduce((sum, v) => sum + v, 0) / Math.max(1, times);
    const meanOverhead = overhead / Math.max(1, times);
    const share = capacityCores > 0 ? ` (${formatShare(meanCores / capacityCores)})` : "";
    const busy = capacityCores > 0 ? `${groupedSigFigs(meanCores > 0 ? meanCores : 0)} of ${formatCores(capacityCores)}` : formatCores(meanCores);
    return { mode, meanCores, meanOverhead, capacityCores, text: `${busy} busy on average${share} · overhead ${formatCores(meanOverhead)}` };
  });
}

/** About `count` ticks from 0 up to at most `max`, at 1-2-5 steps of whole cores (or finer below 2). */
function coreTicks(max: number, count = 3): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let k = 0; k * step <= max + 1e-9; k += 1) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Steps people count time in, per axis unit: 30 min rather than 25, 6 h rather than 5. */
const TIME_STEPS: Readonly<Record<string, readonly number[]>> = {
  s: [1, 2, 5, 10, 15, 20, 30, 60],
  min: [1, 2, 5, 10, 15, 20, 30, 60],
  h: [1, 2, 3, 6, 12, 24, 48, 96, 168, 336, 720],
};
/** At most this many intervals on the time axis: the panels are wide but the labels are many. */
const MAX_TIME_INTERVALS = 5;

/**
 * The time axis from 0 to at least `max` seconds, in the unit `linearTimeAxis` picks (seconds
 * up to 3 minutes, minutes up to 3 hours, then hours) but stepping in clock-friendly amounts
 * (`TIME_STEPS`), the domain ending on a tick. Labels are bare numbers in `unit`.
 */
export function cpuTimeAxis(max: number): LinearTimeAxis {
  const unit = linearTimeAxis(max).unit;
  const unitSeconds = unit === "h" ? 3600 : unit === "min" ? 60 : 1;
  const top = Number.isFinite(max) && max > 0 ? max / unitSeconds : 1;
  const steps = TIME_STEPS[unit] ?? [1];
  const step = steps.find((s) => Math.ceil(top / s - 1e-9) <= MAX_TIME_INTERVALS) ?? Math.ceil(top / MAX_TIME_INTERVALS);
  const count = Math.max(1, Math.ceil(top / step - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, i) => i * step * unitSeconds);
  return {
    domain: [0, ticks[ticks.length - 1] ?? unitSeconds],
    ticks,
    unit,
    labelExpr: `format(datum.value / ${unitSeconds}, '~g')`,
  };
}

/** What a CPU chart shows: the whole run (default) or the start-up window, zoomed. */
export interface CpuChartOptions {
  readonly panelTitle: string;
  /** The first subtitle line. */
  readonly scope: string;
  /** Which apps are drawn apart (default: appSeries of the results drawn). */
  readonly groups?: AppSeries;
}

const WHOLE_RUN: CpuChartOptions = {
  panelTitle: "Where the CPU goes",
  scope: "First replication · cores in use summed over the hosts, stacked by app, then overhead and start-up work",
};

/** Each mode's start-up window samples in place of its whole-run ones. */
function startupWindow(results: Results): Results {
  const modes = Object.fromEntries(Object.entries(results.modes).map(([name, m]) => [name, { ...m, cpuSeries: m.startupCpuSeries }]));
  return { ...results, modes };
}

/** When the start-up window ends (its last sample), seconds; 0 when no mode has start-up samples. */
export function startupWindowEnd(results: Results): number {
  return Math.max(0, ...Object.values(results.modes).flatMap((m) => m.startupCpuSeries?.timesS ?? []));
}

/**
 * Why the start-up zoom is not worth drawing, in one line; undefined when it is: some mode has
 * start-up samples with start-up work in them, and the window is under a quarter of the run (so
 * the whole-run chart squeezes it).
 */
export function cpuStartupReason(results: Results): string | undefined {
  const end = startupWindowEnd(results);
  const whole = Math.max(0, ...Object.values(results.modes).flatMap((m) => m.cpuSeries.timesS));
  if (!(end > 0)) return "no start-up CPU zoom: no service started";
  if (end >= whole / 4) return `no start-up CPU zoom: start-up (${formatDuration(end)}) is not short next to the run (${formatDuration(whole)}); the CPU-over-time chart shows it`;
  const busy = Object.values(results.modes).some((m) => {
    const k = m.startupCpuSeries.series.lastIndexOf("start-up");
    return k >= 0 && (m.startupCpuSeries.values[k] ?? []).some((v) => v > 0);
  });
  return busy ? undefined : "no start-up CPU zoom: start-up used no CPU";
}

/** The CPU figure over the start-up window only: the boot storm a whole-run chart squeezes into a line. */
export function cpuStartupChart(results: Results): TopLevelSpec {
  const end = startupWindowEnd(results);
  return cpuOverTimeChart(startupWindow(results), {
    // The apps the whole-run chart draws apart, so the two charts tell the same apps apart.
    groups: appSeries(results),
    panelTitle: "Where the CPU goes during start-up",
    scope: `First replication, the start-up window: 0 to ${formatDuration(end)} (every service ready or rejected, plus a tenth) · stacked as over the whole run`,
  });
}

export function cpuOverTimeChart(results: Results, options: CpuChartOptions = WHOLE_RUN): TopLevelSpec {
  const groups = options.groups ?? appSeries(results);
  const rows = cpuOverTimeRows(results, groups);
  const capacity = cpuCapacityRows(results);
  // The rows once, for the panels, their summaries and the legend.
  const summaries = cpuPanelSummaries(results, groups, rows);
  const missing = cpuOverTimeMissing(results);
  const colors = cpuSeriesColors(results, groups, rows);
  const modeColor = modeColors(results);
  // A loop, not a spread: a week sampled every minute is more arguments than a call may take.
  let lastTime = 0;
  let top = 1;
  for (const row of rows) {
    lastTime = Math.max(lastTime, row.seconds);
    top = Math.max(top, row.y1);
  }
  for (const row of capacity) top = Math.max(top, row.capacityCores);
  const axis = cpuTimeAxis(lastTime);
  const yMax = top * HEADROOM;
  const yTicks = coreTicks(top);

  const x = {
    field: "seconds",
    type: "quantitative" as const,
    scale: { domain: [...axis.domain], nice: false, zero: true },
  };
  const y = {
    type: "quantitative" as const,
    title: "Cores",
    scale: { domain: [0, yMax], nice: false, zero: true },
    axis: { values: yTicks, format: ",.4~r" },
  };
  const color = {
    field: "seriesLabel",
    type: "nominal" as const,
    scale: { domain: [...colors.domain], range: [...colors.range] },
    legend:
      colors.domain.length === 0
        ? null
        : {
            title: null,
            orient: "bottom" as const,
            direction: "horizontal" as const,
            columnPadding: 18,
            offset: 14,
            // Many apps wrap into rows rather than run a line wider than the panels.
            ...(colors.domain.length > LEGEND_COLUMNS ? { columns: LEGEND_COLUMNS } : {}),
          },
  };

  const drawn = capacity.map((row) => row.mode);
  const panels = drawn.map((mode, index) => {
    const last = index === drawn.length - 1;
    const summary = summaries.find((row) => row.mode === mode);
    const modeIndex = modeColor.domain.indexOf(mode);
    const xAxis = last
      ? { title: `Time since the start of the run (${axis.unit})`, values: [...axis.ticks], labelExpr: axis.labelExpr, labelFlush: true }
      : { title: null, values: [...axis.ticks], labels: false };
    const capacityRow = capacity.filter((row) => row.mode === mode);
    return {
      title: {
        text: mode,
        color: modeColor.range[modeIndex] ?? INK,
        fontSize: 14,
        subtitle: summary?.text ?? "",
        subtitleFontSize: 12,
        subtitleColor: MUTED,
        subtitlePadding: 3,
        anchor: "start" as const,
        offset: 6,
      },
      width: WIDTH,
      height: HEIGHT,
      layer: [
        {
          data: { values: drawnRows(rows.filter((row) => row.mode === mode), (row) => row.series, ["cores", "y0", "y1"]) },
          mark: { type: "area" as const, interpolate: "linear" as const, opacity: 1 },
          encoding: {
            x: { ...x, axis: xAxis },
            y: { ...y, field: "y1" },
            y2: { field: "y0" },
            color,
            order: { field: "order", type: "quantitative" as const },
            tooltip: [
              { field: "mode", type: "nominal" as const, title: "Mode" },
              { field: "seriesLabel", type: "nominal" as const, title: "Series" },
              { field: "seconds", type: "quantitative" as const, title: "Seconds", format: ".0f" },
              { field: "cores", type: "quantitative" as const, title: "Cores", format: ".2f" },
            ],
          },
        },
        {
          data: { values: capacityRow },
          mark: { type: "rule" as const, color: INK, strokeWidth: 1.5, strokeDash: [6, 4] },
          encoding: { y: { ...y, field: "capacityCores" } },
        },
        {
          data: { values: capacityRow.map((row) => ({ ...row, at: axis.domain[1] })) },
          mark: {
            type: "text" as const,
            align: "right" as const,
            baseline: "bottom" as const,
            dy: -4,
            fontSize: CAPACITY_LABEL_SIZE,
            color: INK,
          },
          encoding: {
            x: { ...x, field: "at" },
            y: { ...y, field: "capacityCores" },
            text: { field: "label", type: "nominal" as const },
          },
        },
      ],
    };
  });

  const subtitle = [
    options.scope,
    "Overhead: virtualisation tax, idle guests and engine daemons · dashed: capacity of the hosts used",
    ...(missing.length > 0 ? [`Not shown, no CPU samples: ${listNames(missing)}`] : []),
  ];

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: figureTitle(results),
    config: { ...CHART_CONFIG, concat: { spacing: 22 } },
    resolve: { scale: { color: "shared" }, legend: { color: "shared" } },
    hconcat: [
      {
        title: { ...panelTitle(options.panelTitle), subtitle },
        vconcat: panels,
      },
    ],
  };
}
