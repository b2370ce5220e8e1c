/**
 * The density figure: how many instances each mode fits per host, and where the cluster's
 * memory goes in each mode.
 *
 * Contract: `densityChart` is pure; it reads only the results contract and returns a
 * standalone Vega-Lite spec (data inlined, theme config included) that compiles as is.
 * Left panel: mean instances per used host with its 95% CI, labelled with the value and
 * the hosts used, plus the first replication's per-host counts (empty hosts left out) as
 * dots: one per host, spread across the bar; when some mode used more than MAX_HOST_DOTS hosts
 * (where one dot per host would be a smear, and megabytes of SVG), one per count of instances,
 * its area growing with the share of the mode's hosts that had that count. Right panel: the
 * `MEMORY_PARTS` means in GiB (the axis labelled in TiB from 8 TiB), stacked in `MEMORY_PARTS`
 * order; the overcommitted part (memory promised beyond the physical) only when some mode has it,
 * drawn past a rule at the cluster's physical memory.
 * Modes appear in results order in both panels. Throws if a mode lacks a needed metric.
 */

import type { TopLevelSpec } from "vega-lite";
import type { MetricSummary, ModeResult, Results } from "../../experiment/results.js";
import { MEMORY_PARTS } from "../../experiment/results.js";
import {
  CHART_CONFIG,
  INK,
  MEMORY_PART_COLORS,
  MEMORY_PART_LABELS,
  MUTED,
  memoryPartColors,
  modeColors,
  panelTitle,
  textColorOn,
} from "../theme.js";
import type { MemoryPart } from "../theme.js";
import { textWidth } from "../fonts.js";
import { formatBytes, formatCount, plural } from "../format.js";
import { colorEncoding, figureTitle } from "./common.js";
import { MODE_LABEL_SIZE, modeColorEncoding } from "./mode-axis.js";
import { segmentFits, segmentLabelLayer, stackLegend } from "./stacked-bars.js";

const GIB = 1024 ** 3;
/** From this much cluster memory (8 TiB) on, the memory axis is labelled in TiB. */
const TIB_AXIS_FROM_GIB = 8 * 1024;

/** Panel geometry, in pixels. The density panel grows with the number of modes. */
const PANEL_HEIGHT = 300;
const DENSITY_STEP = 120;
/** Past this a band is wide enough for any sensible name; longer ones get an ellipsis. */
const MAX_DENSITY_STEP = 220;
const VALUE_LABEL_SIZE = 13;
const MEMORY_WIDTH = 400;
/** Host dots spread across this many pixels either side of the bar centre. */
const DOT_SPREAD = 24;
/** A host dot's area, px². */
const DOT_SIZE = 40;
/** Past this many used hosts in some mode, the dots stand for counts of instances, not hosts. */
export const MAX_HOST_DOTS = 48;
/** The area of a count's dot when every host of its mode had that count, px². */
const ALL_HOSTS_DOT_SIZE = 400;
/** Room above the tallest bar, dot or error bar for the two-line label. */
const LABEL_HEADROOM = 1.22;
const PER_HOST_TITLE = "Instances per used host";

/** One bar of the density panel. */
export interface DensityRow {
  readonly mode: string;
  readonly kind: string;
  readonly mean: number;
  readonly lo: number;
  readonly hi: number;
  readonly hostsUsed: number;
  /** Where the label sits: above the error bar and every host dot. */
  readonly labelAt: number;
  /** "10.0 per host" */
  readonly valueLabel: string;
  /** "4 hosts", drawn under the value label in a lighter tone. */
  readonly hostsLabel: string;
}

/**
 * One dot of the first replication: a host, or (past MAX_HOST_DOTS hosts) every host with one count
 * of instances.
 */
