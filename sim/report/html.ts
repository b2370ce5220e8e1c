/**
 * report.html: one self-contained page per run (and the page builder sweep and plan reports use).
 * Vega, Vega-Lite and vega-embed are inlined, so the page opens from disk with no network; every
 * chart is embedded as its Vega-Lite spec (interactive, with tooltips) over its pre-rendered SVG
 * (shown until the live chart is drawn, and if scripts cannot run). Print CSS keeps tables and
 * charts whole on white paper.
 *
 * Contract: deterministic — the same inputs give the same bytes (no clock, no random ids); every
 * user string goes through `escapeHtml`, specs through `scriptJson`.
 */
import type { Results } from "../experiment/results.js";
import { figureTitle } from "./charts/common.js";
import { comparisonModel } from "./comparison.js";
import { escapeHtml, scriptJson } from "./escape.js";
import {
  assumptionTable,
  chartCaption,
  comparisonNote,
  intervalText,
  metricUnit,
  provenanceRows,
  questionParagraphs,
  sloRows,
  type RenderedChart,
  type ReportEnvironment,
} from "./run-report.js";
import { licenceNotices, vendorScripts } from "./vendor.js";

/** A chart on the page: a heading, its Vega-Lite spec, and its SVG as rendered for the files ("" for none). */
export interface HtmlChart {
  readonly name: string;
  readonly caption: string;
  readonly spec: unknown;
  readonly svg: string;
}

/** A section of the page: `html` is trusted markup (build it with `escapeHtml`, `htmlTable`), then its charts. */
export interface HtmlSection {
  readonly id: string;
  readonly heading: string;
  readonly html: string;
  readonly charts?: readonly HtmlChart[];
}

export interface HtmlDoc {
  /** The page's `<title>` and main heading (plain text). */
  readonly title: string;
  /** A small line above the heading: "densim run report · quickstart" (plain text). */
  readonly kicker?: string;
  /** A line under the heading (plain text). */
  readonly subtitle?: string;
  /** Paragraphs of a lead under the heading, labelled (plain text): the question a run answers. */
  readonly lead?: { readonly label: string; readonly paragraphs: readonly string[] };
  readonly sections: readonly HtmlSection[];
}

/** A table cell: plain text (escaped here), or trusted `html`, with an optional tooltip and class. */
export type HtmlCell = string | { readonly text?: string; readonly html?: string; readonly title?: string; readonly className?: string };

export interface HtmlTableOptions {
  /** The first column is a row label (left-aligned, stays in view when the table scrolls). */
  readonly rowLabels?: boolean;
  readonly className?: string;
}

const cellHtml = (c: HtmlCell): string => (typeof c === "string" ? escapeHtml(c) : (c.html ?? escapeHtml(c.text ?? "")));

function cellAttrs(c: HtmlCell): string {
  if (typeof c === "string") return "";
  return `${c.className ? ` class="${escapeHtml(c.className)}"` : ""}${c.title ? ` title="${escapeHtml(c.title)}"` : ""}`;
}

