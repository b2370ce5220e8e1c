import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { STARTUP_PHASES } from "../../sim/experiment/results.js";
import type { ModeResult, Results } from "../../sim/experiment/results.js";
import {
  FALLBACK_PALETTE,
  LOG_FLOOR_S,
  MODE_KIND_COLORS,
  PHASE_COLORS,
  PHASE_LABELS,
  allCharts,
  formatDuration,
  formatSeconds,
  linearTimeAxis,
  logTimeAxis,
  modeColors,
  phaseColors,
  placeLaneLabels,
  readyOverTimeChart,
  readyOverTimeEnds,
  readyOverTimeIsLog,
  readyOverTimeRows,
  renderPng,
  renderSvg,
  startupCharts,
  startupEcdfChart,
  startupEcdfMarks,
  startupEcdfRows,
  startupPhaseDetails,
  startupPhaseLabels,
  startupPhaseRows,
  startupPhaseTotals,
  startupPhasesChart,
  startupPhasesShown,
  textWidth,
} from "../../sim/report/index.js";
import { FIXTURE_SHAPES, fixtureResults } from "./fixture.js";
import type { ModeShape } from "./fixture.js";
import { sceneItems } from "./scene.js";
import type { SceneItem } from "./scene.js";

const SHAPES = FIXTURE_SHAPES as Record<string, ModeShape>;
const MODES = ["bare", "container", "vm", "microvm"];
const BUILDERS: readonly [string, (results: Results) => TopLevelSpec, string][] = [
  ["startupEcdfChart", startupEcdfChart, "Start-up latency"],
  ["readyOverTimeChart", readyOverTimeChart, "Boot storm: instances ready over time"],
  ["startupPhasesChart", startupPhasesChart, "Where start-up time goes"],
];

/** The fixture with one mode's result changed. */
function withMode(results: Results, name: string, patch: (mode: ModeResult) => ModeResult): Results {
  const mode = results.modes[name];
  if (mode === undefined) throw new Error(`no mode ${name}`);
  return { ...results, modes: { ...results.modes, [name]: patch(mode) } };
}

/** A mode whose phase means are all 0 (a mode that reports no breakdown). */
function noPhases(mode: ModeResult): ModeResult {
  const summary = Object.fromEntries(
    Object.entries(mode.summary).map(([key, value]) => [key, key.startsWith("startup.phase.") ? { ...value, mean: 0, lo: 0, hi: 0 } : value]),
  );
  return { ...mode, summary };
}

/** No instance became ready: no quantiles, a ready curve that never leaves 0, no phases. */
function neverReady(mode: ModeResult): ModeResult {
  return { ...noPhases(mode), startupQuantiles: [], readyCurve: [[0, 0]] };
}

function json(spec: TopLevelSpec): string {
  return JSON.stringify(spec);
}

/** The text layers' items of a chart's direct labels (name and value parts, halos left out). */
function labelItems(items: readonly SceneItem[]): SceneItem[] {
  return items.filter((item) => item.markType === "text" && typeof item.datum["valueLabel"] === "string" && item.fill !== "white");
}

/** Box of a left-aligned, vertically centred 12 px label item, in scene pixels. */
function textBox(item: SceneItem, bold: boolean): { x0: number; x1: number; y0: number; y1: number } {
  const width = textWidth(String(item.text), 12, bold);
  return { x0: item.x, x1: item.x + width, y0: item.y - 7, y1: item.y + 7 };
}

function overlap(a: ReturnType<typeof textBox>, b: ReturnType<typeof textBox>): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/** Every pair of label boxes of different modes is apart; each name sits left of its value. */
function expectLabelsApart(items: readonly SceneItem[]): void {
  const boxes = labelItems(items).map((item) => {
    const isName = item.text === item.datum["mode"];
    return { mode: String(item.datum["mode"]), isName, box: textBox(item, isName) };
  });
  expect(boxes.length).toBeGreaterThan(0);
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.mode === b.mode && a.isName !== b.isName) {
        const [name, value] = a.isName ? [a.box, b.box] : [b.box, a.box];
        expect(name.x1).toBeLessThanOrEqual(value.x0);
      } else {
        expect(overlap(a.box, b.box), `${a.mode} and ${b.mode} labels overlap`).toBe(false);
      }
    }
  }
}