export interface HostDotRow {
  readonly mode: string;
  /** The host's name; for a count's dot, how many hosts ("1,200 hosts"). */
  readonly host: string;
  /** Hosts the dot stands for: 1 for a host's own dot. */
  readonly hosts: number;
  readonly instances: number;
  /** Position across the bar in [-1, 1], spread evenly by dot so equal counts stay visible. */
  readonly jitter: number;
  /** Area, px²: DOT_SIZE for a host, up to ALL_HOSTS_DOT_SIZE for a count all the mode's hosts had. */
  readonly size: number;
}

/** One segment of a memory stack. */
export interface MemoryRow {
  readonly mode: string;
  readonly part: MemoryPart;
  /** Legend name of the part. */
  readonly partLabel: string;
  /** Index in `MEMORY_PARTS`: the stack order. */
  readonly order: number;
  readonly gib: number;
  /** Share of the cluster's memory, 0..1. */
  readonly share: number;
}

function metric(name: string, mode: ModeResult, key: string): MetricSummary {
  const summary = mode.summary[key];
  if (summary === undefined) {
    throw new Error(`densityChart: mode "${name}" has no "${key}" summary`);
  }
  return summary;
}

/** Hosts are whole, so print whole numbers as such and a mean over replications with one decimal. */
function formatHosts(hosts: number): string {
  return plural(hosts, "host");
}

export function densityRows(results: Results): DensityRow[] {
  return Object.entries(results.modes).map(([name, mode]) => {
    const density = metric(name, mode, "density.perHost");
    const hostsUsed = metric(name, mode, "hosts.used").mean;
    let top = Math.max(density.mean, density.hi);
    // A loop, not a spread: an estate's hosts are more arguments than a call may take.
    for (const instances of mode.runs[0]?.hostInstances ?? []) top = Math.max(top, instances);
    const valueLabel = `${formatCount(density.mean)} per host`;
    const hostsLabel = formatHosts(hostsUsed);
    return {
      mode: name,
      kind: mode.kind,
      mean: density.mean,
      lo: density.lo,
      hi: density.hi,
      hostsUsed,
      labelAt: top,
      valueLabel,
      hostsLabel,
    };
  });
}

/** Evenly across the bar: -1 to 1 for n > 1 dots, 0 for one. */
function spread(index: number, n: number): number {
  return n === 1 ? 0 : -1 + (2 * index) / (n - 1);
}

/** Whether the dots stand for counts of instances (some mode used more than MAX_HOST_DOTS hosts). */
export function dotsByCount(results: Results): boolean {
  return Object.values(results.modes).some((mode) => (mode.runs[0]?.hostInstances ?? []).filter((n) => n > 0).length > MAX_HOST_DOTS);
}

export function hostDotRows(results: Results, byCount = dotsByCount(results)): HostDotRow[] {
  const rows: HostDotRow[] = [];
  for (const [name, mode] of Object.entries(results.modes)) {
    const counts = mode.runs[0]?.hostInstances ?? [];
    if (byCount) {
      // Hosts per count of instances, counts ascending.
      const hostsWith = new Map<number, number>();
      let used = 0;
      for (const instances of counts) {
        if (!(instances > 0)) continue;
        hostsWith.set(instances, (hostsWith.get(instances) ?? 0) + 1);
        used++;
      }
      const groups = [...hostsWith].sort((a, b) => a[0] - b[0]);
      groups.forEach(([instances, hosts], index) => {
        const size = DOT_SIZE + ((ALL_HOSTS_DOT_SIZE - DOT_SIZE) * hosts) / used;
        rows.push({ mode: name, host: formatHosts(hosts), hosts, instances, jitter: spread(index, groups.length), size });
      });
      continue;
    }
    const used = counts
      .map((instances, index) => ({
        instances,
        host: results.cluster.hostNames[index] ?? `host ${index + 1}`,
      }))
      .filter((host) => host.instances > 0);
    used.forEach((host, index) => {
      rows.push({ mode: name, host: host.host, hosts: 1, instances: host.instances, jitter: spread(index, used.length), size: DOT_SIZE });
    });
  }
  return rows;
}

