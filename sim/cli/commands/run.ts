/**
 * `densim run <scenario...>`: load and validate every scenario first (so a mistake in one runs
 * nothing), run each experiment, print the comparison table (or results JSON with --json), and
 * write the report files, rendered in memory before any is written.
 */
import { join } from "node:path";
import type { Argv } from "yargs";
import { createReadStream, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { EXIT_SLO_MISSED, listOption, UsageError } from "../io.js";
import { checkReportFolder, writeReport, type ReportData, type StreamedFile } from "../report-files.js";
import { isAlive } from "../report-lock.js";
import { checkFolderName, chooseFolderName } from "../report-names.js";
import { progressBar } from "../progress.js";
import { loadAll } from "../scenarios.js";
import { startPool, workersOf, WORKERS_OPTION } from "../workers.js";
import type { Pool } from "../../experiment/pool.js";

export const REPORT_FORMATS = ["json", "vl", "svg", "png", "csv", "html", "md"] as const;
type ReportFormat = (typeof REPORT_FORMATS)[number];
/** What `densim run` writes unless --format says otherwise. */
export const DEFAULT_FORMATS: readonly ReportFormat[] = ["json", "vl", "svg", "csv", "html", "md"];

export interface RunArgs {
  scenario: string[];
  out: string;
  json: boolean;
  set: string[];
  mode: string[];
  seed?: number;
  replications?: number;
  format: string[];
  quiet: boolean;
  check: boolean;
  strict: boolean;
  name?: string;
  force: boolean;
  workers?: number;
}

export const runCommand = {
  command: "run <scenario...>",
  describe: "Run scenarios: compare modes, print the table, write reports/<name>/",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", array: true, demandOption: true, describe: "Scenario files (YAML or JSON)" })
      .option("out", { type: "string", default: "reports", describe: "Report root: files go to <out>/<name>/" })
      .option("json", { type: "boolean", default: false, describe: "Print results JSON on stdout and nothing else there" })
      .option("set", { type: "string", array: true, default: [], describe: "Override a scenario field: path=value (repeatable; units allowed)" })
      .option("mode", { type: "string", array: true, default: [], describe: "Only these modes, e.g. vm,container" })
      .option("seed", { type: "number", describe: "Override the scenario seed" })
      .option("replications", { type: "number", describe: "Override the number of replications" })
      .option("format", { type: "string", array: true, default: [...DEFAULT_FORMATS], describe: `Report files: ${REPORT_FORMATS.join(",")} (results.json is always written; vl: each chart's Vega-Lite spec; md implies svg)` })
      .option("quiet", { type: "boolean", default: false, describe: "No progress bar" })
      .option("check", { type: "boolean", default: false, describe: "Exit 3 when an SLO (the scenario's slo) is missed in any compared mode" })
      .option("strict", { type: "boolean", default: false, describe: "Judge SLOs on the 95% CI's pessimistic end, not the mean" })
      .option("name", { type: "string", describe: "Report folder name under --out (default: the scenario name, <name>@<hash> with --set or --mode)" })
      .option("force", { type: "boolean", default: false, describe: "Write into a folder densim did not write; deletes no file it did not write" })
      .option("workers", WORKERS_OPTION),
  handler: async (args: RunArgs): Promise<void> => {
    await run(args);
  },
};

function checkInteger(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UsageError(`--${name}: expected an integer >= ${min}, found ${String(v)}`);
}

export async function run(args: RunArgs): Promise<void> {
  checkInteger("seed", args.seed, 0);
  checkInteger("replications", args.replications, 1);
  workersOf(args.workers); // checked before anything loads
  const formats = listOption(args.format);
  const bad = formats.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length) throw new UsageError(`--format: expected some of ${REPORT_FORMATS.join(",")}, found unknown format ${bad.join(", ")}`);
  const wanted = new Set(formats as ReportFormat[]);
  if (wanted.has("md")) wanted.add("svg"); // report.md links the SVGs beside it
  const modes = listOption(args.mode);
  if (args.name !== undefined) checkFolderName(args.name);
  if (args.name !== undefined && args.scenario.length > 1) throw new UsageError(`--name: expected one scenario (--name names one report folder), found ${args.scenario.length}`);

  // With --workers, the threads start loading their modules now, while the scenarios load.
  let pool = args.workers === undefined ? undefined : await startPool(args.workers);
  try {
    await runWith(args, wanted, modes, async (events) => (pool ??= await startPool(undefined, events)));
  } finally {
    await pool?.close();
  }
}

