/** A worker thread of the pool (pool.ts): runs the tasks it is sent, one at a time, and replies with plain data. */
import { parentPort } from "node:worker_threads";
import { executeTask, type PoolTask } from "./pool-task.js";

parentPort?.on("message", (m: { id: number; task: PoolTask }) => {
  try {
    parentPort?.postMessage({ id: m.id, ok: true, result: executeTask(m.task) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort?.postMessage({ id: m.id, ok: false, error: { message: err.message, stack: err.stack, usage: (err as { usage?: boolean }).usage === true } });
  }
});
