/** `--workers N` (run, sweep, plan): how many threads run replications, modes, sweep points and plan probes; the default is the machine's cores. */
import { availableParallelism } from "node:os";
import type { Options } from "yargs";
import type { Pool } from "../experiment/pool.js";
import { UsageError } from "./io.js";

export const WORKERS_OPTION = {
  type: "number" as const,
  describe: "Worker threads for replications, modes, sweep points and plan probes (default: the machine's cores; 1 for small work); results are the same for any number",
} satisfies Options;

/** Below this many estimated simulation events (all runs), starting worker threads costs more than it saves. */
export const SMALL_EVENTS = 100_000;

/**
 * The --workers value, checked: an integer >= 1. Absent: the cores this process may use, or 1
 * when `events` (the size estimate of all the work) is small.
 */
export function workersOf(value: unknown, events = Infinity): number {
  if (value === undefined) return events < SMALL_EVENTS ? 1 : Math.max(1, availableParallelism());
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new UsageError(`--workers: expected an integer >= 1, found ${String(value)}`);
  return value;
}

/**
 * Starts the pool for --workers `value` (checked); with no value, for the default given the
 * estimated `events`. Commands start it as soon as the number is known, so the threads load
 * their modules while the command validates.
 */
export async function startPool(value: unknown, events?: number): Promise<Pool> {
  const workers = workersOf(value, events);
  const { Pool } = await import("../experiment/pool.js");
  return new Pool(workers);
}

/**
 * Starts loading the modules a command needs only once its runs are done (chart builders,
 * renderers), so they load while the runs run: the pool's threads take more of the runs
 * meanwhile, and the report is written sooner after the last run. A failure here is left to the
 * command's own import of the same module, which reports it.
 */
export function loadWhileRunning(modules: readonly Promise<unknown>[]): void {
  for (const m of modules) m.catch(() => undefined);
}
