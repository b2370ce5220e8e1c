/**
 * What a pool worker does (pool.ts): one replication of one mode of a scenario it was sent once
 * (plain data: the loaded scenario without its functions), replying with the run's digest.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { LoadedScenario } from "../scenario/index.js";
import { instanceRows, instanceRowsOf } from "./csv.js";
import { runCostUnits } from "./estimate.js";
import { JobSpool } from "./job-spool.js";
import { digestRun, runExperimentTask, type DigestedRun, type ExperimentTask } from "./experiment.js";
import type { JobSink } from "./jobs.js";
import { resolveWorkload, type Workload } from "./resolve.js";
import type { RunOutput } from "./run.js";

/** A scenario as a worker receives it: `LoadedScenario` without `where` (a function; runs never word issues). */
export type ShippedScenario = Omit<LoadedScenario, "where">;

export interface PoolTask {
  /** The scenario, loaded and validated by the caller; sent to each worker once, however many tasks name it. */
  readonly scenario: LoadedScenario;
  readonly mode: string;
  readonly replication: number;
  /** A file to write the run's instances.csv rows to (no header); the result then carries no instance records. */
  readonly spool?: string;
  /** Keep replication 0's per-host sample rows (timeseries.csv); absent or false: only the sums results.json reads. */
  readonly hostRows?: boolean;
}

/** A run's digest (pool results carry no instance records) and what a plan needs of its records. */
export type TaskResult = DigestedRun & {
  /** Jobs that never found a host within the horizon. */
  readonly unstartedJobs: number;
};

/** The task as posted to a worker: the scenario by its number in that worker's cache. */
export interface WireTask {
  readonly scenario: number;
  readonly mode: string;
  readonly replication: number;
  readonly spool?: string;
  readonly hostRows?: boolean;
}

export const shipScenario = (l: LoadedScenario): ShippedScenario => ({
  ok: true,
  scenario: l.scenario,
  file: l.file,
  hash: l.hash,
  traces: l.traces,
  overrides: l.overrides,
  question: l.question,
  effectiveText: l.effectiveText,
});

/** A shipped scenario made whole again (its `where` words a path plainly). */
export const landScenario = (s: ShippedScenario): LoadedScenario => ({ ...s, where: (path) => `${s.file}: ${path.join(".")}` });

/** Resolved workloads by scenario, so a scenario's tasks resolve it once per thread. */
const workloads = new WeakMap<LoadedScenario, Workload>();

function workloadOf(loaded: LoadedScenario): Workload {
  let workload = workloads.get(loaded);
  if (!workload) {
    workload = resolveWorkload(loaded.scenario, loaded.traces);
    workloads.set(loaded, workload);
  }
  return workload;
}

export function executeTask(loaded: LoadedScenario, task: Omit<PoolTask, "scenario">): TaskResult {
  return runDigested(loaded, { mode: task.mode, replication: task.replication }, task.spool, workloadOf(loaded), task.hostRows);
}

/** The task's estimated cost (estimate.ts runCostUnits), by which the pool orders and shares out tasks; 0 for a mode the scenario lacks (the task fails when it runs). */
export function taskCost(task: PoolTask): number {
  const mode = workloadOf(task.scenario).modes.find((m) => m.name === task.mode);
  return mode ? runCostUnits(task.scenario, mode) : 0;
}

/**
 * Runs one replication of one mode, writes its instances.csv rows (no header) to `spool` when
 * given, and returns the run without its records. Job records go to disk as jobs end (or nowhere
 * without a spool), so the run holds only the jobs in flight; the jobs that never had a host are
 * counted as their records pass. Replication 0's samples keep per-host rows only with `hostRows`.
 */
export function runDigested(loaded: LoadedScenario, task: ExperimentTask, spool?: string, workload?: Workload, hostRows = false): TaskResult {
  let unstartedJobs = 0;
  const count: JobSink = (_, r) => {
    if (r.host === undefined) unstartedJobs++;
  };
  // Without a spool no record is written: the run builds none.
  if (spool === undefined) return { ...digestRun(runExperimentTask(loaded, task, workload, count, false, hostRows)), unstartedJobs };
  const jobs = new JobSpool(`${spool}.jobs`);
  try {
    const out = runExperimentTask(loaded, task, workload, (seq, r) => {
      count(seq, r);
      jobs.sink(seq, r);
    }, true, hostRows);
    spoolRows(spool, task.mode, out, jobs);
    // The records are written: only their digest goes back.
    return { ...digestRun(out), unstartedJobs };
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
