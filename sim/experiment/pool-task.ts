/**
 * What a pool worker does (pool.ts): one replication of one mode of a scenario it was sent once
 * (plain data: the loaded scenario without its functions), replying with the run's digest.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { LoadedScenario } from "../scenario/index.js";
import { instanceRows, instanceRowsOf } from "./csv.js";
import { runCostUnits } from "./estimate.js";
import { JobSpool } from "./job-spool.js";
import { digestRun, runExperimentTask, taskRun, type DigestedRun, type ExperimentTask } from "./experiment.js";
import { chunkCount, GroupMerge, groupsOf, runChunk } from "./host-groups.js";
import type { JobSink } from "./jobs.js";
import { resolveWorkload, type Workload } from "./resolve.js";
import { runOnce, type GroupPart, type RunOutput } from "./run.js";

/** A scenario as a worker receives it: `LoadedScenario` without `where` (a function; runs never word issues). */
/** A scenario as sent to a worker thread: what its runs read (not its text, which only the reports on the main thread read). */
export type ShippedScenario = Omit<LoadedScenario, "where" | "effectiveText">;

export interface PoolTask {
  /** The scenario, loaded and validated by the caller; sent to each worker once, however many tasks name it. */
  readonly scenario: LoadedScenario;
  readonly mode: string;
  readonly replication: number;
  /** A file to write the run's instances.csv rows to (no header); the result then carries no instance records. */
  readonly spool?: string;
  /** Keep replication 0's per-host sample rows (timeseries.csv); absent or false: only the sums results.json reads. */
  readonly hostRows?: boolean;
  /**
   * Only this chunk of the run's host groups (host-groups.ts runChunk): the result is the chunk's
   * part (ChunkResult), which mergeChunks merges with the others into the run's result.
   */
  readonly chunk?: number;
}

/** A chunk's part of a run that goes host group by host group (PoolTask.chunk). */
export interface ChunkResult {
  readonly part: GroupPart;
}

/** What a task gives: a run's result, or a chunk's part of one. */
export type WorkResult = TaskResult | ChunkResult;

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
  readonly chunk?: number;
}

export const shipScenario = (l: LoadedScenario): ShippedScenario => ({
  ok: true,
  scenario: l.scenario,
  file: l.file,
  hash: l.hash,
  traces: l.traces,
  overrides: l.overrides,
  question: l.question,
});

/** A shipped scenario made whole again (its `where` words a path plainly). */
export const landScenario = (s: ShippedScenario): LoadedScenario => ({
  ...s,
  where: (path) => `${s.file}: ${path.join(".")}`,
  get effectiveText(): string {
    throw new Error("a worker thread has no scenario text: reports are written on the main thread");
  },
});

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

/** Runs a pool task: a chunk's part for a chunk task, else the run's result (executeTask). */
export function executeWork(loaded: LoadedScenario, task: Omit<PoolTask, "scenario">): WorkResult {
  if (task.chunk === undefined) return executeTask(loaded, task);
  const workload = workloadOf(loaded);
  const { mode, config } = taskRun(loaded, task, workload, false, task.hostRows ?? false);
  return { part: runChunk(workload, mode, config, task.replication, task.chunk) };
}

/** Runs a task's whole run (its chunk, if any, is not looked at). */
export function executeTask(loaded: LoadedScenario, task: Omit<PoolTask, "scenario">): TaskResult {
  return runDigested(loaded, { mode: task.mode, replication: task.replication }, task.spool, workloadOf(loaded), task.hostRows);
}

/**
 * How many chunk tasks the run of `task` may go as on the pool (host-groups.ts chunkCount: 0 for a
 * run that goes whole, or a mode the scenario lacks). Chunks are a fixed cut of the run, so the
 * result is the same however many threads ran them.
 */
export function taskChunks(task: PoolTask): number {
  const w = workloadOf(task.scenario);
  const mode = w.modes.find((m) => m.name === task.mode);
  return mode ? chunkCount(w, mode) : 0;
}

