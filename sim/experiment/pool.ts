/**
 * Runs experiments' replications and modes (of one scenario, of a sweep's points, of a plan's
 * probes) on the main thread and a pool of worker threads.
 *
 * A pool of N workers is the main thread and N - 1 threads, started once (so their module
 * loading overlaps the caller's validation) and kept for every batch. A task is one replication
 * of one mode; a run that goes host group by host group (host-groups.ts) goes as its chunks, a
 * fixed cut of its groups run anywhere and merged on the main thread in chunk order as they come
 * (pool-task.ts ChunkedRun), so one large run uses every core, and its progress shows chunk by
 * chunk even on the main thread alone. A task's scenario, loaded and validated by the caller, is sent to a thread once and
 * kept there (a few per thread), not loaded again per task. Batches are queued heaviest first
 * (the caller's `weight`, then submission order), a batch's tasks longest first by their
 * estimated cost (estimate.ts runCostUnits). Whenever work is handed out, the queue is shared
 * among the workers: each thread is sent a few of its share ahead (so it never waits while the
 * main thread runs a task), and the main thread runs the first of its share, then shares out
 * again. When the first batches queued (WINDOW of them) hold runs of two modes or more, they are
 * shared by mode (affinityOut: each worker a stretch of whole modes, as even as longest first),
 * because each thread compiles the simulator for itself and a thread that runs fewer modes
 * compiles less; otherwise (one mode, or a run that goes as chunks) longest processing time first
 * (planLanes: each task in queue order to the worker with the least estimated work, a thread's own
 * being the tasks it holds), looking only as far into the queue as it hands anything out
 * (shareOut), so it costs the same for thousands of queued runs as for ten. A command still
 * loading holds the main thread (holdMain): the threads start on what is queued while it loads
 * the rest. Results are plain data, assembled by the caller in a fixed order, so they are
 * byte-identical for any number of workers. When the compiled worker file is absent (running from the TypeScript sources, as
 * the tests do in-process), everything runs on the main thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import type { LoadedScenario } from "../scenario/index.js";
import { ChunkedRun, executeWork, shipScenario, taskChunks, taskCost, type ChunkResult, type PoolTask, type TaskResult, type WorkResult } from "./pool-task.js";
import type { WorkerMessage } from "./pool-worker.js";

export type { PoolTask, TaskResult } from "./pool-task.js";

/** The default number of workers: the cores this process may use. */
export const defaultWorkers = (): number => Math.max(1, availableParallelism());

/**
 * Tasks a thread holds (running and waiting), so it has the next one when it finishes: the
 * main thread hands out work only between its own tasks, so while plenty are queued a thread
 * holds up to MAX_AHEAD (enough to outlast a long task on the main thread); near the end of the
 * queue, MIN_AHEAD, so few tasks wait in a thread while the main thread has none.
 */
const MAX_AHEAD = 4;
const MIN_AHEAD = 2;
/** Scenarios a thread keeps (a sweep's points, a plan's probes). */
const KEEP = 8;
/**
 * Batches at the queue's head whose jobs are shared out by mode (affinityOut): as many as a thread
 * keeps scenarios, so that however the modes go the threads' scenarios are not sent again; and at
 * most WINDOW_JOBS of their jobs (a batch of thousands of replications), so a handing out costs
 * the same however many are queued.
 */
const WINDOW = KEEP;
const WINDOW_JOBS = 1024;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: WorkResult;
  readonly error?: { readonly message: string; readonly stack?: string };
}

/** A task's failure in a worker thread, with the thread's message. */
export class TaskError extends Error {}

const WORKER_URL = new URL("./pool-worker.js", import.meta.url);

