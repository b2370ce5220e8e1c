/**
 * report.html and report.md from the fixture results: every part of the story is there, the
 * numbers are the comparison model's, hostile strings are escaped, and the bytes are stable.
 */
import { describe, expect, it } from "vitest";
import type { Results, SloResult } from "../../sim/experiment/results.js";
import { comparisonModel } from "../../sim/report/comparison.js";
import { escapeHtml } from "../../sim/report/escape.js";
import { htmlReport, htmlTable, runReportHtml } from "../../sim/report/html.js";
import { runReportMarkdown } from "../../sim/report/markdown.js";
import { assumptionTable } from "../../sim/report/run-report.js";
import { vendorScripts } from "../../sim/report/vendor.js";
import { FIXTURE_SHAPES, fixtureResults } from "./fixture.js";

const ENV = { nodeVersion: "v20.0.0-test" };
const HOSTILE_TITLE = `</title><script>alert("t")</script> | *x* & 'q' \u0007`;
const HOSTILE_MODE = `vm "a|b" <i>`;

const SLO: SloResult[] = [
  {
    metric: "startup.p95",
    op: "<=",
    bound: 60,
    text: "startup.p95 <= 60s",
    verdicts: {
      bare: { met: true, value: { mean: 6, sd: 0.1, lo: 5.9, hi: 6.1, n: 5 }, judged: 6 },
      container: { met: false, value: { mean: 75, sd: 2, lo: 73, hi: 77, n: 5 }, judged: 75 },
      vm: { met: false, reason: "no instance became ready" },
    },
  },
];

function hostile(): Results {
  const base = fixtureResults({ bare: FIXTURE_SHAPES.bare!, [HOSTILE_MODE]: FIXTURE_SHAPES.vm! });
  return {
    ...base,
    scenario: {
      ...base.scenario,
      title: HOSTILE_TITLE,
      question: `Does <b>this</b> | that fit?\n\n# Second "paragraph" </script>`,
      overrides: [`apps.web.replicas=3`, `title=<script>`],
      text: "title: </pre><script>alert(1)</script>\nnote: ``` fence ```\n",
    },
    slo: [{ ...SLO[0]!, text: "startup.p95 <= 60s | <b>", verdicts: { bare: SLO[0]!.verdicts.bare!, [HOSTILE_MODE]: SLO[0]!.verdicts.container! } }],
  };
}

const charts = (r: Results) => [
  { name: "density", spec: { $schema: "x", title: r.scenario.title, mark: "point", data: { values: [{ a: "</script><!--" }] } }, svg: '<svg xmlns="http://www.w3.org/2000/svg"><text>#1 "x" 100%</text></svg>' },
];

/** The page without the inlined libraries: what densim wrote. */
const own = (html: string): string => html.slice(0, html.indexOf("</main>"));

