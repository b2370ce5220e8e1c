/** Per-instance records of every run as CSV (reports/<name>/instances.csv), one row per instance. */
import { STARTUP_PHASES } from "../model/index.js";
import type { RunOutput } from "./run.js";

const esc = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const num = (v: number): string => (Number.isNaN(v) ? "" : String(v));

export function instancesCsv(runs: ReadonlyMap<string, readonly RunOutput[]>): string {
  const lines = [
    ["mode", "replication", "kind", "app", "replica", "host", "requested_s", "ready_s", "startup_s", ...STARTUP_PHASES.map((p) => `${p}_s`), "done_s", "slowdown", "rejected_reason"].join(","),
  ];
  for (const [mode, outs] of runs) {
    for (const o of outs) {
      for (const i of o.instances) {
        lines.push(
          [esc(mode), String(o.replication), i.kind, esc(i.app), String(i.replica), esc(i.host ?? ""), num(i.requestedAt), num(i.readyAt), num(i.readyAt - i.requestedAt), ...i.phases.map(num), num(i.doneAt), num(i.slowdown), esc(i.reason ?? "")].join(","),
        );
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

/** Replication 0's host samples (reports/<name>/timeseries.csv): one row per mode, time and host. */
export function timeseriesCsv(runs: ReadonlyMap<string, readonly RunOutput[]>): string {
  const lines: string[] = [];
  for (const [mode, outs] of runs) {
    const s = outs[0]?.samples;
    if (!s) continue;
    if (lines.length === 0) {
      const cols = [...s.columns.slice(0, -3).map((c) => `${c}_cores`), "overhead_cores", "startup_cores", "memory_bytes"];
      lines.push(["mode", "time_s", "host", ...cols].map(esc).join(","));
    }
    s.timesS.forEach((t, j) => {
      s.hosts.forEach((h, k) => {
        const row = s.rows[j]?.[k];
        if (row) lines.push([esc(mode), String(t), esc(h), ...Array.from(row, (v) => String(v))].join(","));
      });
    });
  }
  return `${lines.join("\n")}\n`;
}