/** Whether worker threads can run here (the compiled worker exists beside this module). */
export function workersAvailable(): boolean {
  return WORKER_URL.protocol === "file:" && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * Worker threads started from now on compile their optimised code (V8's TurboFan) on their own
 * thread, between tasks, instead of handing it to V8's background compiler threads. Used when the
 * pool has a thread per core: no core is then free for background compilation, which costs more
 * CPU than compiling inline (the bench's 21-day sweep with `--workers 1`, means of 4 runs: V8's
 * background threads spent 1.27 s on it, where compiling inline cost the main thread 0.54 s more,
 * 0.74 s less CPU in all); with a core free, background compilation is the faster (it runs beside
 * the simulation: 15.4 s against 15.7 s of wall time there).
 *
 * V8 reads the flag when it creates an isolate (it gives the isolate a background compile
 * dispatcher or none), and an isolate decides by whether it has one: the main thread's isolate,
 * created at start-up, keeps compiling in the background; the worker threads', created after,
 * compile inline. Results are the same either way (it changes when code is optimised, never what
 * it computes). Process-wide and for good: the pool's threads are started once.
 */
function compileInline(): void {
  setFlagsFromString("--no-concurrent-recompilation");
}

interface Batch {
  readonly results: TaskResult[];
  readonly weight: number;
  readonly seq: number;
  readonly onDone?: (done: number, total: number, index: number) => void;
  readonly onProgress?: (runs: number) => void;
  readonly resolve: (r: TaskResult[]) => void;
  readonly reject: (e: Error) => void;
  done: number;
  failed: boolean;
  /** Its jobs' estimated cost in all, and the largest's (set once its jobs are made). */
  work: number;
  largest: number;
}

interface Job {
  readonly batch: Batch;
  readonly index: number;
  readonly task: PoolTask;
  /** Estimated cost (pool-task.ts taskCost; a chunk's share of its run's). */
  readonly cost: number;
  /** A chunk of a run's host groups (task.chunk): the run its part is merged into. */
  readonly chunks?: ChunkedRun;
  /** Its mode's rank (Pool.ranks), for affinityOut. */
  readonly key: number;
}

interface Thread {
  readonly worker: Worker;
  inflight: number;
  /** The estimated cost of the tasks it holds (running and waiting). */
  load: number;
  /** Scenario numbers this thread holds, least recently used first. */
  readonly holds: number[];
}

export interface BatchOptions {
  /** Batches of greater weight run first (e.g. estimated events); equal weights run in submission order. */
  readonly weight?: number;
  /** Called after each task of the batch, in completion order, with the task's index in the batch. */
  readonly onDone?: (done: number, total: number, index: number) => void;
  /**
   * Called as the batch's work gets done, with how much of a run was: 1 for a run, 1/n for each of
   * the n chunks of a run that goes as chunks (so a progress bar moves during one large run).
   */
  readonly onProgress?: (runs: number) => void;
}

/**
 * Longest processing time first: `costs` (in queue order, longest first within a batch) shared
 * among workers that already hold `loads` of work, each task to the worker with the least
 * (ties: the one given fewer tasks here, then the lower number). Returns each task's worker.
 */
export function planLanes(costs: readonly number[], loads: readonly number[]): number[] {
  const load = [...loads];
  const given = loads.map(() => 0);
  return costs.map((c) => assignLane(load, given, c));
}

/** planLanes' step: the lane with the least load (ties: fewer tasks given, then the lower number) takes `cost`; returns it. */
function assignLane(load: number[], given: number[], cost: number): number {
  let best = 0;
  for (let k = 1; k < load.length; k++) {
    const d = (load[k] as number) - (load[best] as number) || (given[k] as number) - (given[best] as number);
    if (d < 0) best = k;
  }
  load[best] = (load[best] as number) + cost;
  given[best] = (given[best] as number) + 1;
  return best;
}

/** What one handing out does (Pool.handOut): the jobs sent to each thread, and the main thread's. */
export interface ShareOut {
  /** [queue position, thread], in the order each thread is to run them. */
  readonly sends: readonly (readonly [number, number])[];
  /** The main thread's job's queue position, if its share has one. */
  readonly main: number | undefined;
  /** Positions from here on were not looked at (and stay queued). */
  readonly end: number;
}

/**
 * One handing out of a queue of `n` jobs (`cost(k)`, in queue order) among threads that hold
 * `loads` of work in `inflight` tasks, and the main thread (unless `mainLane` is false: the main
 * thread is held, Pool.holdMain): the queue is planned longest
 * processing time first (planLanes, the main thread last); a thread is sent the jobs of its lane
 * while it holds fewer than `ahead`, and the main thread takes the first job of its lane. The plan
 * stops as soon as the main thread has its job and every thread holds `ahead`: a job's lane
 * depends only on the jobs before it, so the rest of the plan would send and take nothing, and a
 * handing out costs the few jobs it looks at, not the whole queue (a sweep of hundreds of points
 * queues thousands of runs, and the main thread hands out after each of its own).
 */
export function shareOut(cost: (k: number) => number, n: number, loads: readonly number[], inflight: readonly number[], ahead: number, mainLane = true): ShareOut {
  const load = mainLane ? [...loads, 0] : [...loads];
  const given = load.map(() => 0);
  const holds = [...inflight];
  let open = holds.filter((h) => h < ahead).length;
  const sends: [number, number][] = [];
  let main: number | undefined;
  let k = 0;
  for (; k < n && ((mainLane && main === undefined) || open > 0); k++) {
    const lane = assignLane(load, given, cost(k));
    if (lane === loads.length) {
      main ??= k;
    } else if ((holds[lane] as number) < ahead) {
      sends.push([k, lane]);
      holds[lane] = (holds[lane] as number) + 1;
      if (holds[lane] === ahead) open--;
    }
  }
  return { sends, main, end: k };
}

/**
 * Jobs per worker at the least for a handing out by mode: a worker's even share of the work is at
 * least this many times the largest job (else longest first: a few large runs go longest first).
 */
const GRAIN = 4;

/**
 * Whether batches of `work` in all (their jobs' estimated costs, whether run or queued), the
 * largest job `largest`, are fine enough to share out by mode among `lanes` workers: each worker's
 * even share at least GRAIN times the largest job. A few large runs (a run of four modes, one
 * replication each) balance only longest first. Judged on whole batches, not on what is left of
 * them, so that the last jobs of a long queue stay with the workers whose modes they are.
 */
export function fineGrained(work: number, largest: number, lanes: number): boolean {
  return work >= GRAIN * largest * lanes;
}

/**
 * One handing out by mode (Pool.handOut, over the queue's first batches): the jobs `costs` (in
 * queue order) of modes `keys` (a mode's rank: the order in which the pool first saw it) are laid
 * out mode by mode, in rank order, and cut into one stretch per worker (threads in order, the main
 * thread last, unless `mainLane` is false), each stretch what brings its worker (holding `loads`)
 * up to an even share of all the work. A worker takes jobs of the modes in its stretch, first the mode the greatest part of which
 * is in its stretch (its own modes before those it shares), and within a mode in queue order
 * (longest first); a mode at the edge of two stretches is shared between the two (and run last by
 * both, so their last jobs balance), and a mode whose jobs cost nothing (estimate 0: a mode the
 * scenario lacks, whose task fails) by all. Threads are sent jobs while they hold fewer than
 * `ahead` (`inflight` now), and the main thread takes one; the worker with the least work picks
 * next, a job at a time. Undefined (share out longest first instead) when the jobs are of one mode
 * or there is one worker; the pool asks only when the jobs are fine enough (fineGrained).
 *
 * Why: each thread compiles the simulator's code for itself, and how much depends on the modes it
 * runs (each mode's start-up takes its own code paths). Stretches of whole modes keep each mode on
 * one or two workers instead of every worker, and cost what longest first costs in balance: the
 * stretches are cut again at every handing out from what is left, so a worker that falls behind
 * gets a shorter stretch, and the last jobs of a shared mode are short.
 */
export function affinityOut(costs: readonly number[], keys: readonly number[], loads: readonly number[], inflight: readonly number[], ahead: number, mainLane = true): ShareOut | undefined {
  const n = costs.length;
  const load = mainLane ? [...loads, 0] : [...loads];
  const lanes = load.length;
  // The modes in rank order, each with its jobs (queue order) and their cost.
  const ranks = [...new Set(keys)].sort((a, b) => a - b);
  if (ranks.length < 2 || lanes < 2) return undefined;
  const of = new Map(ranks.map((r, i) => [r, i]));
  const jobs: number[][] = ranks.map(() => []);
  const cost = ranks.map(() => 0);
  let queued = 0;
  for (let k = 0; k < n; k++) {
    const m = of.get(keys[k] as number) as number;
    (jobs[m] as number[]).push(k);
    cost[m] = (cost[m] as number) + (costs[k] as number);
    queued += costs[k] as number;
  }
  // Each worker's stretch: what brings it up to an even share of everything (held and queued), scaled to what is queued.
  const even = (load.reduce((a, b) => a + b, 0) + queued) / lanes;
  const want = load.map((l) => Math.max(0, even - l));
  const wanted = want.reduce((a, b) => a + b, 0);
  const share = load.map(() => ranks.map(() => 0));
  const tiny = queued * 1e-9;
  let m = 0;
  let left = cost[0] ?? 0;
  for (let lane = 0; lane < lanes; lane++) {
    let q = wanted > 0 ? ((want[lane] as number) * queued) / wanted : queued / lanes;
    while (q > tiny && m < ranks.length) {
      const take = Math.min(q, left);
      (share[lane] as number[])[m] = ((share[lane] as number[])[m] as number) + take;
      q -= take;
      left -= take;
      if (left <= tiny) left = cost[++m] ?? 0;
    }
  }
  // The worker with the least work picks next (threads while they hold fewer than `ahead`, the main thread one job), a job at a time.
  const next = ranks.map(() => 0);
  const needs = load.map((_, lane) => (lane < loads.length ? Math.max(0, ahead - (inflight[lane] as number)) : 1));
  const sends: [number, number][] = [];
  let main: number | undefined;
  for (;;) {
    let lane = -1;
    for (let l = 0; l < lanes; l++) if ((needs[l] as number) > 0 && (lane < 0 || (load[l] as number) < (load[lane] as number))) lane = l;
    if (lane < 0) break;
    const mine = share[lane] as number[];
    let best = -1;
    let bestPart = 0;
    for (let k = 0; k < ranks.length; k++) {
      if ((next[k] as number) >= (jobs[k] as number[]).length || ((mine[k] as number) <= tiny && (cost[k] as number) > tiny)) continue;
      const part = (cost[k] as number) > tiny ? (mine[k] as number) / (cost[k] as number) : 0;
      if (best < 0 || part > bestPart) {
        best = k;
        bestPart = part;
      }
    }
    if (best < 0) {
      needs[lane] = 0;
      continue;
    }
    const k = (jobs[best] as number[])[next[best] as number] as number;
    next[best] = (next[best] as number) + 1;
    mine[best] = (mine[best] as number) - (costs[k] as number);
    load[lane] = (load[lane] as number) + (costs[k] as number);
    needs[lane] = (needs[lane] as number) - 1;
    if (lane === loads.length) main = k;
    else sends.push([k, lane]);
  }
  return { sends, main, end: n };
}

export class Pool {
  private readonly threads: Thread[] = [];
  /** Queued jobs, from `head` on: heaviest batch first, each batch's longest task first. */
  private queue: Job[] = [];
  /** Where the queue starts in `queue` (handed-out jobs before it are let go when they are many). */
  private head = 0;
  private readonly pending = new Map<number, { job: Job; thread: Thread }>();
  private readonly numbers = new WeakMap<LoadedScenario, number>();
  /** Each mode's rank: the order in which the pool first saw it (the first batch's modes in task order). */
  private readonly ranks = new Map<string, number>();
  private nextNumber = 0;
  private nextId = 0;
  private seq = 0;
  private mainBusy = false;
  /** The main thread runs no task (holdMain), only hands work to the threads. */
  private mainHeld = false;
  private broken: Error | undefined;
  private closed = false;

  /** Starts `workers - 1` threads (none when the compiled worker file is absent). */
  constructor(readonly workers: number) {
    const threads = workersAvailable() ? workers - 1 : 0;
    if (threads > 0 && workers >= availableParallelism()) compileInline();
    for (let k = 0; k < threads; k++) this.threads.push(this.spawn());
  }

  /** Runs `tasks` and returns their results in the order of `tasks`. */
  run(tasks: readonly PoolTask[], options: BatchOptions = {}): Promise<TaskResult[]> {
    if (this.broken) return Promise.reject(this.broken);
    if (this.closed) return Promise.reject(new Error("the worker pool is closed"));
    if (tasks.length === 0) return Promise.resolve([]);
    return new Promise<TaskResult[]>((resolve, reject) => {
      const batch: Batch = {
        results: new Array<TaskResult>(tasks.length),
        weight: options.weight ?? 0,
        seq: this.seq++,
        onDone: options.onDone,
        onProgress: options.onProgress,
        resolve,
        reject,
        done: 0,
        failed: false,
        work: 0,
        largest: 0,
      };
      // A run that goes host group by host group goes as chunk tasks: all cores on one large run, and progress as its chunks end.
      const jobs: Job[] = tasks.flatMap((task, index) => {
        const cost = taskCost(task);
        const n = taskChunks(task);
        let key = this.ranks.get(task.mode);
        if (key === undefined) this.ranks.set(task.mode, (key = this.ranks.size));
        if (n < 2) return [{ batch, index, task, cost, key }];
        const chunks = new ChunkedRun(task, n);
        return Array.from({ length: n }, (_, chunk) => ({ batch, index, task: { ...task, chunk }, cost: cost / n, chunks, key }));
      });
      // Longest first; equal costs (a mode's replications, a run's chunks) in task order.
      jobs.sort((a, b) => b.cost - a.cost || a.index - b.index || (a.task.chunk ?? 0) - (b.task.chunk ?? 0));
      for (const job of jobs) batch.work += job.cost;
      batch.largest = (jobs[0] as Job).cost;
      this.enqueue(jobs);
      this.pump();
    });
  }

  /**
   * While held, the main thread runs no task of its own and only hands work to the threads: a
   * command that is still loading (a sweep's later points) lets the threads start on what is
   * queued without its loading waiting behind a run. Released, it runs tasks again.
   */
  holdMain(held: boolean): void {
    this.mainHeld = held;
    if (!held) this.pump();
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private spawn(): Thread {
    const worker = new Worker(WORKER_URL);
    const thread: Thread = { worker, inflight: 0, load: 0, holds: [] };
    // Idle threads keep no process alive; a thread with work does.
    worker.unref();
    worker.on("message", (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      thread.load -= p.job.cost;
      if (--thread.inflight === 0) worker.unref();
      if (m.ok) this.complete(p.job, m.result as WorkResult);
      else this.fail(p.job.batch, new TaskError(m.error?.message ?? "a worker thread failed"));
      this.pump();
    });
    worker.on("error", (e) => this.breakAll(e));
    worker.on("exit", (code) => {
      if (!this.closed) this.breakAll(new Error(`a worker thread exited with code ${code}`));
    });
    return thread;
  }

  /** Inserts a batch's jobs after every batch of greater or equal weight. */
  private enqueue(jobs: Job[]): void {
    const w = jobs[0]?.batch.weight ?? 0;
    let lo = this.head;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.queue[mid] as Job).batch.weight >= w) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, ...jobs);
  }

  /** Jobs queued. */
  private get queued(): number {
    return this.queue.length - this.head;
  }

  /**
   * Shares the queue out among the threads and the main thread (which is between tasks now): sends
   * each thread what it may hold ahead of its share, and returns the main thread's next task, which
   * it takes out of the queue (none when its share is empty). By mode (affinityOut) over the first
   * WINDOW batches when they hold runs of two modes or more and no run that goes as chunks (a
   * run's chunks are merged on the main thread, and one large run at a time keeps to one run's
   * merge in memory: 1,000,000 services on two workers peak at 0.81 GB so, 1.17 GB with two
   * modes' runs at once; such a run is long beside what compiling costs); else longest first
   * (shareOut), which goes through the queue only as far as it hands anything out, so a handing out
   * costs the few tasks it looks at, not the whole queue (a sweep of hundreds of points queues
   * thousands of runs).
   */
  private handOut(): Job | undefined {
    const q = this.queue;
    const threads = this.threads;
    const loads = threads.map((t) => t.load);
    const inflight = threads.map((t) => t.inflight);
    // The first WINDOW batches (a batch's jobs are queued together; at most WINDOW_JOBS jobs): shared out by mode when they hold two modes or more, no chunks, and are fine grained.
    const last = Math.min(q.length, this.head + WINDOW_JOBS);
    let end = this.head;
    let batches = 0;
    let mixed = false;
    let chunks = false;
    let work = 0;
    let largest = 0;
    for (; end < last && !chunks; end++) {
      const job = q[end] as Job;
      if (end === this.head || job.batch !== (q[end - 1] as Job).batch) {
        if (end > this.head && ++batches === WINDOW) break;
        work += job.batch.work;
        largest = Math.max(largest, job.batch.largest);
      }
      mixed ||= job.key !== (q[this.head] as Job).key;
      chunks ||= job.chunks !== undefined;
    }
    const window = mixed && !chunks && fineGrained(work, largest, threads.length + (this.mainHeld ? 0 : 1)) ? q.slice(this.head, end) : undefined;
    const byMode = window
      ? affinityOut(
          window.map((j) => j.cost),
          window.map((j) => j.key),
          loads,
          inflight,
          this.ahead(),
          !this.mainHeld,
        )
      : undefined;
    const plan = byMode ?? shareOut((k) => (q[this.head + k] as Job).cost, this.queued, loads, inflight, this.ahead(), !this.mainHeld);
    for (const [k, lane] of plan.sends) this.send(threads[lane] as Thread, q[this.head + k] as Job);
    const main = plan.main === undefined ? undefined : (q[this.head + plan.main] as Job);
    // The jobs looked at and kept go just before the ones not looked at, in their order.
    const out = new Set(plan.sends.map(([k]) => k));
    if (plan.main !== undefined) out.add(plan.main);
    let at = this.head + plan.end;
    for (let k = plan.end - 1; k >= 0; k--) if (!out.has(k)) q[--at] = q[this.head + k] as Job;
    q.fill(undefined as unknown as Job, this.head, at);
    this.head = at;
    if (this.head > 1024 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
    return main;
  }

  /** Hands work to the threads, and has the main thread run a task next unless it is about to. */
  private pump(): void {
    if (this.broken) return;
    if (!this.mainBusy && this.queued > 0) {
      this.mainBusy = true;
      setImmediate(() => this.mainStep());
    }
  }

  /** How many tasks a thread may hold now: a fair share of the queue (the main thread's included), within MIN_AHEAD..MAX_AHEAD. */
  private ahead(): number {
    const share = Math.floor(this.queued / (this.threads.length + (this.mainHeld ? 0 : 1)));
    return Math.min(MAX_AHEAD, Math.max(MIN_AHEAD, share));
  }

  /** Runs one task on the main thread, then yields so replies (and signals, and progress) get in. */
  private mainStep(): void {
    const job = this.broken ? undefined : this.handOut();
    if (!job || this.broken) {
      this.mainBusy = false;
      return;
    }
    let result: WorkResult;
    try {
      result = executeWork(job.task.scenario, job.task);
    } catch (e) {
      this.fail(job.batch, e instanceof Error ? e : new Error(String(e)));
      setImmediate(() => this.mainStep());
      return;
    }
    this.complete(job, result);
    setImmediate(() => this.mainStep());
  }

  private send(t: Thread, job: Job): void {
    const { scenario, mode, replication, spool, hostRows, chunk } = job.task;
    let number = this.numbers.get(scenario);
    if (number === undefined) {
      number = this.nextNumber++;
      this.numbers.set(scenario, number);
    }
    const id = this.nextId++;
    this.pending.set(id, { job, thread: t });
    if (t.inflight++ === 0) t.worker.ref();
    t.load += job.cost;
    const at = t.holds.indexOf(number);
    const message: WorkerMessage = { id, task: { scenario: number, mode, replication, ...(spool !== undefined ? { spool } : {}), ...(hostRows ? { hostRows } : {}), ...(chunk !== undefined ? { chunk } : {}) } };
    if (at >= 0) {
      t.holds.splice(at, 1);
      t.holds.push(number);
      t.worker.postMessage(message);
      return;
    }
    t.holds.push(number);
    const drop = t.holds.length > KEEP ? t.holds.splice(0, t.holds.length - KEEP) : undefined;
    t.worker.postMessage({ ...message, scenario: shipScenario(scenario), ...(drop ? { drop } : {}) });
  }

  private complete(job: Job, work: WorkResult): void {
    const b = job.batch;
    if (b.failed) return;
    let result: TaskResult | undefined = work as TaskResult;
    if (job.chunks) {
      // A chunk: merged into its run here, in chunk order; the run is done when its last chunk is.
      try {
        result = job.chunks.add(job.task.chunk as number, (work as ChunkResult).part) ? job.chunks.result() : undefined;
      } catch (e) {
        this.fail(b, e instanceof Error ? e : new Error(String(e)));
        return;
      }
    }
    // A run, or one of a run's n chunks: 1/n of a run.
    b.onProgress?.(job.chunks ? 1 / job.chunks.count : 1);
    if (result === undefined) return;
    b.results[job.index] = result;
    b.done++;
    b.onDone?.(b.done, b.results.length, job.index);
    if (b.done === b.results.length) b.resolve(b.results);
  }

  private fail(b: Batch, e: Error): void {
    if (b.failed) return;
    b.failed = true;
    // Its queued jobs will not run.
    this.queue = this.queue.slice(this.head).filter((j) => j.batch !== b);
    this.head = 0;
    b.reject(e);
  }

  private breakAll(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const { job } of this.pending.values()) this.fail(job.batch, e);
    for (const job of this.queue.slice(this.head)) this.fail(job.batch, e);
    this.pending.clear();
    this.queue = [];
    this.head = 0;
  }
}
