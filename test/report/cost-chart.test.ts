import { afterEach, describe, expect, it, vi } from "vitest";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import type { ModeResult, Results } from "../../sim/experiment/results.js";
import {
  COST_ITEM_COLORS,
  LICENCE_SHADES,
  allCharts,
  costAxis,
  costChart,
  costCharts,
  costColors,
  costDetails,
  costRows,
  costSegmentLabels,
  costTotals,
  formatUsd,
  formatUsdPerInstance,
  formatUsdShort,
  formatUsdTicks,
  hasCostData,
  licenceLabel,
  licenceShades,
  renderPng,
  renderSvg,
  textWidth,
  usdAxis,
} from "../../sim/report/index.js";
import { FIXTURE_LICENCES, fixtureResults, withCosts } from "./fixture.js";
import { sceneItems } from "./scene.js";
import type { SceneItem } from "./scene.js";

const MODES = ["bare", "container", "vm", "microvm"];
/** The plot width the chart draws at, pixels. */
const WIDTH = 600;

function costed(): Results {
  return fixtureResults(withCosts());
}

function json(spec: TopLevelSpec): string {
  return JSON.stringify(spec);
}

function mean(mode: ModeResult | undefined, key: string): number {
  const value = mode?.summary[key]?.mean;
  if (value === undefined) throw new Error(`no ${key}`);
  return value;
}

/** Every mode with its cost items and cost metrics set to 0. */
function free(results: Results): Results {
  const zero = { mean: 0, sd: 0, lo: 0, hi: 0, n: 5 };
  return {
    ...results,
    modes: Object.fromEntries(
      Object.entries(results.modes).map(([name, mode]) => [
        name,
        {
          ...mode,
          costItems: mode.costItems.map((item) => ({ ...item, monthly: zero })),
          summary: Object.fromEntries(Object.entries(mode.summary).map(([key, value]) => [key, key.startsWith("cost.") ? zero : value])),
        },
      ]),
    ),
  };
}

/** The stacked bars: the first layer's rects. */
function bars(items: readonly SceneItem[]): SceneItem[] {
  return items.filter((item) => item.markType === "rect" && typeof item.datum["itemLabel"] === "string");
}

/** Drawn text (halos, which are white, left out). */
function texts(items: readonly SceneItem[]): SceneItem[] {
  return items.filter((item) => item.markType === "text" && item.fill !== "white");
}

