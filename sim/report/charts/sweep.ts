/**
 * A sweep chart: one metric of every mode across the values of one parameter, a line per mode
 * with its 95% confidence band, so the value where one mode overtakes another reads at a glance.
 * Pure: SweepResults in, Vega-Lite spec out.
 */
import type { TopLevelSpec } from "vega-lite";
import type { SweepResults } from "../../experiment/sweep.js";
import { CHART_CONFIG, FONT_FAMILY, modeColors } from "../theme.js";

export interface SweepRow {
  readonly mode: string;
  /** Position on the x axis: the value's number when every value is a number, else its index. */
  readonly x: number;
  readonly label: string;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
}

/** Metric name -> axis title with its unit. */
const UNITS: Readonly<Record<string, string>> = {
  cost: "USD per month",
  startup: "seconds",
  memory: "GiB",
  slowdown: "x",
  density: "instances per used host",
  hosts: "hosts",
  instances: "instances",
  jobs: "",
};

const GiB = 2 ** 30;

export function sweepRows(sweep: SweepResults, metric: string): SweepRow[] {
  const numeric = sweep.values.every((v) => /^-?[0-9]+(\.[0-9]+)?$/.test(v.trim()));
  const scale = metric.startsWith("memory.") ? 1 / GiB : 1;
  const rows: SweepRow[] = [];
  for (const [mode, m] of Object.entries(sweep.modes)) {
    m.points.forEach((p, k) => {
      const s = p.summary[metric];
      if (!s) throw new Error(`sweepRows: mode ${mode} has no metric ${metric}`);
      rows.push({ mode, x: numeric ? Number(p.value) : k, label: p.value, mean: s.mean * scale, lo: s.lo * scale, hi: s.hi * scale });
    });
  }
  return rows;
}

export function sweepChart(sweep: SweepResults, metric: string): TopLevelSpec {
  const rows = sweepRows(sweep, metric);
  const numeric = sweep.values.every((v) => /^-?[0-9]+(\.[0-9]+)?$/.test(v.trim()));
  const colors = modeColors({ modes: Object.fromEntries(Object.entries(sweep.modes).map(([n, m]) => [n, { kind: m.kind }])) });
  const unit = UNITS[metric.split(".")[0] ?? ""] ?? "";
  const x = {
    field: "x",
    type: "quantitative" as const,
    title: sweep.parameter,
    scale: { zero: false, nice: false },
    axis: numeric
      ? { values: rows.filter((r, i) => rows.findIndex((q) => q.x === r.x) === i).map((r) => r.x), format: rows.every((r) => Number.isInteger(r.x)) ? "d" : "~f" }
      : { values: sweep.values.map((_, k) => k), labelExpr: `[${sweep.values.map((v) => JSON.stringify(v)).join(",")}][datum.value]` },
  };
  const color = { field: "mode", type: "nominal" as const, title: null, scale: { domain: colors.domain, range: colors.range }, sort: colors.domain };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    config: CHART_CONFIG,
    title: {
      text: sweep.scenario.title,
      subtitle: `${metric} across ${sweep.parameter} · ${sweep.replications} replications each · seed ${sweep.seed} · band: 95% CI`,
      anchor: "start",
      font: FONT_FAMILY,
    },
    width: 640,
    height: 340,
    data: { values: rows.map((r) => ({ ...r })) },
    layer: [
      { mark: { type: "area", opacity: 0.15 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" }, color } },
      {
        mark: { type: "line", point: { size: 60, filled: true }, strokeWidth: 2.5 },
        encoding: {
          x,
          y: { field: "mean", type: "quantitative", title: unit ? `${metric} (${unit})` : metric, scale: { zero: true } },
          color,
          tooltip: [
            { field: "mode", type: "nominal" },
            { field: "label", type: "nominal", title: sweep.parameter },
            { field: "mean", type: "quantitative", format: ",.2f" },
          ],
        },
      },
      {
        // The mode's name at its last point, instead of a legend the eye has to travel to.
        transform: [{ joinaggregate: [{ op: "max", field: "x", as: "lastX" }], groupby: ["mode"] }, { filter: "datum.x === datum.lastX" }],
        mark: { type: "text", align: "left", dx: 8, fontWeight: "bold", fontSize: 13 },
        encoding: { x, y: { field: "mean", type: "quantitative" }, text: { field: "mode" }, color: { ...color, legend: null } },
      },
    ],
    resolve: { scale: { color: "shared" } },
  } as TopLevelSpec;
}
