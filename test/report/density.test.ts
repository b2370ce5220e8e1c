import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import { MEMORY_PARTS } from "../../sim/experiment/results.js";
import type { Results } from "../../sim/experiment/results.js";
import {
  MEMORY_PART_LABELS,
  MODE_KIND_COLORS,
  densityChart,
  densityRows,
  gibTicks,
  hostDotRows,
  MAX_HOST_DOTS,
  memoryLabelRows,
  memoryRows,
  renderSvg,
} from "../../sim/report/index.js";
import { FIXTURE_SHAPES, GIB, HOSTS, HOST_MEMORY_GIB, fixtureResults } from "./fixture.js";
import type { ModeShape } from "./fixture.js";
import { sceneItems } from "./scene.js";
import type { SceneItem } from "./scene.js";

const CLUSTER_GIB = HOSTS * HOST_MEMORY_GIB;
/** The parts the fixture draws: it overcommits nothing, so the overcommitted part is left out. */
const PARTS = MEMORY_PARTS.filter((part) => part !== "memory.overcommitted");

/** The bars of the density panel: its first layer (the error bar caps are rects too). */
function isDensityBar(item: SceneItem): boolean {
  return item.markType === "rect" && item.markName.startsWith("concat_0_layer_0");
}

/** The fixture with its modes in a non-alphabetical, non-kind order. */
function shuffled(): Results {
  const { bare, container, vm, microvm } = FIXTURE_SHAPES as Record<string, ModeShape>;
  return fixtureResults({ vm: vm!, bare: bare!, microvm: microvm!, container: container! });
}

