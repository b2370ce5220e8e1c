/**
 * The comparison table `densim run` prints: one column per mode, one row per headline metric,
 * means with their 95% confidence half-width when replications disagree, then notes (why
 * instances were rejected, what a partial mode's cost covers). Every cell is formatted by
 * format.ts from the metric catalogue's unit. Reads only the results contract.
 */
import { METRIC_INFO } from "../experiment/metric-catalog.js";
import type { MetricName, MetricSummary, ModeResult, Results } from "../experiment/results.js";
import { formatBytes, formatCount, formatSummary, NONE, plural, sigFigs } from "./format.js";

interface Row {
  readonly metric: MetricName;
  /** The row's words; the catalogue's label when absent. */
  readonly label?: string;
  /** Shown only when this metric (one of these) is non-zero in some mode (job rows without jobs are noise). */
  readonly onlyIf?: MetricName | readonly MetricName[];
  /** Shown only when some app presses on its neighbours (`noisy`), or only when none does (`quiet`). */
  readonly when?: "noisy" | "quiet";
}

/** Rows shown only when `onlyIf` is non-zero in some mode. */
const rowsIf = (onlyIf: MetricName, metrics: readonly MetricName[]): Row[] => metrics.map((metric) => ({ metric, onlyIf }));

export const COMPARISON_ROWS: readonly Row[] = [
  { metric: "instances.placed" },
  { metric: "instances.rejected" },
  { metric: "instances.notRequested", onlyIf: "instances.notRequested" },
  { metric: "hosts.used" },
  { metric: "density.perHost" },
  { metric: "memory.app" },
  { metric: "memory.guestOs" },
  { metric: "memory.hypervisor" },
  { metric: "memory.runtime" },
  { metric: "memory.reserved" },
  { metric: "memory.free" },
  { metric: "memory.overcommitted", onlyIf: "memory.overcommitted" },
  { metric: "oomKills", onlyIf: "oomKills" },
  { metric: "swapSeconds", onlyIf: "swapSeconds" },
  { metric: "cpu.committed" },
  { metric: "cpu.utilization" },
  { metric: "cpu.overhead" },
  { metric: "slowdown.mean", when: "quiet" },
  { metric: "slowdown.p99", when: "quiet" },
  { metric: "slowdown.victims.mean", label: "slowdown, victims: mean", when: "noisy" },
  { metric: "slowdown.victims.p99", label: "slowdown, victims: p99", when: "noisy" },
  { metric: "slowdown.noisy.mean", label: "slowdown, noisy apps: mean", when: "noisy" },
  { metric: "slowdown.noisy.p99", label: "slowdown, noisy apps: p99", when: "noisy" },
  { metric: "jobs.completed", onlyIf: "jobs.arrived" },
  { metric: "jobs.turnaround.mean", onlyIf: "jobs.arrived" },
  { metric: "jobs.turnaround.p95", onlyIf: "jobs.arrived" },
  // Host failures: shown only when some mode had one.
  ...rowsIf("failures.hosts", ["failures.hosts", "failures.instancesLost", "failures.notRecovered", "recovery.p50", "recovery.max", "recovery.detect", "recovery.afterDetect.p50", "recovery.afterDetect.max", "failures.downtime"]),
  ...rowsIf("failures.jobsLost", ["failures.jobsLost"]),
  // Planned maintenance: shown only when it was configured, each detail only when some mode has it.
  ...rowsIf("maintenance.hostTime", ["maintenance.window", "maintenance.hostTime", "maintenance.drained"]),
  ...rowsIf("maintenance.unplaced", ["maintenance.unplaced"]),
  ...rowsIf("maintenance.migrations", ["maintenance.migrations"]),
  ...rowsIf("maintenance.nonConverged", ["maintenance.nonConverged"]),
  ...rowsIf("maintenance.migrations", ["maintenance.migrationBytes", "maintenance.pause.p50", "maintenance.pause.max"]),
  ...rowsIf("maintenance.guestReboots", ["maintenance.guestReboots"]),
  { metric: "maintenance.downtime", onlyIf: ["maintenance.hostTime", "maintenance.guestReboots"] },
  { metric: "availability", onlyIf: ["failures.hosts", "maintenance.hostTime", "maintenance.guestReboots"] },
  { metric: "startup.p50" },
  { metric: "startup.p95" },
  { metric: "startup.allReady" },
  { metric: "pull.bytes" },
  { metric: "osInstances" },
  { metric: "cost.monthly.hosts", onlyIf: "cost.monthly.total" },
  { metric: "cost.monthly.licenses", onlyIf: "cost.monthly.total" },
  { metric: "cost.monthly.operations", onlyIf: "cost.monthly.total" },
  { metric: "cost.monthly.total", onlyIf: "cost.monthly.total" },
  { metric: "cost.monthly.reserve", onlyIf: "cost.monthly.reserve" },
  { metric: "cost.perInstance", onlyIf: "cost.monthly.total" },
];

