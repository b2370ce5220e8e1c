/**
 * Service-level objectives: a scenario's `slo` bounds read in each metric's unit (the metric
 * catalogue says which), and judged per mode on the mean over replications, or with `strict` on
 * the pessimistic end of its 95% confidence interval. A mode with no figure for a metric misses.
 */
import type { RawIssue, Scenario } from "../scenario/index.js";
import { describeFound } from "../scenario/issues.js";
import { isUnitError, parseBytes, parseDuration } from "../scenario/units.js";
import { metricSummary, parseMetric, suggestMetric, type MetricRef, type MetricUnit } from "./metric-catalog.js";
import { APP_METRICS, type ModeResult, type SloResult, type SloVerdict } from "./results.js";

export type SloOp = "<=" | ">=";

/** One objective, resolved: the metric, the direction and the bound in SI units. */
export interface Objective {
  /** The metric as written: `startup.p95`, `apps.web.slowdown.p99`. */
  readonly metric: string;
  readonly ref: MetricRef;
  readonly op: SloOp;
  readonly bound: number;
  /** As written: `startup.p95: 60s`, `cpu.utilization: { max: 80% }`, `slowdown.p99<=1.5`. */
  readonly text: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === "object" && v !== null && !Array.isArray(v);

/** What a bound in each unit looks like, for "expected ..." messages. */
const EXPECTED: Readonly<Record<MetricUnit, string>> = {
  s: "a duration (e.g. 60s)",
  bytes: "a size (e.g. 2GiB)",
  usd: "USD per month (e.g. 1500)",
  "usd-each": "USD per month per instance (e.g. 25)",
  factor: "a factor (e.g. 1.5)",
  share: "a share from 0 to 1 (e.g. 0.99 or 99%)",
  cores: "a number of cores (e.g. 4)",
  count: "a count (e.g. 0)",
  "host-s": "host-seconds (e.g. 3600 or 1h)",
};

const PLAIN = /^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*$/;

/** A non-negative number, or a string that is one. */
function plainNumber(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) && v >= 0 ? v : undefined;
  if (typeof v !== "string") return undefined;
  const m = PLAIN.exec(v);
  return m ? Number(m[1]) : undefined;
}

/**
 * A bound in a metric's unit, in SI units: a bare number is the SI unit (seconds, bytes, a factor,
 * a share 0..1, USD); a string's unit must be the metric's (`60s` for a duration, `2GiB` for a size,
 * `99%` for a share, `1.5x` for a factor, `$1,500` for money). Undefined when it is not one.
 */
