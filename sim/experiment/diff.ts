/**
 * How two results differ: what was run differently (scenario, overrides, seed, replications,
 * densim version, the effective scenario text as a unified diff) and, per mode and metric, how
 * far each figure moved and whether it moved beyond the 95% confidence intervals. Pure: two read
 * results in, plain data out; report/diff.ts words it, `densim diff` prints it.
 */
import { createTwoFilesPatch } from "diff";
import { APP_METRIC_INFO, METRIC_INFO, type MetricUnit } from "./metric-catalog.js";
import type { ReadResults } from "./results-schema.js";
import { APP_METRICS, METRICS, type MetricSummary, type Results } from "./results.js";

/** One side of the comparison, as the reader needs to tell them apart. */
export interface DiffSide {
  /** The results file as named on the command line (or found in the named folder). */
  readonly path: string;
  readonly schemaVersion: 1 | 2;
  readonly scenario: string;
  readonly title: string;
  readonly hash: string;
  /** The scenario file that was run; null where the results do not say (schemaVersion 1). */
  readonly scenarioFile: string | null;
  readonly toolVersion: string;
  readonly seed: number;
  readonly replications: number;
  /** `--set` overrides (seed and replications flags included); null where not recorded. */
  readonly overrides: readonly string[] | null;
  readonly modes: readonly string[];
}

/** A value of an input on each side; `same` when equal. */
export interface InputPair<T> {
  readonly a: T;
  readonly b: T;
  readonly same: boolean;
}

export interface MetricChange {
  readonly mode: string;
  /** `startup.p95`, `apps.orders.startup.p95`. */
  readonly metric: string;
  /** The app for a per-app metric. */
  readonly app?: string;
  /** The metric in words (METRIC_INFO), without the app. */
  readonly label: string;
  readonly unit: MetricUnit;
  /** null where the side has no figure (nothing ran, nothing ready). */
  readonly a: MetricSummary | null;
  readonly b: MetricSummary | null;
  /** b − a of the means; null unless both have a figure. */
  readonly change: number | null;
  /** change / |a|; null when a is 0 or either has no figure. */
  readonly relative: number | null;
  /** Whether the 95% CIs overlap; null unless both have a figure from at least 2 replications. */
  readonly cisOverlap: boolean | null;
  /** The means differ (beyond floating-point noise), or one side has a figure and the other not. */
  readonly changed: boolean;
  /** The CIs do not overlap: the move is larger than replication noise explains. */
  readonly beyondCi: boolean;
}

export interface SloChange {
  readonly slo: string;
  readonly mode: string;
  /** Met on each side; null where that side has no such SLO or mode. */
  readonly a: boolean | null;
  readonly b: boolean | null;
}

export interface ResultsDiff {
  readonly a: DiffSide;
  readonly b: DiffSide;
  /** Both results are of the scenario of the same name. */
  readonly sameScenario: boolean;
  readonly inputs: {
    readonly scenario: InputPair<string>;
    readonly hash: InputPair<string>;
    readonly scenarioFile: InputPair<string | null>;
    readonly seed: InputPair<number>;
    readonly replications: InputPair<number>;
    readonly toolVersion: InputPair<string>;
    /** Overrides only one side applied, in each side's order; null where either side's are unknown. */
    readonly overrides: { readonly onlyA: readonly string[]; readonly onlyB: readonly string[] } | null;
    /** Unified diff of the effective scenario texts ("" when identical); null where either is unknown. */
    readonly text: string | null;
  };
  readonly modes: { readonly both: readonly string[]; readonly onlyA: readonly string[]; readonly onlyB: readonly string[] };
  /** Apps with per-app figures on one side only (per mode compared, first mode that shows it). */
  readonly apps: { readonly onlyA: readonly string[]; readonly onlyB: readonly string[] };
  /** Metrics compared, changed and moved beyond their CIs, over every mode in both. */
  readonly counts: { readonly compared: number; readonly changed: number; readonly beyondCi: number };
  /** The metrics shown: the changed ones, or all with `all`. Mode order of a, then metric order. */
  readonly metrics: readonly MetricChange[];
  readonly slo: readonly SloChange[];
}

export interface DiffInput extends ReadResults {
  readonly path: string;
}

export interface DiffOptions {
  /** Every metric compared, not only those that changed. */
  readonly all?: boolean;
}

const pair = <T>(a: T, b: T): InputPair<T> => ({ a, b, same: a === b });

function side(r: DiffInput): DiffSide {
  const s = r.results.scenario;
  return {
    path: r.path,
    schemaVersion: r.schemaVersion,
    scenario: s.name,
    title: s.title,
    hash: s.hash,
    scenarioFile: r.provenance ? s.file : null,
    toolVersion: r.results.tool.version,
    seed: r.results.seed,
    replications: r.results.replications,
    overrides: r.provenance ? s.overrides : null,
    modes: Object.keys(r.results.modes),
  };
}

