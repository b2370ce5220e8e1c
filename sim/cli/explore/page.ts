/**
 * The explorer's one page: controls for the parameters, the comparison and SLO tables as
 * report.html draws them, and the report's charts drawn by vega-embed, all inlined (Vega,
 * Vega-Lite and vega-embed from node_modules, as report.html does) so the page needs nothing
 * beyond the server it came from. The script asks the server to run on every change and swaps
 * the tables and the chart in place; the URL holds the parameter values.
 */
import { escapeHtml, licencesHtml, scriptJson } from "../../report/index.js";
import { vendorScripts } from "../../report/vendor.js";
import type { ExploreParam } from "./params.js";

export interface PageInput {
  readonly name: string;
  readonly title: string;
  readonly file: string;
  readonly params: readonly ExploreParam[];
  readonly replications: number;
}

const STYLE = `
:root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa; --accent: #0b5cad; --bg: #fff; --card: #fff; --error: #a40e26; --error-bg: #ffebe9; --met: #116329; --met-bg: #dafbe1; --missed: #a40e26; --missed-bg: #ffebe9; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: var(--bg); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; line-height: 1.4; }
header { padding: 10px 20px 6px; border-bottom: 1px solid var(--rule); display: flex; gap: 16px; align-items: baseline; flex-wrap: wrap; }
header h1 { margin: 0; font-size: 1.35rem; font-weight: 650; }
header .kicker { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; }
header .subtitle { color: var(--muted); font-size: 0.85rem; flex-basis: 100%; margin: 0; }
#status { margin-left: auto; font-size: 0.85rem; padding: 1px 10px; border-radius: 10px; background: var(--band); }
body[data-state=running] #status { background: #fff8c5; }
body[data-state=error] #status { background: var(--error-bg); color: var(--error); }
.layout { display: grid; grid-template-columns: 290px 1fr; min-height: calc(100vh - 70px); }
aside { border-right: 1px solid var(--rule); padding: 10px 14px; background: var(--band); }
aside .param { margin: 0 0 9px; }
aside label { display: flex; justify-content: space-between; gap: 8px; font-size: 0.85rem; }
aside label output { font-variant-numeric: tabular-nums; font-weight: 650; white-space: nowrap; }
aside label output.changed { color: var(--accent); }
aside input[type=range], aside select { width: 100%; margin: 2px 0 0; accent-color: var(--accent); }
aside .buttons { display: flex; gap: 8px; margin: 12px 0 6px; flex-wrap: wrap; }
button { font: inherit; font-size: 0.85rem; padding: 3px 10px; border: 1px solid var(--rule); border-radius: 5px; background: var(--card); color: var(--ink); cursor: pointer; }
button[aria-pressed=true] { background: var(--accent); color: #fff; border-color: var(--accent); }
aside .keys { color: var(--muted); font-size: 0.75rem; margin: 6px 0; }
#saved { font-size: 0.8rem; overflow-wrap: anywhere; }
.content { padding: 8px 20px 30px; min-width: 0; }
#error { display: none; margin: 8px 0; padding: 8px 12px; border-left: 4px solid var(--error); background: var(--error-bg); color: var(--error); white-space: pre-wrap; font-size: 0.9rem; }
body[data-state=error] #error { display: block; }
nav.tabs { display: flex; gap: 4px; flex-wrap: wrap; margin: 4px 0 6px; }
nav.tabs button { font-size: 0.8rem; padding: 2px 8px; }
#chart { min-height: 240px; background: #fff; border-radius: 4px; }
#chart svg { display: block; max-width: 100%; height: auto; }
body[data-state=running] #chart, body[data-state=running] .tables { opacity: 0.55; transition: opacity 0.15s; }
.tables { display: grid; grid-template-columns: minmax(0, 1fr); gap: 4px; }
h2 { font-size: 1rem; margin: 12px 0 4px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; font-size: 0.85rem; }
th, td { padding: 2px 10px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
table.labelled tbody th, table.labelled thead th:first-child { text-align: left; font-weight: 500; }
th .sub { display: block; color: var(--muted); font-weight: 400; font-size: 0.8rem; }
td.verdict { text-align: left; }
.met, .missed { display: inline-block; padding: 0 0.4rem; border-radius: 4px; font-weight: 650; }
.met { color: var(--met); background: var(--met-bg); }
.missed { color: var(--missed); background: var(--missed-bg); }
p.note, ul.note { color: var(--muted); font-size: 0.8rem; margin: 4px 0; }
code#command { display: block; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.8rem; background: var(--band); padding: 6px 8px; border-radius: 4px; overflow-wrap: anywhere; }
details.licences { margin-top: 2rem; color: var(--muted); font-size: 0.75rem; }
details.licences pre { white-space: pre-wrap; }
body.presenter { --ink: #fff; --muted: #e6e6e6; --rule: #8c8c8c; --band: #111; --bg: #000; --card: #000; --accent: #ffd400; --error: #ffb3b3; --error-bg: #3d0000; --met: #7dff9b; --met-bg: #003d12; --missed: #ffb3b3; --missed-bg: #3d0000; }
body.presenter { font-size: 20px; }
body.presenter html, html:has(body.presenter) { font-size: 20px; }
body.presenter .layout { grid-template-columns: 380px 1fr; }
body.presenter #status { background: #333; }
body.presenter[data-state=running] #status { background: #665500; }
body.presenter button[aria-pressed=true] { color: #000; }
body.presenter #chart { padding: 6px; }
`;

