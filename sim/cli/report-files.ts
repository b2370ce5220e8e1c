/** Writing report files so that a reader never sees a half-written or stale report. */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

type Files = readonly (readonly [string, string | Uint8Array])[];

/**
 * Writes a run's report into a fresh folder beside `dir`, then swaps it in: files of an earlier
 * run in other formats do not linger as if current.
 */
export function replaceReport(dir: string, files: Files): void {
  mkdirSync(dirname(dir), { recursive: true });
  const fresh = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh);
  for (const [name, data] of files) writeFileSync(join(fresh, name), data);
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(fresh, dir);
  rmSync(old, { recursive: true, force: true });
}