describe("the start-up charts", () => {
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
      const spec = build(fixtureResults());
      const first = await renderSvg(spec);
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
    for (const { name, spec } of startupCharts(fixtureResults())) {
      const png = renderPng(await renderSvg(spec), { scale: 1 });
      expect([...png.subarray(0, 4)], name).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
  });

  it("are listed for the CLI after the density figure, under fixed names", () => {
    const results = fixtureResults();
    expect(startupCharts(results).map((chart) => chart.name)).toEqual(["startup-ecdf", "ready-over-time", "startup-phases"]);
    const all = allCharts(results);
    // The contention charts (the fixture has their data too) follow the start-up ones.
    expect(all.map((chart) => chart.name).slice(0, 4)).toEqual(["density", "startup-ecdf", "ready-over-time", "startup-phases"]);
    expect(json(all[1]!.spec)).toBe(json(startupEcdfChart(results)));
  });

  it("are pure functions of the results", () => {
    for (const [, build] of BUILDERS) expect(json(build(fixtureResults()))).toBe(json(build(fixtureResults())));
  });

  it("handle modes without data, and results with no start-up data at all, without throwing", async () => {
    const partial = withMode(fixtureResults(), "vm", neverReady);
    const none: Results = { ...partial, modes: Object.fromEntries(Object.entries(partial.modes).map(([k, m]) => [k, neverReady(m)])) };
    const empty: Results = { ...partial, modes: {} };
    for (const results of [partial, none, empty]) {
      for (const [name, build] of BUILDERS) {
        const spec = build(results);
        expect(() => compile(spec), name).not.toThrow();
        await expect(renderSvg(spec)).resolves.toMatch(/^<svg/);
      }
    }
  });

  it("give a second VM profile (vm-vmware) a colour of its own, the same in every chart", async () => {
    const results = fixtureResults({ ...SHAPES, "vm-vmware": SHAPES["vm"]! });
    const colors = modeColors(results);
    const expected = colors.range[colors.domain.indexOf("vm-vmware")];
    expect(expected).toBe(FALLBACK_PALETTE[0]);
    for (const build of [startupEcdfChart, readyOverTimeChart]) {
      const items = await sceneItems(build(results));
      const dot = items.find((item) => item.markType === "symbol" && item.datum["mode"] === "vm-vmware");
      expect(dot?.fill).toBe(expected);
      const vmDot = items.find((item) => item.markType === "symbol" && item.datum["mode"] === "vm");
      expect(vmDot?.fill).toBe(MODE_KIND_COLORS.vm);
    }
    // Alone, it takes the VM colour.
    const alone = fixtureResults({ bare: SHAPES["bare"]!, "vm-vmware": SHAPES["vm"]! });
    const items = await sceneItems(startupEcdfChart(alone));
    expect(items.find((item) => item.markType === "symbol" && item.datum["mode"] === "vm-vmware")?.fill).toBe(MODE_KIND_COLORS.vm);
  });
});

