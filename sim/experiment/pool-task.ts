/**
 * What a pool worker does (pool.ts): a task names a scenario by its path and overrides (plain
 * data, never functions), and the worker loads it, checks it is the scenario the caller
 * validated (same hash), and runs one replication of one mode or one sweep point.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { loadScenarioFile, type LoadedScenario } from "../scenario/index.js";
import { instanceRows, instanceRowsOf } from "./csv.js";
import { JobSpool } from "./job-spool.js";
import { digestRun, runExperimentTask, type DigestedRun, type ExperimentTask } from "./experiment.js";
import type { Workload } from "./resolve.js";
import { parseMetric, type MetricRef } from "./metric-catalog.js";
import type { RunOutput } from "./run.js";
import { runSweepPoint, type PointResult } from "./sweep.js";

/** A scenario as the command line named it: enough for a worker to load exactly it again. */
export interface ScenarioSource {
  readonly file: string;
  readonly sets: readonly string[];
  readonly seed?: number;
  readonly replications?: number;
  /** The hash of the scenario the caller loaded: a worker refuses a file that changed since. */
  readonly hash: string;
}

export type PoolTask =
  | {
      readonly kind: "run";
      readonly source: ScenarioSource;
      readonly mode: string;
      readonly replication: number;
      /** A file to write the run's instances.csv rows to (no header); the result then carries no instance records. */
      readonly spool?: string;
    }
  | { readonly kind: "point"; readonly source: ScenarioSource; readonly values: readonly string[]; readonly metrics: readonly string[]; readonly modes?: readonly string[] };

export type TaskResult = DigestedRun | PointResult;

const cache = new Map<string, LoadedScenario>();

/** The scenario of `source`, loaded once per thread. */
export function loadSource(source: ScenarioSource): LoadedScenario {
  const key = JSON.stringify([source.file, source.sets, source.seed ?? null, source.replications ?? null]);
  const hit = cache.get(key);
  if (hit) return hit;
  const r = loadScenarioFile(source.file, { sets: source.sets, seed: source.seed, replications: source.replications });
  if (!r.ok) throw new Error(`${source.file}: the scenario no longer loads (${r.issues[0]?.message ?? "invalid"}); was it changed while densim ran?`);
  if (r.hash !== source.hash) throw new Error(`${source.file}: the scenario changed while densim ran (hash ${r.hash}, expected ${source.hash})`);
  if (cache.size > 64) cache.clear();
  cache.set(key, r);
  return r;
}

export function executeTask(task: PoolTask): TaskResult {
  const loaded = loadSource(task.source);
  if (task.kind === "run") {
    return runDigested(loaded, { mode: task.mode, replication: task.replication }, task.spool);
  }
  const apps = loaded.scenario.apps.map((a) => a.name);
  const metrics = task.metrics.map((name) => {
    const ref = parseMetric(name, apps);
    if (!ref) throw new Error(`unknown metric ${name}`);
    return ref;
  }) as MetricRef[];
  return runSweepPoint(loaded, task.values, metrics, task.modes);
}

/**
 * Runs one replication of one mode, writes its instances.csv rows (no header) to `spool` when
 * given, and returns the run without its records. Job records go to disk as jobs end (or nowhere
 * without a spool), so the run holds only the jobs in flight.
 */
export function runDigested(loaded: LoadedScenario, task: ExperimentTask, spool?: string, workload?: Workload): DigestedRun {
  if (spool === undefined) return digestRun(runExperimentTask(loaded, task, workload, () => {}));
  const jobs = new JobSpool(`${spool}.jobs`);
  try {
    const out = runExperimentTask(loaded, task, workload, jobs.sink);
    spoolRows(spool, task.mode, out, jobs);
    // The records are written: only their digest goes back.
    return digestRun(out);
  } finally {
    jobs.dispose();
  }
}

/** Writes a run's instances.csv rows to `path`, chunk by chunk: its services, then its jobs in arrival order. */
function spoolRows(path: string, mode: string, out: RunOutput, jobs: JobSpool): void {
  const fd = openSync(path, "w");
  try {
    for (const chunk of instanceRows(mode, out)) writeSync(fd, chunk);
    for (const chunk of instanceRowsOf(mode, out.replication, jobs.records())) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
