/**
 * The cost figure: what each mode costs per month, as one horizontal bar per mode stacked
 * from the means of its cost items (hosts, each licence rule, operations).
 *
 * Contract: `costChart` is pure; it reads only the results contract (each mode's `costItems`
 * and its `cost.monthly.total` and `cost.perInstance` summaries) and returns a standalone
 * Vega-Lite spec (data inlined, theme config included) that compiles as is. Modes run top to
 * bottom in results order; segments stack left to right hosts, then licences (in the order
 * the rules first appear in the results, each rule its own shade of the licence browns), then
 * operations, each from the end of the previous, so a bar ends at the sum of its item means.
 * Past the bar's end: the mode's monthly total in bold ("$12,345 / month") and, in grey, its
 * cost per placed instance ("$41 per instance"). Segments wide enough are labelled inside, in
 * as `formatMoney` writes them where they fit, else in short ("$4.62k").
 * Items that are 0 (or not a finite number) draw nothing, and a licence that is 0 in every
 * mode is left out of the legend. Every dollar amount is formatted here, in code, never by
 * a locale: "$12,345" reads the same on every machine.
 */

import type { TopLevelSpec } from "vega-lite";
import type { CostItem, ModeResult, Results } from "../../experiment/results.js";
import { textWidth } from "../fonts.js";
import { COST_ITEM_COLORS, COST_ITEM_LABELS, INK, licenceShades, panelTitle, textColorOn } from "../theme.js";
import { formatMoney, formatMoneyShort } from "../format.js";
import type { ColorScale } from "../theme.js";
import { HALO_WIDTH, colorEncoding, listNames, niceStep, onePanelFigure, tickedAxisEncoding } from "./common.js";
import { modeBandEncoding } from "./mode-axis.js";
import {
  DETAIL_FONT_SIZE,
  LEGEND_COLUMN_PADDING,
  TOTAL_FONT_SIZE,
  TOTAL_GAP,
  barEndLayers,
  segmentFits,
  segmentLabelLayer,
  segmentLayer,
  stackLegend,
} from "./stacked-bars.js";

/** Plot width and band height, pixels: the start-up breakdown's, so the two read alike. */
const WIDTH = 600;
const BAND = 48;
/** The cost per instance after the total: the gap before it. */
const DETAIL_GAP = 10;
/** Legend geometry, to fit its columns into the plot width. */
const LEGEND_SYMBOL_PX = 24;
const LEGEND_LABEL_LIMIT = 320;
const NO_DATA = "no cost data";
const PANEL_TITLE = "What each mode costs per month";

// ---------------------------------------------------------------------------------------------
// Dollars, without a locale.

/** A monthly amount: `formatMoney` ("$12,345", "$42.50"). */
export const formatUsd = formatMoney;

/** A cost per instance: `formatMoney` ("$4.20", "$1,250"). */
export const formatUsdPerInstance = formatMoney;

/** A short amount for in-bar labels: `formatMoneyShort` ("$820", "$4.17k", "$1.5M"). */
export const formatUsdShort = formatMoneyShort;

/**
 * Axis tick labels, as `formatMoney` writes them while the step between ticks is under $1,000
 * ("$250", "$1,250"), as `formatMoneyShort` from there ("$2k", "$12.5k", "$1.5M"): ticks are
 * 1-2-2.5-5 multiples, so three significant figures write each exactly.
 */
export function formatUsdTicks(ticks: readonly number[]): string[] {
  const step = ticks.length > 1 ? Math.abs((ticks[1] ?? 0) - (ticks[0] ?? 0)) : Math.abs(ticks[0] ?? 0);
  return ticks.map((tick) => (tick === 0 ? "$0" : step < 1e3 ? formatMoney(tick) : formatMoneyShort(tick)));
}

/** The dollar axis: domain from 0, ticks, and a Vega expression giving each tick its label. */
export interface UsdAxis {
  readonly domain: readonly [number, number];
  readonly ticks: readonly number[];
  /** Picks the label of the nearest tick: literal strings, so no locale and no float noise. */
  readonly labelExpr: string;
}

