/**
 * The lock that lets one densim at a time write a report folder: a file created with O_EXCL that
 * holds the writer's pid, broken when that process is gone (SIGKILL, a crash).
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { SignalWatch } from "./interrupts.js";
import { UsageError } from "./io.js";

/** A lock file created with O_EXCL holding our pid; a lock whose pid is dead is broken. */
export class ReportLock {
  private constructor(private readonly path: string) {}

  /**
   * Takes the lock at `path`, waiting up to `waitMs` for a live holder; `aside` is where a stale
   * lock is moved to while it is broken. Throws a UsageError naming the holder when it times out.
   */
  static async acquire(path: string, aside: string, waitMs: number, signals: SignalWatch): Promise<ReportLock> {
    const dir = dirname(path);
    const stepMs = 50;
    let holder = "";
    for (let waited = 0; ; waited += stepMs) {
      if (createWithPid(path)) return new ReportLock(path);
      holder = readQuiet(path).trim();
      if (/^\d+$/.test(holder) && !isAlive(Number(holder)) && breakStale(path, aside, holder)) continue;
      if (waited >= waitMs) {
        const who = /^\d+$/.test(holder) ? `another densim (pid ${holder})` : "another densim";
        throw new UsageError(`${dir}: expected no other densim writing this report, found ${who} writing it; wait for it to finish, or pick another --out or --name (if no densim is running, delete ${path})`);
      }
      await signals.pause(stepMs);
      signals.check(dir, false);
    }
  }

  release(): void {
    if (readQuiet(this.path).trim() === String(process.pid)) unlinkQuiet(this.path);
  }
}

/**
 * Creates the lock file holding our pid; false if it exists. A lock created but not filled (a full
 * disk) is removed before the error is thrown, so it cannot block the next run.
 */
function createWithPid(path: string): boolean {
  try {
    writeWholeFile(path, "wx", `${process.pid}\n`);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
}

/**
 * Creates `path` (flag "wx": only if absent) holding `text`, fsynced if `sync`. A file created but
 * not filled (a full disk) is removed before the error is thrown.
 */
export function writeWholeFile(path: string, flag: "w" | "wx", text: string, sync = false): void {
  const fd = openSync(path, flag);
  try {
    writeFileSync(fd, text);
    if (sync) fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(path);
    } catch {
      // the error that matters is the write's
    }
    throw e;
  }
  closeSync(fd);
}

/**
 * Breaks a stale lock by moving it aside first, so that of two processes breaking it at once,
 * neither removes a fresh lock the other has just taken (it is put back if so).
 */
function breakStale(path: string, aside: string, holder: string): boolean {
  try {
    renameSync(path, aside);
  } catch {
    return true; // gone already: try again
  }
  const moved = readQuiet(aside).trim();
  if (moved !== holder && /^\d+$/.test(moved) && isAlive(Number(moved))) {
    try {
      renameSync(aside, path);
    } catch {
      // cannot restore: the next attempt sees whichever lock is there
    }
    return false;
  }
  unlinkQuiet(aside);
  return true;
}

function readQuiet(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
}
