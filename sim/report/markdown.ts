/**
 * report.md: the run's story for a Git repository or a wiki — the question, the comparison with
 * its confidence intervals, SLO verdicts, the charts as links to the SVG files written beside it,
 * the assumptions, the provenance and the scenario as run. Same data as report.html
 * (run-report.ts, comparisonModel); every user string escaped for Markdown.
 */
import type { Results } from "../experiment/results.js";
import { comparisonModel } from "./comparison.js";
import { escapeMarkdown, markdownFence } from "./escape.js";
import {
  assumptionTable,
  chartCaption,
  comparisonNote,
  provenanceRows,
  questionParagraphs,
  sloRows,
  type ReportEnvironment,
} from "./run-report.js";

/** A GFM table; cells are escaped here. `align` per column: "l" or "r". */
export function markdownTable(headings: readonly string[], rows: readonly (readonly string[])[], align: readonly ("l" | "r")[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map((c) => (c === "" ? " " : escapeMarkdown(c))).join(" | ")} |`;
  const rule = `|${headings.map((_, i) => (align[i] === "r" ? " ---: " : " :--- ")).join("|")}|`;
  return [line(headings), rule, ...rows.map(line)].join("\n");
}

/** report.md of one run; `chartNames` are the SVG files' stems (allCharts order), written beside it. */
export function runReportMarkdown(results: Results, chartNames: readonly string[], env: ReportEnvironment): string {
  const model = comparisonModel(results);
  const title = results.scenario.title.trim() === "" ? results.scenario.name : results.scenario.title;
  const out: string[] = [`# ${escapeMarkdown(title)}`, "", `densim report · ${escapeMarkdown(results.scenario.name)} · ${escapeMarkdown(model.subtitle)}`];

  const question = questionParagraphs(results);
  if (question.length > 0) out.push("", "## The question", "", ...question.flatMap((p, i) => (i === 0 ? [`> ${escapeMarkdown(p)}`] : [">", `> ${escapeMarkdown(p)}`])));

  const headings = model.modes.map((m) => `${m} (${results.modes[m]?.profile ?? ""})`);
  out.push("", "## Comparison", "");
  out.push(markdownTable(["", ...headings], model.rows.map((r) => [r.label, ...r.cells]), ["l", ...model.modes.map(() => "r" as const)]));
  out.push("", escapeMarkdown(comparisonNote(results)));
  if (model.notes.length > 0) out.push("", escapeMarkdown(model.notes[0] ?? ""), "", ...model.notes.slice(1).map((n) => `- ${escapeMarkdown(n.trim())}`));

  out.push("", "## Service-level objectives", "");
  const slo = sloRows(results, model.modes);
  if (slo.length === 0) out.push("The scenario sets no service-level objectives.");
  else
    out.push(
      markdownTable(
        ["Objective", ...headings],
        slo.map((row) => [
          row.objective,
          ...row.cells.map((c) => (c ? `${c.met ? "✅ met" : "❌ missed"}: ${c.figure}${c.judged ? ` (judged at ${c.judged})` : ""}` : "–")),
        ]),
        ["l", ...model.modes.map(() => "l" as const)],
      ),
    );

  if (chartNames.length > 0) {
    out.push("", "## Charts");
    for (const name of chartNames) {
      const caption = escapeMarkdown(chartCaption(name));
      out.push("", `### ${caption}`, "", `![${caption}](${encodeURI(`${name}.svg`)})`);
    }
  }

  const a = assumptionTable(results);
  if (a.rows.length > 0) {
    out.push("", "## Assumptions", "", "Profile parameters that differ between the modes, as run, with the source of each value (numbered below): keys of docs/calibration.md (`densim profiles --source KEY` prints one), “judgement” for a default without a published figure, “scenario” for a value the scenario set.", "");
    out.push(
      markdownTable(
        ["Parameter", ...a.modes.map((m) => `${m} (${results.modes[m]?.profile ?? ""})`)],
        a.rows.map((r) => [r.parameter, ...r.cells.map((c) => (c ? `${c.value}${c.source ? ` [${c.source}]` : ""}` : "–"))]),
        ["l", ...a.modes.map(() => "l" as const)],
      ),
    );
    if (a.same.length > 0) out.push("", `The same in every mode: ${escapeMarkdown(a.same.join(", "))}.`);
    out.push("", ...a.sources.map((s, i) => `${i + 1}. ${escapeMarkdown(s)}`));
  }

  out.push("", "## Provenance", "", markdownTable(["", ""], provenanceRows(results, env), ["l", "l"]));
  out.push("", "## The scenario as run", "", markdownFence(results.scenario.text, "yaml"), "");
  return out.join("\n");
}