describe("startupEcdfChart", () => {
  it("draws each mode's quantiles as a curve non-decreasing in time and share, 0 % to 100 %", () => {
    const results = fixtureResults();
    const rows = startupEcdfRows(results);
    for (const mode of MODES) {
      const curve = rows.filter((row) => row.mode === mode);
      expect(curve).toHaveLength(101);
      expect(curve[0]!.fraction).toBe(0);
      expect(curve[100]!.fraction).toBe(1);
      expect(curve[50]!.rawSeconds).toBe(results.modes[mode]!.startupQuantiles[50]);
      for (let i = 1; i < curve.length; i += 1) {
        expect(curve[i]!.seconds).toBeGreaterThanOrEqual(curve[i - 1]!.seconds);
        expect(curve[i]!.fraction).toBeGreaterThanOrEqual(curve[i - 1]!.fraction);
      }
    }
  });

  it("stays monotone even for quantiles out of order on disk", () => {
    const results = withMode(fixtureResults(), "vm", (mode) => ({ ...mode, startupQuantiles: [...mode.startupQuantiles].reverse() }));
    const curve = startupEcdfRows(results).filter((row) => row.mode === "vm");
    for (let i = 1; i < curve.length; i += 1) expect(curve[i]!.seconds).toBeGreaterThanOrEqual(curve[i - 1]!.seconds);
  });

  it("puts time on a log axis with readable ticks covering every curve", () => {
    const spec = startupEcdfChart(fixtureResults());
    const text = json(spec);
    expect(text).toContain('"type":"log"');
    expect(text).toContain("Time from request to ready (log scale)");
    const rows = startupEcdfRows(fixtureResults());
    const axis = logTimeAxis(Math.min(...rows.map((r) => r.seconds)), Math.max(...rows.map((r) => r.seconds)));
    expect(axis.ticks.map(formatSeconds)).toEqual(["10 ms", "100 ms", "1 s", "10 s", "1 min"]);
  });

  it("draws the tick labels as durations", async () => {
    const svg = await renderSvg(startupEcdfChart(fixtureResults()));
    for (const label of ["10 ms", "100 ms", "1 s", "10 s", "1 min", "0%", "50%", "100%"]) expect(svg).toContain(`>${label}<`);
    expect(svg).toContain(">Instances ready (share)<");
  });

  it("marks each mode's p95 with a dot and a label", async () => {
    const results = fixtureResults();
    const marks = startupEcdfMarks(results);
    expect(marks.map((mark) => mark.mode)).toEqual(MODES);
    for (const mark of marks) {
      expect(mark.rawSeconds).toBe(results.modes[mark.mode]!.startupQuantiles[95]);
      expect(mark.fraction).toBe(0.95);
      expect(mark.valueLabel).toBe(`p95 ${formatSeconds(mark.rawSeconds)}`);
    }
    expect(marks.find((mark) => mark.mode === "bare")?.valueLabel).toBe("p95 12.8 ms");
    const items = await sceneItems(startupEcdfChart(results));
    expect(items.filter((item) => item.markType === "symbol")).toHaveLength(4);
    expectLabelsApart(items);
  });

  it("keeps labels apart and inside the plot when the modes crowd together", async () => {
    const crowd: Record<string, ModeShape> = {};
    ["a", "b", "c", "d", "e", "f"].forEach((n, i) => {
      crowd[`container-${n}`] = { ...SHAPES["container"]!, startupS: 6 + 0.7 * i };
    });
    const items = await sceneItems(startupEcdfChart(fixtureResults(crowd)));
    expectLabelsApart(items);
    for (const item of labelItems(items)) {
      expect(item.x).toBeGreaterThanOrEqual(0);
      expect(item.x + textWidth(String(item.text), 12, true)).toBeLessThanOrEqual(640);
    }
  });

  it("leaves out modes with no ready instance and says so", () => {
    const results = withMode(fixtureResults(), "vm", neverReady);
    expect(startupEcdfRows(results).some((row) => row.mode === "vm")).toBe(false);
    const spec = startupEcdfChart(results);
    const subtitle = JSON.stringify((spec as { hconcat: { title: { subtitle: unknown } }[] }).hconcat[0]!.title.subtitle);
    expect(subtitle).toContain("no instance became ready: vm");
    // Colours of the others do not shift.
    expect(json(spec)).toContain(MODE_KIND_COLORS.microvm);
  });

  it("draws times under 1 ms at 1 ms and says so", () => {
    const results = withMode(fixtureResults(), "bare", (mode) => ({
      ...mode,
      startupQuantiles: mode.startupQuantiles.map((q, i) => (i < 10 ? 0 : q / 50)),
    }));
    const rows = startupEcdfRows(results).filter((row) => row.mode === "bare");
    expect(rows[0]!.rawSeconds).toBe(0);
    expect(rows[0]!.seconds).toBe(LOG_FLOOR_S);
    expect(rows.every((row) => row.seconds >= LOG_FLOOR_S)).toBe(true);
    expect(json(startupEcdfChart(results))).toContain("Times under 1 ms are drawn at 1 ms");
    expect(json(startupEcdfChart(fixtureResults()))).not.toContain("Times under");
  });
});

