/**
 * CSV traces a scenario refers to (load patterns, job arrivals): read once at load time,
 * relative to the scenario file, every malformed row reported as csv-file:line:col.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ScenarioIssue } from "./issues.js";
import { isUnitError, parseDuration } from "./units.js";

export interface TraceData {
  /** Seconds, non-decreasing. */
  readonly times: readonly number[];
  /** Second column when asked for (cores), else empty. */
  readonly values: readonly number[];
}

/**
 * Reads `file` (as written in the scenario, relative to it) with a header row naming `columns`
 * (`time`, and `cores` for load traces). Returns the data or the issues.
 */
export function readTrace(
  scenarioFile: string,
  file: string,
  columns: readonly ("time" | "cores")[],
  path: string,
  where: string,
): TraceData | ScenarioIssue[] {
  const full = resolve(dirname(scenarioFile), file);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
    return [{ code: "trace_file", where, path, message: `cannot read the trace ${JSON.stringify(file)} (${full}): ${reason}` }];
  }
  const lines = text.split(/\r?\n/);
  const issues: ScenarioIssue[] = [];
  const at = (line: number, col: number): string => `${file}:${line}:${col}`;
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const index = columns.map((c) => header.indexOf(c));
  const missing = columns.filter((_, k) => (index[k] as number) < 0);
  if (missing.length) {
    return [{ code: "trace_header", where: at(1, 1), path, message: `expected a header row naming ${columns.join(",")}, found ${JSON.stringify(lines[0] ?? "")}` }];
  }
  const times: number[] = [];
  const values: number[] = [];
  for (let n = 1; n < lines.length; n++) {
    const raw = lines[n] as string;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const cells = raw.split(",");
    const colOf = (k: number): number => cells.slice(0, k).reduce((acc, c) => acc + c.length + 1, 1);
    const ti = index[0] as number;
    const t = parseDuration((cells[ti] ?? "").trim());
    if (isUnitError(t)) {
      issues.push({ code: "trace_row", where: at(n + 1, colOf(ti)), path, message: `expected ${t.expected} in column time, found ${JSON.stringify((cells[ti] ?? "").trim())}` });
      continue;
    }
    if (times.length && t < (times[times.length - 1] as number)) {
      issues.push({ code: "trace_row", where: at(n + 1, colOf(ti)), path, message: `expected times in non-decreasing order, found ${t} after ${times[times.length - 1]}` });
      continue;
    }
    if (columns.length > 1) {
      const ci = index[1] as number;
      const cell = (cells[ci] ?? "").trim();
      const v = Number(cell);
      if (cell === "" || !Number.isFinite(v) || v < 0) {
        issues.push({ code: "trace_row", where: at(n + 1, colOf(ci)), path, message: `expected a non-negative number of cores, found ${JSON.stringify(cell)}` });
        continue;
      }
      values.push(v);
    }
    times.push(t);
  }
  if (issues.length) return issues;
  if (times.length === 0) return [{ code: "trace_empty", where: at(1, 1), path, message: "expected at least one data row after the header" }];
  return { times, values };
}
