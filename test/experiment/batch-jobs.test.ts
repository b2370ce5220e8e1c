/**
 * scenarios/batch-jobs.yaml: Poisson and interval job arrivals next to diurnal services, as
 * containers, VMs and microVMs. Jobs complete everywhere, a VM's boot lengthens every job,
 * Little's law holds on the run's own metrics, and interval arrivals land on their grid.
 */
import { describe, expect, it } from "vitest";
import { resolveWorkload, runExperiment, runOnce } from "../../sim/experiment/index.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";
import { scenario } from "../helpers/scenario.js";

const loaded = loadScenarioFile("scenarios/batch-jobs.yaml");
if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`).join("\n"));
const { results, runs } = runExperiment(loaded);
const MODES = ["container", "vm", "microvm"] as const;
const horizonS = loaded.scenario.horizon;
const mean = (mode: string, metric: string): number => results.modes[mode]!.summary[metric]!.mean;

describe("batch-jobs.yaml", () => {
  it("loads and runs every mode it compares, five replications each", () => {
    expect(Object.keys(results.modes)).toEqual([...MODES]);
    for (const m of MODES) expect(runs.get(m)).toHaveLength(5);
    expect(horizonS).toBe(12 * 3600);
  });

  it("places every service and completes jobs of both apps in every mode and replication", () => {
    for (const m of MODES) {
      for (const run of results.modes[m]!.runs) {
        expect(run.metrics["instances.rejected"]).toBe(0);
        expect(run.metrics["jobs.arrived"]).toBeGreaterThan(300);
        // Only the jobs still running at the horizon are missing.
        expect(run.metrics["jobs.completed"]).toBeGreaterThan(run.metrics["jobs.arrived"]! - 15);
        expect(run.apps.etl!["jobs.completed"]).toBeGreaterThan(250);
        expect(run.apps.report!["jobs.completed"]).toBeGreaterThanOrEqual(70);
      }
    }
  });

  it("arrivals and work are common random numbers: every mode sees the same jobs", () => {
    for (let r = 0; r < 5; r++) {
      const container = runs.get("container")![r]!.instances.filter((i) => i.kind === "job");
      for (const m of ["vm", "microvm"]) {
        const other = runs.get(m)![r]!.instances.filter((i) => i.kind === "job");
        expect(other.map((i) => `${i.app}#${i.replica}@${i.requestedAt}`)).toEqual(container.map((i) => `${i.app}#${i.replica}@${i.requestedAt}`));
      }
    }
  });

  it("a VM's boot lengthens every job: VM turnaround exceeds the container's in every replication", () => {
    for (let r = 0; r < 5; r++) {
      const t = (m: string) => results.modes[m]!.runs[r]!.metrics["jobs.turnaround.mean"]!;
      expect(t("vm")).toBeGreaterThan(t("container"));
    }
    expect(mean("vm", "jobs.turnaround.mean")).toBeGreaterThan(mean("microvm", "jobs.turnaround.mean"));
    // The short report job shows it most: ~30 s of work, plus ~8 s of boot and the wait for room.
    const report = (m: string) => results.modes[m]!.apps.report!["jobs.turnaround.mean"]!.mean;
    expect(report("vm") - report("container")).toBeGreaterThan(8);
  });

  it("each VM job spends its boot in start-up phases; a container job barely any", () => {
    const phases = (m: string) => {
      const jobs = runs.get(m)![0]!.instances.filter((i) => i.kind === "job" && !Number.isNaN(i.readyAt));
      return jobs.reduce((a, j) => a + j.phases.reduce((x, y) => x + y, 0), 0) / jobs.length;
    };
    expect(phases("vm")).toBeGreaterThan(6);
    expect(phases("microvm")).toBeLessThan(1);
    expect(phases("container")).toBeLessThan(2);
  });

  it("jobs.inSystem.mean = arrival rate x mean turnaround (Little's law) within 5% in every run", () => {
    for (const m of MODES) {
      for (const run of results.modes[m]!.runs) {
        const lambda = run.metrics["jobs.arrived"]! / horizonS;
        const little = lambda * run.metrics["jobs.turnaround.mean"]!;
        expect(run.metrics["jobs.inSystem.mean"]).toBeGreaterThan(0);
        expect(Math.abs(run.metrics["jobs.inSystem.mean"]! / little - 1)).toBeLessThan(0.05);
      }
    }
  });

  it("the report job (every 10 min from 0) arrives floor(horizon / every) + 1 times, the last at the horizon", () => {
    for (const m of MODES) {
      for (const run of runs.get(m)!) {
        const reports = run.instances.filter((i) => i.app === "report");
        expect(reports).toHaveLength(Math.floor(horizonS / 600) + 1);
        expect(reports.map((i) => i.requestedAt)).toEqual(reports.map((_, n) => n * 600));
      }
    }
  });
});

describe("interval arrivals", () => {
  it.each([
    { at: "0s", every: "10m", horizon: "2h" },
    { at: "7m", every: "25m", horizon: "2h" },
    { at: "0s", every: "7m", horizon: "1h" },
    { at: "3h", every: "5m", horizon: "2h" },
  ])("first at $at, then every $every, up to the horizon ($horizon) inclusive", ({ at, every, horizon }) => {
    const s = scenario({
      version: 1,
      name: "interval",
      horizon,
      replications: 1,
      hosts: [{ type: "h", count: 1, cores: 16, memory: "64GiB" }],
      apps: [{ name: "j", kind: "job", arrivals: { process: "interval", every, at }, work: "30s", cpu: 1, memory: "1GiB" }],
      modes: { container: {}, vm: {} },
    });
    const w = resolveWorkload(s.scenario, s.traces);
    const H = s.scenario.horizon;
    const app = w.apps[0]!;
    const a = app.arrivals!;
    if (a.process !== "interval") throw new Error("expected interval arrivals");
    const expected = a.atS > H ? 0 : Math.floor((H - a.atS) / a.everyS + 1e-9) + 1;
    for (const mode of w.modes) {
      const out = runOnce(w, mode, { seed: 1, horizonS: H, policy: s.scenario.placement.policy }, 0);
      expect(out.metrics["jobs.arrived"]).toBe(expected);
      expect(out.instances.map((i) => i.requestedAt)).toEqual(Array.from({ length: expected }, (_, n) => a.atS + n * a.everyS));
    }
  });
});
