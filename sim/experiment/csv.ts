/**
 * Per-instance records of every run as CSV (reports/<name>/instances.csv), one row per instance,
 * and replication 0's host samples (timeseries.csv). Both are produced as chunks of rows (a
 * million jobs make a file larger than a JavaScript string may be), and joined only by callers
 * that want one string.
 */
import { STARTUP_PHASES } from "../model/index.js";
import type { InstanceRecord, RunOutput } from "./run.js";

const esc = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const num = (v: number): string => (Number.isNaN(v) ? "" : String(v));

/** Rows per chunk. */
const CHUNK_ROWS = 2000;

export const INSTANCES_HEADER = ["mode", "replication", "kind", "app", "replica", "host", "requested_s", "ready_s", "startup_s", ...STARTUP_PHASES.map((p) => `${p}_s`), "done_s", "slowdown", "rejected_reason"].join(",");

/** instances.csv's rows of one run (no header), in chunks of lines each ending with a newline. */
export function instanceRows(mode: string, o: Pick<RunOutput, "replication" | "instances">): Generator<string> {
  return instanceRowsOf(mode, o.replication, o.instances);
}

/**
 * instances.csv's rows of `records` of one run, in chunks of lines each ending with a newline. A
 * record is read only while it is the current one (a reader may hand the same object back changed).
 */
export function* instanceRowsOf(mode: string, replication: number, records: Iterable<InstanceRecord>): Generator<string> {
  let chunk = "";
  let rows = 0;
  const prefix = `${esc(mode)},${replication}`;
  // App and host names repeat: each is escaped once.
  const names = new Map<string, string>();
  const name = (v: string): string => {
    let e = names.get(v);
    if (e === undefined) names.set(v, (e = esc(v)));
    return e;
  };
  for (const i of records) {
    let line = `${prefix},${i.kind},${name(i.app)},${i.replica},${name(i.host ?? "")},${num(i.requestedAt)},${num(i.readyAt)},${num(i.readyAt - i.requestedAt)}`;
    for (const p of i.phases) line += `,${num(p)}`;
    chunk += `${line},${num(i.doneAt)},${num(i.slowdown)},${esc(i.reason ?? "")}\n`;
    if (++rows >= CHUNK_ROWS) {
      yield chunk;
      chunk = "";
      rows = 0;
    }
  }
  if (rows > 0) yield chunk;
}

/** instances.csv as chunks: the header, then every run's rows, modes in order, then replications. */
export function* instancesCsvChunks(runs: ReadonlyMap<string, readonly RunOutput[]>): Generator<string> {
  yield `${INSTANCES_HEADER}\n`;
  for (const [mode, outs] of runs) for (const o of outs) yield* instanceRows(mode, o);
}

export function instancesCsv(runs: ReadonlyMap<string, readonly RunOutput[]>): string {
  return [...instancesCsvChunks(runs)].join("");
}

/** timeseries.csv as chunks: one row per mode, time and host of replication 0. */
export function* timeseriesCsvChunks(runs: ReadonlyMap<string, readonly RunOutput[]>): Generator<string> {
  let header = false;
  let lines: string[] = [];
  for (const [mode, outs] of runs) {
    const s = outs[0]?.samples;
    if (!s) continue;
    // A run asked for sums only (RunConfig.hostRows false) has no rows to write: an empty file would pass for data.
    if (s.rows.length !== s.timesS.length) throw new Error(`timeseries.csv: mode ${mode}'s run kept no per-host sample rows (hostRows false)`);
    if (!header) {
      const cols = [...s.columns.slice(0, -3).map((c) => `${c}_cores`), "overhead_cores", "startup_cores", "memory_bytes"];
      lines.push(["mode", "time_s", "host", ...cols].map(esc).join(","));
      header = true;
    }
    const m = esc(mode);
    for (const [j, t] of s.timesS.entries()) {
      for (const [k, h] of s.hosts.entries()) {
        // Host k's row of sample j (one buffer per sample, hosts one after another).
        const row = s.rows[j]?.subarray(k * s.columns.length, (k + 1) * s.columns.length);
        if (row) lines.push([m, String(t), esc(h), ...Array.from(row, (v) => String(v))].join(","));
        if (lines.length >= CHUNK_ROWS) {
          yield `${lines.join("\n")}\n`;
          lines = [];
        }
      }
    }
  }
  // An empty file is one newline, as it always was.
  yield lines.length ? `${lines.join("\n")}\n` : header ? "" : "\n";
}

export function timeseriesCsv(runs: ReadonlyMap<string, readonly RunOutput[]>): string {
  return [...timeseriesCsvChunks(runs)].join("");
}
