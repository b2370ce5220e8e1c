/** `--workers N` (run, sweep, plan): how many threads run replications, modes, sweep points and plan probes; the default is the machine's cores. */
import { availableParallelism } from "node:os";
import type { Options } from "yargs";
import type { Pool } from "../experiment/pool.js";
import { UsageError } from "./io.js";

export const WORKERS_OPTION = {
  type: "number" as const,
  describe: "Worker threads for replications, modes, sweep points and plan probes (default: the machine's cores; 1 for small work); results are the same for any number",
} satisfies Options;

/**
 * Below this much estimated work (estimate.ts poolWork: simulation events, plus a share per run,
 * over all runs), a second thread costs more than it saves: it compiles the simulator's code for
 * itself (about a second of CPU, while the main thread's compiling competes with it for the
 * cores). Measured on 2 cores, one worker against two: 40,000 services (5.4 million) 3.5 s against
 * 3.9 s; batch-jobs.yaml at 21 days (2.8 million) 2.4 s either way; its 8-point sweep at 7 days
 * (7.9 million) 5 s against 3.7 s; a 40-point sweep of quickstart.yaml (5 million) 2.5 s against
 * 2.8 s, a 120-point one (15 million) 9.7 s against 9.0 s.
 */
export const SMALL_WORK = 6_000_000;

/**
 * The --workers value, checked: an integer >= 1. Absent: the cores this process may use, or 1
 * when `work` (estimate.ts poolWork of all the work) is small.
 */
export function workersOf(value: unknown, work = Infinity): number {
  if (value === undefined) return work < SMALL_WORK ? 1 : Math.max(1, availableParallelism());
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new UsageError(`--workers: expected an integer >= 1, found ${String(value)}`);
  return value;
}

/**
 * Starts the pool for --workers `value` (checked); with no value, for the default given the
 * estimated `work`. Commands start it as soon as the number is known, so the threads load
 * their modules while the command validates.
 */
export async function startPool(value: unknown, work?: number): Promise<Pool> {
  const workers = workersOf(value, work);
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
