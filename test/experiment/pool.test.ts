/**
 * The worker pool's queue and results (in-process: from the TypeScript sources the pool has no
 * threads, so the main thread runs every task; threads are tested end to end in
 * test/cli/shards.test.ts and test/cli/plan.test.ts, which compare --workers 1 and 2).
 */
import { describe, expect, it } from "vitest";
import { digestRun } from "../../sim/experiment/experiment.js";
import { assembleExperiment, experimentTasks, Pool, resultsJson, runExperiment, runExperimentTask, TaskError } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";

const loaded = scenario({
  version: 1,
  name: "pool",
  horizon: 600,
  replications: 2,
  hosts: [{ type: "h", count: 2, cores: 16, memory: "64GiB" }],
  apps: [{ name: "web", replicas: 12, cpu: 0.5, memory: "512MiB", init: 2 }],
  modes: { container: {}, vm: {} },
});

const tasksOf = (modes?: string[]) => experimentTasks(loaded, modes).map((t) => ({ scenario: loaded, mode: t.mode, replication: t.replication }));

describe("Pool", () => {
  it("returns each task's digest in task order, and the experiment assembled from them is the one run in place", async () => {
    const pool = new Pool(2);
    try {
      const tasks = experimentTasks(loaded);
      const outputs = await pool.run(tasksOf());
      expect(outputs).toHaveLength(tasks.length);
      for (const [k, t] of tasks.entries()) {
        const here = digestRun(runExperimentTask(loaded, t));
        expect(outputs[k]?.replication).toBe(t.replication);
        expect(outputs[k]?.metrics).toEqual(here.metrics);
        expect(outputs[k]?.digest?.latencies).toEqual(here.digest?.latencies);
        expect(outputs[k]?.unstartedJobs).toBe(0);
      }
      expect(resultsJson(assembleExperiment(loaded, tasks, outputs).results)).toBe(resultsJson(runExperiment(loaded).results));
    } finally {
      await pool.close();
    }
  });

  it("runs the heavier of two waiting batches first, and counts each batch's own progress", async () => {
    const pool = new Pool(1);
    const finished: string[] = [];
    const progress: [number, number][] = [];
    try {
      await Promise.all([
        pool.run(tasksOf(["container"]), { weight: 1 }).then(() => finished.push("light")),
        pool.run(tasksOf(["vm"]), { weight: 5, onDone: (d, t) => progress.push([d, t]) }).then(() => finished.push("heavy")),
      ]);
    } finally {
      await pool.close();
    }
    expect(finished).toEqual(["heavy", "light"]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it("fails only the batch whose task fails, with the task's message", async () => {
    const pool = new Pool(1);
    try {
      const bad = pool.run([{ scenario: loaded, mode: "nope", replication: 0 }]);
      const good = pool.run(tasksOf(["vm"]));
      await expect(bad).rejects.toThrow(/no mode nope/);
      await expect(good).resolves.toHaveLength(2);
    } finally {
      await pool.close();
    }
    await expect(pool.run(tasksOf())).rejects.toThrow(/closed/);
    expect(new TaskError("x")).toBeInstanceOf(Error);
  });
});