/** The page's script: state in the URL, runs on the server, tables and chart swapped in place. */
const SCRIPT = `
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("explore-config").textContent);
  var params = config.params;
  var body = document.body;
  var values = {};       // path -> value the user chose (only those that differ from the initial value)
  var charts = [];       // [{name, caption, spec}] of the latest run
  var current = 0;       // the chart shown
  var view = null;       // vega-embed result of the chart shown
  var generation = 0;    // the latest run asked for; older answers are dropped
  var shownKey = "";     // what the chart shown was drawn from
  var state = window.densimExplore = { runs: 0, charts: function () { return charts; }, current: function () { return current; }, lastMs: 0, quick: false };

  function $(id) { return document.getElementById(id); }
  function valueOf(p) { return Object.prototype.hasOwnProperty.call(values, p.path) ? values[p.path] : p.initial; }
  function shown(p, v) { return (typeof v === "number" ? String(Number(v.toPrecision(12))) : String(v)) + (p.unit ? " " + p.unit : ""); }

  function readUrl() {
    var q = new URLSearchParams(location.search);
    params.forEach(function (p) {
      if (!q.has(p.path)) return;
      var raw = q.get(p.path);
      values[p.path] = p.kind === "range" && raw !== "" && !isNaN(Number(raw)) ? Number(raw) : raw;
    });
    q.forEach(function (_, key) {
      if (key !== "presenter" && key !== "chart" && !params.some(function (p) { return p.path === key; })) values[key] = q.get(key);
    });
    if (q.get("presenter") === "1") body.classList.add("presenter");
    var c = Number(q.get("chart"));
    if (c >= 1) current = c - 1;
  }

  function writeUrl() {
    var q = new URLSearchParams();
    Object.keys(values).forEach(function (k) { q.set(k, String(values[k])); });
    if (body.classList.contains("presenter")) q.set("presenter", "1");
    if (current > 0) q.set("chart", String(current + 1));
    var s = q.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : ""));
    $("present").setAttribute("aria-pressed", body.classList.contains("presenter") ? "true" : "false");
  }

  function setValue(p, v) {
    if (v === p.initial) delete values[p.path]; else values[p.path] = v;
    var out = document.querySelector('output[data-path="' + CSS.escape(p.path) + '"]');
    if (out) { out.textContent = shown(p, v); out.classList.toggle("changed", v !== p.initial); }
  }

  function buildControls() {
    var box = $("params");
    params.forEach(function (p, i) {
      var div = document.createElement("div");
      div.className = "param";
      var label = document.createElement("label");
      label.htmlFor = "param-" + i;
      var name = document.createElement("span");
      name.textContent = p.label;
      var out = document.createElement("output");
      out.setAttribute("data-path", p.path);
      label.appendChild(name);
      label.appendChild(out);
      div.appendChild(label);
      var input;
      if (p.kind === "choice") {
        input = document.createElement("select");
        p.values.forEach(function (v, k) {
          var o = document.createElement("option");
          o.value = String(k);
          o.textContent = String(v);
          input.appendChild(o);
        });
        input.addEventListener("change", function () { setValue(p, p.values[Number(input.value)]); request(false); });
      } else {
        input = document.createElement("input");
        input.type = "range";
        input.min = String(p.min); input.max = String(p.max); input.step = String(p.step);
        input.addEventListener("input", function () { setValue(p, Number(input.value)); request(true); });
        input.addEventListener("change", function () { setValue(p, Number(input.value)); request(false); });
      }
      input.id = "param-" + i;
      input.setAttribute("data-path", p.path);
      div.appendChild(input);
      box.appendChild(div);
    });
    syncControls();
  }

  function syncControls() {
    params.forEach(function (p, i) {
      var input = $("param-" + i);
      var v = valueOf(p);
      if (p.kind === "choice") { var k = p.values.indexOf(v); input.value = String(k < 0 ? 0 : k); }
      else if (typeof v === "number") input.value = String(v);
      setValue(p, v);
    });
  }

  function status(text) { $("status").textContent = text; }

  function request(quick) {
    var mine = ++generation;
    var started = performance.now();
    body.setAttribute("data-state", "running");
    status(quick ? "running (1 replication while you drag)…" : "running (" + config.replications + " replications)…");
    writeUrl();
    fetch("api/run", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ values: values, quick: quick }) })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        if (mine !== generation || answer.superseded) return;
        if (!answer.ok) return showError(answer);
        $("error").textContent = "";
        $("comparison").innerHTML = answer.comparisonHtml;
        $("slo").innerHTML = answer.sloHtml;
        $("subtitle").textContent = answer.subtitle;
        $("command").textContent = answer.command;
        charts = answer.charts;
        buildTabs();
        return drawChart().then(function () {
          if (mine !== generation) return;
          state.runs++;
          state.lastMs = performance.now() - started;
          state.quick = quick;
          body.setAttribute("data-quick", quick ? "true" : "false");
          body.setAttribute("data-run", String(state.runs));
          body.setAttribute("data-state", "ready");
          status((quick ? "preview, 1 replication" : config.replications + " replication" + (config.replications === 1 ? "" : "s")) + " · " + Math.round(state.lastMs) + " ms");
        });
      })
      .catch(function (e) {
        if (mine !== generation) return;
        showError({ message: "the explorer's server did not answer (" + e + "); is densim explore still running?", issues: [] });
      });
  }

  function showError(answer) {
    body.setAttribute("data-state", "error");
    status("error: the last good results are shown");
    $("error").textContent = answer.message + (answer.issues && answer.issues.length ? "\\n" + answer.issues.join("\\n") : "");
  }

  function buildTabs() {
    var nav = $("tabs");
    if (current >= charts.length) current = 0;
    nav.textContent = "";
    charts.forEach(function (c, k) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = (k < 9 ? (k + 1) + " " : "") + c.caption;
      b.setAttribute("aria-pressed", k === current ? "true" : "false");
      b.addEventListener("click", function () { showChart(k); });
      nav.appendChild(b);
    });
  }

  function showChart(k) {
    if (k < 0 || k >= charts.length) return;
    current = k;
    writeUrl();
    Array.prototype.forEach.call($("tabs").children, function (b, i) { b.setAttribute("aria-pressed", i === current ? "true" : "false"); });
    drawChart();
  }

  function drawChart() {
    var c = charts[current];
    if (!c) return Promise.resolve();
    var key = current + ":" + JSON.stringify(c.spec);
    if (key === shownKey) return Promise.resolve();
    var el = $("chart");
    return vegaEmbed(el, c.spec, { renderer: "svg", mode: "vega-lite", tooltip: true, actions: false }).then(function (result) {
      if (view) view.finalize();
      view = result;
      shownKey = key;
      el.setAttribute("data-name", c.name);
    }, function (error) {
      console.error("densim: chart " + c.name + " could not be drawn: " + error);
    });
  }

  function reset() {
    values = {};
    syncControls();
    request(false);
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && t.tagName === "SELECT" && /^Arrow/.test(e.key)) return;
    if (/^[1-9]$/.test(e.key)) { showChart(Number(e.key) - 1); e.preventDefault(); }
    else if (e.key === "r") { reset(); e.preventDefault(); }
    else if (e.key === "p") { body.classList.toggle("presenter"); writeUrl(); }
  });
  // Arrow keys on a slider move it (the browser's own); the run waits for the keys to rest.
  var keyTimer = 0;
  document.addEventListener("keyup", function (e) {
    if (!/^Arrow/.test(e.key) || !e.target || e.target.type !== "range") return;
    clearTimeout(keyTimer);
    keyTimer = setTimeout(function () { request(false); }, 250);
  });

  $("present").addEventListener("click", function () { body.classList.toggle("presenter"); writeUrl(); });
  $("reset").addEventListener("click", reset);
  $("save").addEventListener("click", function () {
    $("saved").textContent = "saving…";
    fetch("api/save", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ values: values }) })
      .then(function (r) { return r.json(); })
      .then(function (a) { $("saved").textContent = a.ok ? "Saved " + a.path : a.message + (a.issues && a.issues.length ? ": " + a.issues.join("; ") : ""); })
      .catch(function (e) { $("saved").textContent = "not saved: " + e; });
  });

  readUrl();
  buildControls();
  request(false);
})();
`;