/**
 * A dollar axis from $0 to at least `max` (at least $1), ending on a tick: of the nice steps
 * giving 4 to 7 intervals, the one whose last tick overshoots `max` least (fewer ticks on a tie),
 * so bars use as much of the plot as they can.
 */
export function usdAxis(max: number): UsdAxis {
  const top = Number.isFinite(max) && max > 0 ? Math.max(1, max) : 1;
  let step = niceStep(top, 5);
  let count = Math.max(1, Math.ceil(top / step - 1e-9));
  for (const intervals of [4, 5, 6, 7]) {
    const candidate = niceStep(top, intervals);
    const candidateCount = Math.max(1, Math.ceil(top / candidate - 1e-9));
    if (candidate * candidateCount < step * count * (1 - 1e-9)) {
      step = candidate;
      count = candidateCount;
    }
  }
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
  const labels = formatUsdTicks(ticks);
  const quote = (text: string): string => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  let labelExpr = quote(labels[labels.length - 1] ?? "");
  for (let i = ticks.length - 2; i >= 0; i -= 1) {
    const mid = ((ticks[i] ?? 0) + (ticks[i + 1] ?? 0)) / 2;
    labelExpr = `datum.value < ${mid} ? ${quote(labels[i] ?? "")} : ${labelExpr}`;
  }
  return { domain: [0, ticks[ticks.length - 1] ?? top], ticks, labelExpr };
}

// ---------------------------------------------------------------------------------------------
// Item names.

/** Words a licence name spells in lower case that people write otherwise. */
const SPELLINGS: Readonly<Record<string, string>> = {
  rhel: "RHEL",
  vsphere: "vSphere",
  vmware: "VMware",
  vcf: "VCF",
  vvf: "VVF",
  esxi: "ESXi",
  sql: "SQL",
  os: "OS",
  cal: "CAL",
  cals: "CALs",
  suse: "SUSE",
  sles: "SLES",
  kvm: "KVM",
  ai: "AI",
  hpc: "HPC",
  vdc: "VDC",
};

/**
 * A licence rule's name as a legend reads it: "windows-server-2022-standard" is "Windows
 * Server 2022 Standard", "rhel-virtual-datacenter" "RHEL Virtual Datacenter". A name someone
 * already wrote for people (capitals or spaces in it) is kept as it is.
 */
