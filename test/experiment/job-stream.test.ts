/**
 * Jobs in bounded memory (sim/experiment/jobs.ts, job-spool.ts): a run that hands job records to a
 * sink gives the same records (each once, by arrival number) and the same metrics as one that
 * keeps them; the spool gives records back in arrival order whatever order they came in, and the
 * spooled instances.csv rows are the kept run's byte for byte; job slots are reused; a run with
 * more job figures than the exact limit labels its sketch estimates, which keep the stated bound.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { quantileSorted } from "simple-statistics";
import { afterAll, describe, expect, it } from "vitest";
import { instanceRows } from "../../sim/experiment/csv.js";
import { comparisonTable } from "../../sim/report/comparison.js";
import { experimentTasks, runExperiment, runExperimentTask } from "../../sim/experiment/experiment.js";
import { resolveWorkload, runOnce, type InstanceRecord } from "../../sim/experiment/index.js";
import { JobBook, type JobRecord } from "../../sim/experiment/jobs.js";
import { JobSpool } from "../../sim/experiment/job-spool.js";
import { runDigested } from "../../sim/experiment/pool-task.js";
import { SKETCH_RELATIVE_ACCURACY } from "../../sim/experiment/sample-digest.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";
import { scenario } from "../helpers/scenario.js";

const made: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), "densim-jobstream-"));
  made.push(d);
  return d;
};
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const batch = loadScenarioFile("scenarios/batch-jobs.yaml", { replications: 1 });
if (!batch.ok) throw new Error("batch-jobs.yaml does not load");

describe("a run with a job sink", () => {
  it("hands every job's record to the sink once, by arrival number, as the run that keeps them has it; the metrics are the same", () => {
    const w = resolveWorkload(batch.scenario, batch.traces);
    for (const mode of w.modes) {
      const config = { seed: batch.scenario.seed, horizonS: batch.scenario.horizon, policy: batch.scenario.placement.policy };
      const kept = runOnce(w, mode, config, 0);
      const got: InstanceRecord[] = [];
      const streamed = runOnce(w, mode, config, 0, undefined, (seq, r: JobRecord) => {
        expect(got[seq]).toBeUndefined();
        got[seq] = { ...r, phases: [...r.phases], kind: "job", reason: undefined, slowdown: NaN, downS: 0, maintenanceDownS: 0 };
      });
      const jobs = kept.instances.filter((i) => i.kind === "job");
      expect(jobs.length).toBeGreaterThan(300);
      expect(got).toEqual(jobs);
      expect(streamed.instances).toEqual(kept.instances.filter((i) => i.kind === "service"));
      expect(streamed.metrics).toEqual(kept.metrics);
      expect(streamed.apps).toEqual(kept.apps);
      expect(streamed.estimated).toEqual([]);
    }
  });

  it("spools instances.csv rows that are the kept run's byte for byte (services, then jobs in arrival order)", () => {
    const dir = fresh();
    for (const [n, task] of experimentTasks(batch).entries()) {
      const path = join(dir, `${n}.csv`);
      const digested = runDigested(batch, task, path);
      expect(digested.instances).toEqual([]);
      const kept = runExperimentTask(batch, task);
      expect(readFileSync(path, "utf8")).toBe([...instanceRows(task.mode, kept)].join(""));
    }
  });
});

describe("JobSpool", () => {
  it("gives records back in arrival order whatever order they were written in", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9000 }), fc.integer(), (n, salt) => {
        const dir = fresh();
        const spool = new JobSpool(join(dir, "jobs.bin"));
        try {
          // A deterministic shuffle: mostly in order, with some late completions.
          const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => ((a * 7 + salt) % 13) - ((b * 7 + salt) % 13) || a - b);
          for (const seq of order)
            spool.sink(seq, { app: `app${seq % 3}`, replica: seq, host: seq % 5 === 0 ? undefined : `h-${seq % 4}`, requestedAt: seq, readyAt: seq + 0.5, doneAt: seq % 7 === 0 ? NaN : seq + 1, phases: [seq, 0, 0, 0, 0, 0, 1] });
          const back: string[] = [];
          for (const r of spool.records()) back.push(`${r.replica} ${r.app} ${r.host} ${r.doneAt} ${r.phases[0]}`);
          expect(back).toEqual(Array.from({ length: n }, (_, k) => `${k} app${k % 3} ${k % 5 === 0 ? undefined : `h-${k % 4}`} ${k % 7 === 0 ? NaN : k + 1} ${k}`));
        } finally {
          spool.dispose();
        }
      }),
      { numRuns: 15, seed: 21 },
    );
  });
});

describe("JobBook", () => {
  it("reuses slots: it holds as many as jobs were in flight at once, not every job", () => {
    const records: number[] = [];
    const book = new JobBook(["a", "b"], ["h"], 100, (seq) => records.push(seq));
    const live: number[] = [];
    let most = 0;
    for (let t = 0; t < 10_000; t++) {
      live.push(book.arrive(t % 2, t, t, 1));
      most = Math.max(most, live.length);
      // Up to three in flight; the oldest but one finishes first now and then.
      if (live.length === 3) book.done(live.splice(t % 5 === 0 ? 1 : 0, 1)[0]!, t + 0.5);
    }
    expect(book.slotCount).toBe(most);
    const figures = book.finish(() => 0);
    expect(figures.arrived).toBe(10_000);
    expect(figures.completed).toBe(10_000 - 2);
    expect(records).toHaveLength(10_000);
    expect(new Set(records).size).toBe(10_000);
    // The two in flight at the horizon go out last, in arrival order.
    expect(records.slice(-2)).toEqual([...records.slice(-2)].sort((x, y) => x - y));
  });
});

describe("a run with more jobs than the exact limit", () => {
  it("labels its sketch estimates, which are within the stated bound of the exact figures", () => {
    // 31 h of jobs at 1/s: about 111,600, past the 100,000 kept exactly.
    const s = scenario({
      version: 1,
      name: "many-jobs",
      seed: 5,
      horizon: "31h",
      replications: 1,
      hosts: [{ type: "h", count: 4, cores: 32, memory: "256GiB" }],
      apps: [{ name: "j", kind: "job", arrivals: { process: "poisson", rate: "1/s" }, work: { dist: "exponential", mean: "4s" }, cpu: 1, memory: "1GiB" }],
      modes: { bare: {} },
    });
    const { results, runs } = runExperiment(s);
    const mode = results.modes.bare!;
    expect(mode.estimated).toEqual(["startupQuantiles", "jobs.turnaround.p95", "apps.j.jobs.turnaround.p95"]);
    expect(comparisonTable(results)).toContain("Estimated from a streaming sketch (more than 100,000 values in a run; within 1% of a sample value of nearly the same rank): bare: startupQuantiles, jobs.turnaround.p95, apps.j.jobs.turnaround.p95.");
    const jobs = runs.get("bare")![0]!.instances.filter((i) => i.kind === "job");
    expect(jobs.length).toBeGreaterThan(100_000);
    const turnaround = jobs.filter((j) => !Number.isNaN(j.doneAt)).map((j) => j.doneAt - j.requestedAt).sort((a, b) => a - b);
    const r = Math.ceil(0.95 * turnaround.length) - 1;
    const p95 = mode.runs[0]!.metrics["jobs.turnaround.p95"]!;
    expect(p95).toBeGreaterThanOrEqual(turnaround[r - 1]! * (1 - SKETCH_RELATIVE_ACCURACY));
    expect(p95).toBeLessThanOrEqual(turnaround[r + 1]! * (1 + SKETCH_RELATIVE_ACCURACY));
    // The mean stays exact (up to the order of summation).
    expect(mode.runs[0]!.metrics["jobs.turnaround.mean"]).toBeCloseTo(turnaround.reduce((a, b) => a + b, 0) / turnaround.length, 6);
    const latencies = jobs.filter((j) => !Number.isNaN(j.readyAt)).map((j) => j.readyAt - j.requestedAt).sort((a, b) => a - b);
    expect(mode.startupQuantiles[50]).toBeGreaterThanOrEqual(quantileSorted(latencies, 0.49) * (1 - SKETCH_RELATIVE_ACCURACY));
    expect(mode.startupQuantiles[50]).toBeLessThanOrEqual(quantileSorted(latencies, 0.51) * (1 + SKETCH_RELATIVE_ACCURACY));
  });
});
