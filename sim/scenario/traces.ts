/**
 * CSV traces a scenario refers to (load patterns, job arrivals): read once at load time,
 * relative to the scenario file, every malformed row reported as csv-file:line:col.
 */
import { MAX_TRACE_BYTES, readTextFile, resolveInside } from "./files.js";
import { describeFound, type ScenarioIssue } from "./issues.js";
import { isUnitError, parseDuration } from "./units.js";

/** Bad rows reported per trace before giving up: enough to see the pattern. */
const MAX_ROW_ISSUES = 20;

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
  const inside = resolveInside(scenarioFile, file);
  if (!inside.ok) return [{ code: "trace_file", where, path, message: `expected a CSV file inside the scenario's folder, found ${inside.found}` }];
  const read = readTextFile(inside.path, MAX_TRACE_BYTES);
  if (!read.ok) {
    if (read.line !== undefined) return [{ code: "trace_file", where: `${file}:${read.line}:${read.col ?? 1}`, path, message: `expected ${read.expected}, found ${read.found}` }];
    return [{ code: "trace_file", where, path, message: `expected the trace ${JSON.stringify(file)} to be ${read.expected}, found ${read.found}` }];
  }
  const text = read.text;
  const lines = text.split(/\r?\n/);
  const issues: ScenarioIssue[] = [];
  const at = (line: number, col: number): string => `${file}:${line}:${col}`;
  const header = (lines[0] ?? "").split(",").map((h) => h.trim());
  const index = columns.map((c) => header.indexOf(c));
  const missing = columns.filter((_, k) => (index[k] as number) < 0);
  if (missing.length) {
    return [{ code: "trace_header", where: at(1, 1), path, message: `expected a header row naming ${columns.join(",")}, found ${describeFound(lines[0] ?? "")}` }];
  }
  const times: number[] = [];
  const values: number[] = [];
  for (let n = 1; n < lines.length && issues.length < MAX_ROW_ISSUES; n++) {
    const raw = lines[n] as string;
    if (raw.trim() === "" || raw.trimStart().startsWith("#")) continue;
    const cells = raw.split(",");
    const colOf = (k: number): number => cells.slice(0, k).reduce((acc, c) => acc + c.length + 1, 1);
    const ti = index[0] as number;
    const t = parseDuration((cells[ti] ?? "").trim());
    if (isUnitError(t)) {
      issues.push({ code: "trace_row", where: at(n + 1, colOf(ti)), path, message: `expected ${t.expected} in column time, found ${describeFound((cells[ti] ?? "").trim())}` });
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
      if (cell === "" || !Number.isFinite(v) || v < 0 || v > 100_000) {
        issues.push({ code: "trace_row", where: at(n + 1, colOf(ci)), path, message: `expected a non-negative number of cores up to 100000, found ${describeFound(cell)}` });
        continue;
      }
      values.push(v);
    }
    times.push(t);
  }
  if (issues.length) return issues;
  if (times.length === 0) return [{ code: "trace_empty", where: at(1, 1), path, message: "expected at least one data row after the header, found none" }];
  return { times, values };
}
