import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import type { CpuSeries, ModeResult, Results } from "../../sim/experiment/results.js";
import {
  APP_PALETTE,
  MAX_APP_SERIES,
  OTHER_APPS,
  appSeries,
  cpuStartupChart,
  CPU_OTHER_COLORS,
  FALLBACK_PALETTE,
  MIN_FACTOR_END,
  MODE_KIND_COLORS,
  allCharts,
  contentionApps,
  contentionCharts,
  cpuCapacityRows,
  cpuOverTimeChart,
  cpuOverTimeMissing,
  cpuOverTimeRows,
  cpuPanelSummaries,
  cpuSeriesColors,
  cpuTimeAxis,
  factorAxis,
  formatFactor,
  noisyNeighbourChart,
  noisyNeighbourRows,
  renderPng,
  renderSvg,
  slowdownChart,
  slowdownMissing,
  slowdownRows,
  textWidth,
} from "../../sim/report/index.js";
import { CPU_SAMPLES, FIXTURE_SHAPES, HORIZON_S, fixtureResults } from "./fixture.js";
import type { ModeShape } from "./fixture.js";
import { sceneItems } from "./scene.js";

const SHAPES = FIXTURE_SHAPES as Record<string, ModeShape>;
const MODES = ["bare", "container", "vm", "microvm"];
const BUILDERS: readonly [string, (results: Results) => TopLevelSpec, string][] = [
  ["slowdownChart", slowdownChart, "Slowdown under contention"],
  ["cpuOverTimeChart", cpuOverTimeChart, "Where the CPU goes"],
  ["noisyNeighbourChart", noisyNeighbourChart, "Who suffers, per mode"],
];
const EMPTY_CPU: CpuSeries = { timesS: [], series: [], values: [], capacityCores: 0 };

function withMode(results: Results, name: string, patch: (mode: ModeResult) => ModeResult): Results {
  const mode = results.modes[name];
  if (mode === undefined) throw new Error(`no mode ${name}`);
  return { ...results, modes: { ...results.modes, [name]: patch(mode) } };
}

function allModes(results: Results, patch: (mode: ModeResult) => ModeResult): Results {
  return { ...results, modes: Object.fromEntries(Object.entries(results.modes).map(([name, mode]) => [name, patch(mode)])) };
}

/** No service ran: no slowdowns, no CPU samples, no per-app numbers. */
function noServices(mode: ModeResult): ModeResult {
  return { ...mode, slowdownQuantiles: [], cpuSeries: EMPTY_CPU, apps: {} };
}

/** Only the first app of the fixture (web). */
function oneApp(mode: ModeResult): ModeResult {
  const web = mode.apps["web"];
  return { ...mode, apps: web === undefined ? {} : { web } };
}

function json(spec: TopLevelSpec): string {
  return JSON.stringify(spec);
}

/** The panel title's subtitle lines of a chart, as one string. */
function subtitleOf(spec: TopLevelSpec): string {
  return JSON.stringify((spec as { hconcat: { title: { subtitle: unknown } }[] }).hconcat[0]!.title.subtitle);
}