export function diffResults(a: DiffInput, b: DiffInput, options: DiffOptions = {}): ResultsDiff {
  const sa = side(a);
  const sb = side(b);
  const both = sa.modes.filter((m) => sb.modes.includes(m));
  const appsA = appNames(a.results, both);
  const appsB = appNames(b.results, both);
  const apps = appsA.filter((x) => appsB.includes(x));
  const changes = both.flatMap((mode) => modeChanges(mode, a.results, b.results, apps));
  const known = a.provenance && b.provenance;
  return {
    a: sa,
    b: sb,
    sameScenario: sa.scenario === sb.scenario,
    inputs: {
      scenario: pair(sa.scenario, sb.scenario),
      hash: pair(sa.hash, sb.hash),
      scenarioFile: pair(sa.scenarioFile, sb.scenarioFile),
      seed: pair(sa.seed, sb.seed),
      replications: pair(sa.replications, sb.replications),
      toolVersion: pair(sa.toolVersion, sb.toolVersion),
      overrides: sa.overrides && sb.overrides ? { onlyA: minus(sa.overrides, sb.overrides), onlyB: minus(sb.overrides, sa.overrides) } : null,
      text: known ? textDiff(a, b) : null,
    },
    modes: { both, onlyA: sa.modes.filter((m) => !sb.modes.includes(m)), onlyB: sb.modes.filter((m) => !sa.modes.includes(m)) },
    apps: { onlyA: appsA.filter((x) => !appsB.includes(x)), onlyB: appsB.filter((x) => !appsA.includes(x)) },
    counts: { compared: changes.length, changed: changes.filter((c) => c.changed).length, beyondCi: changes.filter((c) => c.beyondCi).length },
    metrics: options.all ? changes : changes.filter((c) => c.changed),
    slo: sloChanges(a.results, b.results),
  };
}

/** Items of `xs` not in `ys`, counting repeats. */
function minus(xs: readonly string[], ys: readonly string[]): string[] {
  const left = [...ys];
  return xs.filter((x) => {
    const k = left.indexOf(x);
    if (k < 0) return true;
    left.splice(k, 1);
    return false;
  });
}

function appNames(r: Results, modes: readonly string[]): string[] {
  const names: string[] = [];
  for (const m of modes) for (const app of Object.keys(r.modes[m]?.apps ?? {})) if (!names.includes(app)) names.push(app);
  return names;
}

/** A figure to compare: absent, n = 0 or a non-finite mean is no figure. */
const figure = (s: MetricSummary | undefined): MetricSummary | null => (s && s.n > 0 && Number.isFinite(s.mean) ? s : null);

function modeChanges(mode: string, ra: Results, rb: Results, apps: readonly string[]): MetricChange[] {
  const ma = ra.modes[mode];
  const mb = rb.modes[mode];
  const out: MetricChange[] = [];
  for (const k of METRICS) {
    const info = METRIC_INFO[k];
    out.push(change(mode, k, undefined, info.label, info.unit, ma?.summary[k], mb?.summary[k]));
  }
  for (const app of apps) {
    for (const k of APP_METRICS) {
      const info = APP_METRIC_INFO[k];
      out.push(change(mode, `apps.${app}.${k}`, app, info.label, info.unit, ma?.apps[app]?.[k], mb?.apps[app]?.[k]));
    }
  }
  return out;
}

/** Means this close (relative) are the same figure: floating-point noise, not a change. */
const NOISE = 1e-9;

function change(mode: string, metric: string, app: string | undefined, label: string, unit: MetricUnit, sa?: MetricSummary, sb?: MetricSummary): MetricChange {
  const a = figure(sa);
  const b = figure(sb);
  const base = { mode, metric, ...(app === undefined ? {} : { app }), label, unit, a, b };
  if (!a || !b) return { ...base, change: null, relative: null, cisOverlap: null, changed: (a === null) !== (b === null), beyondCi: false };
  const delta = b.mean - a.mean;
  const changed = Math.abs(delta) > NOISE * Math.max(Math.abs(a.mean), Math.abs(b.mean), Number.MIN_VALUE);
  // One replication has no interval to compare: say so rather than call every move significant.
  const cisOverlap = a.n < 2 || b.n < 2 ? null : a.lo <= b.hi && b.lo <= a.hi;
  return {
    ...base,
    change: changed ? delta : 0,
    relative: a.mean !== 0 ? (changed ? delta / Math.abs(a.mean) : 0) : null,
    cisOverlap,
    changed,
    beyondCi: changed && cisOverlap === false,
  };
}

function sloChanges(ra: Results, rb: Results): SloChange[] {
  const texts = [...ra.slo.map((s) => s.text), ...rb.slo.map((s) => s.text)].filter((t, i, all) => all.indexOf(t) === i);
  const out: SloChange[] = [];
  for (const text of texts) {
    const xa = ra.slo.find((s) => s.text === text);
    const xb = rb.slo.find((s) => s.text === text);
    const modes = [...Object.keys(xa?.verdicts ?? {}), ...Object.keys(xb?.verdicts ?? {})].filter((m, i, all) => all.indexOf(m) === i);
    for (const mode of modes) {
      const a = xa?.verdicts[mode]?.met ?? null;
      const b = xb?.verdicts[mode]?.met ?? null;
      if (a !== b) out.push({ slo: text, mode, a, b });
    }
  }
  return out;
}

/** The effective scenario texts as a unified diff (jsdiff), "" when identical. */
function textDiff(a: DiffInput, b: DiffInput): string {
  const ta = a.results.scenario.text;
  const tb = b.results.scenario.text;
  if (ta === tb) return "";
  const name = (r: DiffInput, tag: string): string => `${tag}: ${r.results.scenario.file || r.results.scenario.name}`;
  const patch = createTwoFilesPatch(name(a, "a"), name(b, "b"), ta, tb, undefined, undefined, { context: 3 });
  // jsdiff opens with a line of "=" (an Index: separator); the ---/+++ headers say it all.
  return patch.replace(/^=+\n/, "");
}
