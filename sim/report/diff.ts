/**
 * `densim diff` in words: a ResultsDiff (experiment/diff.ts) as terminal text, a Markdown report
 * or JSON. Every figure goes through format.ts with its unit; a change is "beyond the CI" only
 * when the two 95% confidence intervals do not overlap.
 */
import type { MetricUnit } from "../experiment/metric-catalog.js";
import type { DiffSide, MetricChange, ResultsDiff } from "../experiment/diff.js";
import { formatSummary, formatValue, NONE, plural, sigFigs } from "./format.js";

/** b − a in the metric's unit, signed: "+20", "-$312", "+1.5 s", "+2.1 pp" (shares: percentage points). */
export function formatChange(delta: number, unit: MetricUnit): string {
  if (delta === 0) return "0";
  const sign = delta > 0 ? "+" : "-";
  const abs = Math.abs(delta);
  if (unit === "share") return `${sign}${sigFigs(abs * 100)} pp`;
  if (unit === "factor") return `${sign}${sigFigs(abs)}×`;
  return `${sign}${formatValue(abs, unit)}`;
}

/** change / |a| as a signed percentage: "+16.7%", "-3.2%", "0%". */
export function formatRelative(relative: number | null): string {
  if (relative === null) return NONE;
  if (relative === 0) return "0%";
  return `${relative > 0 ? "+" : "-"}${sigFigs(Math.abs(relative) * 100)}%`;
}

/** What the CIs say about a change, in words. */
export function ciWords(c: MetricChange): string {
  if (c.a === null && c.b === null) return "no figure";
  if (c.a === null) return "no figure in a";
  if (c.b === null) return "no figure in b";
  if (!c.changed) return "same";
  if (c.cisOverlap === null) return "no CI (1 replication)";
  return c.beyondCi ? "moved beyond the CI" : "within the CIs";
}

/** A metric's name as a row shows it: "start-up p95", "app orders: start-up p95". */
export const changeLabel = (c: MetricChange): string => (c.app === undefined ? c.label : `app ${c.app}: ${c.label}`);

/** The cells of one metric's row: metric, a, b, change, relative, CIs. */
export function changeCells(c: MetricChange): string[] {
  return [changeLabel(c), formatSummary(c.a ?? undefined, c.unit), formatSummary(c.b ?? undefined, c.unit), c.change === null ? NONE : formatChange(c.change, c.unit), formatRelative(c.relative), ciWords(c)];
}

const HEADINGS = ["metric", "a", "b", "change", "relative", "95% CIs"];

const sideLine = (s: DiffSide): string =>
  `${s.scenario}, hash ${s.hash}, densim ${s.toolVersion}, seed ${s.seed}, ${plural(s.replications, "replication")}${s.schemaVersion === 1 ? " (results schemaVersion 1: provenance unknown)" : ""}`;

const overridesText = (o: readonly string[] | null): string => (o === null ? "unknown" : o.length ? o.join(" ") : "none");

/** Input lines: [what, how it differs] for each input that differs. */
function inputRows(d: ResultsDiff): string[][] {
  const i = d.inputs;
  const arrow = (a: string, b: string): string => `${a} → ${b}`;
  const rows: string[][] = [];
  if (!i.scenario.same) rows.push(["scenario", arrow(i.scenario.a, i.scenario.b)]);
  if (!i.scenarioFile.same) rows.push(["scenario file", arrow(i.scenarioFile.a ?? "unknown", i.scenarioFile.b ?? "unknown")]);
  if (!i.hash.same) rows.push(["scenario hash", arrow(i.hash.a, i.hash.b)]);
  if (i.overrides === null) rows.push(["overrides", arrow(overridesText(d.a.overrides), overridesText(d.b.overrides))]);
  else for (const [k, o] of [...i.overrides.onlyA.map((o) => ["-", o]), ...i.overrides.onlyB.map((o) => ["+", o])]) rows.push(["overrides", `${k} ${o}   (only in ${k === "-" ? "a" : "b"})`]);
  if (!i.seed.same) rows.push(["seed", arrow(String(i.seed.a), String(i.seed.b))]);
  if (!i.replications.same) rows.push(["replications", arrow(String(i.replications.a), String(i.replications.b))]);
  if (!i.toolVersion.same) rows.push(["densim version", arrow(i.toolVersion.a, i.toolVersion.b)]);
  return rows;
}

