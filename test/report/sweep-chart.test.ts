import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compile } from "vega-lite";
import type { MetricUnit } from "../../sim/experiment/metric-catalog.js";
import type { MetricSummary } from "../../sim/experiment/results.js";
import { sweepGrid, type SweepParameter, type SweepResults } from "../../sim/experiment/sweep.js";
import { parameterWords, renderSvg, sweepChart, sweepInterpolation, sweepLabelRows, sweepRows } from "../../sim/report/index.js";
import { safeSlug, sweepFolderName } from "../../sim/cli/commands/sweep.js";

const s = (mean: number, half = 0, n = 3): MetricSummary => ({ mean, sd: half, lo: mean - half, hi: mean + half, n });

/** A sweep over `parameters` whose metric at each point is `value(mode index, point values)`. */
function sweep(parameters: SweepParameter[], metric: { name: string; label: string; unit: MetricUnit }, value: (mode: number, values: string[]) => MetricSummary): SweepResults {
  const grid = sweepGrid(parameters);
  const modes = ["vm-standard", "vm-datacenter", "container"];
  return {
    schemaVersion: 2,
    tool: { name: "densim", version: "0.0.0" },
    scenario: { name: "lic", title: "Licences", file: "lic.yaml" },
    parameters,
    metrics: [metric],
    overrides: [],
    seed: 3,
    replications: 3,
    modes: Object.fromEntries(
      modes.map((m, k) => [
        m,
        { kind: m.startsWith("vm") ? "vm" : "container", points: grid.map((values) => ({ values, metrics: { [metric.name]: value(k, values) }, summary: {}, apps: {} })) },
      ]),
    ),
  };
}

const LICENCES = { name: "cost.monthly.licenses", label: "cost: licences / month", unit: "usd" as const };
const STARTUP = { name: "startup.p95", label: "start-up p95", unit: "s" as const };
const replicas = { path: "apps.erp.replicas", values: ["16", "18", "20", "22", "24"] };

type Layer = { mark: { type: string; interpolate?: string }; encoding: Record<string, { title?: unknown; field?: string }> };

