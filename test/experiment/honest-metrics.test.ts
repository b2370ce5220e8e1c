/**
 * Figures that mean what a reader thinks: victims apart from the noisy neighbour, no negative
 * memory, requests accounted for, "–" where nothing ran, overheads only on hosts a mode used.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveWorkload, resultsJson, runExperiment, runOnce } from "../../sim/experiment/index.js";
import type { Results } from "../../sim/experiment/results.js";
import { loadScenarioFile, type LoadedScenario } from "../../sim/scenario/index.js";
import { comparisonModel, comparisonTable, densityChart } from "../../sim/report/index.js";
import { GiB, MiB, scenario } from "../helpers/scenario.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

function load(name: string, options: { replications?: number } = {}): LoadedScenario {
  const r = loadScenarioFile(join(ROOT, "scenarios", `${name}.yaml`), options);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r;
}

const mean = (r: Results, mode: string, metric: string): number => r.modes[mode]?.summary[metric]?.mean ?? NaN;

/** Every number in a JSON value, walked. */
function numbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) for (const v of value) numbers(v, out);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) numbers(v, out);
  return out;
}

describe("noisy-neighbour.yaml: victims apart from the aggressor", () => {
  const { results } = runExperiment(load("noisy-neighbour", { replications: 3 }));

  it("ranks the victims' slowdown VMs < containers with limits < containers without limits", () => {
    for (const metric of ["slowdown.victims.mean", "slowdown.victims.p99"]) {
      expect(mean(results, "vm", metric), metric).toBeLessThan(mean(results, "container-limits", metric));
      expect(mean(results, "container-limits", metric), metric).toBeLessThan(mean(results, "container", metric));
    }
    // VMs isolate the web services almost entirely (xavier13: 0.9% through hardware virtualisation).
    expect(mean(results, "vm", "slowdown.victims.mean")).toBeLessThan(1.05);
  });

  it("the victims are the apps without pressure: the same figure as web's own", () => {
    for (const mode of Object.keys(results.modes)) {
      expect(mean(results, mode, "slowdown.victims.mean")).toBeCloseTo(results.modes[mode]!.apps["web"]!["slowdown.mean"]!.mean, 9);
      expect(mean(results, mode, "slowdown.noisy.mean")).toBeCloseTo(results.modes[mode]!.apps["analytics"]!["slowdown.mean"]!.mean, 9);
    }
  });

  it("the table shows victims first, then the noisy apps, and not the mixed aggregate", () => {
    const labels = comparisonModel(results).rows.map((r) => r.metric);
    expect(labels).not.toContain("slowdown.mean");
    const v = labels.indexOf("slowdown.victims.mean");
    const n = labels.indexOf("slowdown.noisy.mean");
    expect(v).toBeGreaterThanOrEqual(0);
    expect(n).toBeGreaterThan(v);
  });
});

describe("overcommit.yaml: no negative memory, kills and swap shown", () => {
  const { results } = runExperiment(load("overcommit", { replications: 2 }));

  it("has no negative figure in the table, results.json or the density chart's data", () => {
    const table = comparisonTable(results);
    // A minus sign before a digit anywhere in a cell ("-25.6 GiB", "-$3").
    for (const row of comparisonModel(results).rows) for (const cell of row.cells) expect(cell, row.label).not.toMatch(/-\s*\$?\d/);
    expect(table).not.toMatch(/ -\d/);
    expect(Math.min(...numbers(JSON.parse(resultsJson(results))))).toBeGreaterThanOrEqual(0);
    const spec = densityChart(results) as unknown as { hconcat: { layer: { data?: { values?: unknown[] } }[] }[] };
    // Every figure of both panels; the host dots' `jitter` is a position across the bar (-1..1), not a figure.
    const data = spec.hconcat
      .flatMap((panel) => panel.layer.flatMap((l) => l.data?.values ?? []))
      .map((row) => Object.fromEntries(Object.entries(row as Record<string, unknown>).filter(([k]) => k !== "jitter")));
    expect(numbers(data).length).toBeGreaterThan(20);
    expect(Math.min(...numbers(data))).toBeGreaterThanOrEqual(0);
  });

  it("shows memory promised beyond physical as its own part, free then 0 on that host", () => {
    expect(mean(results, "vm-overcommit", "memory.overcommitted")).toBeGreaterThan(GiB);
    expect(mean(results, "vm", "memory.overcommitted")).toBe(0);
    const physical = results.cluster.memoryBytes;
    for (const mode of Object.keys(results.modes)) {
      const parts = ["memory.app", "memory.guestOs", "memory.hypervisor", "memory.runtime", "memory.reserved", "memory.free"];
      const sum = parts.reduce((a, p) => a + mean(results, mode, p), 0);
      expect(sum / physical, mode).toBeCloseTo(1, 9);
    }
    const labels = comparisonModel(results).rows.map((r) => r.metric);
    expect(labels).toContain("memory.overcommitted");
  });

  it("shows OOM kills and swap as rows when a mode has them", () => {
    expect(mean(results, "container-limits", "oomKills")).toBeGreaterThan(0);
    expect(mean(results, "vm-overcommit", "swapSeconds")).toBeGreaterThan(0);
    const model = comparisonModel(results);
    const row = (metric: string) => model.rows.find((r) => r.metric === metric);
    expect(row("oomKills")?.cells[model.modes.indexOf("container-limits")]).toMatch(/^[1-9]/);
    expect(row("swapSeconds")?.cells[model.modes.indexOf("vm-overcommit")]).toMatch(/host-s$/);
    expect(model.subtitle).toContain("VM memory overcommit: vm 1:1, vm-overcommit 1.5:1");
    // The per-app figure adds up to the cluster's.
    const perApp = Object.values(results.modes["container-limits"]!.apps).reduce((a, app) => a + (app["oomKills"]?.mean ?? 0), 0);
    expect(perApp).toBeCloseTo(mean(results, "container-limits", "oomKills"), 9);
  });
});

