/**
 * What report.html and report.md both tell about one run, as data: the SLO verdicts, the
 * assumptions that differ between modes with their sources, the provenance, the chart captions.
 * The comparison itself is `comparisonModel` (the terminal's table). Reads only the results
 * contract; the two renderers only lay this out, so the two reports never disagree.
 */
import { parseMetric, type MetricUnit } from "../experiment/metric-catalog.js";
import type { MetricSummary, Results } from "../experiment/results.js";
import { formatSummary, formatValue, NONE } from "./format.js";

/** What the CLI knows and results.json must not hold (it would differ between machines). */
export interface ReportEnvironment {
  /** `process.version`, e.g. "v20.19.0". */
  readonly nodeVersion: string;
}

/** A chart of the run: its file-name stem, Vega-Lite spec and pre-rendered SVG ("" when none). */
export interface RenderedChart {
  readonly name: string;
  readonly spec: unknown;
  readonly svg: string;
}

/** A heading per chart name (allCharts' names); an unknown name is its own heading. */
const CHART_CAPTIONS: Readonly<Record<string, string>> = {
  density: "Density: instances per host and where the memory goes",
  cost: "Monthly cost by item",
  "startup-ecdf": "Start-up latency: request to ready",
  "ready-over-time": "Instances ready over time",
  "startup-phases": "Where start-up time goes, by phase",
  slowdown: "Slowdown of running services",
  "cpu-over-time": "Cluster CPU over time",
  "cpu-startup": "Cluster CPU during start-up",
  "memory-over-time": "Memory in use over time",
  victims: "Who suffers from noisy neighbours",
  "failure-ready": "Instances ready after a host failure",
  "recovery-time": "Recovery time after a host failure",
  "maintenance-window": "Maintenance window per mode",
};

export const chartCaption = (name: string): string => CHART_CAPTIONS[name] ?? name;

/** The unit of a metric name (cluster-wide or `apps.<app>.<metric>`), when it is one. */
export function metricUnit(results: Results, metric: string): MetricUnit | undefined {
  const apps = Object.keys(Object.values(results.modes)[0]?.apps ?? {});
  return parseMetric(metric, apps)?.info.unit;
}

/**
 * "95% CI 20.6 s – 21.2 s, n = 5" for a summary in `unit`, or "95% CI mean ±0.000452×, n = 5"
 * when the ends read the same at three figures; "n = 1" without an interval; "" with no figure.
 */
export function intervalText(s: MetricSummary | undefined, unit: MetricUnit | undefined): string {
  if (!s || s.n === 0 || !Number.isFinite(s.mean)) return "";
  if (unit === undefined || s.n < 2) return `n = ${s.n}`;
  const lo = formatValue(s.lo, unit);
  const hi = formatValue(s.hi, unit);
  if (lo !== hi) return `95% CI ${lo} – ${hi}, n = ${s.n}`;
  return `95% CI mean ±${formatValue((s.hi - s.lo) / 2, unit)}, n = ${s.n}`;
}

/** The line under the comparison saying what the numbers are. */
export function comparisonNote(results: Results): string {
  return results.replications > 1
    ? `Means over ${results.replications} replications; ± is the half-width of the 95% confidence interval of the mean (shown where replications differ).`
    : "One replication: no confidence interval (run more replications to see how much the figures vary).";
}

export interface SloCell {
  readonly met: boolean;
  /** The figure with its CI half-width ("20.9 s ±0.31 s"), or why there is none. */
  readonly figure: string;
  /** The figure judged against the bound when it is not the mean (strict SLOs judge the CI's end). */
  readonly judged: string;
  readonly interval: string;
}

export interface SloRow {
  readonly objective: string;
  readonly cells: readonly (SloCell | undefined)[];
}

/** One row per objective, one cell per mode in `modes` order (undefined where the mode has no verdict). */
export function sloRows(results: Results, modes: readonly string[]): SloRow[] {
  return results.slo.map((slo) => {
    const unit = metricUnit(results, slo.metric);
    return {
      objective: slo.text,
      cells: modes.map((m) => {
        const v = slo.verdicts[m];
        if (!v) return undefined;
        const figure = v.value && unit ? formatSummary(v.value, unit) : (v.reason ?? NONE);
        const judged =
          v.judged !== undefined && unit && v.value && formatValue(v.judged, unit) !== formatValue(v.value.mean, unit) ? formatValue(v.judged, unit) : "";
        return { met: v.met, figure: v.reason && !v.value ? v.reason : figure, judged, interval: intervalText(v.value, unit) };
      }),
    };
  });
}

export interface AssumptionCell {
  readonly value: string;
  /** 1-based number of the source in `sources`, 0 when the profile cites none. */
  readonly source: number;
}

export interface AssumptionTable {
  readonly modes: readonly string[];
  /** Parameters whose value differs between the modes (every parameter when one mode ran). */
  readonly rows: readonly { readonly parameter: string; readonly cells: readonly (AssumptionCell | undefined)[] }[];
  /** Parameters left out because every mode has the same value and source. */
  readonly same: readonly string[];
  /** Distinct sources in order of first use; cells refer to them by number. */
  readonly sources: readonly string[];
}

/** The profile parameters in force per mode, those that differ between modes, with numbered sources. */
export function assumptionTable(results: Results): AssumptionTable {
  const modes = Object.keys(results.modes);
  const byMode = modes.map((m) => new Map((results.modes[m]?.assumptions ?? []).map((a) => [a.parameter, a])));
  const parameters: string[] = [];
  for (const m of modes) for (const a of results.modes[m]?.assumptions ?? []) if (!parameters.includes(a.parameter)) parameters.push(a.parameter);
  const sources: string[] = [];
  const sourceNumber = (s: string): number => {
    if (s === "") return 0;
    if (!sources.includes(s)) sources.push(s);
    return sources.indexOf(s) + 1;
  };
  const rows: { parameter: string; cells: (AssumptionCell | undefined)[] }[] = [];
  const same: string[] = [];
  for (const p of parameters) {
    const found = byMode.map((b) => b.get(p));
    const first = found[0];
    const identical = modes.length > 1 && found.every((a) => a !== undefined && a.value === first?.value && a.source === first?.source);
    if (identical) same.push(p);
    else rows.push({ parameter: p, cells: found.map((a) => (a ? { value: a.value, source: sourceNumber(a.source) } : undefined)) });
  }
  return { modes, rows, same, sources };
}

/** [label, value] lines saying exactly what was run, and with what. */
export function provenanceRows(results: Results, env: ReportEnvironment): [string, string][] {
  const s = results.scenario;
  return [
    ["densim", results.tool.version],
    ["Scenario", `${s.name} (${s.file})`],
    ["Scenario hash", s.hash],
    ["Overrides", s.overrides.length > 0 ? s.overrides.join("  ") : "none"],
    ["Seed", String(results.seed)],
    ["Replications", String(results.replications)],
    ["Horizon", formatValue(results.horizonS, "s")],
    ["Modes run", s.modes.join(", ")],
    ["Node.js", env.nodeVersion],
  ];
}

/** The question as paragraphs (blank lines separate them). */
export const questionParagraphs = (results: Results): string[] =>
  results.scenario.question
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter((p) => p !== "");