describe("readyOverTimeChart", () => {
  it("draws each mode's ready curve and labels its end", () => {
    const results = fixtureResults();
    const rows = readyOverTimeRows(results);
    for (const mode of MODES) {
      const curve = rows.filter((row) => row.mode === mode);
      expect(curve.length).toBeGreaterThan(10);
      for (let i = 1; i < curve.length; i += 1) {
        expect(curve[i]!.seconds).toBeGreaterThanOrEqual(curve[i - 1]!.seconds);
        expect(curve[i]!.ready).toBeGreaterThanOrEqual(curve[i - 1]!.ready);
      }
    }
    const ends = Object.fromEntries(readyOverTimeEnds(results).map((end) => [end.mode, end]));
    const container = results.modes["container"]!.readyCurve;
    expect(ends["container"]).toMatchObject({ ready: 48, valueLabel: `all ready at ${formatSeconds(container[container.length - 1]![0])}` });
    // The first replication placed only 40 of the 48 VMs.
    expect(ends["vm"]!.valueLabel).toMatch(/^40 of 48 ready by /);
  });

  it("uses a linear time axis when the modes finish close together, a log one when not", async () => {
    const close = fixtureResults({ container: SHAPES["container"]!, vm: SHAPES["vm"]! });
    expect(readyOverTimeIsLog(close)).toBe(false);
    expect(json(readyOverTimeChart(close))).toContain("Time since the start of the run (s)");
    expect(readyOverTimeRows(close)[0]).toMatchObject({ seconds: 0, ready: 0 });
    // 10 ms to a minute: linear would squash three modes into one vertical line.
    const spread = fixtureResults();
    expect(readyOverTimeIsLog(spread)).toBe(true);
    const spec = readyOverTimeChart(spread);
    expect(json(spec)).toContain("Time since the start of the run (log scale)");
    expect(json(spec)).toContain("log time axis");
    // On the log axis each line rises from 0 where its first instance gets ready, not at time 0.
    const bare = readyOverTimeRows(spread).filter((row) => row.mode === "bare");
    expect(bare[0]!.ready).toBe(0);
    expect(bare[0]!.seconds).toBe(bare[1]!.seconds);
    expect(bare[0]!.seconds).toBeGreaterThan(0.005);
  });

  it("stacks end labels so none overlap, even for many modes finishing together", async () => {
    expectLabelsApart(await sceneItems(readyOverTimeChart(fixtureResults())));
    const crowd: Record<string, ModeShape> = {};
    ["a", "b", "c", "d", "e", "f"].forEach((n, i) => {
      crowd[`container-${n}`] = { ...SHAPES["container"]!, startupS: 6 + 0.7 * i };
    });
    const items = await sceneItems(readyOverTimeChart(fixtureResults(crowd)));
    expectLabelsApart(items);
    const ends = readyOverTimeEnds(fixtureResults(crowd));
    expect(new Set(ends.map((end) => end.lane)).size).toBeGreaterThan(1);
  });

  it("puts the labels above every line", () => {
    const results = fixtureResults();
    const top = Math.max(...readyOverTimeRows(results).map((row) => row.ready));
    for (const end of readyOverTimeEnds(results)) {
      expect(end.labelAt).toBeGreaterThan(top);
      expect(end.leaderTop).toBeGreaterThan(end.ready);
      expect(end.leaderTop).toBeLessThan(end.labelAt);
    }
  });

  it("draws instant starts at the log axis's 1 ms and says so", () => {
    const results = withMode(fixtureResults(), "bare", (mode) => ({ ...mode, readyCurve: [[0, 0], [0, 24], [0.0004, 48]] }));
    expect(readyOverTimeIsLog(results)).toBe(true);
    const bare = readyOverTimeRows(results).filter((row) => row.mode === "bare");
    expect(bare.every((row) => row.seconds === LOG_FLOOR_S)).toBe(true);
    expect(json(readyOverTimeChart(results))).toContain("Times under 1 ms are drawn at 1 ms");
    expect(json(readyOverTimeChart(fixtureResults()))).not.toContain("Times under");
  });

  it("leaves out modes with no ready instance and says so", () => {
    const results = withMode(fixtureResults(), "microvm", (mode) => ({ ...mode, readyCurve: [] }));
    expect(readyOverTimeRows(results).some((row) => row.mode === "microvm")).toBe(false);
    expect(readyOverTimeEnds(results).map((end) => end.mode)).toEqual(["bare", "container", "vm"]);
    expect(json(readyOverTimeChart(results))).toContain("no instance became ready: microvm");
  });
});