const appArb = fc.record({
  replicas: fc.integer({ min: 0, max: 12 }),
  cpu: fc.constantFrom(0.5, 1, 4, 16),
  memoryGiB: fc.constantFrom(1, 4, 16, 48),
  atS: fc.integer({ min: 0, max: 700 }),
  staggerS: fc.constantFrom(0, 10, 60, 200),
  rollout: fc.option(fc.record({ batch: fc.integer({ min: 1, max: 4 }), pauseS: fc.constantFrom(0, 30, 300) }), { nil: undefined }),
  init: fc.constantFrom(0, 5, 60),
});

describe("requested = placed + rejected + not requested within the horizon", () => {
  it("holds in every mode and replication, for starts, staggers and waves near the horizon", () => {
    fc.assert(
      fc.property(fc.array(appArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: 1000 }), (apps, seed) => {
        const loaded = scenario({
          version: 1,
          name: "accounting",
          seed,
          horizon: 600,
          replications: 2,
          hosts: [{ type: "h", count: 2, cores: 16, memory: "64GiB" }],
          apps: apps.map((a, i) => ({
            name: `app${i}`,
            replicas: a.replicas,
            cpu: a.cpu,
            memory: `${a.memoryGiB}GiB`,
            init: a.init,
            start: { at: a.atS, stagger: a.staggerS },
            ...(a.rollout ? { rollout: { batch: a.rollout.batch, pause: a.rollout.pauseS } } : {}),
          })),
          modes: { container: {}, vm: {} },
        });
        const { results } = runExperiment(loaded);
        for (const [mode, m] of Object.entries(results.modes)) {
          for (const run of m.runs) {
            const t = run.metrics;
            expect(t["instances.requested"], mode).toBe(apps.reduce((n, a) => n + a.replicas, 0));
            expect(t["instances.placed"]! + t["instances.rejected"]! + t["instances.notRequested"]!, mode).toBe(t["instances.requested"]);
          }
        }
      }),
      { numRuns: 40, seed: 20260611 },
    );
  });

  it("counts a rollout wave that never starts as not requested", () => {
    const loaded = scenario({
      version: 1,
      name: "late",
      horizon: 60,
      replications: 1,
      hosts: [{ type: "h", count: 1, cores: 16, memory: "64GiB" }],
      apps: [{ name: "web", replicas: 40, cpu: 0.1, memory: "256MiB", init: 30, rollout: { batch: 20, pause: 60 } }],
      modes: { container: {} },
    });
    const { results } = runExperiment(loaded);
    expect(mean(results, "container", "instances.placed")).toBe(20);
    expect(mean(results, "container", "instances.rejected")).toBe(0);
    expect(mean(results, "container", "instances.notRequested")).toBe(20);
    const model = comparisonModel(results);
    expect(model.rows.find((r) => r.metric === "instances.notRequested")?.cells).toEqual(["20"]);
  });
});

