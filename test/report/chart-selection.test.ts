/**
 * Which charts each bundled scenario gets: a chart only when it has something to show, and a
 * one-line reason for each one left out. Scenarios run with one replication (and, where that
 * keeps the story, fewer modes) to stay quick.
 */
import { describe, expect, it } from "vitest";
import { compile } from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { runExperiment } from "../../sim/experiment/index.js";
import type { Results } from "../../sim/experiment/results.js";
import { allCharts, memoryOverTimeRows, oomRows, renderPng, renderSvg } from "../../sim/report/index.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";
import { fixtureResults } from "./fixture.js";

function results(file: string, sets: string[] = [], modes?: string[]): Results {
  const l = loadScenarioFile(`scenarios/${file}`, { sets: ["replications=1", ...sets] });
  if (!l.ok) throw new Error(l.issues.map((i) => i.message).join("; "));
  return runExperiment(l, { modes }).results;
}
const names = (r: Results): string[] => allCharts(r).map((c) => c.name);
const reasons = (r: Results): string[] => allCharts(r).skipped.map((s) => s.reason);

describe("charts fit their scenario", () => {
  it("quickstart: no victims chart (no noisy app), no memory chart, and says why", () => {
    const r = results("quickstart.yaml");
    expect(r.apps.some((a) => a.noisy)).toBe(false);
    expect(names(r)).not.toContain("victims");
    expect(names(r)).not.toContain("memory-over-time");
    expect(reasons(r)).toContain("no victims chart: no app has `pressure`, so no app is a noisy neighbour");
    expect(reasons(r).some((line) => line.startsWith("no memory-over-time chart: "))).toBe(true);
  });

  it("noisy-neighbour: the victims chart", () => {
    const r = results("noisy-neighbour.yaml", [], ["container", "vm"]);
    expect(r.apps.filter((a) => a.noisy).map((a) => a.name)).toEqual(["analytics"]);
    expect(names(r)).toContain("victims");
    expect(names(r)).toContain("slowdown");
  });

  it("boot-storm: every instance at 1.00x, so no slowdown chart, with the reason; the start-up CPU zoomed in", async () => {
    const r = results("boot-storm.yaml", [], ["container-warm", "vm"]);
    const list = allCharts(r);
    expect(list.map((c) => c.name)).not.toContain("slowdown");
    expect(list.skipped).toContainEqual({ name: "slowdown", reason: "no slowdown chart: every instance ran at 1.00×" });
    const zoom = list.find((c) => c.name === "cpu-startup");
    expect(zoom).toBeDefined();
    // The window ends shortly after the last instance is ready, a minute into an hour's run.
    for (const mode of Object.values(r.modes)) {
      const end = mode.startupCpuSeries.timesS.at(-1)!;
      const lastReady = mode.readyCurve.at(-1)![0];
      expect(end).toBeGreaterThanOrEqual(lastReady);
      expect(end).toBeLessThan(lastReady * 1.1 + 2);
      expect(mode.startupCpuSeries.timesS.length).toBeGreaterThan(100);
      expect(mode.startupCpuSeries.timesS.length).toBeLessThanOrEqual(512);
    }
    expect(() => compile(zoom!.spec)).not.toThrow();
    expect(await renderSvg(zoom!.spec)).toContain(">Where the CPU goes during start-up<");
  });

  it("overcommit (a leak and overcommitted VMs): the memory chart, with its OOM kills", async () => {
    const r = results("overcommit.yaml", [], ["vm-overcommit", "container-limits"]);
    const chart = allCharts(r).find((c) => c.name === "memory-over-time");
    expect(chart).toBeDefined();
    expect(oomRows(r).length).toBeGreaterThan(0);
    const over = r.modes["vm-overcommit"]!.memorySeries.groups[0]!;
    expect(Math.max(...over.inUseBytes)).toBeGreaterThan(over.physicalBytes);
    expect(memoryOverTimeRows(r).length).toBeGreaterThan(0);
    expect(await renderSvg(chart!.spec)).toContain(">Memory over time<");
    // The lines' data leave out the samples inside still stretches, and draw the same pixels as every sample.
    type Layer = { data: { values: unknown[] } };
    const every = structuredClone(chart!.spec) as unknown as { hconcat: { vconcat: { layer: Layer[] }[] }[] };
    const panels = every.hconcat[0]!.vconcat;
    const modes = ["vm-overcommit", "container-limits"];
    expect(panels).toHaveLength(modes.length);
    let drawn = 0;
    panels.forEach((panel, k) => {
      drawn += panel.layer[0]!.data.values.length;
      panel.layer[0]!.data.values = memoryOverTimeRows(r).filter((row) => row.mode === modes[k]);
    });
    expect(drawn).toBeLessThan(memoryOverTimeRows(r).length);
    const png = async (spec: unknown): Promise<Buffer> => Buffer.from(renderPng(await renderSvg(spec as TopLevelSpec), { scale: 1 }));
    expect((await png(chart!.spec)).equals(await png(every))).toBe(true);
  });

  it("a leak alone is enough for the memory chart; without it the chart goes", () => {
    const leak = results("overcommit.yaml", [], ["container"]);
    expect(leak.apps.find((a) => a.name === "cache")?.grows).toBe(true);
    expect(names(leak)).toContain("memory-over-time");
  });

  it("is deterministic: the same scenario gives the same chart list and specs", () => {
    const a = allCharts(results("quickstart.yaml", [], ["container"]));
    const b = allCharts(results("quickstart.yaml", [], ["container"]));
    expect(JSON.stringify(a.map((c) => c.spec))).toBe(JSON.stringify(b.map((c) => c.spec)));
    expect(a.skipped).toEqual(b.skipped);
  });

  it("a fixture where every slowdown is 1.00x (to 3 figures) has no slowdown and no victims chart, each with a reason", () => {
    const base = fixtureResults();
    const one = { mean: 1.001, sd: 0, lo: 1.001, hi: 1.001, n: 5 };
    const flat: Results = {
      ...base,
      modes: Object.fromEntries(
        Object.entries(base.modes).map(([n, m]) => [
          n,
          {
            ...m,
            slowdownQuantiles: m.slowdownQuantiles.map((_, p) => 1 + p * 4e-5),
            apps: Object.fromEntries(Object.entries(m.apps).map(([app, metrics]) => [app, { ...metrics, "slowdown.p99": one }])),
          },
        ]),
      ),
    };
    expect(names(base)).toEqual(expect.arrayContaining(["slowdown", "victims"]));
    expect(names(flat)).not.toContain("slowdown");
    expect(names(flat)).not.toContain("victims");
    expect(reasons(flat)).toEqual(expect.arrayContaining(["no slowdown chart: every instance ran at 1.00×", "no victims chart: every app ran at 1.00×"]));
    const quiet: Results = { ...base, apps: base.apps.map((a) => ({ ...a, noisy: false })) };
    expect(names(quiet)).not.toContain("victims");
    expect(names(quiet)).toContain("slowdown");
  });
});