/** The memory parts drawn: every one, but `memory.overcommitted` only where some mode has it. */
export function memoryParts(results: Results): MemoryPart[] {
  const over = Object.values(results.modes).some((m) => (m.summary["memory.overcommitted"]?.mean ?? 0) > 0);
  return MEMORY_PARTS.filter((part) => part !== "memory.overcommitted" || over);
}

export function memoryRows(results: Results): MemoryRow[] {
  const rows: MemoryRow[] = [];
  const parts = memoryParts(results);
  for (const [name, mode] of Object.entries(results.modes)) {
    parts.forEach((part, order) => {
      const bytes = metric(name, mode, part).mean;
      rows.push({
        mode: name,
        part,
        partLabel: MEMORY_PART_LABELS[part],
        order,
        gib: bytes / GIB,
        share: results.cluster.memoryBytes > 0 ? bytes / results.cluster.memoryBytes : 0,
      });
    });
  }
  return rows;
}

/** One in-bar label of the memory panel, for segments wide enough to hold it. */
export interface MemoryLabelRow {
  readonly mode: string;
  readonly part: MemoryPart;
  /** Segment centre, GiB from the left of the stack. */
  readonly mid: number;
  readonly text: string;
  readonly color: string;
}

function formatGibValue(gib: number): string {
  return formatBytes(gib * GIB);
}

/**
 * Labels for the memory segments, so a slide shows the numbers without hovering. The x
 * scale spans exactly the cluster's memory over a fixed width, so a segment's width in
 * pixels is known here and too-narrow segments simply get no label.
 */
/** The memory axis spans the cluster's physical memory, and past it the longest overcommitted stack. */
export function memoryAxisGib(results: Results): number {
  const stacks = new Map<string, number>();
  for (const row of memoryRows(results)) stacks.set(row.mode, (stacks.get(row.mode) ?? 0) + row.gib);
  return Math.max(results.cluster.memoryBytes / GIB, ...stacks.values());
}

export function memoryLabelRows(results: Results): MemoryLabelRow[] {
  const total = memoryAxisGib(results);
  const rows: MemoryLabelRow[] = [];
  if (!(total > 0)) return rows;
  let mode = "";
  let start = 0;
  for (const row of memoryRows(results)) {
    if (row.mode !== mode) {
      mode = row.mode;
      start = 0;
    }
    const text = formatGibValue(row.gib);
    const widthPx = (row.gib / total) * MEMORY_WIDTH;
    if (segmentFits(widthPx, text)) {
      const color = textColorOn(MEMORY_PART_COLORS[row.part]);
      rows.push({ mode, part: row.part, mid: start + row.gib / 2, text, color });
    }
    start += row.gib;
  }
  return rows;
}

/**
 * Memory axis ticks at multiples of a power of two GiB (0, 64, 128, ... for 256 GiB), the way
 * memory sizes are usually quoted; about 3 to 7 of them.
 */
export function gibTicks(totalGib: number): number[] {
  if (!(totalGib > 0)) return [0];
  let step = 2 ** Math.ceil(Math.log2(totalGib / 6));
  if (totalGib / step < 3) step /= 2;
  const ticks: number[] = [];
  for (let i = 0; i * step <= totalGib * (1 + 1e-9); i += 1) ticks.push(i * step);
  return ticks;
}