describe("startupPhasesChart", () => {
  it("stacks each mode's phases in STARTUP_PHASES order, ending at the sum of the phase means", () => {
    const results = fixtureResults();
    const rows = startupPhaseRows(results);
    for (const mode of MODES) {
      const summary = results.modes[mode]!.summary;
      const sum = STARTUP_PHASES.reduce((total, phase) => total + summary[`startup.phase.${phase}`]!.mean, 0);
      const stack = rows.filter((row) => row.mode === mode);
      expect(stack.map((row) => row.order)).toEqual([...stack.map((row) => row.order)].sort((a, b) => a - b));
      expect(stack[0]!.start).toBe(0);
      for (let i = 1; i < stack.length; i += 1) expect(stack[i]!.start).toBe(stack[i - 1]!.end);
      expect(Math.abs(stack[stack.length - 1]!.end - sum)).toBeLessThan(1e-9);
      const total = startupPhaseTotals(results).find((row) => row.mode === mode)!;
      expect(Math.abs(total.total - sum)).toBeLessThan(1e-9);
      expect(stack.every((row) => row.seconds > 0)).toBe(true);
    }
  });

  it("draws the segments abutting, left to right in phase order, with the total past the end", async () => {
    const results = fixtureResults();
    const items = await sceneItems(startupPhasesChart(results));
    const vm = items.filter((item) => item.markType === "rect" && item.datum["mode"] === "vm").sort((a, b) => a.x - b.x);
    expect(vm.map((item) => item.datum["phase"])).toEqual(["provision", "boot", "guestInit", "init"]);
    for (let i = 1; i < vm.length; i += 1) expect(vm[i]!.x).toBeCloseTo(vm[i - 1]!.x + vm[i - 1]!.width, 6);
    for (const item of vm) expect(item.fill).toBe(PHASE_COLORS[item.datum["phase"] as keyof typeof PHASE_COLORS]);
    const total = items.find((item) => item.markType === "text" && item.datum["label"] !== undefined && item.datum["mode"] === "vm");
    expect(total?.text).toBe("24.3 s");
    const last = vm[vm.length - 1]!;
    expect(total!.x).toBeGreaterThanOrEqual(last.x + last.width);
    // Modes run top to bottom in results order.
    const bars = MODES.map((mode) => items.find((item) => item.markType === "text" && item.datum["label"] !== undefined && item.datum["mode"] === mode)!.y);
    expect([...bars].sort((a, b) => a - b)).toEqual(bars);
  });

  it("leaves phases no mode has out of the legend", () => {
    const results = fixtureResults({ bare: SHAPES["bare"]!, vm: SHAPES["vm"]! });
    expect(startupPhasesShown(results)).toEqual(["create", "provision", "boot", "guestInit", "init"]);
    const domain = (startupPhasesChart(results) as { hconcat: { layer: { encoding: { color: { scale: { domain: string[] } } } }[] }[] })
      .hconcat[0]!.layer[0]!.encoding.color.scale.domain;
    expect(domain).toEqual(["Create + start", "Disk provision", "OS boot", "Guest init", "App init"]);
    expect(startupPhasesShown(fixtureResults())).toEqual([...STARTUP_PHASES]);
  });

  it("labels wide segments inside and spells out the phases of bars too short for that", () => {
    const results = fixtureResults();
    const labels = startupPhaseLabels(results);
    expect(labels.filter((label) => label.mode === "vm").map((label) => label.text)).toEqual(["3.5 s", "12 s", "6 s", "2.8 s"]);
    expect(labels.some((label) => label.mode === "bare")).toBe(false);
    const details = Object.fromEntries(startupPhaseDetails(results).map((row) => [row.mode, row.text]));
    expect(details["bare"]).toBe("App init 8.1 ms · Create + start 2 ms");
    expect(details["vm"]).toBeUndefined();
  });

  it("shows a mode whose phases are all 0 as having no phase data", async () => {
    const results = withMode(fixtureResults(), "microvm", noPhases);
    expect(startupPhaseRows(results).some((row) => row.mode === "microvm")).toBe(false);
    expect(startupPhaseTotals(results).find((row) => row.mode === "microvm")).toMatchObject({ total: 0, label: "no phase data" });
    const svg = await renderSvg(startupPhasesChart(results));
    expect(svg).toContain(">no phase data<");
    expect(svg).toContain(">microvm<");
  });

  it("throws, naming mode and metric, when a phase summary is missing", () => {
    const broken = withMode(fixtureResults(), "vm", (mode) => {
      const { ["startup.phase.boot"]: _dropped, ...summary } = mode.summary;
      return { ...mode, summary };
    });
    expect(() => startupPhasesChart(broken)).toThrow(/"vm".*startup\.phase\.boot/);
  });
});

