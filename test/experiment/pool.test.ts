/**
 * The worker pool's queue and results (in-process: from the TypeScript sources the pool has no
 * threads, so the main thread runs every task; threads are tested end to end in
 * test/cli/shards.test.ts and test/cli/plan.test.ts, which compare --workers 1 and 2).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { servicesScenario } from "../../bench/cases.js";
import { runCostUnits, startupUnits } from "../../sim/experiment/estimate.js";
import { digestRun } from "../../sim/experiment/experiment.js";
import { assembleExperiment, experimentTasks, Pool, resultsJson, runExperiment, runExperimentTask, TaskError } from "../../sim/experiment/index.js";
import { planLanes, shareOut } from "../../sim/experiment/pool.js";
import { landScenario, shipScenario } from "../../sim/experiment/pool-task.js";
import fc from "fast-check";
import { resolveWorkload } from "../../sim/experiment/resolve.js";
import { loadScenarioText } from "../../sim/scenario/index.js";
import { densimProcess, ensureBuilt, expectExit, MAIN } from "../helpers/cli.js";
import { scenario } from "../helpers/scenario.js";

/** A web app's replicas on `hosts` 16-core hosts, as containers and as VMs, for 10 minutes. */
const webScenario = (name: string, hosts: number, replicas: number, replications: number) =>
  scenario({
    version: 1,
    name,
    horizon: 600,
    replications,
    hosts: [{ type: "h", count: hosts, cores: 16, memory: "64GiB" }],
    apps: [{ name: "web", replicas, cpu: 0.5, memory: "512MiB", init: 2 }],
    modes: { container: {}, vm: {} },
  });

const loaded = webScenario("pool", 2, 12, 2);

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

  it("runs a batch longest first by estimated cost (a mode's replications in order)", async () => {
    const pool = new Pool(1);
    const order: number[] = [];
    try {
      await pool.run(tasksOf(), { onDone: (_, __, index) => order.push(index) });
    } finally {
      await pool.close();
    }
    // Tasks: container 0, container 1, vm 0, vm 1; a VM's start-up runs more flows than a container's.
    const modes = resolveWorkload(loaded.scenario, loaded.traces).modes;
    const cost = (name: string) => runCostUnits(loaded, modes.find((m) => m.name === name)!);
    expect(cost("vm")).toBeGreaterThan(cost("container"));
    expect(order).toEqual([2, 3, 0, 1]);
  });
});

describe("planLanes (longest processing time first)", () => {
  it("splits the bench's four modes as vm + bare against container + microvm", () => {
    const bench = loadScenarioText(servicesScenario(1000), "services.yaml");
    if (!bench.ok) throw new Error("bench scenario invalid");
    const modes = resolveWorkload(bench.scenario, bench.traces).modes;
    expect(modes.map((m) => [m.name, startupUnits(m)])).toEqual([
      ["bare", 1],
      ["container", 3],
      ["vm", 5],
      ["microvm", 3],
    ]);
    const sorted = [...modes].sort((a, b) => runCostUnits(bench, b) - runCostUnits(bench, a));
    const lanes = planLanes(
      sorted.map((m) => runCostUnits(bench, m)),
      [0, 0],
    );
    const laneOf = (k: number) => sorted.filter((_, j) => lanes[j] === k).map((m) => m.name).sort();
    expect([laneOf(0), laneOf(1)]).toEqual([
      ["bare", "vm"],
      ["container", "microvm"],
    ]);
  });

  it("gives each task to the worker with the least work, counting what it holds; equal work by turns", () => {
    expect(planLanes([5, 4, 3, 3], [4, 0])).toEqual([1, 0, 1, 0]);
    expect(planLanes([0, 0, 0, 0, 0], [0, 0, 0])).toEqual([0, 1, 2, 0, 1]);
    expect(planLanes([], [0])).toEqual([]);
  });
});

describe("shareOut (one handing out)", () => {
  /** The whole queue planned (planLanes), then acted on in queue order: what a handing out did before it stopped early. */
  const whole = (costs: number[], loads: number[], inflight: number[], ahead: number) => {
    const lanes = planLanes(costs, [...loads, 0]);
    const holds = [...inflight];
    const sends: [number, number][] = [];
    let main: number | undefined;
    lanes.forEach((lane, k) => {
      if (lane === loads.length) main ??= k;
      else if ((holds[lane] as number) < ahead) {
        sends.push([k, lane]);
        holds[lane] = (holds[lane] as number) + 1;
      }
    });
    return { sends, main };
  };

  it("sends and takes what planning the whole queue would, looking at no more of it than it needs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 5 })), { maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (costs, threads, ahead) => {
          const loads = threads.map(([l]) => l);
          const inflight = threads.map(([, h]) => h);
          const got = shareOut((k) => costs[k] as number, costs.length, loads, inflight, ahead);
          expect({ sends: got.sends, main: got.main }).toEqual(whole(costs, loads, inflight, ahead));
          // It stops early only once the main thread has its job and every thread holds `ahead`.
          expect(got.end).toBeLessThanOrEqual(costs.length);
          if (got.end < costs.length) {
            expect(got.main).toBeDefined();
            inflight.forEach((h, lane) => expect(h + got.sends.filter(([, l]) => l === lane).length).toBeGreaterThanOrEqual(ahead));
          }
        },
      ),
    );
  });

  it("looks at one job when the main thread is alone, however long the queue", () => {
    const n = 100_000;
    const got = shareOut(() => 1, n, [], [], 2);
    expect(got).toEqual({ sends: [], main: 0, end: 1 });
  });

  it("with threads, looks at about as many jobs as it hands out", () => {
    const got = shareOut(() => 1, 10_000, [0], [0], 4);
    expect(got.sends.map(([, lane]) => lane)).toEqual([0, 0, 0, 0]);
    expect(got.main).toBe(1);
    expect(got.end).toBeLessThan(10);
  });
});