/** Inputs that are the same, named in one line. */
function sameInputs(d: ResultsDiff): string[] {
  const i = d.inputs;
  const same: string[] = [];
  if (i.scenarioFile.same && i.scenarioFile.a !== null) same.push(`scenario file (${i.scenarioFile.a})`);
  if (i.hash.same) same.push(`effective scenario (hash ${i.hash.a})`);
  if (i.overrides && !i.overrides.onlyA.length && !i.overrides.onlyB.length) same.push(`overrides (${overridesText(d.a.overrides)})`);
  if (i.seed.same) same.push(`seed (${i.seed.a})`);
  if (i.replications.same) same.push(`replications (${i.replications.a})`);
  if (i.toolVersion.same) same.push(`densim version (${i.toolVersion.a})`);
  return same;
}

function scenarioVerdict(d: ResultsDiff): string {
  if (!d.sameScenario) return `Different scenarios: a is ${d.a.scenario} (${d.a.title}), b is ${d.b.scenario} (${d.b.title}); modes compare by name.`;
  if (d.inputs.hash.same) return `Same scenario (${d.a.scenario}), run with the same effective scenario.`;
  return `Same scenario (${d.a.scenario}), run with different inputs.`;
}

function modeLines(d: ResultsDiff): string[] {
  const lines = [`compared: ${d.modes.both.join(", ") || "none"}`];
  if (d.modes.onlyA.length) lines.push(`only in a: ${d.modes.onlyA.join(", ")}`);
  if (d.modes.onlyB.length) lines.push(`only in b: ${d.modes.onlyB.join(", ")}`);
  if (d.apps.onlyA.length) lines.push(`apps only in a: ${d.apps.onlyA.join(", ")}`);
  if (d.apps.onlyB.length) lines.push(`apps only in b: ${d.apps.onlyB.join(", ")}`);
  return lines;
}

function modeSummary(d: ResultsDiff, mode: string, shown: readonly MetricChange[]): string {
  const changed = shown.filter((c) => c.changed).length;
  const beyond = shown.filter((c) => c.beyondCi).length;
  const compared = d.counts.compared / Math.max(1, d.modes.both.length);
  if (changed === 0) return `${mode}: no metric changed (of ${compared})`;
  return `${mode}: ${changed} of ${compared} metrics changed, ${beyond} beyond their 95% CIs`;
}

function sloLines(d: ResultsDiff): string[] {
  const met = (v: boolean | null): string => (v === null ? "absent" : v ? "met" : "missed");
  return d.slo.map((s) => `${s.slo} (${s.mode}): ${met(s.a)} in a, ${met(s.b)} in b`);
}