export function explorePage(input: PageInput): string {
  const title = input.title.trim() === "" ? input.name : input.title;
  const config = { params: input.params, replications: input.replications };
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(`${title} · densim explore`)}</title>`,
    `<style>${STYLE}</style>`,
    "</head>",
    '<body data-state="loading">',
    "<header>",
    `<span class="kicker">densim explore · ${escapeHtml(input.name)}</span>`,
    `<h1>${escapeHtml(title)}</h1>`,
    '<span id="status" role="status">loading…</span>',
    '<p class="subtitle" id="subtitle"></p>',
    "</header>",
    '<div class="layout">',
    "<aside>",
    '<div id="params"></div>',
    '<div class="buttons"><button type="button" id="reset" title="r">Reset</button><button type="button" id="present" aria-pressed="false" title="p">Presenter mode</button><button type="button" id="save">Save as report</button></div>',
    '<p id="saved" role="status"></p>',
    '<p class="keys">Keys: arrows move the focused slider · 1–9 switch charts · r resets · p presenter mode. The address bar holds the values: bookmark a view to reopen it.</p>',
    "</aside>",
    '<div class="content">',
    '<div id="error" role="alert"></div>',
    '<nav class="tabs" id="tabs" aria-label="Charts"></nav>',
    '<div id="chart"></div>',
    '<div class="tables">',
    '<section><h2>Comparison</h2><div id="comparison"></div></section>',
    '<section><h2>Service-level objectives</h2><div id="slo"></div></section>',
    '<section><h2>The same run from the command line</h2><code id="command"></code></section>',
    "</div>",
    licencesHtml(),
    "</div>",
    "</div>",
    `<script type="application/json" id="explore-config">${scriptJson(config)}</script>`,
    ...vendorScripts().map((v) => `<script>/*! ${v.name} ${v.version} | ${v.license} | licence texts at the end of the page */\n${v.code}</script>`),
    `<script>${SCRIPT}</script>`,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