/** Marks the cost cells of a mode that could not place everything it was asked to. */
export const PARTIAL_MARK = "*";

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

/** A summary's mean, or 0 where the mode has no value. */
const meanOf = (m: ModeResult | undefined, metric: string): number => {
  const s = m?.summary[metric];
  return s && s.n > 0 ? s.mean : 0;
};

/** The mode placed fewer than it requested within the horizon: some were rejected. */
const isPartial = (m: ModeResult | undefined): boolean => meanOf(m, "instances.rejected") > 0;

function cellText(row: Row, m: ModeResult | undefined): string {
  const s = m?.summary[row.metric];
  const unit = METRIC_INFO[row.metric].unit;
  const text = formatSummary(s, unit);
  if (row.metric === "instances.placed" && s && s.n > 0) {
    const requested = meanOf(m, "instances.requested");
    if (!(s.mean < requested)) return text;
    const [mean, half] = text.split(" ±");
    return `${mean}/${formatCount(requested)}${half === undefined ? "" : ` ±${half}`}`;
  }
  if (row.metric.startsWith("cost.") && isPartial(m) && text !== NONE) return `${text} ${PARTIAL_MARK}`;
  return text;
}

/** "1.5:1" */
const ratioText = (r: number): string => `${sigFigs(r)}:1`;

/** The overcommit ratios in force per mode, e.g. "CPU overcommit 1:1 in every mode · memory overcommit: vm 1:1, vm-big 1.5:1". */
export function overcommitLine(results: Results): string {
  const modes = Object.entries(results.modes).filter(([, m]) => m.overcommit !== undefined);
  if (modes.length === 0) return "";
  const list = (pairs: [string, number][], what: string, every: boolean): string => {
    const ratios = new Set(pairs.map(([, r]) => r));
    if (pairs.length > 1 && ratios.size === 1) {
      const where = every ? "in every mode" : `(${pairs.map(([name]) => name).join(", ")})`;
      return `${what} overcommit ${ratioText(pairs[0]?.[1] as number)} ${where}`;
    }
    return `${what} overcommit: ${pairs.map(([name, r]) => `${name} ${ratioText(r)}`).join(", ")}`;
  };
  const cpu = list(modes.map(([name, m]) => [name, m.overcommit?.cpu as number]), "CPU", true);
  const guests = modes.filter(([, m]) => m.kind === "vm" || m.kind === "microvm");
  const vmMemory = guests.length > 0 ? list(guests.map(([name, m]) => [name, m.overcommit?.memory as number]), "VM memory", false) : "";
  return [cpu, vmMemory].filter((t) => t !== "").join(" · ");
}