export function licenceLabel(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") return "Licence";
  if (/[A-Z\s]/.test(trimmed)) return trimmed;
  return trimmed
    .split(/[-_.]+/)
    .filter((word) => word !== "")
    .map((word) => SPELLINGS[word] ?? `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join(" ");
}

/** One legend entry (and stack position) of the figure. */
interface Category {
  readonly key: string;
  readonly kind: CostItem["kind"];
  readonly label: string;
  readonly color: string;
}

function categoryKey(item: Pick<CostItem, "kind" | "name">): string {
  return item.kind === "licenses" ? `licenses:${item.name}` : item.kind;
}

/** `costItems` as read from disk: an older results file has none. */
function itemsOf(mode: ModeResult): readonly CostItem[] {
  const items: unknown = (mode as { costItems?: unknown }).costItems;
  return Array.isArray(items) ? (items as readonly CostItem[]) : [];
}

/** A drawable amount: the mean if it is a positive finite number, else 0. */
function amount(item: CostItem): number {
  const mean = item.monthly?.mean;
  return typeof mean === "number" && Number.isFinite(mean) && mean > 0 ? mean : 0;
}

/**
 * The stack order and legend: hosts, every licence rule with a cost in some mode (in the order
 * the rules first appear), operations; each with its legend name and colour. Names that would
 * read alike get told apart ("Hosts licence", "Standard (2)").
 */
function categories(results: Results): Category[] {
  const licences: string[] = [];
  let hosts = false;
  let operations = false;
  for (const mode of Object.values(results.modes)) {
    for (const item of itemsOf(mode)) {
      if (amount(item) <= 0) continue;
      if (item.kind === "hosts") hosts = true;
      else if (item.kind === "operations") operations = true;
      else if (item.kind === "licenses" && !licences.includes(item.name)) licences.push(item.name);
    }
  }
  const shades = licenceShades(licences.length);
  const taken = new Set<string>([COST_ITEM_LABELS.hosts, COST_ITEM_LABELS.operations]);
  const licenceCategories = licences.map((name, index): Category => {
    let label = licenceLabel(name);
    if (taken.has(label)) label = `${label} licence`;
    for (let n = 2; taken.has(label); n += 1) label = `${licenceLabel(name)} (${n})`;
    taken.add(label);
    return { key: `licenses:${name}`, kind: "licenses", label, color: shades[index] ?? INK };
  });
  return [
    ...(hosts ? [{ key: "hosts", kind: "hosts" as const, label: COST_ITEM_LABELS.hosts, color: COST_ITEM_COLORS.hosts }] : []),
    ...licenceCategories,
    ...(operations
      ? [{ key: "operations", kind: "operations" as const, label: COST_ITEM_LABELS.operations, color: COST_ITEM_COLORS.operations }]
      : []),
  ];
}

/** Legend name -> colour for the items drawn, in stack order. */
export function costColors(results: Results): ColorScale {
  const list = categories(results);
  return { domain: list.map((c) => c.label), range: list.map((c) => c.color) };
}

// ---------------------------------------------------------------------------------------------
// Rows.

/** One segment of a mode's stack. */
export interface CostRow {
  readonly mode: string;
  readonly kind: CostItem["kind"];
  /** The item's name in the results ("hosts", "windows-server-2022-standard", "operations"). */
  readonly item: string;
  /** Legend name: "Hosts", "Windows Server 2022 Standard", "Operations". */
  readonly itemLabel: string;
  /** Position in the stack (legend order). */
  readonly order: number;
  /** Mean USD per month (> 0). */
  readonly usd: number;
  /** Where the segment starts and ends, USD from the bar's start. */
  readonly start: number;
  readonly end: number;
  /** Share of the mode's total, 0..1. */
  readonly share: number;
  /** "$2,300" for the tooltip. */
  readonly usdLabel: string;
  /** The first replication's arithmetic, for people. */
  readonly detail: string;
}

/** A bar's end and what is printed past it. */
export interface CostTotalRow {
  readonly mode: string;
  /** Where the bar ends: the sum of the mode's item means, USD per month. */
  readonly end: number;
  /** The mode's `cost.monthly.total` mean (the bar's end when the summary is missing). */
  readonly total: number;
  /** "$12,345 / month", "$0 / month", or "no cost data". */
  readonly label: string;
  /** Mean USD per month per placed instance; NaN when not known or nothing was placed. */
  readonly perInstance: number;
  /** "$41 per instance", or "" when there is none to show. */
  readonly perInstanceLabel: string;
}

/** The cost per instance after a total, placed in data units. */
export interface CostDetailRow {
  readonly mode: string;
  /** Where the text starts, USD on the x axis. */
  readonly at: number;
  readonly text: string;
}

/** An in-bar label, for segments wide enough to hold it. */
export interface CostLabelRow {
  readonly mode: string;
  readonly item: string;
  /** Segment centre, USD. */
  readonly mid: number;
  readonly text: string;
  readonly color: string;
}

/** Every non-empty segment, modes in results order, items in stack order. */
export function costRows(results: Results): CostRow[] {
  const list = categories(results);
  const rows: CostRow[] = [];
  for (const [name, mode] of Object.entries(results.modes)) {
    const items = itemsOf(mode);
    // One amount per category; repeated items of a category (there should be none) add up.
    const sums = list.map((category) => {
      const mine = items.filter((item) => categoryKey(item) === category.key);
      return {
        usd: mine.reduce((sum, item) => sum + amount(item), 0),
        item: mine[0]?.name ?? category.key,
        detail: mine.map((item) => item.detail).filter((d) => typeof d === "string" && d !== "").join("; "),
      };
    });
    const total = sums.reduce((sum, s) => sum + s.usd, 0);
    let start = 0;
    list.forEach((category, order) => {
      const part = sums[order];
      if (part === undefined || part.usd <= 0) return;
      rows.push({
        mode: name,
        kind: category.kind,
        item: part.item,
        itemLabel: category.label,
        order,
        usd: part.usd,
        start,
        end: start + part.usd,
        share: part.usd / total,
        usdLabel: formatUsd(part.usd),
        detail: part.detail,
      });
      start += part.usd;
    });
  }
  return rows;
}

function summaryMean(mode: ModeResult, key: string): number {
  const mean = mode.summary[key]?.mean;
  return typeof mean === "number" ? mean : Number.NaN;
}

/** Each mode's bar end, total and cost per instance, in results order. */
export function costTotals(results: Results): CostTotalRow[] {
  const rows = costRows(results);
  return Object.entries(results.modes).map(([name, mode]) => {
    const end = rows.filter((row) => row.mode === name).reduce((sum, row) => sum + row.usd, 0);
    const summaryTotal = summaryMean(mode, "cost.monthly.total");
    const known = Number.isFinite(summaryTotal) || itemsOf(mode).length > 0;
    const total = Number.isFinite(summaryTotal) ? summaryTotal : end;
    const perInstance = summaryMean(mode, "cost.perInstance");
    const showPerInstance = Number.isFinite(perInstance) && perInstance > 0 && total > 0;
    return {
      mode: name,
      end,
      total,
      label: known ? `${formatUsd(total)} / month` : NO_DATA,
      perInstance: showPerInstance ? perInstance : Number.NaN,
      perInstanceLabel: showPerInstance ? `${formatUsdPerInstance(perInstance)} per instance` : "",
    };
  });
}

/** Whether some mode costs something: then the report carries the cost figure. */
export function hasCostData(results: Results): boolean {
  return Object.values(results.modes).some((mode) => {
    const total = summaryMean(mode, "cost.monthly.total");
    return Number.isFinite(total) && total > 0;
  });
}

/** Width of the total past a bar: bold after a drawn bar, muted and smaller after an empty one. */
function totalLabelPx(row: CostTotalRow): number {
  return row.end > 0 ? textWidth(row.label, TOTAL_FONT_SIZE, true) : textWidth(row.label, DETAIL_FONT_SIZE);
}

/** Pixels the labels past a bar's end take: gap, total, and the cost per instance if any. */
function labelPx(row: CostTotalRow): number {
  const total = TOTAL_GAP + totalLabelPx(row);
  return row.perInstanceLabel === "" ? total : total + DETAIL_GAP + textWidth(row.perInstanceLabel, DETAIL_FONT_SIZE);
}

/** The x axis: room for every bar and the labels past its end, ending on a tick. */
export function costAxis(results: Results): UsdAxis {
  const totals = costTotals(results);
  // Each bar's labels must fit between its end and the plot's right edge.
  const needed = Math.max(
    0,
    ...totals.map((row) => (row.end * WIDTH) / Math.max(WIDTH / 2, WIDTH - labelPx(row) - 4)),
  );
  return usdAxis(needed);
}

/** The cost per instance of each bar that has one, just after its total. */
export function costDetails(results: Results): CostDetailRow[] {
  const domainEnd = costAxis(results).domain[1];
  return costTotals(results)
    .filter((row) => row.perInstanceLabel !== "")
    .map((row) => {
      const startPx =
        (row.end / domainEnd) * WIDTH + TOTAL_GAP + totalLabelPx(row) + DETAIL_GAP;
      return { mode: row.mode, at: (startPx / WIDTH) * domainEnd, text: row.perInstanceLabel };
    });
}

/**
 * In-bar labels for segments at least as wide as their text plus padding: whole dollars
 * ("$4,563", so the parts add up to the total) where they fit, else the short form ("$4.6k").
 */
export function costSegmentLabels(results: Results): CostLabelRow[] {
  const domainEnd = costAxis(results).domain[1];
  const colors = new Map(categories(results).map((c) => [c.label, c.color]));
  const rows: CostLabelRow[] = [];
  for (const row of costRows(results)) {
    const widthPx = (row.usd / domainEnd) * WIDTH;
    const fits = (candidate: string): boolean => segmentFits(widthPx, candidate);
    const text = [formatUsd(row.usd), formatUsdShort(row.usd)].find(fits);
    if (text !== undefined) {
      rows.push({
        mode: row.mode,
        item: row.itemLabel,
        mid: (row.start + row.end) / 2,
        text,
        color: textColorOn(colors.get(row.itemLabel) ?? INK),
      });
    }
  }
  return rows;
}

/** Legend columns: as many as fit across the plot, for the widest name. */
function legendColumns(labels: readonly string[]): number {
  if (labels.length === 0) return 1;
  const widest = Math.max(...labels.map((label) => Math.min(LEGEND_LABEL_LIMIT, textWidth(label, 12))));
  const column = LEGEND_SYMBOL_PX + widest + LEGEND_COLUMN_PADDING;
  return Math.max(1, Math.min(labels.length, Math.floor((WIDTH + LEGEND_COLUMN_PADDING) / column)));
}

// ---------------------------------------------------------------------------------------------
// The figure.

/**
 * A text layer drawn twice: first as a white halo (white fill and stroke, as wide as the direct
 * labels' halo), then as itself.
 */
function withHalo<const L extends { readonly mark: object }>(layer: L): [L, L] {
  const halo = { ...layer, mark: { ...layer.mark, color: "white", stroke: "white", strokeWidth: HALO_WIDTH, strokeJoin: "round" as const } };
  return [halo, layer];
}

export function costChart(results: Results): TopLevelSpec {
  const modes = Object.keys(results.modes);
  const rows = costRows(results);
  const totals = costTotals(results);
  const labels = costSegmentLabels(results);
  const details = costDetails(results);
  const colors = costColors(results);
  const axis = costAxis(results);
  const kinds = categories(results);
  const licenceCount = kinds.filter((c) => c.kind === "licenses").length;
  const parts = listNames([
    ...(kinds.some((c) => c.kind === "hosts") ? ["hosts"] : []),
    ...(licenceCount > 0 ? [licenceCount === 1 ? "licence" : "licences"] : []),
    ...(kinds.some((c) => c.kind === "operations") ? ["operations"] : []),
  ]);

  const y = modeBandEncoding(modes, { inner: 0.35, outer: 0.2 });
  const x = tickedAxisEncoding("Mean cost per month (USD)", axis, true);
  const legend = { ...stackLegend(legendColumns(colors.domain)), labelLimit: LEGEND_LABEL_LIMIT };
  return onePanelFigure(results, {
    title: {
      ...panelTitle(PANEL_TITLE),
      subtitle: `USD per month${parts === "" ? "" : `: ${parts}`} · mean of replications`,
    },
    width: WIDTH,
    height: { step: BAND },
    layer: [
      segmentLayer(rows, y, x, colorEncoding("itemLabel", colors, legend), [
        { field: "mode", type: "nominal", title: "Mode" },
        { field: "itemLabel", type: "nominal", title: "Item" },
        { field: "usdLabel", type: "nominal", title: "USD per month (mean)" },
        { field: "share", type: "quantitative", title: "Share", format: ".0%" },
        { field: "detail", type: "nominal", title: "How (first replication)" },
      ]),
      segmentLabelLayer(labels, y, { ...x, field: "mid" }),
      // Past the bar: each text over a white halo of itself, so gridlines never cut through it.
      ...barEndLayers(y, x, "end", {
        totals: totals.filter((row) => row.end > 0),
        empty: totals.filter((row) => !(row.end > 0)),
        details,
      }).flatMap((layer) => withHalo(layer)),
    ],
  });
}
