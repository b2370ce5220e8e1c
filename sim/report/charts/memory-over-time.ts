/**
 * The memory figure: how much memory the hosts had in use over the run, in the first
 * replication, one small panel per mode on a shared time axis: a line per host type (the used
 * hosts of that type summed), a dashed rule at their physical memory (beyond it they swap), and
 * a red mark at the top of the panel for each OOM kill.
 *
 * Contract: `memoryOverTimeChart` is pure; it reads only the results contract (each mode's
 * `memorySeries`, and `apps`) and returns a standalone Vega-Lite spec that compiles as is.
 * `memoryOverTimeReason` says why the chart has nothing to show (undefined when it has): it is
 * drawn when some app's memory grows, some host group has more in use than its physical memory
 * at some sample (overcommit), or some instance was OOM-killed. Never throws on well-formed results.
 */

import type { TopLevelSpec } from "vega-lite";
import type { Results } from "../../experiment/results.js";
import { formatBytes, formatDuration, plural } from "../format.js";
import { APP_PALETTE, CHART_CONFIG, INK, MUTED, modeColors, panelTitle } from "../theme.js";
import { drawnRows, figureTitle, listNames } from "./common.js";
import { cpuTimeAxis } from "./cpu-over-time.js";

const WIDTH = 640;
const HEIGHT = 110;
const GIB = 2 ** 30;
/** Room above the highest line or rule for the OOM marks and labels, as a share of it. */
const HEADROOM = 1.2;
const OOM_COLOR = "#D62728";

export interface MemoryRow {
  readonly mode: string;
  readonly group: string;
  readonly seconds: number;
  readonly gib: number;
}

export interface MemoryLimitRow {
  readonly mode: string;
  readonly group: string;
  readonly gib: number;
  /** "r450: 256 GiB physical (2 hosts)" */
  readonly label: string;
}

export interface OomRow {
  readonly mode: string;
  readonly seconds: number;
}

const drawn = (results: Results): [string, Results["modes"][string]][] =>
  Object.entries(results.modes).filter(([, m]) => m.memorySeries !== undefined && m.memorySeries.timesS.length > 0 && m.memorySeries.groups.length > 0);

/** Every drawn sample: modes in results order, host groups in scenario order. */
export function memoryOverTimeRows(results: Results): MemoryRow[] {
  return drawn(results).flatMap(([mode, m]) =>
    m.memorySeries.groups.flatMap((g) =>
      m.memorySeries.timesS.map((seconds, j) => ({ mode, group: g.name, seconds, gib: (g.inUseBytes[j] ?? 0) / GIB })),
    ),
  );
}

export function memoryLimitRows(results: Results): MemoryLimitRow[] {
  return drawn(results).flatMap(([mode, m]) =>
    m.memorySeries.groups.map((g) => ({
      mode,
      group: g.name,
      gib: g.physicalBytes / GIB,
      label: `${g.name}: ${formatBytes(g.physicalBytes)} physical (${plural(g.hosts, "host")})`,
    })),
  );
}

export function oomRows(results: Results): OomRow[] {
  return drawn(results).flatMap(([mode, m]) => m.memorySeries.oomKillTimesS.map((seconds) => ({ mode, seconds })));
}

/** Why the memory chart is not worth drawing, in one line; undefined when it is. */
export function memoryOverTimeReason(results: Results): string | undefined {
  const modes = drawn(results);
  if (modes.length === 0) return "no memory-over-time chart: no memory samples";
  const grows = (results.apps ?? []).some((a) => a.grows);
  const over = modes.some(([, m]) => m.memorySeries.groups.some((g) => g.inUseBytes.some((b) => b > g.physicalBytes)));
  const killed = modes.some(([, m]) => m.memorySeries.oomKillTimesS.length > 0);
  if (grows || over || killed) return undefined;
  return "no memory-over-time chart: no app's memory grows and no host had more memory in use than it has";
}