describe("phase theme", () => {
  it("names and colours every phase, all colours distinct", () => {
    expect(STARTUP_PHASES.map((phase) => PHASE_LABELS[phase])).toEqual([
      "Image pull",
      "Layer extract",
      "Create + start",
      "Disk provision",
      "OS boot",
      "Guest init",
      "App init",
    ]);
    const { domain, range } = phaseColors();
    expect(domain).toHaveLength(STARTUP_PHASES.length);
    expect(new Set(range).size).toBe(range.length);
    expect(phaseColors(["init", "pull"]).domain).toEqual(["Image pull", "App init"]);
  });
});

describe("time axes", () => {
  it("formats durations as people read them, as sim/report/format.ts does everywhere", () => {
    expect(formatSeconds).toBe(formatDuration);
    expect(formatSeconds(0)).toBe("0 s");
    expect(formatSeconds(0.0004)).toBe("400 µs");
    expect(formatSeconds(0.001)).toBe("1 ms");
    expect(formatSeconds(0.0131)).toBe("13.1 ms");
    expect(formatSeconds(0.407)).toBe("407 ms");
    expect(formatSeconds(0.9996)).toBe("1 s");
    expect(formatSeconds(8.1)).toBe("8.1 s");
    expect(formatSeconds(46.2)).toBe("46.2 s");
    expect(formatSeconds(59.97)).toBe("1 min");
    expect(formatSeconds(90)).toBe("1.5 min");
    expect(formatSeconds(600)).toBe("10 min");
    expect(formatSeconds(7200)).toBe("2 h");
  });

  it("spans a log axis from a nice time below to one above, labelled by the expression", () => {
    const axis = logTimeAxis(0.0065, 77);
    expect(axis.domain).toEqual([0.005, 120]);
    expect(axis.ticks).toEqual([0.01, 0.1, 1, 10, 60]);
    // The label expression maps each tick to its formatted label.
    for (const tick of axis.ticks) {
      const label = new Function("datum", `return ${axis.labelExpr};`)({ value: tick }) as string;
      expect(label).toBe(formatSeconds(tick));
    }
    // A narrow range gets 2-5 steps; the floor clamps 0.
    expect(logTimeAxis(0.3, 0.9).ticks.map(formatSeconds)).toEqual(["200 ms", "500 ms", "1 s"]);
    expect(logTimeAxis(0, 0).domain[0]).toBe(LOG_FLOOR_S);
  });

  it("counts a linear axis in seconds, minutes or hours, ending on a tick", () => {
    expect(linearTimeAxis(60.3)).toMatchObject({ domain: [0, 80], unit: "s", ticks: [0, 20, 40, 60, 80] });
    expect(linearTimeAxis(600)).toMatchObject({ unit: "min", ticks: [0, 120, 240, 360, 480, 600] });
    expect(linearTimeAxis(4 * 3600).unit).toBe("h");
    expect(linearTimeAxis(0).domain).toEqual([0, 1]);
  });
});

describe("placeLaneLabels", () => {
  it("keeps labels in one lane apart and leaders clear of lower labels", () => {
    const items = [0, 30, 60, 90, 500].map((leaderX) => ({ leaderX, width: 120 }));
    const placements = placeLaneLabels(items, 640);
    placements.forEach((a, i) => {
      expect(a.x0).toBeGreaterThanOrEqual(0);
      expect(a.x0 + 120).toBeLessThanOrEqual(640);
      placements.forEach((b, j) => {
        if (i === j) return;
        if (a.lane === b.lane) expect(a.x0 + 120 <= b.x0 || b.x0 + 120 <= a.x0).toBe(true);
        // A leader rising to a higher lane does not run through a lower label.
        const leader = items[i]!.leaderX;
        if (a.lane > b.lane) expect(leader < b.x0 - 3 || leader > b.x0 + 120 + 3).toBe(true);
      });
    });
    // The lone label on the right keeps the lowest lane.
    expect(placements[4]!.lane).toBe(0);
  });
});