describe("the contention charts", () => {
  it("compile to Vega, with data inlined and the theme's font", () => {
    for (const [name, build] of BUILDERS) {
      const spec = build(fixtureResults());
      expect(() => compile(spec), name).not.toThrow();
      expect(json(spec)).not.toMatch(/"url"/);
      expect((spec as { config?: { font?: string } }).config?.font).toBe("DejaVu Sans");
      expect((spec as { $schema?: string }).$schema).toMatch(/vega-lite\/v5/);
    }
  });

  it("render to the same SVG twice, naming the scenario, the chart and every mode", async () => {
    for (const [name, build, title] of BUILDERS) {
      const first = await renderSvg(build(fixtureResults()));
      const second = await renderSvg(build(fixtureResults()));
      expect(second, name).toBe(first);
      expect(first).toContain(">Web fleet: 48 × 1 GiB on 4 hosts<");
      expect(first).toContain(">5 replications · seed 42<");
      expect(first).toContain(`>${title}<`);
      for (const mode of MODES) expect(first, `${name} names ${mode}`).toContain(`>${mode}<`);
      expect(first).toContain('font-family="DejaVu Sans"');
    }
  });

  it("rasterise to PNG", async () => {
    for (const { name, spec } of contentionCharts(fixtureResults())) {
      const png = renderPng(await renderSvg(spec), { scale: 1 });
      expect([...png.subarray(0, 4)], name).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
  });

  it("are pure functions of the results", () => {
    for (const [, build] of BUILDERS) expect(json(build(fixtureResults()))).toBe(json(build(fixtureResults())));
  });

  it("are listed after the start-up charts, under fixed names, when they have data", () => {
    const results = fixtureResults();
    expect(contentionCharts(results).map((chart) => chart.name)).toEqual(["slowdown", "cpu-over-time", "victims"]);
    const all = allCharts(results);
    expect(all.map((chart) => chart.name)).toEqual([
      "density",
      "startup-ecdf",
      "ready-over-time",
      "startup-phases",
      "slowdown",
      "cpu-over-time",
      "victims",
    ]);
    expect(json(all[4]!.spec)).toBe(json(slowdownChart(results)));
    expect(json(all[5]!.spec)).toBe(json(cpuOverTimeChart(results)));
    expect(json(all[6]!.spec)).toBe(json(noisyNeighbourChart(results)));
  });

  it("are left out of allCharts when the results have no data for them", () => {
    const startup = ["density", "startup-ecdf", "ready-over-time", "startup-phases"];
    const names = (results: Results): string[] => allCharts(results).map((chart) => chart.name);
    // No service ran anywhere.
    expect(names(allModes(fixtureResults(), noServices))).toEqual(startup);
    // One app only: nobody's neighbour.
    expect(names(allModes(fixtureResults(), oneApp))).toEqual([...startup, "slowdown", "cpu-over-time"]);
    // Samples but no slowdowns, and slowdowns but no samples.
    const noSlowdown = allModes(fixtureResults(), (mode) => ({ ...mode, slowdownQuantiles: [] }));
    expect(names(noSlowdown)).toEqual([...startup, "cpu-over-time", "victims"]);
    const noCpu = allModes(fixtureResults(), (mode) => ({ ...mode, cpuSeries: EMPTY_CPU }));
    expect(names(noCpu)).toEqual([...startup, "slowdown", "victims"]);
    // Two apps, but none of them had a slowdown measured.
    const unmeasured = allModes(fixtureResults(), (mode) => ({
      ...mode,
      apps: Object.fromEntries(Object.entries(mode.apps).map(([app, metrics]) => [app, { ...metrics, "slowdown.p99": { mean: 0, sd: 0, lo: 0, hi: 0, n: 5 } }])),
    }));
    expect(names(unmeasured)).not.toContain("victims");
    // One mode with data is enough.
    const oneMode = allModes(fixtureResults(), (mode) => (mode.kind === "vm" ? mode : noServices(mode)));
    expect(names(oneMode)).toEqual([...startup, "slowdown", "cpu-over-time", "victims"]);
  });

  it("handle modes without data, and results with none at all, without throwing", async () => {
    const partial = withMode(fixtureResults(), "vm", noServices);
    const none = allModes(fixtureResults(), noServices);
    const empty: Results = { ...partial, modes: {} };
    const single = allModes(fixtureResults(), oneApp);
    for (const results of [partial, none, empty, single]) {
      for (const [name, build] of BUILDERS) {
        const spec = build(results);
        expect(() => compile(spec), name).not.toThrow();
        await expect(renderSvg(spec)).resolves.toMatch(/^<svg/);
      }
    }
  });

  it("give a second VM profile a colour of its own, the same as in the other charts", async () => {
    const results = fixtureResults({ ...SHAPES, "vm-vmware": SHAPES["vm"]! });
    for (const build of [slowdownChart, noisyNeighbourChart]) {
      const items = await sceneItems(build(results));
      const bar = (mode: string) => items.find((item) => item.markType === "rect" && item.datum["mode"] === mode);
      expect(bar("vm-vmware")?.fill).toBe(FALLBACK_PALETTE[0]);
      expect(bar("vm")?.fill).toBe(MODE_KIND_COLORS.vm);
      expect(bar("bare")?.fill).toBe(MODE_KIND_COLORS.bare);
    }
  });
});

describe("formatFactor and factorAxis", () => {
  it("write slowdowns as multipliers", () => {
    expect(formatFactor(1)).toBe("1.00×");
    expect(formatFactor(1.655)).toBe("1.66×");
    expect(formatFactor(12.34)).toBe("12.3×");
    expect(formatFactor(250)).toBe("250×");
  });

  it("start at 1×, end on a tick at or past the largest value, never below the minimum end", () => {
    for (const max of [1, 1.04, 1.3, 2.2, 3.6, 6.9, 42]) {
      const axis = factorAxis(max);
      expect(axis.domain[0]).toBe(1);
      expect(axis.domain[1]).toBeGreaterThanOrEqual(Math.max(max, MIN_FACTOR_END));
      expect(axis.ticks[0]).toBe(1);
      expect(axis.ticks[axis.ticks.length - 1]).toBe(axis.domain[1]);
      expect(axis.ticks.length).toBeGreaterThanOrEqual(3);
      expect(axis.ticks.length).toBeLessThanOrEqual(8);
    }
    expect(factorAxis(2.2).ticks).toEqual([1, 1.25, 1.5, 1.75, 2, 2.25]);
    expect(factorAxis(1.04).ticks).toEqual([1, 1.05, 1.1, 1.15, 1.2, 1.25]);
    expect(factorAxis(8.9).ticks).toEqual([1, 2, 4, 6, 8, 10]);
  });
});

describe("slowdownChart", () => {
  it("draws a strip per mode from the quantiles: box p25-p75, whisker p5-p99, median", () => {
    const results = fixtureResults();
    const rows = slowdownRows(results);
    expect(rows.map((row) => row.mode)).toEqual(MODES);
    for (const row of rows) {
      const q = results.modes[row.mode]!.slowdownQuantiles;
      expect(row.p5).toBeCloseTo(q[5]!, 12);
      expect(row.p25).toBeCloseTo(q[25]!, 12);
      expect(row.p50).toBeCloseTo(q[50]!, 12);
      expect(row.p75).toBeCloseTo(q[75]!, 12);
      expect(row.p99).toBeCloseTo(q[99]!, 12);
      expect(row.p5).toBeLessThanOrEqual(row.p25);
      expect(row.p75).toBeLessThanOrEqual(row.p99);
    }
    // The fixture's shapes: shared kernels suffer, VMs hardly.
    const p99 = Object.fromEntries(rows.map((row) => [row.mode, row.rawP99]));
    expect(p99["bare"]).toBeGreaterThan(1.5);
    expect(p99["vm"]).toBeLessThan(1.06);
  });

  it("labels each mode's p99 with its quantile, and draws the label inside the plot", async () => {
    const results = fixtureResults();
    const items = await sceneItems(slowdownChart(results));
    for (const mode of MODES) {
      const expected = `p99 ${formatFactor(results.modes[mode]!.slowdownQuantiles[99]!)}`;
      const label = items.find((item) => item.markType === "text" && item.datum["mode"] === mode && item.text === expected);
      expect(label, `${mode} p99 label`).toBeDefined();
    }
    expect(slowdownRows(results).find((row) => row.mode === "bare")?.p99Label).toBe("p99 1.85×");
    const svg = await renderSvg(slowdownChart(results));
    expect(svg).toContain(">p99 1.85×<");
    for (const item of items.filter((i) => i.markType === "text" && typeof i.datum["mode"] === "string")) {
      const bold = String(item.text).startsWith("p99");
      expect(item.x + (bold ? 9 : 0) + textWidth(String(item.text), 12, bold), String(item.text)).toBeLessThanOrEqual(600 + 1e-6);
    }
  });

  it("starts the axis at 1× with a reference rule there", async () => {
    const spec = slowdownChart(fixtureResults());
    expect(json(spec)).toContain("Slowdown (CPU demanded / work done)");
    const svg = await renderSvg(spec);
    for (const tick of ["1.00×", "1.50×", "2.00×"]) expect(svg).toContain(`>${tick}<`);
    const items = await sceneItems(spec);
    const rule = items.find((item) => item.markType === "rule" && item.datum["at"] === 1);
    expect(rule?.x).toBe(0);
  });

  it("keeps a mode without slowdowns as a row noting it, and names it in the subtitle", async () => {
    const results = withMode(fixtureResults(), "vm", noServices);
    expect(slowdownRows(results).map((row) => row.mode)).toEqual(["bare", "container", "microvm"]);
    expect(slowdownMissing(results)).toEqual(["vm"]);
    const spec = slowdownChart(results);
    expect(subtitleOf(spec)).toContain("No service ran in vm");
    const svg = await renderSvg(spec);
    expect(svg).toContain(">vm<");
    expect(svg).toContain(">no service ran<");
    // The others keep their colours.
    expect(json(spec)).toContain(MODE_KIND_COLORS.microvm);
  });

  it("draws values under 1× at 1× and says so", () => {
    const results = withMode(fixtureResults(), "vm", (mode) => ({ ...mode, slowdownQuantiles: mode.slowdownQuantiles.map((q) => q - 0.01) }));
    const vm = slowdownRows(results).find((row) => row.mode === "vm")!;
    expect(vm.p5).toBe(1);
    expect(subtitleOf(slowdownChart(results))).toContain("Values under 1× are drawn at 1×");
    expect(subtitleOf(slowdownChart(fixtureResults()))).not.toContain("drawn at 1×");
  });

  it("sorts quantiles out of order on disk and ignores non-finite ones", () => {
    const results = withMode(fixtureResults(), "bare", (mode) => ({ ...mode, slowdownQuantiles: [Number.NaN, ...[...mode.slowdownQuantiles].reverse()] }));
    const bare = slowdownRows(results).find((row) => row.mode === "bare")!;
    expect(bare.rawP99).toBeCloseTo(fixtureResults().modes["bare"]!.slowdownQuantiles[99]!, 12);
  });
});

describe("cpuOverTimeChart", () => {
  it("stacks each mode's series in order: the top at each sample is their sum", () => {
    const results = fixtureResults();
    const rows = cpuOverTimeRows(results);
    for (const mode of MODES) {
      const cpu = results.modes[mode]!.cpuSeries;
      expect(cpu.timesS).toHaveLength(CPU_SAMPLES);
      cpu.timesS.forEach((t, j) => {
        const stack = rows.filter((row) => row.mode === mode && row.seconds === t).sort((a, b) => a.order - b.order);
        expect(stack.map((row) => row.series)).toEqual(cpu.series);
        expect(stack[0]!.y0).toBe(0);
        for (let k = 1; k < stack.length; k += 1) expect(stack[k]!.y0).toBe(stack[k - 1]!.y1);
        const sum = cpu.values.reduce((total, values) => total + values[j]!, 0);
        expect(Math.abs(stack[stack.length - 1]!.y1 - sum)).toBeLessThan(1e-9);
      });
    }
  });

  it("draws the stacks as areas whose top follows the sum, and the capacity rule at capacityCores", async () => {
    const results = fixtureResults();
    const spec = cpuOverTimeChart(results);
    const items = await sceneItems(spec);
    const panel = (spec as { hconcat: { vconcat: { height: number; layer: { encoding: { y: { scale: { domain: number[] } } } }[] }[] }[] }).hconcat[0]!.vconcat[0]!;
    const yMax = panel.layer[0]!.encoding.y.scale.domain[1]!;
    const toPx = (cores: number): number => panel.height * (1 - cores / yMax);
    for (const mode of MODES) {
      const cpu = results.modes[mode]!.cpuSeries;
      const rule = items.find((item) => item.markType === "rule" && item.datum["mode"] === mode);
      expect(rule?.datum["capacityCores"]).toBe(cpu.capacityCores);
      expect(rule!.y).toBeCloseTo(toPx(cpu.capacityCores), 6);
      const top = items.filter((item) => item.markType === "area" && item.datum["mode"] === mode && item.datum["series"] === "start-up");
      expect(top).toHaveLength(CPU_SAMPLES);
      for (const point of top) {
        const j = cpu.timesS.indexOf(point.datum["seconds"] as number);
        const sum = cpu.values.reduce((total, values) => total + values[j]!, 0);
        expect(point.y).toBeCloseTo(toPx(sum), 6);
      }
    }
    expect(cpuCapacityRows(results).find((row) => row.mode === "vm")?.label).toBe("capacity 124 cores");
    const svg = await renderSvg(spec);
    expect(svg).toContain(">capacity 124 cores<");
  });

  it("leaves the samples inside a still stretch out of its data, and draws the same picture as every sample", async () => {
    // vm's series step every 10 samples: most samples sit inside a still stretch.
    const results = withMode(fixtureResults(), "vm", (mode) => ({
      ...mode,
      cpuSeries: { ...mode.cpuSeries, values: mode.cpuSeries.values.map((values) => values.map((_, j) => values[j - (j % 10)]!)) },
    }));
    const spec = cpuOverTimeChart(results);
    type Layer = { data: { values: { mode: string }[] } };
    const panels = (spec as unknown as { hconcat: { vconcat: { layer: Layer[] }[] }[] }).hconcat[0]!.vconcat;
    const vmPanel = panels[MODES.indexOf("vm")]!;
    const all = cpuOverTimeRows(results).filter((row) => row.mode === "vm");
    expect(vmPanel.layer[0]!.data.values.length).toBeLessThan(all.length / 3);
    // The spec again with every sample in the vm panel's data: the same pixels.
    const every = structuredClone(spec) as unknown as { hconcat: { vconcat: { layer: Layer[] }[] }[] };
    every.hconcat[0]!.vconcat[MODES.indexOf("vm")]!.layer[0]!.data.values = all;
    const png = (s: unknown): Promise<Uint8Array> => renderSvg(s as TopLevelSpec).then((svg) => renderPng(svg, { scale: 1 }));
    expect(Buffer.from(await png(spec)).equals(Buffer.from(await png(every)))).toBe(true);
    // And the summaries still count every sample.
    expect(cpuPanelSummaries(results).find((row) => row.mode === "vm")!.meanCores).toBeGreaterThan(0);
  });

  it("past MAX_APP_SERIES apps, draws the apps using the most CPU apart and the rest as one series, in both CPU charts", async () => {
    // 12 apps: app k uses k + 1 cores at every sample (app11 the most), app4 nothing.
    const apps = Array.from({ length: 12 }, (_, k) => `app${k}`);
    const many = (cpu: CpuSeries): CpuSeries => ({
      ...cpu,
      series: [...apps, "overhead", "start-up"],
      values: [...apps.map((_, k) => cpu.timesS.map(() => (k === 4 ? 0 : k + 1))), cpu.timesS.map(() => 0.5), cpu.timesS.map(() => 0.25)],
    });
    // The fixture has no start-up samples: its first 10 whole-run samples stand in for them.
    const results = allModes(fixtureResults(), (mode) => ({
      ...mode,
      cpuSeries: many(mode.cpuSeries),
      startupCpuSeries: many({ ...mode.cpuSeries, timesS: mode.cpuSeries.timesS.slice(0, 10) }),
    }));
    const groups = appSeries(results);
    const apart = apps.filter((app) => groups.get(app) === app);
    expect(apart).toEqual(["app5", "app6", "app7", "app8", "app9", "app10", "app11"]);
    expect(apart).toHaveLength(MAX_APP_SERIES - 1);
    expect(apps.filter((app) => groups.get(app) === OTHER_APPS)).toEqual(["app0", "app1", "app2", "app3", "app4"]);
    // Each sample: the apps apart, then the others' sum, then the non-app parts; the top is still the sum of every series.
    const rows = cpuOverTimeRows(results);
    const first = rows.filter((row) => row.mode === "bare" && row.seconds === rows[0]!.seconds);
    expect(first.map((row) => row.seriesLabel)).toEqual([...apart, "Other apps (5)", "Overhead", "Start-up work"]);
    expect(first.find((row) => row.series === OTHER_APPS)!.cores).toBe(1 + 2 + 3 + 4);
    expect(first[first.length - 1]!.y1).toBeCloseTo(apps.reduce((n, _, k) => n + (k === 4 ? 0 : k + 1), 0) + 0.75, 9);
    // One colour each, none repeated among the apps.
    const colors = cpuSeriesColors(results);
    expect(colors.domain).toEqual([...apart, "Other apps (5)", "Overhead", "Start-up work"]);
    expect(new Set(colors.range.slice(0, MAX_APP_SERIES)).size).toBe(MAX_APP_SERIES);
    // The start-up zoom tells the same apps apart, even where its own totals would pick others.
    const startupFirst = (spec: TopLevelSpec): string[] => {
      type Layer = { data: { values: { seriesLabel: string; seconds: number }[] } };
      const values = (spec as unknown as { hconcat: { vconcat: { layer: Layer[] }[] }[] }).hconcat[0]!.vconcat[0]!.layer[0]!.data.values;
      return values.filter((row) => row.seconds === values[0]!.seconds).map((row) => row.seriesLabel);
    };
    const zoomed = allModes(results, (mode) => ({
      ...mode,
      startupCpuSeries: { ...mode.startupCpuSeries, values: mode.startupCpuSeries.values.map((v, k) => (k < 12 ? v.map(() => 12 - k) : v)) },
    }));
    expect(startupFirst(cpuStartupChart(zoomed))).toEqual([...apart, "Other apps (5)", "Overhead", "Start-up work"]);
    const svg = await renderSvg(cpuOverTimeChart(results));
    expect(svg).toContain(">Other apps (5)<");
    // Ten legend entries wrap into rows of six rather than one line wider than the panels.
    const legendOf = (spec: TopLevelSpec): { columns?: number } => {
      type Panel = { layer: { encoding: { color: { legend: { columns?: number } } } }[] };
      return (spec as unknown as { hconcat: { vconcat: Panel[] }[] }).hconcat[0]!.vconcat[0]!.layer[0]!.encoding.color.legend;
    };
    expect(legendOf(cpuOverTimeChart(results)).columns).toBe(6);
    expect(legendOf(cpuOverTimeChart(fixtureResults())).columns).toBeUndefined();
    // At MAX_APP_SERIES apps, every app its own series.
    const eight = allModes(fixtureResults(), (mode) => ({
      ...mode,
      cpuSeries: { ...mode.cpuSeries, series: [...apps.slice(0, 8), "overhead", "start-up"], values: [...apps.slice(0, 8).map(() => mode.cpuSeries.timesS.map(() => 1)), mode.cpuSeries.timesS.map(() => 0), mode.cpuSeries.timesS.map(() => 0)] },
    }));
    expect([...appSeries(eight).values()].includes(OTHER_APPS)).toBe(false);
  });

  it("gives apps their own palette, overhead grey and start-up light grey, in series order", () => {
    const colors = cpuSeriesColors(fixtureResults());
    expect(colors.domain).toEqual(["web", "analytics", "Overhead", "Start-up work"]);
    expect(colors.range).toEqual([APP_PALETTE[0], APP_PALETTE[1], CPU_OTHER_COLORS.overhead, CPU_OTHER_COLORS["start-up"]]);
    const modeHues = [...Object.values(MODE_KIND_COLORS), ...FALLBACK_PALETTE];
    for (const color of APP_PALETTE) expect(modeHues).not.toContain(color);
  });

  it("puts time on a shared axis in clock-friendly steps, labelled with its unit", async () => {
    expect(cpuTimeAxis(HORIZON_S)).toMatchObject({ unit: "min", domain: [0, 7200], ticks: [0, 1800, 3600, 5400, 7200] });
    expect(cpuTimeAxis(120).unit).toBe("s");
    expect(cpuTimeAxis(6 * 3600)).toMatchObject({ unit: "h", domain: [0, 6 * 3600] });
    const svg = await renderSvg(cpuOverTimeChart(fixtureResults()));
    expect(svg).toContain(">Time since the start of the run (min)<");
    for (const tick of ["0", "30", "60", "90", "120"]) expect(svg).toContain(`>${tick}<`);
    expect(svg).toContain(">Cores<");
  });

  it("sums each panel up in its subtitle", () => {
    const summaries = cpuPanelSummaries(fixtureResults());
    expect(summaries.map((row) => row.mode)).toEqual(MODES);
    for (const row of summaries) {
      expect(row.meanCores).toBeGreaterThan(0);
      expect(row.meanCores).toBeLessThanOrEqual(row.capacityCores);
      expect(row.text).toMatch(/^[\d.]+ of \d+ cores busy on average \([\d.]+%\) · overhead [\d.]+ cores$/);
    }
  });

  it("leaves out modes without samples and says so; bad values read as 0", async () => {
    const results = withMode(fixtureResults(), "container", (mode) => ({ ...mode, cpuSeries: EMPTY_CPU }));
    expect(cpuOverTimeMissing(results)).toEqual(["container"]);
    expect(cpuOverTimeRows(results).some((row) => row.mode === "container")).toBe(false);
    const spec = cpuOverTimeChart(results);
    expect(subtitleOf(spec)).toContain("no CPU samples: container");
    const svg = await renderSvg(spec);
    for (const mode of ["bare", "vm", "microvm"]) expect(svg).toContain(`>${mode}<`);

    const broken = withMode(fixtureResults(), "vm", (mode) => ({
      ...mode,
      cpuSeries: { ...mode.cpuSeries, values: mode.cpuSeries.values.map((values, k) => (k === 0 ? values.map((v, j) => (j === 3 ? Number.NaN : j === 4 ? -2 : v)) : values)) },
    }));
    const web = cpuOverTimeRows(broken).filter((row) => row.mode === "vm" && row.series === "web");
    expect(web[3]!.cores).toBe(0);
    expect(web[4]!.cores).toBe(0);
  });

  it("keeps an app named like a non-app part an app", () => {
    const results = withMode(fixtureResults({ vm: SHAPES["vm"]! }), "vm", (mode) => ({
      ...mode,
      cpuSeries: { ...mode.cpuSeries, series: ["overhead", "analytics", "overhead", "start-up"] },
    }));
    const colors = cpuSeriesColors(results);
    expect(colors.domain).toEqual(["overhead", "analytics", "Overhead", "Start-up work"]);
    expect(colors.range[0]).toBe(APP_PALETTE[0]);
  });
});

describe("noisyNeighbourChart", () => {
  it("draws every app's p99 slowdown per mode, with its CI and a value label", async () => {
    const results = fixtureResults();
    expect(contentionApps(results)).toEqual(["web", "analytics"]);
    const rows = noisyNeighbourRows(results);
    expect(rows.map((row) => `${row.app}/${row.mode}`)).toEqual(
      ["web", "analytics"].flatMap((app) => MODES.map((mode) => `${app}/${mode}`)),
    );
    for (const row of rows) {
      const summary = results.modes[row.mode]!.apps[row.app]!["slowdown.p99"]!;
      expect(row.rawMean).toBe(summary.mean);
      expect(row.lo).toBe(Math.max(1, summary.lo));
      expect(row.hi).toBe(Math.max(1, summary.hi));
      expect(row.label).toBe(formatFactor(summary.mean));
      expect(row.labelAt).toBe(Math.max(row.mean, row.hi));
    }
    const svg = await renderSvg(noisyNeighbourChart(results));
    for (const row of rows) expect(svg).toContain(`>${row.label}<`);
    for (const app of ["web", "analytics"]) expect(svg).toContain(`>${app}<`);
    expect(svg).toContain(">Slowdown at p99 (CPU demanded / work done)<");
  });

  it("shows the victims protected by VMs and the neighbour throttled by its own vCPUs", () => {
    const rows = noisyNeighbourRows(fixtureResults());
    const p99 = (app: string, mode: string): number => rows.find((row) => row.app === app && row.mode === mode)!.mean;
    expect(p99("web", "container")).toBeGreaterThan(1.5);
    expect(p99("web", "vm")).toBeLessThan(1.1);
    expect(p99("analytics", "vm")).toBeGreaterThan(p99("analytics", "container"));
  });

  it("starts the bars at 1× and keeps every value label inside the plot", async () => {
    const items = await sceneItems(noisyNeighbourChart(fixtureResults()));
    const bars = items.filter((item) => item.markType === "rect" && typeof item.datum["app"] === "string" && item.datum["mean"] !== undefined && item.height > 10);
    expect(bars).toHaveLength(8);
    for (const bar of bars) expect(bar.x).toBeCloseTo(0, 6);
    const labels = items.filter((item) => item.markType === "text" && typeof item.datum["label"] === "string" && item.datum["mean"] !== undefined);
    expect(labels).toHaveLength(8);
    for (const label of labels) expect(label.x + 6 + textWidth(String(label.text), 12, true)).toBeLessThanOrEqual(560);
  });

  it("notes a mode without a value for an app instead of drawing a bar", async () => {
    const results = withMode(fixtureResults(), "microvm", oneApp);
    const rows = noisyNeighbourRows(results);
    expect(rows.some((row) => row.app === "analytics" && row.mode === "microvm")).toBe(false);
    expect(rows.filter((row) => row.app === "web")).toHaveLength(4);
    const svg = await renderSvg(noisyNeighbourChart(results));
    expect(svg).toContain(">no data<");
  });
});