function table(header: readonly string[], rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly string[]): string => `${indent}${r.map((v, c) => (c === 0 || c === r.length - 1 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join("  ")}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The diff as terminal text. */
export function diffText(d: ResultsDiff): string {
  const out: string[] = [`densim diff: ${d.a.scenario} vs ${d.b.scenario}`, ""];
  out.push(`  a  ${d.a.path}`, `     ${sideLine(d.a)}`, `  b  ${d.b.path}`, `     ${sideLine(d.b)}`, "");
  out.push(scenarioVerdict(d));
  const inputs = inputRows(d);
  if (inputs.length) out.push("Inputs that differ:", ...table(["", ""], inputs).slice(1));
  const same = sameInputs(d);
  if (same.length) out.push(`The same: ${same.join(", ")}.`);
  if (d.inputs.text === null) out.push("Scenario text: unknown (results schemaVersion 1 does not record it).");
  else if (d.inputs.text !== "") out.push("", "Scenario text (unified diff of the effective scenarios):", ...d.inputs.text.trimEnd().split("\n").map((l) => `  ${l}`));
  out.push("", "Modes", ...modeLines(d).map((l) => `  ${l}`));
  const slo = sloLines(d);
  if (slo.length) out.push("", "SLO verdicts that changed", ...slo.map((l) => `  ${l}`));
  for (const mode of d.modes.both) {
    const shown = d.metrics.filter((c) => c.mode === mode);
    out.push("", modeSummary(d, mode, shown));
    if (shown.length) out.push(...table(HEADINGS, shown.map(changeCells)));
  }
  out.push("", `${d.counts.changed} of ${d.counts.compared} figures changed, ${d.counts.beyondCi} beyond their 95% CIs${d.metrics.length < d.counts.compared ? " (--all shows every metric)" : ""}.`);
  return `${out.join("\n")}\n`;
}

const md = (text: string): string => text.replace(/\|/g, "\\|");
const mdRow = (cells: readonly string[]): string => `| ${cells.map(md).join(" | ")} |`;
const mdTable = (header: readonly string[], rows: readonly (readonly string[])[], align: readonly ("l" | "r")[]): string[] => [
  mdRow(header),
  `|${align.map((a) => (a === "r" ? "---:" : "---")).join("|")}|`,
  ...rows.map(mdRow),
];

/** The diff as a Markdown report: inputs side by side, the scenario text diff, a table per mode. */
export function diffMarkdown(d: ResultsDiff): string {
  const code = (s: string): string => (s === "" ? "" : `\`${s}\``);
  const out: string[] = [`# densim diff: ${d.a.scenario} vs ${d.b.scenario}`, "", scenarioVerdict(d), ""];
  const sides: string[][] = [
    ["results", code(d.a.path), code(d.b.path)],
    ["scenario", d.a.scenario, d.b.scenario],
    ["title", d.a.title, d.b.title],
    ["scenario file", d.a.scenarioFile === null ? "unknown" : code(d.a.scenarioFile), d.b.scenarioFile === null ? "unknown" : code(d.b.scenarioFile)],
    ["scenario hash", code(d.a.hash), code(d.b.hash)],
    ["overrides", d.a.overrides === null ? "unknown" : d.a.overrides.map(code).join(" ") || "none", d.b.overrides === null ? "unknown" : d.b.overrides.map(code).join(" ") || "none"],
    ["seed", String(d.a.seed), String(d.b.seed)],
    ["replications", String(d.a.replications), String(d.b.replications)],
    ["densim version", d.a.toolVersion, d.b.toolVersion],
    ["results schemaVersion", String(d.a.schemaVersion), String(d.b.schemaVersion)],
  ];
  const differs = new Set(inputRows(d).map((r) => r[0]));
  const overrideLines = d.inputs.overrides ? [...d.inputs.overrides.onlyA.map((o) => `- \`${o}\` only in a`), ...d.inputs.overrides.onlyB.map((o) => `- \`${o}\` only in b`)] : [];
  out.push(...mdTable(["input", "a", "b"], sides.map(([k, a, b]) => [differs.has(k as string) ? `**${k}**` : (k as string), a as string, b as string]), ["l", "l", "l"]), "");
  if (overrideLines.length) out.push("Overrides that differ:", "", ...overrideLines, "");
  if (d.inputs.text === null) out.push("Scenario text: unknown (results schemaVersion 1 does not record it).", "");
  else if (d.inputs.text !== "") out.push("## Scenario text", "", "Unified diff of the effective scenarios (after overrides):", "", "```diff", d.inputs.text.trimEnd(), "```", "");
  out.push("## Modes", "", ...modeLines(d).map((l) => `- ${l}`), "");
  const slo = sloLines(d);
  if (slo.length) out.push("## SLO verdicts that changed", "", ...slo.map((l) => `- ${l}`), "");
  for (const mode of d.modes.both) {
    const shown = d.metrics.filter((c) => c.mode === mode);
    out.push(`## ${mode}`, "", `${modeSummary(d, mode, shown)}.`, "");
    if (shown.length) out.push(...mdTable(HEADINGS, shown.map(changeCells), ["l", "r", "r", "r", "r", "l"]), "");
  }
  out.push(`${d.counts.changed} of ${d.counts.compared} figures changed, ${d.counts.beyondCi} beyond their 95% CIs${d.metrics.length < d.counts.compared ? " (`--all` shows every metric)" : ""}.`);
  return `${out.join("\n")}\n`;
}

/** The diff as JSON: the ResultsDiff itself, two-space indent, keys in a fixed order. */
export const diffJson = (d: ResultsDiff): string => `${JSON.stringify(d, null, 2)}\n`;
