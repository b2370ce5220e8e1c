/**
 * A worker thread of the pool (pool.ts): keeps the scenarios it is sent, runs the tasks it is
 * sent one at a time (a run, or a chunk of one's host groups), and replies with plain data.
 */
import { parentPort } from "node:worker_threads";
import type { LoadedScenario } from "../scenario/index.js";
import { executeWork, landScenario, type ShippedScenario, type WireTask } from "./pool-task.js";

export interface WorkerMessage {
  readonly id: number;
  readonly task: WireTask;
  /** The task's scenario, when this worker has not been sent it yet. */
  readonly scenario?: ShippedScenario;
  /** Scenarios this worker may forget (the pool keeps a few per worker). */
  readonly drop?: readonly number[];
}

const scenarios = new Map<number, LoadedScenario>();

parentPort?.on("message", (m: WorkerMessage) => {
  for (const d of m.drop ?? []) scenarios.delete(d);
  if (m.scenario) scenarios.set(m.task.scenario, landScenario(m.scenario));
  try {
    const loaded = scenarios.get(m.task.scenario);
    if (!loaded) throw new Error(`pool worker: scenario ${m.task.scenario} was never sent`);
    parentPort?.postMessage({ id: m.id, ok: true, result: executeWork(loaded, m.task) });
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort?.postMessage({ id: m.id, ok: false, error: { message: err.message, stack: err.stack } });
  }
});
