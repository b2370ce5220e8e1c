/**
 * SLO verdicts as text: the block `densim run` prints under the comparison table (one row per
 * objective, one column per mode) and the list of misses `--check` reports. Reads only results.
 */
import { parseMetric, type MetricUnit } from "../experiment/metric-catalog.js";
import type { Results, SloResult, SloVerdict } from "../experiment/results.js";
import { formatSummary, formatValue } from "./format.js";

/** The unit of an objective's metric (count when the name is unknown to this reader). */
export function sloUnit(results: Results, slo: SloResult): MetricUnit {
  const apps = Object.keys(Object.values(results.modes)[0]?.apps ?? {});
  return parseMetric(slo.metric, apps)?.info.unit ?? "count";
}

/** `startup.p95 <= 60 s` */
export function sloHeading(results: Results, slo: SloResult): string {
  return `${slo.metric} ${slo.op} ${formatValue(slo.bound, sloUnit(results, slo))}`;
}

/** `met 22.1 s ±0.31 s`, `MISSED 75 s`, `MISSED: no instance became ready`. */
export function verdictText(v: SloVerdict, unit: MetricUnit): string {
  if (v.value === undefined) return `MISSED: ${v.reason ?? "no figure"}`;
  return `${v.met ? "met" : "MISSED"} ${formatSummary(v.value, unit)}`;
}

/** The verdicts block: a title line, then objectives by modes; "" when there are no objectives. */
export function sloTable(results: Results): string {
  if (results.slo.length === 0) return "";
  const modes = Object.keys(results.modes);
  const strict = results.slo.some((s) => s.strict === true);
  const rows = results.slo.map((s) => {
    const unit = sloUnit(results, s);
    return [sloHeading(results, s), ...modes.map((m) => {
      const v = s.verdicts[m];
      return v ? verdictText(v, unit) : "";
    })];
  });
  const header = ["", ...modes];
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]): string =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join("  ").trimEnd();
  const basis = strict ? "on the pessimistic end of each 95% CI (--strict)" : "on the mean over replications (± its 95% CI)";
  return `SLOs, judged ${basis}:\n${[line(header), ...rows.map(line)].join("\n")}\n`;
}

/** One line per missed objective per mode: `vm: instances.rejected <= 0: 8 (MISSED)`. */
export function sloMisses(results: Results): string[] {
  const out: string[] = [];
  for (const s of results.slo) {
    const unit = sloUnit(results, s);
    for (const [mode, v] of Object.entries(s.verdicts)) {
      if (v.met) continue;
      const figure = v.value === undefined ? (v.reason ?? "no figure") : `${formatValue(v.judged ?? v.value.mean, unit)}${s.strict ? " (CI end)" : ""}`;
      out.push(`${mode}: ${sloHeading(results, s)}: ${figure}`);
    }
  }
  return out;
}