/** The task's estimated cost (estimate.ts runCostUnits), by which the pool orders and shares out tasks; 0 for a mode the scenario lacks (the task fails when it runs). */
export function taskCost(task: PoolTask): number {
  const mode = workloadOf(task.scenario).modes.find((m) => m.name === task.mode);
  return mode ? runCostUnits(task.scenario, mode) : 0;
}

/**
 * A run that goes as chunk tasks (taskChunks), merged on the caller's thread as its chunks come:
 * each in chunk order as soon as every one before it is in (the others wait), so it holds few
 * chunks' parts at a time. `result` gives the run's result as runDigested gives it: its
 * instances.csv rows written to the task's spool, the run without its records (run whole when the
 * parts cannot tell its start-up window: GroupMerge.finish).
 */
export class ChunkedRun {
  private merge: GroupMerge | undefined;
  private next = 0;
  private readonly waiting = new Map<number, GroupPart>();

  constructor(
    private readonly task: PoolTask,
    /** The run's chunks (taskChunks). */
    readonly count: number,
  ) {}

  /** Chunk `chunk`'s part; true once every chunk is in. */
  add(chunk: number, part: GroupPart): boolean {
    this.waiting.set(chunk, part);
    for (let p = this.waiting.get(this.next); p !== undefined; p = this.waiting.get(this.next)) {
      this.waiting.delete(this.next++);
      (this.merge ??= this.newMerge()).add(p);
    }
    return this.next === this.count;
  }

  private newMerge(): GroupMerge {
    const w = workloadOf(this.task.scenario);
    const { mode, config } = this.settings(w);
    return new GroupMerge(w, mode, config, this.task.replication, groupsOf(w, mode, config).placement);
  }

  private settings(w: Workload) {
    // Records are built for instances.csv only, as runDigested builds them.
    return taskRun(this.task.scenario, this.task, w, this.task.spool !== undefined, this.task.hostRows ?? false);
  }

  /** The run's result, once every chunk is in. */
  result(): TaskResult {
    const merge = this.merge;
    if (merge === undefined || this.next !== this.count) throw new Error(`ChunkedRun: ${this.next} of ${this.count} chunks merged`);
    const w = workloadOf(this.task.scenario);
    return digested(this.task.spool, this.task.mode, (jobSink) => {
      const { mode, config } = this.settings(w);
      return merge.finish() ?? runOnce(w, mode, config, this.task.replication, undefined, jobSink);
    });
  }
}

/**
 * Runs one replication of one mode, writes its instances.csv rows (no header) to `spool` when
 * given, and returns the run without its records. Job records go to disk as jobs end (or nowhere
 * without a spool), so the run holds only the jobs in flight; the jobs that never had a host are
 * counted as their records pass. Replication 0's samples keep per-host rows only with `hostRows`.
 */
export function runDigested(loaded: LoadedScenario, task: ExperimentTask, spool?: string, workload?: Workload, hostRows = false): TaskResult {
  return digested(spool, task.mode, (jobSink, records) => runExperimentTask(loaded, task, workload, jobSink, records, hostRows));
}

/** What runDigested does with the run `run` makes (given where its job records go and whether to build records). */
function digested(spool: string | undefined, mode: string, run: (jobSink: JobSink, records: boolean) => RunOutput): TaskResult {
  let unstartedJobs = 0;
  const count: JobSink = (_, r) => {
    if (r.host === undefined) unstartedJobs++;
  };
  // Without a spool no record is written: the run builds none.
  if (spool === undefined) return { ...digestRun(run(count, false)), unstartedJobs };
  const jobs = new JobSpool(`${spool}.jobs`);
  try {
    const out = run((seq, r) => {
      count(seq, r);
      jobs.sink(seq, r);
    }, true);
    spoolRows(spool, mode, out, jobs);
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