/** A table in a horizontally scrolling wrapper; headings are cells too. */
export function htmlTable(headings: readonly HtmlCell[], rows: readonly (readonly HtmlCell[])[], options: HtmlTableOptions = {}): string {
  const cls = [options.rowLabels ? "labelled" : "", options.className ?? ""].filter((c) => c !== "").join(" ");
  const head = `<tr>${headings.map((h) => `<th scope="col"${cellAttrs(h)}>${cellHtml(h)}</th>`).join("")}</tr>`;
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 && options.rowLabels ? `<th scope="row"${cellAttrs(c)}>${cellHtml(c)}</th>` : `<td${cellAttrs(c)}>${cellHtml(c)}</td>`)).join("")}</tr>`)
    .join("\n");
  return `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ""}>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table></div>`;
}

/** An SVG as a data: URL for an <img> (percent-encoding only what a URL or an attribute cannot hold). */
function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${svg.replace(/[%#"'<>&\r\n\t{}|\\^`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)}`;
}

function chartHtml(c: HtmlChart): string {
  const id = `chart-${c.name.replace(/[^A-Za-z0-9_-]/g, "-")}`;
  const fallback = c.svg === "" ? "" : `\n<img class="fallback" alt="${escapeHtml(c.caption)}" src="${svgDataUrl(c.svg)}">`;
  return [
    `<figure class="chart" id="${escapeHtml(id)}" data-name="${escapeHtml(c.name)}">`,
    `<figcaption>${escapeHtml(c.caption)}</figcaption>`,
    `<div class="view"></div>${fallback}`,
    `<script type="application/json" class="spec">${scriptJson(c.spec)}</script>`,
    `</figure>`,
  ].join("\n");
}

const STYLE = `
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa; --accent: #0b5cad; --met: #116329; --met-bg: #dafbe1; --missed: #a40e26; --missed-bg: #ffebe9; }
* { box-sizing: border-box; }
html { font-size: 17px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "DejaVu Sans", Arial, sans-serif; line-height: 1.5; }
main { max-width: 1200px; margin: 0 auto; padding: 28px 36px 56px; }
.kicker { margin: 0; color: var(--muted); font-size: 0.85rem; letter-spacing: 0.04em; text-transform: uppercase; }
h1 { margin: 0.15rem 0 0.25rem; font-size: 2rem; line-height: 1.2; font-weight: 650; }
.subtitle { margin: 0; color: var(--muted); }
.question { margin: 1.25rem 0 0; padding: 0.7rem 1.1rem; border-left: 4px solid var(--accent); background: var(--band); font-size: 1.1rem; }
.question p { margin: 0.2rem 0; }
.question .label { display: block; color: var(--accent); font-size: 0.8rem; font-weight: 650; letter-spacing: 0.04em; text-transform: uppercase; }
h2 { margin: 2rem 0 0.8rem; padding-bottom: 0.25rem; border-bottom: 1px solid var(--rule); font-size: 1.4rem; font-weight: 650; }
p.note, ul.note { color: var(--muted); font-size: 0.9rem; margin: 0.5rem 0; }
ul.note { padding-left: 1.2rem; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.95rem; }
th, td { padding: 0.26rem 0.85rem; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; font-weight: 650; }
table.labelled tbody th, table.labelled thead th:first-child { text-align: left; font-weight: 500; position: sticky; left: 0; background: #fff; }
tbody tr:nth-child(even) td, tbody tr:nth-child(even) th { background: var(--band); }
th .sub { display: block; color: var(--muted); font-weight: 400; font-size: 0.85rem; }
td[title] { cursor: help; }
td.verdict { text-align: left; }
.met, .missed { display: inline-block; padding: 0 0.45rem; border-radius: 4px; font-weight: 650; }
.met { color: var(--met); background: var(--met-bg); }
.missed { color: var(--missed); background: var(--missed-bg); }
table.assumptions th, table.assumptions td { text-align: left; }
sup { color: var(--muted); }
ol.sources { font-size: 0.9rem; color: var(--muted); padding-left: 1.6rem; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1.5rem; margin: 0; }
dl.provenance dt { color: var(--muted); }
dl.provenance dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9rem; overflow-wrap: anywhere; }
figure.chart { margin: 1.6rem 0 2.2rem; break-inside: avoid; page-break-inside: avoid; }
figure.chart figcaption { font-weight: 650; font-size: 1.1rem; margin-bottom: 0.5rem; }
figure.chart .view svg, figure.chart img.fallback { display: block; max-width: 100%; height: auto; }
figure.chart.live img.fallback { display: none; }
pre.scenario { background: var(--band); border: 1px solid var(--rule); border-radius: 6px; padding: 0.8rem 1rem; overflow-x: auto; font-size: 0.85rem; line-height: 1.4; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
details.licences { margin-top: 3rem; color: var(--muted); font-size: 0.8rem; }
details.licences pre { white-space: pre-wrap; }
#vg-tooltip-element.vg-tooltip { font-size: 0.8rem; }
#vg-tooltip-element.vg-tooltip td.key { max-width: 16em; }
#vg-tooltip-element.vg-tooltip td.value { max-width: 32em; white-space: normal; }
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  tbody tr:nth-child(even) td, tbody tr:nth-child(even) th, .question, pre.scenario { background: none; }
  table.labelled tbody th { position: static; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  .vega-embed .vega-actions, .vega-embed summary, details.licences { display: none; }
  pre.scenario { white-space: pre-wrap; }
}
`;

/** Draws every chart with vega-embed (SVG renderer, tooltips on); marks the page when all are done. */
const EMBED_SCRIPT = `
(function () {
  var figures = Array.prototype.slice.call(document.querySelectorAll("figure.chart"));
  var options = { renderer: "svg", mode: "vega-lite", tooltip: true, actions: { export: true, source: false, compiled: false, editor: false } };
  Promise.all(figures.map(function (figure) {
    var spec = JSON.parse(figure.querySelector("script.spec").textContent);
    var opts = Object.assign({ downloadFileName: figure.getAttribute("data-name") }, options);
    return vegaEmbed(figure.querySelector(".view"), spec, opts).then(function () {
      figure.classList.add("live");
    }, function (error) {
      console.error("densim: chart " + figure.getAttribute("data-name") + " could not be drawn: " + error);
    });
  })).then(function () { document.body.setAttribute("data-charts", "done"); });
})();
`;

export function licencesHtml(): string {
  const scripts = vendorScripts()
    .map((s) => `${s.name} ${s.version} (${s.license})`)
    .join(", ");
  const groups = licenceNotices()
    .map((g) => `<h4>${escapeHtml(g.packages.join(", "))}: ${escapeHtml(g.license)}</h4>\n<pre>${escapeHtml(g.text === "" ? `${g.license} (from package.json; the package ships no licence file)` : g.text)}</pre>`)
    .join("\n");
  return `<details class="licences"><summary>Third-party licences</summary>\n<p>This page inlines ${escapeHtml(scripts)}. Their licences, and those of the packages they are built from or depend on:</p>\n${groups}\n</details>`;
}

/** A complete, self-contained HTML page: sections in order, Vega scripts inlined when a section has charts. */
export function htmlReport(doc: HtmlDoc): string {
  const hasCharts = doc.sections.some((s) => (s.charts ?? []).length > 0);
  const sections = doc.sections
    .map((s) => {
      const charts = (s.charts ?? []).map(chartHtml).join("\n");
      return `<section id="${escapeHtml(s.id)}">\n<h2>${escapeHtml(s.heading)}</h2>\n${s.html}${charts ? `\n${charts}` : ""}\n</section>`;
    })
    .join("\n");
  const vendor = hasCharts
    ? vendorScripts()
        .map((v) => `<script>/*! ${v.name} ${v.version} | ${v.license} | licence texts at the end of the page */\n${v.code}</script>`)
        .join("\n")
    : "";
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="densim">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    "<body>",
    "<main>",
    "<header>",
    doc.kicker ? `<p class="kicker">${escapeHtml(doc.kicker)}</p>` : "",
    `<h1>${escapeHtml(doc.title)}</h1>`,
    doc.subtitle ? `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>` : "",
    doc.lead && doc.lead.paragraphs.length > 0
      ? `<div class="question"><span class="label">${escapeHtml(doc.lead.label)}</span>${doc.lead.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("")}</div>`
      : "",
    "</header>",
    sections,
    hasCharts ? licencesHtml() : "",
    "</main>",
    vendor,
    hasCharts ? `<script>${EMBED_SCRIPT}</script>` : "",
    "</body>",
    "</html>",
    "",
  ]
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * A chart's spec without its figure heading (the scenario's title, replications and seed): the
 * page's own header says that once, and each chart has a caption. The SVG keeps it.
 */
function withoutFigureTitle(spec: unknown, results: Results): unknown {
  if (typeof spec !== "object" || spec === null || !("title" in spec)) return spec;
  const { title, ...rest } = spec as { title: unknown };
  return JSON.stringify(title) === JSON.stringify(figureTitle(results)) ? rest : spec;
}

/** The sections of a run's report, in order: question, comparison, SLOs, charts, assumptions, provenance, scenario. */
export function runReportSections(results: Results, charts: readonly RenderedChart[], env: ReportEnvironment): HtmlSection[] {
  const model = comparisonModel(results);
  const sections: HtmlSection[] = [];

  const modeHeadings: HtmlCell[] = model.modes.map((m) => ({
    html: `${escapeHtml(m)}<span class="sub">${escapeHtml(results.modes[m]?.profile ?? "")}</span>`,
  }));
  const rows = model.rows.map((r) => {
    const unit = metricUnit(results, r.metric);
    return [{ text: r.label, title: r.metric }, ...r.cells.map((c, i) => ({ text: c, title: intervalText(r.summaries[i], unit) }))];
  });
  const notes = model.notes.length > 0 ? `\n<ul class="note">${model.notes.slice(1).map((n) => `<li>${escapeHtml(n.trim())}</li>`).join("")}</ul>` : "";
  sections.push({
    id: "comparison",
    heading: "Comparison",
    html: `${htmlTable(["", ...modeHeadings], rows, { rowLabels: true, className: "comparison" })}\n<p class="note">${escapeHtml(comparisonNote(results))} Hover a figure for its interval.</p>${
      notes ? `\n<p class="note">${escapeHtml(model.notes[0] ?? "")}</p>${notes}` : ""
    }`,
  });

  const slo = sloRows(results, model.modes);
  sections.push({
    id: "slo",
    heading: "Service-level objectives",
    html:
      slo.length === 0
        ? '<p class="note">The scenario sets no service-level objectives.</p>'
        : htmlTable(
            ["Objective", ...modeHeadings],
            slo.map((row) => [
              row.objective,
              ...row.cells.map((c): HtmlCell => {
                if (!c) return "–";
                const verdict = `<span class="${c.met ? "met" : "missed"}">${c.met ? "✓ met" : "✗ missed"}</span>`;
                const judged = c.judged ? ` (judged at ${escapeHtml(c.judged)})` : "";
                return { html: `${verdict} ${escapeHtml(c.figure)}${judged}`, title: c.interval, className: "verdict" };
              }),
            ]),
            { rowLabels: true, className: "slo" },
          ),
  });

  if (charts.length > 0)
    sections.push({
      id: "charts",
      heading: "Charts",
      html: '<p class="note">Hover the marks for details. The ⋯ menu of each chart saves it as SVG or PNG.</p>',
      charts: charts.map((c) => ({ name: c.name, caption: chartCaption(c.name), spec: withoutFigureTitle(c.spec, results), svg: c.svg })),
    });

  const a = assumptionTable(results);
  if (a.rows.length > 0) {
    const table = htmlTable(
      ["Parameter", ...a.modes.map((m) => ({ html: `${escapeHtml(m)}<span class="sub">${escapeHtml(results.modes[m]?.profile ?? "")}</span>` }))],
      a.rows.map((r) => [
        r.parameter,
        ...r.cells.map((c): HtmlCell => (c ? { html: `${escapeHtml(c.value)}${c.source ? ` <sup>${c.source}</sup>` : ""}`, className: "assumption" } : "–")),
      ]),
      { rowLabels: true, className: "assumptions" },
    );
    const same = a.same.length > 0 ? `\n<p class="note">The same in every mode: ${escapeHtml(a.same.join(", "))}.</p>` : "";
    const sources = `\n<ol class="sources">${a.sources.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ol>`;
    sections.push({
      id: "assumptions",
      heading: "Assumptions",
      html: `<p class="note">Profile parameters that differ between the modes, as run. Sources are keys of docs/calibration.md (<code>densim profiles --source KEY</code> prints one); “judgement” marks a default without a published figure; “scenario” a value the scenario set. <code>densim profiles</code> lists every default.</p>\n${table}${same}${sources}`,
    });
  }

  sections.push({
    id: "provenance",
    heading: "Provenance",
    html: `<dl class="provenance">${provenanceRows(results, env)
      .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
      .join("")}</dl>`,
  });
  sections.push({ id: "scenario", heading: "The scenario as run", html: `<pre class="scenario">${escapeHtml(results.scenario.text)}</pre>` });
  return sections;
}

/** report.html of one run: `charts` in allCharts order with their rendered SVGs. */
export function runReportHtml(results: Results, charts: readonly RenderedChart[], env: ReportEnvironment): string {
  const model = comparisonModel(results);
  return htmlReport({
    title: results.scenario.title.trim() === "" ? results.scenario.name : results.scenario.title,
    kicker: `densim report · ${results.scenario.name}`,
    subtitle: model.subtitle,
    lead: { label: "The question", paragraphs: questionParagraphs(results) },
    sections: runReportSections(results, charts, env),
  });
}
