/**
 * The comparison table `densim run` prints: one column per mode, one row per headline metric,
 * means with their 95% confidence half-width when replications disagree, then why instances were
 * rejected. Reads only the results contract.
 */
import type { MetricSummary, Results } from "../experiment/results.js";

const GiB = 2 ** 30;

interface Row {
  readonly label: string;
  readonly metric: string;
  readonly format: (v: number) => string;
  /** Shown only when this metric is non-zero in some mode (job rows without jobs are noise). */
  readonly onlyIf?: string;
}

const count = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(1));
const gib = (v: number): string => `${(v / GiB).toFixed(1)} GiB`;
const secs = (v: number): string => (v < 1 ? `${(v * 1000).toFixed(0)} ms` : `${v.toFixed(v < 10 ? 2 : 1)} s`);
const cores = (v: number): string => v.toFixed(1);

/** "$12,345": grouping by hand, so no locale reaches the output. */
function dollars(v: number, decimals = 0): string {
  const [whole, frac] = Math.abs(v).toFixed(decimals).split(".");
  const grouped = (whole ?? "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${v < 0 ? "-" : ""}$${grouped}${frac ? `.${frac}` : ""}`;
}

export const COMPARISON_ROWS: readonly Row[] = [
  { label: "instances placed", metric: "instances.placed", format: count },
  { label: "instances rejected", metric: "instances.rejected", format: count },
  { label: "hosts used", metric: "hosts.used", format: count },
  { label: "instances per host", metric: "density.perHost", format: (v) => v.toFixed(1) },
  { label: "memory: apps", metric: "memory.app", format: gib },
  { label: "memory: guest OS", metric: "memory.guestOs", format: gib },
  { label: "memory: hypervisor", metric: "memory.hypervisor", format: gib },
  { label: "memory: engine/shims", metric: "memory.runtime", format: gib },
  { label: "memory: host reserve", metric: "memory.reserved", format: gib },
  { label: "memory: free", metric: "memory.free", format: gib },
  { label: "CPU committed (cores)", metric: "cpu.committed", format: cores },
  { label: "CPU utilisation", metric: "cpu.utilization", format: (v) => `${(v * 100).toFixed(1)}%` },
  { label: "CPU overhead (cores)", metric: "cpu.overhead", format: (v) => v.toFixed(2) },
  { label: "slowdown mean", metric: "slowdown.mean", format: (v) => `${v.toFixed(3)}x` },
  { label: "slowdown p99", metric: "slowdown.p99", format: (v) => `${v.toFixed(3)}x` },
  { label: "jobs completed", metric: "jobs.completed", format: count, onlyIf: "jobs.arrived" },
  { label: "job turnaround mean", metric: "jobs.turnaround.mean", format: secs, onlyIf: "jobs.arrived" },
  { label: "job turnaround p95", metric: "jobs.turnaround.p95", format: secs, onlyIf: "jobs.arrived" },
  { label: "start-up p50", metric: "startup.p50", format: secs },
  { label: "start-up p95", metric: "startup.p95", format: secs },
  { label: "all ready at", metric: "startup.allReady", format: secs },
  { label: "image bytes pulled", metric: "pull.bytes", format: (v) => `${(v / 1e9).toFixed(2)} GB` },
  { label: "OS instances", metric: "osInstances", format: count },
  { label: "cost: hosts / month", metric: "cost.monthly.hosts", format: (v) => dollars(v), onlyIf: "cost.monthly.total" },
  { label: "cost: licences / month", metric: "cost.monthly.licenses", format: (v) => dollars(v), onlyIf: "cost.monthly.total" },
  { label: "cost: operations / month", metric: "cost.monthly.operations", format: (v) => dollars(v), onlyIf: "cost.monthly.total" },
  { label: "cost: total / month", metric: "cost.monthly.total", format: (v) => dollars(v), onlyIf: "cost.monthly.total" },
  { label: "cost per instance / month", metric: "cost.perInstance", format: (v) => dollars(v, 2), onlyIf: "cost.monthly.total" },
];

function cell(s: MetricSummary | undefined, format: (v: number) => string): string {
  if (!s) return "-";
  const half = (s.hi - s.lo) / 2;
  // Show the interval only when it is visible at the printed precision.
  return half > Math.abs(s.mean) * 1e-6 && format(s.mean + half) !== format(s.mean) ? `${format(s.mean)} ±${format(half).replace(/^[^0-9]*/, "")}` : format(s.mean);
}

/** One row of the comparison: a metric, its words, and one formatted cell per mode. */
export interface ComparisonRow {
  readonly label: string;
  readonly metric: string;
  /** Per mode, in `modes` order: the text shown. */
  readonly cells: readonly string[];
  /** Per mode: the summary behind the cell (absent where the mode has none). */
  readonly summaries: readonly (MetricSummary | undefined)[];
}

/**
 * The comparison as data: what the terminal table, report.html and report.md all show, so the
 * three never disagree. `notes` are lines shown under the table (rejections and the like).
 */
export interface ComparisonModel {
  readonly title: string;
  readonly subtitle: string;
  readonly modes: readonly string[];
  /** Column headings per mode: `vm (kvm-linux)`. */
  readonly headings: readonly string[];
  readonly rows: readonly ComparisonRow[];
  readonly notes: readonly string[];
}

export function comparisonModel(results: Results): ComparisonModel {
  const modes = Object.keys(results.modes);
  const shown = COMPARISON_ROWS.filter((r) => !r.onlyIf || modes.some((m) => (results.modes[m]?.summary[r.onlyIf as string]?.mean ?? 0) > 0));
  const rows = shown.map((r) => {
    const summaries = modes.map((m) => results.modes[m]?.summary[r.metric]);
    return { label: r.label, metric: r.metric, cells: summaries.map((s) => cell(s, r.format)), summaries };
  });
  const rejected = rejectionLines(results);
  return {
    title: `${results.scenario.name}: ${results.scenario.title}`,
    subtitle: `${results.cluster.hosts} hosts, ${results.cluster.cores} cores, ${(results.cluster.memoryBytes / GiB).toFixed(0)} GiB · ${results.replications} replication${results.replications === 1 ? "" : "s"} · seed ${results.seed}`,
    modes,
    headings: modes.map((m) => `${m} (${results.modes[m]?.profile})`),
    rows,
    notes: rejected.length > 0 ? ["Rejected (first replication):", ...rejected] : [],
  };
}

/** The comparison as fixed-width text for the terminal. */
export function comparisonTable(results: Results): string {
  const model = comparisonModel(results);
  const header = ["", ...model.headings];
  const rows = model.rows.map((r) => [r.label, ...r.cells]);
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => (row[c] ?? "").length)));
  const line = (row: readonly string[]): string =>
    row.map((v, c) => (c === 0 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join("  ").trimEnd();
  const out = [model.title, model.subtitle, "", line(header), ...rows.map(line)];
  if (model.notes.length > 0) out.push("", ...model.notes);
  return `${out.join("\n")}\n`;
}

/** `  bare: 20 x orders: 0/4 hosts: 4 port 8080 in use` */
export function rejectionLines(results: Results): string[] {
  const lines: string[] = [];
  for (const [name, m] of Object.entries(results.modes)) {
    for (const r of m.runs[0]?.rejections ?? []) lines.push(`  ${name}: ${r.count} x ${r.app}: ${r.reason}`);
  }
  return lines;
}