export function parseBound(v: unknown, unit: MetricUnit): number | undefined {
  switch (unit) {
    case "s":
    case "host-s": {
      const p = parseDuration(v);
      return isUnitError(p) ? undefined : p;
    }
    case "bytes": {
      const p = parseBytes(v);
      return isUnitError(p) ? undefined : p;
    }
    case "usd":
    case "usd-each": {
      if (typeof v === "string") {
        const m = /^\s*\$?\s*((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?:USD)?\s*$/.exec(v);
        return m ? Number((m[1] as string).replace(/,/g, "")) : undefined;
      }
      return plainNumber(v);
    }
    case "factor": {
      if (typeof v === "string") {
        const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*[x×]?\s*$/.exec(v);
        return m ? Number(m[1]) : undefined;
      }
      return plainNumber(v);
    }
    case "share": {
      let share: number | undefined;
      if (typeof v === "string" && /%\s*$/.test(v)) {
        const n = plainNumber(v.replace(/%\s*$/, ""));
        share = n === undefined ? undefined : n / 100;
      } else share = plainNumber(v);
      return share !== undefined && share <= 1 ? share : undefined;
    }
    case "cores":
    case "count":
      return plainNumber(v);
  }
}

/** A bound as it was written, for the objective's text. */
const written = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Why a metric name is not one, with "did you mean" where a near name exists. */
export function unknownMetricMessage(name: string, appNames: readonly string[]): string {
  const near = suggestMetric(name, appNames);
  const hint = near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "; the metrics are listed in README (Metrics)";
  if (name.startsWith("apps.")) {
    const rest = name.slice("apps.".length);
    const app = [...appNames].sort((a, b) => b.length - a.length).find((a) => rest.startsWith(`${a}.`));
    if (app !== undefined)
      return `expected a per-app metric after apps.${app}. (${APP_METRICS.join(", ")}), found ${JSON.stringify(name)}${hint}`;
    const metric = APP_METRICS.find((k) => rest.endsWith(`.${k}`));
    if (metric !== undefined) {
      const given = rest.slice(0, rest.length - metric.length - 1);
      const apps = appNames.length > 0 ? `expected one of: ${appNames.join(", ")}` : "the scenario has no apps";
      return `no app named ${JSON.stringify(given)} in ${JSON.stringify(name)}; ${apps}${near.length > 0 ? hint : ""}`;
    }
  }
  return `expected a metric name, found ${JSON.stringify(name)}${hint}`;
}

/**
 * Reads a raw `slo` mapping: every objective it states, and every problem with it (positioned by
 * path: the key for a metric name, the value for a bound). Read defensively, for the loader's check.
 */
export function parseObjectives(slo: unknown, appNames: readonly string[]): { objectives: Objective[]; issues: RawIssue[] } {
  const objectives: Objective[] = [];
  const issues: RawIssue[] = [];
  if (!isRec(slo)) return { objectives, issues };
  for (const [metric, value] of Object.entries(slo)) {
    const ref = parseMetric(metric, appNames);
    if (!ref) {
      issues.push({ code: "unknown_metric", path: ["slo"], key: metric, message: unknownMetricMessage(metric, appNames) });
      continue;
    }
    const sides: [SloOp, unknown, (string | number)[], string][] = [];
    if (isRec(value)) {
      if (value.max !== undefined) sides.push(["<=", value.max, ["slo", metric, "max"], `${metric}: { max: ${written(value.max)} }`]);
      if (value.min !== undefined) sides.push([">=", value.min, ["slo", metric, "min"], `${metric}: { min: ${written(value.min)} }`]);
    } else if (typeof value === "number" || typeof value === "string") {
      sides.push([ref.info.higherIsBetter ? ">=" : "<=", value, ["slo", metric], `${metric}: ${written(value)}`]);
    }
    // Other shapes are the schema's to report.
    for (const [op, raw, path, text] of sides) {
      if (typeof raw !== "number" && typeof raw !== "string") continue;
      const bound = parseBound(raw, ref.info.unit);
      if (bound === undefined)
        issues.push({ code: "slo_bound", path, message: `expected ${EXPECTED[ref.info.unit]} for ${metric}, found ${describeFound(raw)}` });
      else objectives.push({ metric, ref, op, bound, text });
    }
  }
  return { objectives, issues };
}

const appNamesOf = (apps: unknown): string[] =>
  (Array.isArray(apps) ? apps : []).flatMap((a) => (isRec(a) && typeof a.name === "string" ? [a.name] : []));

/** The loader check (LoadOptions.checks) for `slo`: metric names, app names and units of bounds. */
export function sloIssues(raw: unknown): RawIssue[] {
  if (!isRec(raw)) return [];
  return parseObjectives(raw.slo, appNamesOf(raw.apps)).issues;
}

/** A loaded scenario's objectives, in file order. Throws if the scenario skipped `sloIssues` and has a bad one. */
export function scenarioObjectives(s: Scenario): Objective[] {
  const { objectives, issues } = parseObjectives(s.slo, s.apps.map((a) => a.name));
  if (issues.length > 0) throw new Error(`scenario objectives were not validated: ${issues.map((i) => i.message).join("; ")}`);
  return objectives;
}

/**
 * `metric<=value` or `metric>=value` (`densim plan --target`); a message saying what is wrong
 * otherwise. The value takes the metric's unit as in `slo`.
 */
export function parseTarget(text: string, appNames: readonly string[]): Objective | string {
  const m = /^\s*([A-Za-z0-9_.@-]+)\s*(<=|>=)\s*(\S.*?)\s*$/.exec(text);
  if (!m) return `expected metric<=value or metric>=value, e.g. apps.web.slowdown.p99<=1.5, found ${JSON.stringify(text)}`;
  const [, metric = "", op = "<=", value = ""] = m;
  const ref = parseMetric(metric, appNames);
  if (!ref) return unknownMetricMessage(metric, appNames);
  const bound = parseBound(value, ref.info.unit);
  if (bound === undefined) return `expected ${EXPECTED[ref.info.unit]} for ${metric}, found ${JSON.stringify(value)}`;
  return { metric, ref, op: op as SloOp, bound, text: `${metric}${op}${value}` };
}

/** Why a mode has no figure for a metric (nothing ran, nothing was ready), or undefined if it has one. */
export function missingReason(mode: ModeResult, ref: MetricRef): string | undefined {
  const mean = (k: string): number => (ref.app === undefined ? mode.summary[k]?.mean : mode.apps[ref.app]?.[k]?.mean) ?? 0;
  const everyRunZero = (): boolean => mode.runs.length > 0 && mode.runs.every((r) => (r.apps[ref.app as string]?.[ref.metric] ?? 0) === 0);
  const of = ref.app === undefined ? "" : ` of ${ref.app}`;
  if (metricSummary(mode, ref) === undefined) return `no figure for ${ref.name}`;
  if (ref.metric.startsWith("startup.")) {
    if (ref.app === undefined ? mode.startupQuantiles.length === 0 : everyRunZero()) return `no instance${of} became ready`;
  } else if (ref.metric.startsWith("slowdown.")) {
    if (ref.app === undefined ? mode.slowdownQuantiles.length === 0 : everyRunZero()) return `no instance${of} ran`;
  } else if (ref.metric.startsWith("jobs.turnaround.")) {
    if (mean("jobs.completed") === 0) return `no job${of} completed`;
  } else if (ref.metric === "cost.perInstance" || ref.metric === "density.perHost") {
    if (mean("instances.placed") === 0) return "no instance was placed";
  } else if (ref.metric === "cpu.utilization") {
    if (mean("hosts.used") === 0) return "no host was used";
  }
  return undefined;
}

/** Whether `judged` is within `bound`; a relative tolerance absorbs floating-point noise. */
export function within(judged: number, op: SloOp, bound: number): boolean {
  const tol = 1e-9 * Math.max(1, Math.abs(bound));
  return op === "<=" ? judged <= bound + tol : judged >= bound - tol;
}

/** One objective's verdict in one mode. */
export function verdictOf(o: Objective, mode: ModeResult, strict: boolean): SloVerdict {
  const reason = missingReason(mode, o.ref);
  if (reason !== undefined) return { met: false, reason };
  const value = metricSummary(mode, o.ref) as NonNullable<ReturnType<typeof metricSummary>>;
  // Under --strict the CI's end on the losing side must be within the bound.
  const judged = strict ? (o.op === "<=" ? value.hi : value.lo) : value.mean;
  return { met: within(judged, o.op, o.bound), value, judged };
}

/** Every objective judged in every mode (in the given modes' order): `Results.slo`. */
export function judgeObjectives(objectives: readonly Objective[], modes: Readonly<Record<string, ModeResult>>, strict: boolean): SloResult[] {
  return objectives.map((o) => ({
    metric: o.metric,
    op: o.op,
    bound: o.bound,
    text: o.text,
    ...(strict ? { strict } : {}),
    verdicts: Object.fromEntries(Object.entries(modes).map(([name, m]) => [name, verdictOf(o, m, strict)])),
  }));
}