export function memoryOverTimeChart(results: Results): TopLevelSpec {
  const rows = memoryOverTimeRows(results);
  const limits = memoryLimitRows(results);
  const ooms = oomRows(results);
  const modes = drawn(results).map(([mode]) => mode);
  const groups = [...new Set(limits.map((row) => row.group))];
  const axis = cpuTimeAxis(Math.max(0, ...rows.map((row) => row.seconds)));
  const top = Math.max(1, ...rows.map((row) => row.gib), ...limits.map((row) => row.gib)) * HEADROOM;
  const modeColor = modeColors(results);
  const x = { field: "seconds", type: "quantitative" as const, scale: { domain: [...axis.domain], nice: false, zero: true } };
  const y = { type: "quantitative" as const, title: "GiB in use", scale: { domain: [0, top], nice: false, zero: true }, axis: { format: ",~r" } };
  const color = {
    field: "group",
    type: "nominal" as const,
    scale: { domain: groups, range: groups.map((_, k) => APP_PALETTE[k % APP_PALETTE.length] ?? INK) },
    legend: groups.length > 1 ? { title: null, orient: "bottom" as const, direction: "horizontal" as const } : null,
  };

  const panels = modes.map((mode, index) => {
    const last = index === modes.length - 1;
    const kills = ooms.filter((row) => row.mode === mode);
    const xAxis = last
      ? { title: `Time since the start of the run (${axis.unit})`, values: [...axis.ticks], labelExpr: axis.labelExpr, labelFlush: true }
      : { title: null, values: [...axis.ticks], labels: false };
    const peak = Math.max(0, ...rows.filter((row) => row.mode === mode).map((row) => row.gib));
    const subtitle = `peak ${formatBytes(peak * GIB)} in use${kills.length > 0 ? ` · ${plural(kills.length, "OOM kill")} (red marks)` : ""}`;
    return {
      title: {
        text: mode,
        color: modeColor.range[modeColor.domain.indexOf(mode)] ?? INK,
        fontSize: 14,
        subtitle,
        subtitleFontSize: 12,
        subtitleColor: MUTED,
        anchor: "start" as const,
        offset: 6,
      },
      width: WIDTH,
      height: HEIGHT,
      layer: [
        {
          data: { values: drawnRows(rows.filter((row) => row.mode === mode), (row) => row.group, ["gib"]) },
          mark: { type: "line" as const, strokeWidth: 2 },
          encoding: { x: { ...x, axis: xAxis }, y: { ...y, field: "gib" }, color },
        },
        {
          data: { values: limits.filter((row) => row.mode === mode) },
          mark: { type: "rule" as const, strokeDash: [6, 4], strokeWidth: 1.5, color: INK },
          encoding: { y: { ...y, field: "gib" } },
        },
        {
          data: { values: limits.filter((row) => row.mode === mode).map((row) => ({ ...row, at: axis.domain[1] })) },
          mark: { type: "text" as const, align: "right" as const, baseline: "bottom" as const, dy: -4, fontSize: 11, color: INK },
          encoding: { x: { ...x, field: "at" }, y: { ...y, field: "gib" }, text: { field: "label", type: "nominal" as const } },
        },
        {
          data: { values: kills.map((row) => ({ ...row, at: top })) },
          mark: { type: "point" as const, shape: "triangle-down", filled: true, size: 50, color: OOM_COLOR, opacity: 1 },
          encoding: { x: { ...x, field: "seconds" }, y: { ...y, field: "at" } },
        },
      ],
    };
  });

  const missing = Object.keys(results.modes).filter((mode) => !modes.includes(mode));
  const window = rows.length > 0 ? formatDuration(Math.max(...rows.map((row) => row.seconds))) : "0 s";
  const subtitle = [
    `First replication, 0 to ${window} · memory in use summed over the hosts used: working sets, guests in full, overheads, reserves`,
    "Dashed: their physical memory, beyond which they swap · red: an instance OOM-killed at its memory ceiling",
    ...(missing.length > 0 ? [`Not shown, no memory samples: ${listNames(missing)}`] : []),
  ];
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: figureTitle(results),
    config: { ...CHART_CONFIG, concat: { spacing: 22 } },
    hconcat: [{ title: { ...panelTitle("Memory over time"), subtitle }, vconcat: panels }],
  };
}