export function densityChart(results: Results): TopLevelSpec {
  const modes = Object.keys(results.modes);
  const colors = modeColors(results);
  const allParts = memoryPartColors();
  const shownParts = new Set(memoryParts(results).map((part) => MEMORY_PART_LABELS[part]));
  const keep = allParts.domain.map((label) => shownParts.has(label));
  const parts = { domain: allParts.domain.filter((_, k) => keep[k]), range: allParts.range.filter((_, k) => keep[k]) };
  const density = densityRows(results);
  const byCount = dotsByCount(results);
  const dots = hostDotRows(results, byCount);
  // The value labels clear the biggest dot a count can have (a host's dot is as small as before).
  const lift = byCount ? Math.ceil(Math.sqrt(ALL_HOSTS_DOT_SIZE / Math.PI) - Math.sqrt(DOT_SIZE / Math.PI)) : 0;
  const memory = memoryRows(results);
  const memoryLabels = memoryLabelRows(results);
  const yMax = Math.max(1, ...density.map((row) => row.labelAt)) * LABEL_HEADROOM;
  const { hosts } = results.cluster;

  // Widen the bands until the longest mode name and value label fit, so none overlap.
  const widest = Math.max(
    ...modes.map((mode) => textWidth(mode, MODE_LABEL_SIZE)),
    ...density.map((row) => textWidth(row.valueLabel, VALUE_LABEL_SIZE, true)),
  );
  const step = Math.min(MAX_DENSITY_STEP, Math.max(DENSITY_STEP, Math.ceil(widest + 16)));

  const modeAxis = { field: "mode", type: "nominal", sort: modes } as const;
  const memoryModeAxis = {
    ...modeAxis,
    title: null,
    scale: { paddingInner: 0.35 },
    axis: { labelFontSize: MODE_LABEL_SIZE, domain: false },
  };
  // Not niced: a tick at the very top would poke its label above the plot and push this
  // panel's title higher than its neighbour's.
  const perHostScale = { domain: [0, yMax], nice: false, zero: true };
  const clusterGib = results.cluster.memoryBytes / GIB;
  const axisGib = memoryAxisGib(results);
  const overcommitted = axisGib > clusterGib * (1 + 1e-9);
  // An estate's memory reads better in TiB (256, not 262,144); the data stay in GiB, as the tooltips give them.
  const inTib = axisGib >= TIB_AXIS_FROM_GIB;
  const memoryTitle = inTib ? "Cluster memory (TiB)" : "Cluster memory (GiB)";

  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: figureTitle(results),
    config: CHART_CONFIG,
    // Each panel keeps its own colours (modes vs memory parts) and its own legend.
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    hconcat: [
      {
        title: panelTitle(
          "Instances per host",
          byCount
            ? "bar: mean with 95% CI · dots: hosts with each count, first replication (area: share of the hosts)"
            : "bar: mean with 95% CI · dots: each host, first replication",
        ),
        width: { step },
        height: PANEL_HEIGHT,
        layer: [
          {
            data: { values: density },
            mark: { type: "bar", opacity: 0.9 },
            encoding: {
              x: { ...modeAxis, title: null, scale: { paddingInner: 0.38, paddingOuter: 0.2 }, axis: { labelAngle: 0, labelFontSize: MODE_LABEL_SIZE, labelLimit: step - 8 } },
              y: {
                field: "mean",
                type: "quantitative",
                title: PER_HOST_TITLE,
                scale: perHostScale,
              },
              color: modeColorEncoding(colors),
              tooltip: [
                { field: "mode", type: "nominal", title: "Mode" },
                { field: "mean", type: "quantitative", title: "Per host (mean)", format: ".2f" },
                { field: "lo", type: "quantitative", title: "95% CI low", format: ".2f" },
                { field: "hi", type: "quantitative", title: "95% CI high", format: ".2f" },
                { field: "hostsUsed", type: "quantitative", title: "Hosts used (mean)", format: ".1f" },
              ],
            },
          },
          {
            data: { values: density },
            mark: { type: "errorbar", color: INK, thickness: 1.5, ticks: { size: 10, thickness: 1.5 } },
            encoding: {
              x: modeAxis,
              // Same title as the bars', or Vega-Lite would merge the two into "…, lo".
              y: { field: "lo", type: "quantitative", title: PER_HOST_TITLE },
              y2: { field: "hi" },
            },
          },
          {
            data: { values: dots },
            mark: {
              type: "point",
              filled: true,
              size: DOT_SIZE,
              color: INK,
              opacity: 0.8,
              stroke: "white",
              strokeWidth: 1,
              // A pixel offset rather than an xOffset channel, which would split the band and thin the bars.
              xOffset: { expr: `datum.jitter * ${DOT_SPREAD}` },
            },
            encoding: {
              x: modeAxis,
              y: { field: "instances", type: "quantitative" },
              // The row's own area: a count's dot grows with its share of the mode's hosts.
              ...(byCount ? { size: { field: "size", type: "quantitative", scale: null, legend: null } } : {}),
              tooltip: [
                { field: "mode", type: "nominal", title: "Mode" },
                { field: "host", type: "nominal", title: byCount ? "Hosts" : "Host" },
                { field: "instances", type: "quantitative", title: "Instances" },
              ],
            },
          },
          {
            data: { values: density },
            mark: { type: "text", baseline: "bottom", dy: -22 - lift, fontSize: VALUE_LABEL_SIZE, fontWeight: "bold", color: INK },
            encoding: {
              x: modeAxis,
              y: { field: "labelAt", type: "quantitative" },
              text: { field: "valueLabel", type: "nominal" },
            },
          },
          {
            data: { values: density },
            mark: { type: "text", baseline: "bottom", dy: -6 - lift, fontSize: 12, color: MUTED },
            encoding: {
              x: modeAxis,
              y: { field: "labelAt", type: "quantitative" },
              text: { field: "hostsLabel", type: "nominal" },
            },
          },
        ],
      },
      {
        title: panelTitle(
          "Where the memory goes",
          `${formatBytes(results.cluster.memoryBytes)} across ${plural(hosts, "host")} · mean of replications`,
        ),
        width: MEMORY_WIDTH,
        height: PANEL_HEIGHT,
        layer: [
          {
            data: { values: memory },
            mark: { type: "bar", stroke: "white", strokeWidth: 1 },
            encoding: {
              y: memoryModeAxis,
              x: {
                field: "gib",
                type: "quantitative",
                stack: "zero",
                title: memoryTitle,
                scale: { domain: [0, axisGib], nice: false },
                axis: { values: gibTicks(axisGib), ...(inTib ? { labelExpr: `format(datum.value / 1024, ",~r")` } : {}) },
              },
              color: colorEncoding("partLabel", parts, stackLegend(3)),
              order: { field: "order", type: "quantitative", sort: "ascending" },
              tooltip: [
                { field: "mode", type: "nominal", title: "Mode" },
                { field: "partLabel", type: "nominal", title: "Part" },
                { field: "gib", type: "quantitative", title: "GiB", format: ".2f" },
                { field: "share", type: "quantitative", title: "Share", format: ".1%" },
              ],
            },
          },
          segmentLabelLayer(memoryLabels, memoryModeAxis, { field: "mid", type: "quantitative" as const, title: memoryTitle }),
          // Where physical memory ends: what lies beyond is promised, not there.
          ...(overcommitted
            ? [
                {
                  data: { values: [{ gib: clusterGib, text: "physical memory" }] },
                  mark: { type: "rule" as const, color: INK, strokeDash: [4, 3], strokeWidth: 1.5 },
                  encoding: { x: { field: "gib", type: "quantitative" as const, title: memoryTitle } },
                },
                {
                  data: { values: [{ gib: clusterGib, text: "physical memory" }] },
                  mark: { type: "text" as const, align: "right" as const, baseline: "top" as const, dx: -4, dy: 2, fontSize: 11, color: INK },
                  encoding: {
                    x: { field: "gib", type: "quantitative" as const, title: memoryTitle },
                    y: { value: 0 },
                    text: { field: "text", type: "nominal" as const },
                  },
                },
              ]
            : []),
        ],
      },
    ],
  };
}