describe("sweep chart", () => {
  it("draws a licence count sweep as steps, with axes titled in words and units", () => {
    const sw = sweep([replicas], LICENCES, (m, [r]) => s(m === 0 ? Math.ceil(Number(r) / 4) * 60 : 342));
    expect(sweepInterpolation(sw, LICENCES.name)).toBe("step-after");
    const spec = sweepChart(sw, LICENCES.name) as unknown as { layer: Layer[] };
    const line = spec.layer.find((l) => l.mark.type === "line");
    const band = spec.layer.find((l) => l.mark.type === "area");
    expect(line?.mark.interpolate).toBe("step-after");
    expect(band?.mark.interpolate).toBe("step-after");
    expect(line?.encoding.x?.title).toBe("app erp: replicas");
    expect(line?.encoding.y?.title).toBe("cost: licences / month (USD per month)");
    expect(compile(spec as never).spec).toBeTruthy();
  });

  it("joins a duration with lines, and categories with no line at all", () => {
    const sw = sweep([replicas], STARTUP, (m) => s(10 + m, 0.5));
    expect(sweepInterpolation(sw, STARTUP.name)).toBe("linear");
    const spec = sweepChart(sw, STARTUP.name) as unknown as { layer: Layer[] };
    expect(spec.layer.find((l) => l.mark.type === "line")?.encoding.y?.title).toBe("start-up p95 (seconds)");
    const policies = sweep([{ path: "placement.policy", values: ["first-fit", "worst-fit"] }], LICENCES, () => s(100));
    expect(sweepInterpolation(policies, LICENCES.name)).toBe("points");
    const pspec = sweepChart(policies, LICENCES.name) as unknown as { layer: Layer[] };
    expect(pspec.layer.map((l) => l.mark.type)).toEqual(["rule", "point"]);
    expect(pspec.layer[1]?.encoding.x?.title).toBe("placement policy");
    // Fractional x values are not counts: lines, even for money.
    const sizes = sweep([{ path: "hosts.0.cost.monthly", values: ["0.5", "1.5"] }], LICENCES, () => s(1));
    expect(sweepInterpolation(sizes, LICENCES.name)).toBe("linear");
  });

  it("plots in the axis unit: bytes in GiB, shares in percent; leaves out points with no figure", () => {
    const mem = sweep([replicas], { name: "memory.free", label: "memory: free", unit: "bytes" }, () => s(2 * 2 ** 30));
    expect(sweepRows(mem, "memory.free")[0]?.mean).toBe(2);
    expect(sweepRows(mem, "memory.free")[0]?.text).toBe("2 GiB");
    const share = sweep([replicas], { name: "cpu.utilization", label: "CPU utilisation", unit: "share" }, (_m, [r]) => (r === "16" ? s(0, 0, 0) : s(0.5)));
    const rows = sweepRows(share, "cpu.utilization");
    expect(rows.every((r) => r.mean === 50)).toBe(true);
    expect(rows.some((r) => r.label === "16")).toBe(false);
    expect(rows).toHaveLength(3 * 4);
  });

  it("a 2-D grid: one panel per value of the second parameter, a line per mode in each", async () => {
    const sw = sweep([replicas, { path: "hosts.0.count", values: ["2", "3"] }], LICENCES, (m, [r, h]) => s(Number(r) * Number(h) + m));
    const spec = sweepChart(sw, LICENCES.name) as unknown as { concat: { title: { text: string }; layer: (Layer & { data: { values: { mode: string }[] } })[] }[] };
    expect(spec.concat.map((p) => p.title.text)).toEqual(["hosts[0]: count = 2", "hosts[0]: count = 3"]);
    for (const panel of spec.concat) {
      const line = panel.layer.find((l) => l.mark.type === "line");
      expect(line?.mark.interpolate).toBe("step-after");
      expect(line?.data.values).toHaveLength(3 * 5);
    }
    const rows = sweepRows(sw, LICENCES.name);
    expect(rows.filter((r) => r.panel === "hosts[0]: count = 3" && r.mode === "container").map((r) => r.x)).toEqual([16, 18, 20, 22, 24]);
    expect(await renderSvg(spec as never)).toMatch(/^<svg/);
  });

  it("end labels never overlap: each is at least a label's height from the next", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 3, maxLength: 3 }), (ends) => {
        const sw = sweep([replicas], LICENCES, (m) => s(ends[m] as number));
        const rows = sweepRows(sw, LICENCES.name);
        const labels = sweepLabelRows(rows, true, 340).sort((a, b) => a.labelY - b.labelY);
        const high = Math.max(...rows.map((r) => r.hi));
        const gap = ((high || 1) * 15) / 340;
        for (let i = 1; i < labels.length; i++) expect((labels[i]?.labelY ?? 0) - (labels[i - 1]?.labelY ?? 0)).toBeGreaterThanOrEqual(gap - 1e-9);
        for (const l of labels) expect(l.labelY).toBeGreaterThanOrEqual(rows.find((r) => r.mode === l.mode && r.x === l.x)?.mean ?? NaN);
      }),
    );
  });
});

describe("sweep names", () => {
  it("words a parameter path", () => {
    expect(parameterWords("apps.erp.replicas")).toBe("app erp: replicas");
    expect(parameterWords("modes.vm.guestOs.memory")).toBe("mode vm: guest OS memory");
    expect(parameterWords("hosts.0.count")).toBe("hosts[0]: count");
    expect(parameterWords("replications")).toBe("replications");
  });

  it("folder names are deterministic, safe and short", () => {
    expect(sweepFolderName("q", [replicas], ["cost.monthly.total"])).toBe("q.sweep-apps.erp.replicas-cost.monthly.total");
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }), (paths, metrics) => {
        const params = paths.map((path) => ({ path, values: ["1", "2"] }));
        const name = sweepFolderName("q", params, metrics);
        expect(name).toMatch(/^q\.sweep-[A-Za-z0-9.+_-]*$/);
        expect(name.length).toBeLessThanOrEqual(8 + 80);
        expect(sweepFolderName("q", params, metrics)).toBe(name);
      }),
    );
    const long = "apps.a-very-long-application-name-indeed.startup.p95";
    expect(safeSlug(`${long}+${long}`)).not.toBe(safeSlug(`${long}+${long}x`));
  });

  it("the grid is the cartesian product, first parameter outermost", () => {
    expect(sweepGrid([{ path: "a", values: ["1", "2"] }, { path: "b", values: ["x", "y", "z"] }])).toEqual([
      ["1", "x"],
      ["1", "y"],
      ["1", "z"],
      ["2", "x"],
      ["2", "y"],
      ["2", "z"],
    ]);
  });
});
