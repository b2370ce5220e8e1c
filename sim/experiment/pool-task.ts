/**
 * What a pool worker does (pool.ts): one replication of one mode of a scenario it was sent once
 * (plain data: the loaded scenario without its functions), replying with the run's digest.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { LoadedScenario } from "../scenario/index.js";
import { instanceRows } from "./csv.js";
import { digestRun, runExperimentTask, type DigestedRun } from "./experiment.js";
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

export function executeTask(loaded: LoadedScenario, task: Omit<PoolTask, "scenario">): TaskResult {
  let workload = workloads.get(loaded);
  if (!workload) {
    workload = resolveWorkload(loaded.scenario, loaded.traces);
    workloads.set(loaded, workload);
  }
  const out = runExperimentTask(loaded, { mode: task.mode, replication: task.replication }, workload);
  if (task.spool !== undefined) spoolRows(task.spool, task.mode, out);
  let unstartedJobs = 0;
  for (const i of out.instances) if (i.kind === "job" && i.host === undefined) unstartedJobs++;
  // The records are written (or not wanted): only their digest goes back.
  return { ...digestRun(out), unstartedJobs };
}

/** Writes a run's instances.csv rows to `path`, chunk by chunk. */
function spoolRows(path: string, mode: string, out: RunOutput): void {
  const fd = openSync(path, "w");
  try {
    for (const chunk of instanceRows(mode, out)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}