describe("a scenario sent to a worker thread", () => {
  it("carries what runs read, not the scenario's text (reports are written on the main thread), and says so if asked for it", () => {
    const loaded = webScenario("shipped", 2, 4, 1);
    const shipped = shipScenario(loaded);
    expect(Object.keys(shipped)).not.toContain("effectiveText");
    const landed = landScenario(structuredClone(shipped));
    expect(landed.scenario).toEqual(loaded.scenario);
    expect(landed.hash).toBe(loaded.hash);
    expect(() => landed.effectiveText).toThrow(/a worker thread has no scenario text/);
  });
});

describe("Pool on worker threads", () => {
  it("writes byte-identical results for 1, 2 and 3 workers", () => {
    ensureBuilt();
    const cwd = mkdtempSync(join(tmpdir(), "densim-pool-"));
    const files = (workers: number): string[] => {
      const out = join(cwd, String(workers));
      const o = densimProcess(["run", resolve("scenarios/quickstart.yaml"), "--replications", "2", "--format", "json,csv", "--workers", String(workers), "--out", out, "--quiet"], { cwd });
      expectExit(o, 0);
      return ["results.json", "instances.csv", "timeseries.csv"].map((f) => readFileSync(join(out, "quickstart", f), "latin1"));
    };
    const one = files(1);
    expect(files(2)).toEqual(one);
    expect(files(3)).toEqual(one);
  });

  it("has its threads compile optimised code inline when they fill every core, and leaves background compilation alone when one thread runs", () => {
    ensureBuilt();
    const cwd = mkdtempSync(join(tmpdir(), "densim-pool-"));
    // V8's --trace-opt names each optimisation's concurrency mode (on stdout, before densim's own output).
    const modes = (workers: number): Set<string> => {
      const args = ["--trace-opt", MAIN, "run", resolve("scenarios/quickstart.yaml"), "--replications", "4", "--format", "json", "--workers", String(workers), "--out", join(cwd, String(workers)), "--quiet"];
      const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
      expectExit({ status: r.status, stdout: "", stderr: r.stderr }, 0);
      return new Set(r.stdout.match(/ConcurrencyMode::k\w+/g));
    };
    expect(modes(1)).toEqual(new Set(["ConcurrencyMode::kConcurrent"]));
    // A thread per core: the threads' optimisations are synchronous, the main thread's still in the background.
    expect(modes(Math.max(2, availableParallelism()))).toEqual(new Set(["ConcurrencyMode::kConcurrent", "ConcurrencyMode::kSynchronous"]));
  });

  it("runs a run that goes as chunks chunk by chunk on the main thread too (no threads), moving progress by each, the same results", async () => {
    // From the sources the pool has no threads.
    await expectChunkProgress(new Pool(1));
  });

  it("moves a batch's progress by each chunk of a run that goes as chunks, adding up to its runs", async () => {
    ensureBuilt();
    // The compiled pool, which has its worker file beside it, so it starts threads.
    const compiled = (await import(pathToFileURL(resolve("dist/sim/experiment/pool.js")).href)) as typeof import("../../sim/experiment/pool.js");
    await expectChunkProgress(new compiled.Pool(2));
  });
});

/**
 * Runs a scenario of 300 hosts (5 groups of 64, so 2 chunks of 4 groups a run; 2 modes) on `pool`
 * and closes it: the results are the ones run in place, each run is done once, and progress moved
 * by half a run per chunk.
 */
async function expectChunkProgress(pool: Pool): Promise<void> {
  const wide = webScenario("wide", 300, 600, 1);
  const tasks = experimentTasks(wide).map((t) => ({ scenario: wide, mode: t.mode, replication: t.replication }));
  const shares: number[] = [];
  const done: number[] = [];
  try {
    const outputs = await pool.run(tasks, { onProgress: (r) => shares.push(r), onDone: (d) => done.push(d) });
    expect(resultsJson(assembleExperiment(wide, experimentTasks(wide), outputs).results)).toBe(resultsJson(runExperiment(wide).results));
  } finally {
    await pool.close();
  }
  expect(done).toEqual([1, 2]);
  expect(shares).toEqual([0.5, 0.5, 0.5, 0.5]);
}