describe("report.html", () => {
  const results = { ...fixtureResults(), slo: SLO };
  const html = runReportHtml(results, charts(results), ENV);

  it("is one self-contained page: no external script, stylesheet or image", () => {
    expect(html.startsWith("<!DOCTYPE html>\n")).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(own(html)).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).not.toMatch(/sourceMappingURL/);
    for (const v of vendorScripts()) expect(html).toContain(`/*! ${v.name} ${v.version} | BSD-3-Clause`);
    expect(html).toContain("Third-party licences");
  });

  it("shows the comparison model's cells, the question, SLO verdicts, provenance and the scenario", () => {
    const model = comparisonModel(results);
    for (const row of model.rows) for (const cell of row.cells) expect(own(html)).toContain(`>${escapeHtml(cell)}</td>`);
    expect(html).toContain(escapeHtml(results.scenario.question));
    expect(html).toMatch(/class="met">✓ met<\/span> 6 s/);
    expect(html).toMatch(/class="missed">✗ missed<\/span> 1.25 min ±0.03 min/);
    expect(html).toContain("no instance became ready");
    expect(html).toContain("<dd>v20.0.0-test</dd>");
    expect(html).toContain(`<dd>${results.scenario.hash}</dd>`);
    expect(html).toContain(escapeHtml(results.scenario.text));
    expect(html).toContain('<figure class="chart" id="chart-density" data-name="density">');
  });

  it("lists the assumptions that differ between modes with numbered sources", () => {
    const a = assumptionTable(results);
    expect(a.rows.map((r) => r.parameter)).toContain("engine.memory");
    expect(html).toContain("<th scope=\"row\">engine.memory</th>");
    for (const s of a.sources) expect(html).toContain(`<li>${escapeHtml(s)}</li>`);
  });

  it("says so when the scenario sets no SLOs", () => {
    expect(runReportHtml(fixtureResults(), [], ENV)).toContain("sets no service-level objectives");
  });

  it("is deterministic: the same inputs give the same bytes", () => {
    expect(runReportHtml(results, charts(results), ENV)).toBe(html);
  });

  it("escapes hostile titles, questions, mode names, overrides and scenario text", () => {
    const r = hostile();
    const page = runReportHtml(r, charts(r), ENV);
    const mine = own(page);
    expect(mine).not.toContain("<script>alert");
    expect(mine).not.toContain("<b>");
    expect(mine).not.toContain("<i>");
    expect(mine).not.toContain("</pre><script>");
    expect(mine).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(page).toContain(`<title>${escapeHtml(HOSTILE_TITLE)}</title>`);
    expect(page).toContain(escapeHtml(HOSTILE_MODE));
    // The only script elements: one spec per chart, three libraries, the embedding code.
    expect(page.match(/<script/g)).toHaveLength(1 + 3 + 1);
    // A spec cannot close its script element early.
    const spec = /<script type="application\/json" class="spec">(.*?)<\/script>/s.exec(page)?.[1] ?? "";
    expect(spec).not.toMatch(/[<>]/);
    expect((JSON.parse(spec) as { title: string }).title).toBe(HOSTILE_TITLE);
  });
});

describe("htmlReport (for other reports)", () => {
  it("builds a page from sections; without charts it inlines no library", () => {
    const page = htmlReport({
      title: "Sweep <x>",
      sections: [{ id: "s", heading: "Points & lines", html: htmlTable(["a", { text: "b|<", title: 'q"' }], [["1", "2"]], { rowLabels: true }) }],
    });
    expect(page).toContain("<h1>Sweep &lt;x&gt;</h1>");
    expect(page).toContain("<h2>Points &amp; lines</h2>");
    expect(page).toContain('<th scope="col" title="q&quot;">b|&lt;</th>');
    expect(page).toContain('<th scope="row">1</th><td>2</td>');
    expect(page).not.toContain("<script");
  });
});

describe("report.md", () => {
  const results = { ...fixtureResults(), slo: SLO };
  const md = runReportMarkdown(results, ["density", "startup-ecdf"], ENV);

  it("tells the same story: question, table with CIs, SLOs, charts beside it, assumptions, provenance, scenario", () => {
    const model = comparisonModel(results);
    expect(md).toContain("> How many 1 GiB web services fit on four hosts in each mode?");
    for (const row of model.rows) expect(md).toContain(`| ${row.label} | `);
    expect(md).toMatch(/±/);
    expect(md).toContain("✅ met: 6 s");
    expect(md).toContain("❌ missed: 1.25 min ±0.03 min");
    expect(md).toContain("](density.svg)");
    expect(md).toContain("](startup-ecdf.svg)");
    expect(md).toContain("| engine.memory |");
    expect(md).toContain("| Node.js | v20.0.0-test |");
    expect(md).toContain("```yaml\nversion: 1\nname: web-fleet\n```");
  });

  it("keeps every table row to its columns whatever the names hold", () => {
    const r = hostile();
    const page = runReportMarkdown(r, ["density"], ENV);
    const tables = page.split("\n\n").filter((block) => block.startsWith("|"));
    expect(tables.length).toBeGreaterThanOrEqual(3);
    for (const table of tables) {
      const columns = table.split("\n").map((line) => line.replace(/\\\\/g, "").replace(/\\\|/g, "").split("|").length);
      expect(new Set(columns).size).toBe(1);
    }
    const prose = page.slice(0, page.indexOf("````yaml"));
    expect(prose).not.toContain("<script>");
    expect(prose).not.toContain("<b>");
    expect(page).toContain("````yaml\ntitle: </pre><script>alert(1)</script>");
    expect(page.startsWith("# &lt;/title&gt;&lt;script&gt;alert(\"t\")&lt;/script&gt; \\| \\*x\\* &amp; 'q' \uFFFD\n")).toBe(true);
  });
});
