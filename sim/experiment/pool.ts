/**
 * Runs an experiment's replications and modes, or a sweep's points, on a pool of worker threads.
 *
 * Workers receive plain data (the scenario's path, its overrides and what to run) and load the
 * scenario themselves; they return plain data (structured clones of run outputs or sweep
 * points). Results are assembled in a fixed order, so they are byte-identical whatever the
 * number of workers. With one worker, or when the compiled worker file is absent (running from
 * the TypeScript sources, as the tests do in-process), the same task code runs in this thread.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { executeTask, type PoolTask, type TaskResult } from "./pool-task.js";

export type { PoolTask, ScenarioSource, TaskResult } from "./pool-task.js";

/** The default number of workers: the cores this process may use. */
export const defaultWorkers = (): number => Math.max(1, availableParallelism());

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly result?: TaskResult;
  readonly error?: { readonly message: string; readonly stack?: string; readonly usage?: boolean };
}

/** A task's failure in a worker, with the worker's message. */
export class TaskError extends Error {
  constructor(
    message: string,
    readonly usage: boolean,
  ) {
    super(message);
  }
}

const WORKER_URL = new URL("./pool-worker.js", import.meta.url);

/** Whether worker threads can run here (the compiled worker exists beside this module). */
export function workersAvailable(): boolean {
  return WORKER_URL.protocol === "file:" && existsSync(fileURLToPath(WORKER_URL));
}

/**
 * Runs `tasks` on up to `workers` threads and returns their results in the order of `tasks`.
 * `onDone(done, total)` is called after each task, in completion order.
 */
export async function runTasks<T extends TaskResult>(
  tasks: readonly PoolTask[],
  workers: number,
  onDone?: (done: number, total: number) => void,
): Promise<T[]> {
  const threads = Math.min(workers, tasks.length);
  if (threads <= 1 || !workersAvailable()) {
    const out: T[] = [];
    for (const t of tasks) {
      out.push(executeTask(t) as T);
      onDone?.(out.length, tasks.length);
      // Let a progress bar redraw and signals arrive between tasks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  let done = 0;
  const pool: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (e: Error): void => {
        if (failed) return;
        failed = true;
        reject(e);
      };
      const feed = (w: Worker): void => {
        if (failed) return;
        if (next >= tasks.length) {
          if (done === tasks.length) resolve();
          return;
        }
        const id = next++;
        w.postMessage({ id, task: tasks[id] });
      };
      for (let k = 0; k < threads; k++) {
        const w = new Worker(WORKER_URL);
        pool.push(w);
        w.on("message", (m: Reply) => {
          if (!m.ok) {
            fail(new TaskError(m.error?.message ?? "a worker failed", m.error?.usage === true));
            return;
          }
          results[m.id] = m.result as T;
          done++;
          onDone?.(done, tasks.length);
          if (done === tasks.length) resolve();
          else feed(w);
        });
        w.on("error", (e) => fail(e));
        w.on("exit", (code) => {
          if (code !== 0) fail(new Error(`a worker thread exited with code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
