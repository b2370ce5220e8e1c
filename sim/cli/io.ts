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

/** A failure the operating system reports (errno code and syscall), e.g. ENOSPC on a write. */
export function isOsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === "string" && typeof (e as NodeJS.ErrnoException).syscall === "string";
}

/** `ENOSPC: no space left on device`: Node's message without the syscall and paths it appends. */
export function osErrorText(e: NodeJS.ErrnoException): string {
  const m = /^([A-Z][A-Z0-9_]*): (.*?)(?:, [a-z_]+(?: '.*)?)?$/s.exec(e.message);
  return m ? `${m[1]}: ${m[2]}` : e.message;
}

/**
 * Output the system refused (a read-only folder, a full disk, /dev/full): exit 1 with one line,
 * `cannot write <path>: ENOSPC: no space left on device`, no stack trace.
 */
export class OutputError extends Error {
  constructor(
    readonly target: string,
    readonly os: NodeJS.ErrnoException,
  ) {
    super(`cannot write ${target}: ${osErrorText(os)}`);
  }
}

/**
 * A user's string made safe for a terminal: control characters (C0 but tab, DEL, C1, which
 * include escape sequences and NUL) become `\u{..}` escapes, so a title cannot move the cursor,
 * recolour the terminal or hide text.
 */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** Multi-line output (tables) with control characters other than newlines escaped. */
export function safeLines(s: string): string {
  return s.split("\n").map(safeText).join("\n");
}

export function printIssues(issues: readonly ScenarioIssue[]): void {
  for (const i of issues) process.stderr.write(`${safeText(i.where)}: ${safeText(i.path)}: ${safeText(i.message)}\n`);
}

/** Splits repeated and comma-separated option values: `--mode vm,container --mode bare`. */
export function listOption(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((v) => String(v).split(",")).map((s) => s.trim()).filter((s) => s !== "");
}
