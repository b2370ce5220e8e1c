/**
 * A sweep: the same scenario run at every point of a grid of parameters (any scenario path, as
 * --set takes it), every mode each time, so a planner sees where one mode overtakes another.
 * The grid is the cartesian product of the parameters' values, the first parameter outermost.
 */
import type { LoadedScenario } from "../scenario/index.js";
import { runExperiment, TOOL_VERSION } from "./experiment.js";
import { metricSummary, type MetricRef, type MetricUnit } from "./metric-catalog.js";
import type { MetricSummary, ModeResult, Results } from "./results.js";

/** The sweep JSON's format version. 2: a grid of parameters, several metrics, per-app summaries. */
export const SWEEP_SCHEMA_VERSION = 2;

/** One varied parameter: its scenario path and its values as written on the command line. */
export interface SweepParameter {
  readonly path: string;
  readonly values: readonly string[];
}

export interface SweepPoint {
  /** One value per varied parameter, in `parameters` order, as written (units allowed). */
  readonly values: readonly string[];
  /** The requested metrics, by name as requested (`cost.monthly.total`, `apps.web.slowdown.p99`). */
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** Every cluster-wide metric's summary (kept: a sweep can be charted again for another metric). */
  readonly summary: Readonly<Record<string, MetricSummary>>;
  /** App name -> every per-app metric's summary. */
  readonly apps: Readonly<Record<string, Readonly<Record<string, MetricSummary>>>>;
}

/** A requested metric and how to read it. */
export interface SweepMetric {
  readonly name: string;
  /** In words, with the app for a per-app metric: "cost: total / month", "app web: start-up p95". */
  readonly label: string;
  readonly unit: MetricUnit;
}

export interface SweepResults {
  readonly schemaVersion: typeof SWEEP_SCHEMA_VERSION;
  readonly tool: { readonly name: "densim"; readonly version: string };
  readonly scenario: { readonly name: string; readonly title: string; readonly file: string };
  readonly parameters: readonly SweepParameter[];
  readonly metrics: readonly SweepMetric[];
  /** `--set` overrides applied at every point, before the varied parameters. */
  readonly overrides: readonly string[];
  readonly seed: number;
  readonly replications: number;
  /** Mode name -> one point per grid point, in grid order (see `sweepGrid`). */
  readonly modes: Readonly<Record<string, { readonly kind: string; readonly points: readonly SweepPoint[] }>>;
}

/** The grid's points: the cartesian product of the values, the first parameter outermost. */
export function sweepGrid(parameters: readonly SweepParameter[]): string[][] {
  return parameters.reduce<string[][]>((acc, p) => acc.flatMap((prefix) => p.values.map((v) => [...prefix, v])), [[]]);
}

/** The `--set` overrides that place the scenario at one grid point. */
export const pointSets = (parameters: readonly SweepParameter[], values: readonly string[]): string[] =>
  parameters.map((p, k) => `${p.path}=${values[k] ?? ""}`);

export interface SweepOptions {
  readonly modes?: readonly string[];
  readonly overrides?: readonly string[];
  /** Called after each grid point. */
  readonly onPoint?: (done: number, total: number) => void;
}

/** One grid point's outcome: per compared mode, in the scenario's order, its kind and its point. */
export type PointResult = readonly { readonly mode: string; readonly kind: string; readonly point: SweepPoint }[];

/** Runs the scenario loaded at one grid point (`values`, in `parameters` order), every mode. */
export function runSweepPoint(loaded: LoadedScenario, values: readonly string[], metrics: readonly MetricRef[], modes?: readonly string[]): PointResult {
  return pointResult(runExperiment(loaded, { modes, dropJobRecords: true, hostRows: false }).results, values, metrics);
}

/** A grid point's outcome from the results of its experiment (however its runs ran). */
export const pointResult = (results: Results, values: readonly string[], metrics: readonly MetricRef[]): PointResult =>
  Object.entries(results.modes).map(([mode, m]) => ({ mode, kind: m.kind, point: sweepPoint(values, m, metrics) }));

/**
 * Runs every grid point. `points` are the scenario loaded (and so validated) at each point of
 * `sweepGrid(parameters)`, in that order; `metrics` are resolved against the scenario's apps.
 */
export function runSweep(
  parameters: readonly SweepParameter[],
  points: readonly LoadedScenario[],
  metrics: readonly MetricRef[],
  options: SweepOptions = {},
): SweepResults {
  const grid = sweepGrid(parameters);
  if (grid.length !== points.length || points.length === 0) throw new Error(`runSweep: ${points.length} scenarios for ${grid.length} grid points`);
  const outcomes = points.map((loaded, k) => {
    const r = runSweepPoint(loaded, grid[k] as string[], metrics, options.modes);
    options.onPoint?.(k + 1, points.length);
    return r;
  });
  return assembleSweep(sweepHeader(parameters, points[0] as LoadedScenario, metrics, options.overrides ?? []), outcomes);
}

/** Everything in a sweep's results but the points. */
export type SweepHeader = Omit<SweepResults, "schemaVersion" | "tool" | "modes">;

export function sweepHeader(
  parameters: readonly SweepParameter[],
  first: Pick<LoadedScenario, "scenario" | "file">,
  metrics: readonly MetricRef[],
  overrides: readonly string[],
): SweepHeader {
  const s = first.scenario;
  return {
    scenario: { name: s.name, title: s.title ?? s.name, file: first.file },
    parameters: parameters.map((p) => ({ path: p.path, values: [...p.values] })),
    metrics: metrics.map((r) => ({ name: r.name, label: r.app === undefined ? r.info.label : `app ${r.app}: ${r.info.label}`, unit: r.info.unit })),
    overrides: [...overrides],
    seed: s.seed,
    replications: s.replications,
  };
}

/** The sweep's results from every grid point's outcome, in grid order (whoever ran each). */
export function assembleSweep(header: SweepHeader, outcomes: readonly PointResult[]): SweepResults {
  const modes: Record<string, { kind: string; points: SweepPoint[] }> = {};
  for (const outcome of outcomes)
    for (const { mode, kind, point } of outcome) {
      modes[mode] ??= { kind, points: [] };
      modes[mode].points.push(point);
    }
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    tool: { name: "densim", version: TOOL_VERSION },
    scenario: { ...header.scenario },
    parameters: header.parameters.map((p) => ({ path: p.path, values: [...p.values] })),
    metrics: header.metrics.map((m) => ({ name: m.name, label: m.label, unit: m.unit })),
    overrides: [...header.overrides],
    seed: header.seed,
    replications: header.replications,
    modes,
  };
}

function sweepPoint(values: readonly string[], m: ModeResult, metrics: readonly MetricRef[]): SweepPoint {
  const none: MetricSummary = { mean: 0, sd: 0, lo: 0, hi: 0, n: 0 };
  return {
    values: [...values],
    metrics: Object.fromEntries(metrics.map((r) => [r.name, metricSummary(m, r) ?? none])),
    summary: m.summary,
    apps: m.apps,
  };
}
