/**
 * The CLI's contact with the outside: printing scenario issues, exit codes, and the line between
 * a user's mistake (exit 2, a message) and a failure while running (exit 1).
 */
import type { ScenarioIssue } from "../scenario/issues.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
/** `--check`: the run finished, and some SLO is missed in some compared mode. */
export const EXIT_SLO_MISSED = 3;
/** Interrupted (Ctrl-C): the shell's 128 + SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** A mistake the user can fix: printed as is, exit code 2, no stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly issues: readonly ScenarioIssue[] = [],
  ) {
    super(message);
  }
}

export function printIssues(issues: readonly ScenarioIssue[]): void {
  for (const i of issues) process.stderr.write(`${i.where}: ${i.path}: ${i.message}\n`);
}

/** Splits repeated and comma-separated option values: `--mode vm,container --mode bare`. */
export function listOption(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((v) => String(v).split(",")).map((s) => s.trim()).filter((s) => s !== "");
}
