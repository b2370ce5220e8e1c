/** `--workers N` (run, sweep): how many threads run replications, modes and points; the default is the machine's cores. */
import { availableParallelism } from "node:os";
import type { Options } from "yargs";
import { UsageError } from "./io.js";

export const WORKERS_OPTION = {
  type: "number" as const,
  describe: "Worker threads for replications, modes and sweep points (default: the machine's cores); results are the same for any number",
} satisfies Options;

/** The --workers value, checked: an integer >= 1; absent means the cores this process may use. */
export function workersOf(value: unknown): number {
  if (value === undefined) return Math.max(1, availableParallelism());
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) throw new UsageError(`--workers expects an integer >= 1, found ${String(value)}`);
  return value;
}
