/**
 * The explorer's worker thread: loads the scenario with a task's `--set` expressions (the same
 * loader and checks as `densim run`), runs the experiment, and posts back what the page shows
 * (results.json bytes, the comparison and SLO tables as report.html draws them, the chart specs),
 * or, for a save, the files of the report. The main thread cancels a run by terminating it.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Limits } from "../../experiment/estimate.js";
import { UsageError } from "../io.js";
import { loadAll, useLimits } from "../scenarios.js";
import type { WorkerReply, WorkerTask } from "./runner.js";

const data = workerData as { readonly file: string; readonly limits: Limits };
useLimits(data.limits);

// Load the heavy modules now, while the worker waits for its first task.
const modules = Promise.all([import("../../experiment/index.js"), import("../../report/index.js")]);

async function handle(task: WorkerTask): Promise<WorkerReply> {
  const [experiment, report] = await modules;
  let loaded;
  try {
    loaded = await loadAll([data.file], { sets: task.sets, replications: task.quick ? 1 : undefined });
  } catch (e) {
    if (e instanceof UsageError) return { id: task.id, ok: false, message: e.message, issues: e.issues.map((i) => `${i.where}: ${i.path}: ${i.message}`) };
    throw e;
  }
  const l = loaded[0] as (typeof loaded)[number];
  const { results } = experiment.runExperiment(l, { hostRows: false });
  const json = experiment.resultsJson(results);
  const named = report.allCharts(results);
  const env = { nodeVersion: process.version };
  if (task.kind === "save") {
    const charts = [];
    for (const { name, spec } of named) charts.push({ name, spec, svg: await report.renderSvg(spec) });
    return { id: task.id, ok: true, kind: "save", hash: l.hash, name: l.scenario.name, files: [["results.json", json], ["report.html", report.runReportHtml(results, charts, env)]] };
  }
  const sections = report.runReportSections(results, [], env);
  const model = report.comparisonModel(results);
  return {
    id: task.id,
    ok: true,
    kind: "run",
    json,
    subtitle: model.subtitle,
    comparisonHtml: sections.find((s) => s.id === "comparison")?.html ?? "",
    sloHtml: sections.find((s) => s.id === "slo")?.html ?? "",
    charts: named.map(({ name, spec }) => ({ name, caption: report.chartCaption(name), spec })),
    skipped: named.skipped.map((s) => s.reason),
  };
}

parentPort?.on("message", (task: WorkerTask) => {
  handle(task).then(
    (reply) => parentPort?.postMessage(reply),
    (e: unknown) => parentPort?.postMessage({ id: task.id, ok: false, message: `failed while running: ${e instanceof Error ? e.message : String(e)}`, issues: [] } satisfies WorkerReply),
  );
});