async function runWith(args: RunArgs, wanted: Set<ReportFormat>, modes: string[], poolFor: (events: number) => Promise<Pool>): Promise<void> {
  const loaded = await loadAll(args.scenario, { sets: args.set, seed: args.seed, replications: args.replications });
  // The modules themselves, not experiment/index.js: a run needs no results reader or diff.
  const { assembleExperiment, experimentTasks, unknownModes, resultsJson } = await import("../../experiment/experiment.js");
  const { INSTANCES_HEADER, timeseriesCsvChunks } = await import("../../experiment/csv.js");
  for (const l of loaded) {
    const missing = unknownModes(l, modes);
    if (missing.length) throw new UsageError(`${l.file}: --mode: expected modes the scenario compares, found ${missing.join(",")}`);
  }
  const variant = args.set.length > 0 || modes.length > 0;
  const dirs = loaded.map((l) => join(args.out, chooseFolderName(l.scenario.name, { name: args.name, variant, hash: l.hash, modes })));
  const twice = dirs.find((d, k) => dirs.indexOf(d) !== k);
  if (twice !== undefined) throw new UsageError(`--out: expected a report folder per scenario, found two scenarios writing ${twice}; run them separately with --name`);
  // Before anything runs: a folder densim may not write into costs no simulation time.
  for (const d of dirs) checkReportFolder(d, { force: args.force });
  // Only what the formats need is loaded: --format json loads no chart code and no renderer.
  const { comparisonTable } = await import("../../report/comparison.js");
  const { sloMisses, sloTable } = await import("../../report/slo.js");
  const charted = ["vl", "svg", "png", "html", "md"].some((f) => wanted.has(f as ReportFormat));
  const rendered = wanted.has("svg") || wanted.has("png") || wanted.has("html");
  const jsonOut: unknown[] = [];
  const misses: string[] = [];
  const spools: string[] = [];
  try {
    const { estimateSize, poolWork } = await import("../../experiment/estimate.js");
    // The work of the modes that run (--mode), not of every mode.
    const scope = modes.length ? { modes: modes.length } : {};
    const pool = await poolFor(loaded.reduce((n, l) => n + poolWork(estimateSize(l, scope)), 0));
    for (const [k, l] of loaded.entries()) {
      const progress = await progressBar(args.quiet, l.scenario.name, "runs");
      let done = 0;
      const selected = modes.length ? modes : undefined;
      const tasks = experimentTasks(l, selected);
      // Instance rows go to a spool file per run as each run ends, so no process holds them all.
      const spool = wanted.has("csv") ? newSpool() : undefined;
      spools.push(...(spool ? [spool] : []));
      const spoolOf = (k: number): string | undefined => (spool ? join(spool, `${k}.csv`) : undefined);
      const outputs = await pool.run(
        // Per-host sample rows cross to this thread only for timeseries.csv; results.json needs their sums.
        tasks.map((t, n) => ({ scenario: l, mode: t.mode, replication: t.replication, spool: spoolOf(n), hostRows: wanted.has("csv") })),
        { onProgress: (r) => progress.update((done += r), tasks.length) },
      );
      progress.stop();
      const { results, runs } = assembleExperiment(l, tasks, outputs, { modes: selected, strict: args.strict });
      misses.push(...sloMisses(results).map((m) => (loaded.length > 1 ? `${l.scenario.name}: ${m}` : m)));

      // Render everything first: a failure here must not leave a half-written report.
      const files: [string, ReportData][] = [["results.json", resultsJson(results)]];
      const charts: { name: string; spec: unknown; svg: string }[] = [];
      const skipped: { reason: string }[] = [];
      if (charted) {
        const { allCharts } = await import("../../report/charts/index.js");
        const { specJson } = await import("../../report/spec-json.js");
        const render = rendered ? await import("../../report/render.js") : undefined;
        const named = allCharts(results);
        skipped.push(...named.skipped);
        for (const { name, spec } of named) {
          const svg = render ? await render.renderSvg(spec) : "";
          charts.push({ name, spec, svg });
          if (wanted.has("svg")) files.push([`${name}.svg`, svg]);
          if (wanted.has("png") && render) files.push([`${name}.png`, render.renderPng(svg)]);
          if (wanted.has("vl")) files.push([`${name}.vl.json`, specJson(spec)]);
        }
      }
      if (wanted.has("csv")) {
        const instances: StreamedFile = {
          chunks: async function* () {
            yield `${INSTANCES_HEADER}\n`;
            for (let n = 0; n < tasks.length; n++) yield* createReadStream(spoolOf(n) as string) as AsyncIterable<Uint8Array>;
          },
        };
        files.push(["instances.csv", instances], ["timeseries.csv", { chunks: () => timeseriesCsvChunks(runs) }]);
      }
      const env = { nodeVersion: process.version };
      if (wanted.has("html")) files.push(["report.html", (await import("../../report/html.js")).runReportHtml(results, charts, env)]);
      if (wanted.has("md")) files.push(["report.md", (await import("../../report/markdown.js")).runReportMarkdown(results, charts.map((c) => c.name), env)]);

      const dir = dirs[k] as string;
      await writeReport(dir, files, { command: "run", force: args.force });

      if (args.json) jsonOut.push(results);
      else {
        process.stdout.write(comparisonTable(results));
        const slo = sloTable(results);
        if (slo) process.stdout.write(`\n${slo}`);
        process.stdout.write(`\nReport in ${dir}/: ${files.map(([n]) => n).join(", ")}\n`);
        for (const { reason } of skipped) process.stdout.write(`  ${reason}\n`);
        process.stdout.write("\n");
      }
      for (const d of spools.splice(0)) rmSync(d, { recursive: true, force: true });
    }
  } finally {
    for (const d of spools) rmSync(d, { recursive: true, force: true });
  }
  if (args.json) process.stdout.write(`${JSON.stringify(jsonOut.length === 1 ? jsonOut[0] : jsonOut, null, 2)}\n`);
  if (args.check && loaded.every((l) => Object.keys(l.scenario.slo).length === 0))
    process.stderr.write("densim: --check: the scenario sets no slo, so there is nothing to check\n");
  if (args.check && misses.length > 0) {
    process.stderr.write(`densim: --check: ${misses.length} SLO verdict${misses.length === 1 ? "" : "s"} missed:\n${misses.map((m) => `  ${m}\n`).join("")}`);
    process.exitCode = EXIT_SLO_MISSED;
  }
}

/**
 * A temporary folder for a run's instances.csv rows, `densim-spool-<pid>-*` in the system's
 * temporary folder; spools of densim processes that died (SIGKILL, or a signal mid-run) are
 * removed first.
 */
function newSpool(): string {
  const root = tmpdir();
  for (const n of readdirSync(root)) {
    const m = /^densim-spool-(\d+)-/.exec(n);
    if (m && Number(m[1]) !== process.pid && !isAlive(Number(m[1]))) rmSync(join(root, n), { recursive: true, force: true });
  }
  return mkdtempSync(join(root, `densim-spool-${process.pid}-`));
}