describe("nothing placed, nothing ran", () => {
  const loaded = scenario({
    version: 1,
    name: "nothing",
    horizon: 600,
    replications: 2,
    hosts: [{ type: "h", count: 1, cores: 4, memory: "8GiB", cost: { monthly: 300 } }],
    apps: [{ name: "huge", replicas: 3, cpu: 8, memory: "16GiB" }],
    modes: { container: {}, vm: {} },
  });

  it("has no value (n = 0) rather than 0 for figures of nothing, and shows '–', never 0.000x or 0 ms", () => {
    const { results } = runExperiment(loaded);
    for (const mode of ["container", "vm"]) {
      for (const metric of ["slowdown.mean", "slowdown.victims.p99", "startup.p50", "startup.allReady", "density.perHost", "cost.perInstance"]) {
        expect(results.modes[mode]?.summary[metric]?.n, `${mode} ${metric}`).toBe(0);
        expect(results.modes[mode]?.runs[0]?.metrics[metric], `${mode} ${metric}`).toBeUndefined();
      }
      expect(results.modes[mode]?.summary["slowdown.noisy.mean"]?.n).toBe(0);
    }
    const model = comparisonModel(results);
    for (const metric of ["slowdown.mean", "slowdown.p99", "startup.p50", "startup.p95", "startup.allReady", "density.perHost"])
      expect(model.rows.find((r) => r.metric === metric)?.cells, metric).toEqual(["–", "–"]);
    const table = comparisonTable(results);
    expect(table).not.toMatch(/0\.000x|0 ms|0\.00×/);
    expect(model.rows.find((r) => r.metric === "instances.placed")?.cells).toEqual(["0/3", "0/3"]);
    expect(model.subtitle).toMatch(/^1 host, 4 cores, 8 GiB · 2 replications/);
    expect(JSON.parse(resultsJson(results))).toBeTruthy();
  }, 60_000);
});

describe("per-host overheads only on hosts the mode used", () => {
  it("counts the engine's memory and CPU on the one used host of three (hand-computed)", () => {
    const loaded = scenario({
      version: 1,
      name: "overheads",
      horizon: 3600,
      replications: 1,
      hosts: [{ type: "h", count: 3, cores: 16, memory: "64GiB", reserved: { cores: 0, memory: "2GiB" } }],
      apps: [{ name: "web", replicas: 2, cpu: 1, memory: "1GiB", load: { pattern: "constant", cores: 0 } }],
      modes: { container: { profile: "docker", engine: { memory: "128MiB", cpu: 0.02 }, shim: { memory: "5MiB" }, cache: "warm" } },
      placement: { policy: "best-fit" },
    });
    const w = resolveWorkload(loaded.scenario, loaded.traces);
    const out = runOnce(w, w.modes[0]!, { seed: 1, horizonS: 3600, policy: "best-fit" }, 0);
    const m = out.metrics;
    expect(m["hosts.used"]).toBe(1);
    // One engine (128 MiB) and two shims (5 MiB each): the two idle hosts run no engine.
    expect(m["memory.runtime"]).toBe(128 * MiB + 2 * 5 * MiB);
    // Reserve on all three hosts (physical), 2 GiB of apps, the rest free.
    expect(m["memory.reserved"]).toBe(3 * 2 * GiB);
    expect(m["memory.free"]).toBe(3 * 64 * GiB - 3 * 2 * GiB - 2 * GiB - 138 * MiB);
    // The engine's 0.02 cores on one host; the apps demand nothing.
    expect(m["cpu.overhead"]).toBeCloseTo(0.02, 9);
  });

  it("counts the hypervisor's per-host memory only on used hosts", () => {
    const loaded = scenario({
      version: 1,
      name: "hv",
      horizon: 600,
      replications: 1,
      hosts: [{ type: "h", count: 4, cores: 16, memory: "64GiB" }],
      apps: [{ name: "web", replicas: 1, cpu: 1, memory: "1GiB" }],
      modes: { vm: { profile: "kvm-linux", hypervisor: { perVm: "100MiB", perVcpu: 0, perGuestMemory: 0, perHost: "300MiB" } } },
    });
    const w = resolveWorkload(loaded.scenario, loaded.traces);
    const out = runOnce(w, w.modes[0]!, { seed: 1, horizonS: 600, policy: "best-fit" }, 0);
    expect(out.metrics["memory.hypervisor"]).toBe(100 * MiB + 300 * MiB);
  });
});