describe("the cost chart", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("compiles with Vega-Lite, data inlined, in the theme's font, titled from the scenario", () => {
    const results = costed();
    const spec = costChart(results);
    expect(() => compile(spec)).not.toThrow();
    expect(json(spec)).not.toMatch(/"url"/);
    expect((spec as { config?: { font?: string } }).config?.font).toBe("DejaVu Sans");
    expect((spec as { $schema?: string }).$schema).toMatch(/vega-lite\/v5/);
    expect(json(spec)).toContain(results.scenario.title);
    expect(json(spec)).toContain("What each mode costs per month");
  });

  it("renders byte-identical SVG twice, and a real PNG", async () => {
    const spec = costChart(costed());
    const first = await renderSvg(spec);
    const second = await renderSvg(costChart(costed()));
    expect(second).toBe(first);
    expect(json(costChart(costed()))).toBe(json(spec));
    const png = renderPng(first);
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it("draws every mode, in results order, each with its total and its cost per instance", async () => {
    const results = costed();
    expect(costTotals(results).map((row) => row.mode)).toEqual(MODES);
    const items = await sceneItems(costChart(results));
    const drawn = bars(items);
    for (const mode of MODES) {
      expect(drawn.some((item) => item.datum["mode"] === mode), mode).toBe(true);
      const total = mean(results.modes[mode], "cost.monthly.total");
      const perInstance = mean(results.modes[mode], "cost.perInstance");
      const shown = texts(items).map((item) => String(item.text));
      expect(shown, mode).toContain(`${formatUsd(total)} / month`);
      expect(shown, mode).toContain(`${formatUsdPerInstance(perInstance)} per instance`);
    }
    // Modes run top to bottom in results order.
    const tops = MODES.map((mode) => Math.min(...drawn.filter((item) => item.datum["mode"] === mode).map((item) => item.y)));
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
  });

  it("stacks hosts, each licence, operations, and each bar sums to the mode's monthly total", async () => {
    const results = costed();
    const rows = costRows(results);
    const domainEnd = costAxis(results).domain[1];
    const drawn = bars(await sceneItems(costChart(results)));
    for (const mode of MODES) {
      const total = mean(results.modes[mode], "cost.monthly.total");
      const mine = rows.filter((row) => row.mode === mode);
      expect(Math.abs(mine.reduce((sum, row) => sum + row.usd, 0) - total), mode).toBeLessThan(1e-6);
      // Contiguous, in stack order, starting at 0.
      expect(mine[0]?.start).toBe(0);
      for (let i = 1; i < mine.length; i += 1) {
        expect(mine[i]?.start).toBe(mine[i - 1]?.end);
        expect(mine[i]!.order).toBeGreaterThan(mine[i - 1]!.order);
      }
      expect(mine[0]?.kind).toBe("hosts");
      expect(mine[mine.length - 1]?.kind).toBe("operations");
      // On screen: the bar ends where the total says.
      const right = Math.max(...drawn.filter((item) => item.datum["mode"] === mode).map((item) => item.x + item.width));
      expect(right, mode).toBeCloseTo((total / domainEnd) * WIDTH, 3);
    }
    // Segments match the items' means, and zero items (VM hosts need no Standard) draw nothing.
    const vm = results.modes["vm"]!;
    expect(rows.filter((row) => row.mode === "vm").map((row) => row.item)).toEqual(["hosts", FIXTURE_LICENCES[1], "operations"]);
    for (const item of vm.costItems.filter((entry) => entry.monthly.mean > 0)) {
      const row = rows.find((entry) => entry.mode === "vm" && entry.item === item.name);
      expect(row?.usd).toBe(item.monthly.mean);
    }
  });

  it("names the items readably in the legend, each licence its own shade of one hue family", () => {
    const colors = costColors(costed());
    expect(colors.domain).toEqual(["Hosts", "Windows Server 2022 Standard", "Windows Server 2022 Datacenter", "Operations"]);
    expect(colors.range[0]).toBe(COST_ITEM_COLORS.hosts);
    expect(colors.range[3]).toBe(COST_ITEM_COLORS.operations);
    expect(colors.range.slice(1, 3)).toEqual(licenceShades(2));
    expect(new Set(colors.range).size).toBe(4);
    for (const count of [1, 2, 3, 4, 5, 7]) {
      const shades = licenceShades(count);
      expect(shades).toHaveLength(count);
      expect(new Set(shades).size).toBe(count);
      for (const shade of shades) expect(shade).toMatch(/^#[0-9A-F]{6}$/);
    }
    expect(licenceShades(5)).toEqual([...LICENCE_SHADES]);
    expect(licenceLabel("windows-server-2022-datacenter")).toBe("Windows Server 2022 Datacenter");
    expect(licenceLabel("rhel-virtual-datacenter")).toBe("RHEL Virtual Datacenter");
    expect(licenceLabel("vsphere-foundation")).toBe("vSphere Foundation");
    expect(licenceLabel("VMware VCF (negotiated)")).toBe("VMware VCF (negotiated)");
  });

  it("writes dollars the same whatever the locale", async () => {
    expect(formatUsd(12345)).toBe("$12,345");
    expect(formatUsd(1234567.6)).toBe("$1,234,568");
    expect(formatUsd(0)).toBe("$0");
    expect(formatUsd(999.5)).toBe("$1,000");
    // One money rule (sim/report/format.ts): cents below $100, whole dollars from there.
    expect(formatUsdPerInstance(41.2)).toBe("$41.20");
    expect(formatUsdPerInstance(141.2)).toBe("$141");
    expect(formatUsdPerInstance(4.2)).toBe("$4.20");
    expect(formatUsdShort(4168)).toBe("$4.17k");
    expect(formatUsdShort(999.7)).toBe("$1k");
    expect(formatUsdShort(12_400)).toBe("$12.4k");
    expect(formatUsdShort(820)).toBe("$820");
    expect(formatUsdShort(1_500_000)).toBe("$1.5M");
    expect(formatUsdTicks(usdAxis(13_456).ticks)).toEqual(["$0", "$2k", "$4k", "$6k", "$8k", "$10k", "$12k", "$14k"]);
    expect(formatUsdTicks([0, 5000, 10000, 15000])).toEqual(["$0", "$5k", "$10k", "$15k"]);
    expect(formatUsdTicks([0, 250, 500, 750, 1000, 1250])).toEqual(["$0", "$250", "$500", "$750", "$1,000", "$1,250"]);
    expect(formatUsdTicks([0, 500_000, 1_000_000, 1_500_000])).toEqual(["$0", "$500k", "$1M", "$1.5M"]);
    expect(formatUsdTicks([0, 2_500, 5_000, 7_500, 10_000, 12_500])).toEqual(["$0", "$2.5k", "$5k", "$7.5k", "$10k", "$12.5k"]);
    expect(formatUsdTicks([0, 0.5, 1, 1.5])).toEqual(["$0", "$0.50", "$1.00", "$1.50"]);

    const spec = costChart(costed());
    const svg = await renderSvg(spec);
    // Axis labels come from literal strings, not from a number format a locale could change.
    expect(json(spec)).not.toMatch(/format\(|formatType/);
    for (const tick of ["$0", "$2k", "$14k", "$8,074 / month"]) expect(svg).toContain(`>${tick}<`);

    // A machine whose locale groups digits otherwise changes nothing.
    vi.spyOn(Number.prototype, "toLocaleString").mockImplementation(function (this: number) {
      return `${Math.round(this)}`.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202F");
    });
    const german = new Intl.NumberFormat("de-DE");
    vi.spyOn(Intl, "NumberFormat").mockImplementation(() => german);
    expect(formatUsd(12345)).toBe("$12,345");
    expect(await renderSvg(costChart(costed()))).toBe(svg);
  });

  it("labels the segments that have room, and keeps every label inside the plot", async () => {
    const results = costed();
    const domainEnd = costAxis(results).domain[1];
    const labels = costSegmentLabels(results);
    expect(labels.length).toBeGreaterThan(0);
    const rows = costRows(results);
    for (const label of labels) {
      const row = rows.find((entry) => entry.mode === label.mode && entry.itemLabel === label.item);
      expect(row).toBeDefined();
      expect([formatUsd(row!.usd), formatUsdShort(row!.usd)]).toContain(label.text);
      expect((row!.usd / domainEnd) * WIDTH).toBeGreaterThanOrEqual(textWidth(label.text, 11) + 10);
    }
    // The totals and costs per instance end inside the plot.
    for (const detail of costDetails(results)) {
      expect((detail.at / domainEnd) * WIDTH + textWidth(detail.text, 12)).toBeLessThanOrEqual(WIDTH);
    }
    // The axis ends on a tick past the longest bar.
    const axis = costAxis(results);
    expect(axis.ticks[axis.ticks.length - 1]).toBe(axis.domain[1]);
    expect(axis.domain[1]).toBeGreaterThan(Math.max(...costTotals(results).map((row) => row.end)));
  });

  it("is listed right after the density figure when some mode costs something, and not otherwise", () => {
    const results = costed();
    expect(hasCostData(results)).toBe(true);
    expect(costCharts(results).map((chart) => chart.name)).toEqual(["cost"]);
    const all = allCharts(results);
    expect(all.map((chart) => chart.name).slice(0, 3)).toEqual(["density", "cost", "startup-ecdf"]);
    expect(json(all[1]!.spec)).toBe(json(costChart(results)));

    // All totals 0: no cost chart.
    const zero = free(results);
    expect(hasCostData(zero)).toBe(false);
    expect([...costCharts(zero)]).toEqual([]);
    expect(costCharts(zero).skipped.map((s) => s.name)).toEqual(["cost"]);
    expect(allCharts(zero).map((chart) => chart.name)).not.toContain("cost");
    // Results without cost data at all (the plain fixture: no items, no cost metrics).
    expect(hasCostData(fixtureResults())).toBe(false);
    expect(allCharts(fixtureResults()).map((chart) => chart.name)).not.toContain("cost");
    // One mode with a cost is enough.
    const one = { ...zero, modes: { ...zero.modes, vm: results.modes["vm"]! } };
    expect(costCharts(one).map((chart) => chart.name)).toEqual(["cost"]);
  });

  it("draws a free mode as an empty bar with its $0, and copes with no modes", async () => {
    const results = costed();
    const zero = free(results);
    const mixed = { ...results, modes: { ...results.modes, bare: zero.modes["bare"]! } };
    expect(costTotals(mixed).find((row) => row.mode === "bare")?.label).toBe("$0 / month");
    expect(costRows(mixed).some((row) => row.mode === "bare")).toBe(false);
    for (const edge of [mixed, zero, { ...results, modes: {} }]) {
      const spec = costChart(edge);
      expect(() => compile(spec)).not.toThrow();
      await expect(renderSvg(spec)).resolves.toMatch(/^<svg/);
    }
  });
});