/** Availability of each service app, under the cluster's: "–" for a mode that placed none of its replicas. */
function appAvailabilityRows(results: Results, modes: readonly string[]): ComparisonRow[] {
  const services = (results.apps ?? []).filter((a) => a.kind === "service").map((a) => a.name);
  return services.map((app) => {
    const summaries = modes.map((m) => results.modes[m]?.apps[app]?.availability);
    return { label: `availability: ${app}`, metric: `apps.${app}.availability`, cells: summaries.map((s) => formatSummary(s, "share")), summaries };
  });
}

export function comparisonModel(results: Results): ComparisonModel {
  const modes = Object.keys(results.modes);
  const anyPositive = (metric: string): boolean => modes.some((m) => meanOf(results.modes[m], metric) > 0);
  const noisy = modes.some((m) => (results.modes[m]?.summary["slowdown.noisy.mean"]?.n ?? 0) > 0);
  const shown = COMPARISON_ROWS.filter(
    (r) => (!r.onlyIf || [r.onlyIf].flat().some(anyPositive)) && (!r.when || (r.when === "noisy") === noisy),
  );
  const rows: ComparisonRow[] = shown.flatMap((r) => {
    const summaries = modes.map((m) => results.modes[m]?.summary[r.metric]);
    const row = { label: r.label ?? METRIC_INFO[r.metric].label, metric: r.metric, cells: modes.map((m) => cellText(r, results.modes[m])), summaries };
    return r.metric === "availability" ? [row, ...appAvailabilityRows(results, modes)] : [row];
  });
  const notes: string[] = [];
  if (noisy) notes.push("Victims: instances of apps that exert no pressure; noisy apps: those with a `pressure` set.");
  const partial = modes.filter((m) => isPartial(results.modes[m]));
  if (partial.length > 0 && anyPositive("cost.monthly.total")) {
    for (const m of partial) {
      const r = results.modes[m];
      notes.push(
        `${PARTIAL_MARK} ${m} places ${formatCount(meanOf(r, "instances.placed"))} of ${formatCount(meanOf(r, "instances.requested"))} requested: its cost covers only what was placed.`,
      );
    }
  }
  const estimated = modes.filter((m) => (results.modes[m]?.estimated ?? []).length > 0).map((m) => `${m}: ${(results.modes[m]?.estimated ?? []).join(", ")}`);
  if (estimated.length > 0) notes.push(`Estimated from a streaming sketch (more than 100,000 values in a run; within 1% of a sample value of nearly the same rank): ${estimated.join("; ")}.`);
  const rejected = rejectionLines(results);
  if (rejected.length > 0) notes.push("Rejected (first replication):", ...rejected);
  const c = results.cluster;
  const overcommit = overcommitLine(results);
  return {
    title: `${results.scenario.name}: ${results.scenario.title}`,
    subtitle: [
      `${plural(c.hosts, "host")}, ${plural(c.cores, "core")}, ${formatBytes(c.memoryBytes)}`,
      plural(results.replications, "replication"),
      `seed ${results.seed}`,
      ...(overcommit ? [overcommit] : []),
    ].join(" · "),
    modes,
    headings: modes.map((m) => `${m} (${results.modes[m]?.profile})`),
    rows,
    notes,
  };
}

/** The comparison as fixed-width text for the terminal. */
export function comparisonTable(results: Results): string {
  const model = comparisonModel(results);
  const header = ["", ...model.headings];
  const rows = model.rows.map((r) => [r.label, ...r.cells]);
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => [...(row[c] ?? "")].length)));
  const pad = (v: string, w: number, left: boolean): string => {
    const fill = " ".repeat(Math.max(0, w - [...v].length));
    return left ? v + fill : fill + v;
  };
  const line = (row: readonly string[]): string =>
    row.map((v, c) => pad(v, widths[c] as number, c === 0)).join("  ").trimEnd();
  const out = [model.title, model.subtitle, "", line(header), ...rows.map(line)];
  // A blank line before the rejections, so they read as their own block.
  if (model.notes.length > 0) out.push("", ...model.notes.flatMap((n, k) => (k > 0 && n.startsWith("Rejected") ? ["", n] : [n])));
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