/** A walk into the spec's JSON by keys and indices, failing loudly on a wrong path. */
function at(value: unknown, ...path: (string | number)[]): unknown {
  let node: unknown = JSON.parse(JSON.stringify(value));
  for (const key of path) {
    if (typeof node !== "object" || node === null || !(key in node)) {
      throw new Error(`no ${String(key)} in spec at ${path.join(".")}`);
    }
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

function rowsOf(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error("not an array");
  return value as Record<string, unknown>[];
}

describe("densityChart", () => {
  it("is valid Vega-Lite that compiles to a Vega spec with both panels", () => {
    const spec = densityChart(fixtureResults());
    const { spec: vg } = compile(spec);
    expect(vg.marks?.length).toBe(2);
    expect(at(spec, "$schema")).toMatch(/vega-lite\/v5/);
  });

  it("is standalone: data inlined, no URLs", () => {
    const json = JSON.stringify(densityChart(fixtureResults()));
    expect(json).not.toMatch(/"url"/);
    expect(rowsOf(at(densityChart(fixtureResults()), "hconcat", 1, "layer", 0, "data", "values")).length).toBe(
      4 * PARTS.length,
    );
  });

  it("titles the figure from the scenario and says how it was run", () => {
    const spec = densityChart(fixtureResults());
    expect(at(spec, "title", "text")).toBe("Web fleet: 48 × 1 GiB on 4 hosts");
    expect(at(spec, "title", "subtitle")).toBe("5 replications · seed 42");
    expect(at(spec, "config", "font")).toBe("DejaVu Sans");
    const untitled = fixtureResults();
    const named = densityChart({ ...untitled, scenario: { ...untitled.scenario, title: " " } });
    expect(at(named, "title", "text")).toBe("web-fleet");
  });

  it("draws the modes in results order in both panels", async () => {
    const results = shuffled();
    const order = ["vm", "bare", "microvm", "container"];
    expect(Object.keys(results.modes)).toEqual(order);
    const items = await sceneItems(densityChart(results));
    const densityBars = items.filter((item) => isDensityBar(item));
    expect(densityBars.map((bar) => bar.datum["mode"])).toHaveLength(4);
    const leftToRight = [...densityBars].sort((a, b) => a.x - b.x).map((bar) => bar.datum["mode"]);
    expect(leftToRight).toEqual(order);
    const appBars = items.filter((item) => item.markType === "rect" && item.datum["part"] === "memory.app");
    const topToBottom = [...appBars].sort((a, b) => a.y - b.y).map((bar) => bar.datum["mode"]);
    expect(topToBottom).toEqual(order);
  });

  it("stacks memory parts left to right in PARTS order, summing to the cluster", async () => {
    const items = await sceneItems(densityChart(fixtureResults()));
    const segments = items.filter((item) => item.markType === "rect" && typeof item.datum["part"] === "string");
    expect(segments).toHaveLength(4 * PARTS.length);
    for (const mode of ["bare", "container", "vm", "microvm"]) {
      const stack = segments.filter((s) => s.datum["mode"] === mode).sort((a, b) => a.x - b.x || a.width - b.width);
      expect(stack.map((s) => s.datum["part"])).toEqual([...PARTS]);
      // Segments abut: each starts where the previous ended.
      for (let i = 1; i < stack.length; i += 1) {
        expect(stack[i]!.x).toBeCloseTo(stack[i - 1]!.x + stack[i - 1]!.width, 6);
      }
    }
  });

  it("memory parts of every mode sum to the cluster's memory in GiB", () => {
    const results = fixtureResults();
    const values = rowsOf(at(densityChart(results), "hconcat", 1, "layer", 0, "data", "values"));
    for (const mode of Object.keys(results.modes)) {
      const rows = values.filter((row) => row["mode"] === mode);
      expect(rows.map((row) => row["part"])).toEqual([...PARTS]);
      const sum = rows.reduce((total, row) => total + Number(row["gib"]), 0);
      expect(Math.abs(sum - CLUSTER_GIB)).toBeLessThan(1e-9);
    }
  });

  it("converts bytes to GiB and names parts readably", () => {
    const rows = memoryRows(fixtureResults()).filter((row) => row.mode === "vm");
    // 40 VMs in three replications, 39 in two: a mean of 39.6 GiB of app.
    expect(rows[0]).toMatchObject({ part: "memory.app", partLabel: "App", order: 0 });
    expect(rows[0]!.gib).toBeCloseTo(39.6, 9);
    expect(rows.map((row) => row.partLabel)).toEqual(PARTS.map((part) => MEMORY_PART_LABELS[part]));
    expect(new Set(rows.map((row) => row.partLabel)).size).toBe(PARTS.length);
  });

  it("fixes the colour legend order to MEMORY_PARTS", () => {
    const spec = densityChart(fixtureResults());
    const domain = at(spec, "hconcat", 1, "layer", 0, "encoding", "color", "scale", "domain");
    expect(domain).toEqual(PARTS.map((part) => MEMORY_PART_LABELS[part]));
    expect(at(spec, "hconcat", 1, "layer", 0, "encoding", "order")).toMatchObject({ field: "order", sort: "ascending" });
  });

  it("colours density bars by mode kind", async () => {
    const items = await sceneItems(densityChart(shuffled()));
    const bars = items.filter((item) => isDensityBar(item));
    expect(bars).toHaveLength(4);
    for (const bar of bars) {
      const kind = bar.datum["kind"] as keyof typeof MODE_KIND_COLORS;
      expect(bar.fill).toBe(MODE_KIND_COLORS[kind]);
    }
    const scale = at(densityChart(shuffled()), "hconcat", 0, "layer", 0, "encoding", "color", "scale");
    expect(scale).toEqual({
      domain: ["vm", "bare", "microvm", "container"],
      range: [MODE_KIND_COLORS.vm, MODE_KIND_COLORS.bare, MODE_KIND_COLORS.microvm, MODE_KIND_COLORS.container],
    });
  });

  it("labels each bar with the mean per host and the hosts used", () => {
    const rows = densityRows(fixtureResults());
    const byMode = Object.fromEntries(rows.map((row) => [row.mode, row]));
    expect(byMode["bare"]).toMatchObject({ valueLabel: "24 per host", hostsLabel: "2 hosts" });
    expect(byMode["container"]).toMatchObject({ valueLabel: "16 per host", hostsLabel: "3 hosts" });
    expect(byMode["vm"]).toMatchObject({ valueLabel: "9.9 per host", hostsLabel: "4 hosts" });
    // The label clears the error bar and every host dot.
    for (const row of rows) {
      const dots = hostDotRows(fixtureResults()).filter((dot) => dot.mode === row.mode);
      expect(row.labelAt).toBeGreaterThanOrEqual(row.hi);
      for (const dot of dots) expect(row.labelAt).toBeGreaterThanOrEqual(dot.instances);
    }
  });

  it("prints fractional mean hosts with a decimal and one host in the singular", () => {
    const results = fixtureResults();
    const bare = results.modes["bare"]!;
    const tweak = (mean: number): Results => ({
      ...results,
      modes: { bare: { ...bare, summary: { ...bare.summary, "hosts.used": { mean, sd: 0, lo: mean, hi: mean, n: 5 } } } },
    });
    expect(densityRows(tweak(2.4))[0]!.hostsLabel).toBe("2.4 hosts");
    expect(densityRows(tweak(1))[0]!.hostsLabel).toBe("1 host");
  });

  it("shows the first replication's hosts, leaving empty hosts out", async () => {
    const results = fixtureResults();
    const dots = hostDotRows(results);
    expect(dots.filter((dot) => dot.mode === "bare").map((dot) => dot.instances)).toEqual([24, 24]);
    expect(dots.filter((dot) => dot.mode === "container").map((dot) => [dot.host, dot.instances])).toEqual([
      ["host-1", 22],
      ["host-2", 20],
      ["host-3", 6],
    ]);
    expect(dots.filter((dot) => dot.mode === "vm")).toHaveLength(4);
    expect(dots.every((dot) => dot.instances > 0)).toBe(true);
    // Equal counts are spread across the bar, not drawn on top of each other.
    const vmItems = (await sceneItems(densityChart(results))).filter(
      (item) => item.markType === "symbol" && item.datum["mode"] === "vm",
    );
    expect(new Set(vmItems.map((item) => Math.round(item.x))).size).toBe(4);
  });

  it("past MAX_HOST_DOTS hosts, draws one dot per count of instances, sized by its share of the hosts", async () => {
    // vm on 60 hosts: 40 with 12 instances, 15 with 10, 5 with 3 (and two empty hosts, left out).
    const vmCounts = [...Array(40).fill(12), ...Array(15).fill(10), ...Array(5).fill(3), 0, 0];
    const withVm = (counts: number[]): Results => {
      const r = fixtureResults();
      const vm = r.modes["vm"]!;
      const names = counts.map((_, k) => `host-${k + 1}`);
      return {
        ...r,
        cluster: { ...r.cluster, hostNames: names },
        modes: { ...r.modes, vm: { ...vm, runs: [{ ...vm.runs[0]!, hostInstances: counts }, ...vm.runs.slice(1)] } },
      };
    };
    const results = withVm(vmCounts);
    const dots = hostDotRows(results);
    const vm = dots.filter((dot) => dot.mode === "vm");
    expect(vm.map((dot) => [dot.instances, dot.hosts, dot.host])).toEqual([
      [3, 5, "5 hosts"],
      [10, 15, "15 hosts"],
      [12, 40, "40 hosts"],
    ]);
    // Every mode's dots stand for counts then, so each mode's hosts add up to the hosts it used.
    for (const mode of Object.keys(results.modes)) {
      const used = (results.modes[mode]!.runs[0]!.hostInstances ?? []).filter((n) => n > 0).length;
      expect(dots.filter((dot) => dot.mode === mode).reduce((n, dot) => n + dot.hosts, 0), mode).toBe(used);
    }
    // Area grows with the share of the hosts; a count every host had gets the largest.
    expect(vm[0]!.size).toBeLessThan(vm[1]!.size);
    expect(vm[1]!.size).toBeLessThan(vm[2]!.size);
    const bare = dots.filter((dot) => dot.mode === "bare");
    expect(bare).toHaveLength(1);
    expect(bare[0]!.size).toBeGreaterThan(vm[2]!.size);
    const spec = densityChart(results);
    expect(JSON.stringify(at(spec, "hconcat", 0, "title"))).toContain("dots: hosts with each count");
    const drawn = (await sceneItems(spec)).filter((item) => item.markType === "symbol" && item.datum["mode"] === "vm");
    expect(drawn).toHaveLength(3);
    // The label still clears every dot.
    expect(densityRows(results).find((row) => row.mode === "vm")!.labelAt).toBeGreaterThanOrEqual(12);

    // At MAX_HOST_DOTS hosts, a dot per host as before.
    const few = hostDotRows(withVm(Array(MAX_HOST_DOTS).fill(7))).filter((dot) => dot.mode === "vm");
    expect(few).toHaveLength(MAX_HOST_DOTS);
    expect(few.every((dot) => dot.hosts === 1 && dot.host.startsWith("host-"))).toBe(true);
    expect(JSON.stringify(at(densityChart(withVm(Array(MAX_HOST_DOTS).fill(7))), "hconcat", 0, "title"))).toContain("dots: each host");
  });

  it("labels only memory segments wide enough for their text", () => {
    const labels = memoryLabelRows(fixtureResults());
    const bare = labels.filter((label) => label.mode === "bare");
    expect(bare.map((label) => [label.part, label.text])).toEqual([
      ["memory.app", "48 GiB"],
      ["memory.free", "200 GiB"],
    ]);
    // White on the dark app segment, ink on the light free one.
    expect(bare[0]!.color).toBe("#FFFFFF");
    expect(bare[1]!.color).not.toBe("#FFFFFF");
    expect(bare[0]!.mid).toBeCloseTo(24, 9);
  });

  it("puts memory ticks on power-of-two GiB", () => {
    expect(gibTicks(256)).toEqual([0, 64, 128, 192, 256]);
    expect(gibTicks(96)).toEqual([0, 16, 32, 48, 64, 80, 96]);
    expect(gibTicks(0)).toEqual([0]);
  });

  it("labels an estate's memory axis in TiB (256, not 262,144), a smaller cluster's in GiB", async () => {
    expect(await renderSvg(densityChart(fixtureResults()))).toContain(">Cluster memory (GiB)<");
    const r = fixtureResults();
    const estate: Results = { ...r, cluster: { ...r.cluster, memoryBytes: 1024 * 1024 * GIB } };
    const svg = await renderSvg(densityChart(estate));
    expect(svg).toContain(">Cluster memory (TiB)<");
    for (const tick of ["256", "512", "768", "1,024"]) expect(svg).toContain(`>${tick}<`);
    expect(svg).not.toContain(">262,144<");
  });

  it("throws, naming mode and metric, when a needed summary is missing", () => {
    const results = fixtureResults();
    const vm = results.modes["vm"]!;
    const { ["memory.hypervisor"]: _dropped, ...summary } = vm.summary;
    const broken: Results = { ...results, modes: { ...results.modes, vm: { ...vm, summary } } };
    expect(() => densityChart(broken)).toThrow(/"vm".*memory\.hypervisor/);
  });

  it("draws memory promised beyond physical past a rule at the cluster's memory, never a negative free", () => {
    const base = fixtureResults();
    const vm = base.modes["vm"]!;
    const s = (gib: number) => ({ mean: gib * GIB, sd: 0, lo: gib * GIB, hi: gib * GIB, n: 5 });
    const over = { ...vm.summary, "memory.free": s(0), "memory.overcommitted": s(40), "memory.app": s(CLUSTER_GIB - 19.8 - 9.9 - 1 - 8) };
    const results: Results = { ...base, modes: { ...base.modes, vm: { ...vm, summary: over } } };
    const rows = memoryRows(results);
    expect(new Set(rows.map((r) => r.part))).toContain("memory.overcommitted");
    expect(rows.every((r) => r.gib >= 0)).toBe(true);
    const spec = densityChart(results);
    expect(at(spec, "hconcat", 1, "layer", 0, "encoding", "x", "scale", "domain")).toEqual([0, CLUSTER_GIB + 40]);
    expect(at(spec, "hconcat", 1, "layer", 0, "encoding", "color", "scale", "domain")).toEqual(MEMORY_PARTS.map((p) => MEMORY_PART_LABELS[p]));
    expect(at(spec, "hconcat", 1, "layer", 2, "mark", "type")).toBe("rule");
    expect(at(spec, "hconcat", 1, "layer", 2, "data", "values", 0, "gib")).toBe(CLUSTER_GIB);
    // Without overcommit there is no rule and no overcommitted legend entry.
    expect(() => at(densityChart(base), "hconcat", 1, "layer", 2)).toThrow();
  });

  it("is a pure function of the results", () => {
    expect(JSON.stringify(densityChart(fixtureResults()))).toBe(JSON.stringify(densityChart(fixtureResults())));
    expect(GIB).toBe(1073741824);
  });
});
