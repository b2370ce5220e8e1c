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
import { affinityOut, fineGrained, planLanes, shareOut } from "../../sim/experiment/pool.js";
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

describe("affinityOut (one handing out by mode)", () => {
  it("hands out each job at most once, a thread no more than it may hold, the main thread at most one, and something whenever the main thread may take it", () => {
    let byMode = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 4 })), { maxLength: 80 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 5 })), { maxLength: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        (jobs, threads, ahead, mainLane) => {
          const costs = jobs.map(([c]) => c);
          const keys = jobs.map(([, k]) => k);
          const loads = threads.map(([l]) => l);
          const inflight = threads.map(([, h]) => h);
          const got = affinityOut(costs, keys, loads, inflight, ahead, mainLane);
          if (got === undefined) {
            // One mode, or one worker.
            expect(new Set(keys).size < 2 || threads.length + (mainLane ? 1 : 0) < 2).toBe(true);
            return;
          }
          byMode++;
          const taken = [...got.sends.map(([k]) => k), ...(got.main === undefined ? [] : [got.main])];
          expect(new Set(taken).size).toBe(taken.length);
          for (const k of taken) expect(k >= 0 && k < jobs.length).toBe(true);
          for (const [, lane] of got.sends) expect(lane >= 0 && lane < threads.length).toBe(true);
          inflight.forEach((h, lane) => expect(got.sends.filter(([, l]) => l === lane).length).toBeLessThanOrEqual(Math.max(0, ahead - h)));
          if (!mainLane) expect(got.main).toBeUndefined();
          if (mainLane) expect(taken.length).toBeGreaterThan(0);
          expect(got.end).toBe(jobs.length);
        },
      ),
      { numRuns: 300 },
    );
    expect(byMode).toBeGreaterThan(100);
  });

  it("leaves a few large runs to longest first: the bench's four modes of one run, and of three replications (four go by mode)", () => {
    // Startup units of bare, container, vm and microvm (the test above), on two workers.
    expect(fineGrained(1 + 3 + 5 + 3, 5, 2)).toBe(false);
    expect(fineGrained(3 * 12, 5, 2)).toBe(false);
    expect(fineGrained(4 * 12, 5, 2)).toBe(true);
    const one = [1, 3, 5, 3].map((cost, key) => ({ cost, key })).sort((a, b) => b.cost - a.cost);
    expect(play(one, 1, true)).toEqual(play(one, 1, false));
    expect(play(one, 1, true).finish).toBe(6);
  });

  /**
   * A queue handed out as the pool does (Pool.handOut: by mode when the queue holds two modes or
   * more and there are two workers or more, else longest first; the main thread hands out between
   * its own tasks, or on a thread's reply while it has none), each job taking its estimated cost:
   * which modes each worker ran (threads, then the main thread), and when the last finished.
   */
  const play = (jobs: readonly { readonly cost: number; readonly key: number }[], threads: number, byMode: boolean) => {
    let queue = [...jobs];
    const work = jobs.reduce((a, j) => a + j.cost, 0);
    const held: { cost: number; key: number }[][] = Array.from({ length: threads }, () => []);
    const until = Array.from({ length: threads }, () => 0);
    const ran = Array.from({ length: threads + 1 }, () => new Set<number>());
    let now = 0;
    let mainUntil = 0;
    let finish = 0;
    const handOut = (): void => {
      if (queue.length === 0) return;
      const ahead = Math.min(4, Math.max(2, Math.floor(queue.length / (threads + 1))));
      const loads = held.map((h) => h.reduce((a, j) => a + j.cost, 0));
      const inflight = held.map((h) => h.length);
      const plan =
        (byMode && fineGrained(work, Math.max(...jobs.map((j) => j.cost)), threads + 1)
          ? affinityOut(
              queue.map((j) => j.cost),
              queue.map((j) => j.key),
              loads,
              inflight,
              ahead,
            )
          : undefined) ?? shareOut((k) => (queue[k] as { cost: number }).cost, queue.length, loads, inflight, ahead);
      for (const [k, lane] of plan.sends) {
        const job = queue[k] as { cost: number; key: number };
        if ((held[lane] as unknown[]).length === 0) until[lane] = now + job.cost;
        (held[lane] as { cost: number; key: number }[]).push(job);
        (ran[lane] as Set<number>).add(job.key);
      }
      if (plan.main !== undefined) {
        const job = queue[plan.main] as { cost: number; key: number };
        mainUntil = now + job.cost;
        (ran[threads] as Set<number>).add(job.key);
      }
      const out = new Set([...plan.sends.map(([k]) => k), ...(plan.main === undefined ? [] : [plan.main])]);
      queue = queue.filter((_, k) => !out.has(k));
    };
    handOut();
    for (;;) {
      // The next to finish: a thread's running job, or the main thread's.
      let lane = -1;
      for (let t = 0; t < threads; t++) if ((held[t] as unknown[]).length > 0 && (lane < 0 || (until[t] as number) < (until[lane] as number))) lane = t;
      const mainBusy = mainUntil > now;
      if (lane < 0 && !mainBusy) break;
      if (lane >= 0 && (!mainBusy || (until[lane] as number) < mainUntil)) {
        now = until[lane] as number;
        finish = Math.max(finish, now);
        (held[lane] as unknown[]).shift();
        if ((held[lane] as unknown[]).length > 0) until[lane] = now + ((held[lane] as { cost: number }[])[0] as { cost: number }).cost;
        // Its reply is read now if the main thread has no task, else once it has finished it.
        if (mainUntil <= now) handOut();
      } else {
        now = mainUntil;
        finish = Math.max(finish, now);
        handOut();
      }
      if (mainUntil <= now && queue.length > 0 && held.every((h) => h.length === 0)) handOut();
    }
    return { modes: ran.map((s) => [...s].sort()), finish, left: queue.length };
  };

  /** Eight sweep points (the load grows point by point) of the modes `modes` (their costs at the lightest point), five replications each, heaviest point first, longest first within it. */
  const sweep = (modes: readonly number[]) =>
    Array.from({ length: 8 }, (_, p) => 8 - p).flatMap((load) => modes.flatMap((c, key) => Array.from({ length: 5 }, () => ({ cost: c * load, key }))).sort((a, b) => b.cost - a.cost));

  it("keeps each mode of a sweep to one or two workers, and finishes as soon as longest first", () => {
    for (const threads of [1, 2, 3]) {
      const jobs = sweep([1.5, 1.1, 1, 0.6]);
      const longest = play(jobs, threads, false);
      const byMode = play(jobs, threads, true);
      expect(byMode.left).toBe(0);
      // Longest first has every worker run every mode; by mode, a worker runs at most three of the four, and the workers' modes overlap little more than where their stretches meet (4 modes cut into threads + 1 stretches: 4 + threads pairs).
      expect(longest.modes.every((m) => m.length === 4)).toBe(true);
      expect(byMode.modes.every((m) => m.length <= 3)).toBe(true);
      expect(byMode.modes.reduce((n, m) => n + m.length, 0)).toBeLessThanOrEqual(4 + threads + 1);
      expect(byMode.finish).toBeLessThanOrEqual(longest.finish * 1.01);
    }
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
    // V8's --trace-opt names each optimisation's concurrency mode (on stdout, before densim's own output; the threads' lines may run into each other, so the two names only).
    const modes = (workers: number): Set<string> => {
      const args = ["--trace-opt", MAIN, "run", resolve("scenarios/quickstart.yaml"), "--replications", "4", "--format", "json", "--workers", String(workers), "--out", join(cwd, String(workers)), "--quiet"];
      const r = spawnSync(process.execPath, args, { cwd, encoding: "utf8", maxBuffer: 1 << 30 });
      expectExit({ status: r.status, stdout: "", stderr: r.stderr }, 0);
      return new Set(r.stdout.match(/ConcurrencyMode::k(?:Concurrent|Synchronous)/g));
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
