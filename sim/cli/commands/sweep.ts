/**
 * `densim sweep <scenario> --vary path=v1,v2,... [--vary ...] [--metric a,b]`: the scenario at
 * every point of the grid the --vary flags make (the cartesian product, in the order given),
 * every mode each time; prints each metric per mode and point, and writes the sweep's JSON and a
 * chart per metric. Every point is loaded and validated before anything is written; with worker
 * threads, they start on the runs of the points loaded so far while the main thread loads the
 * rest (a point refused later still exits 2, the runs under way stopped, nothing written).
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Argv } from "yargs";
import type { LoadedScenario } from "../../scenario/index.js";
import { PRICE_FIELDS, pricesAnything } from "../../scenario/priced.js";
import type { MetricRef } from "../../experiment/metric-catalog.js";
import type { PointResult, SweepParameter, SweepResults } from "../../experiment/sweep.js";
import { listOption, UsageError } from "../io.js";
import { loadAll } from "../scenarios.js";
import { checkReportFolder, writeReport } from "../report-files.js";
import { checkFolderName, chooseFolderName } from "../report-names.js";
import { progressBar } from "../progress.js";
import { loadWhileRunning, SMALL_WORK, startPool, workersOf, WORKERS_OPTION } from "../workers.js";
import type { Pool } from "../../experiment/pool.js";
import type { Shard } from "../shards.js";

interface SweepArgs {
  scenario: string;
  vary: string[];
  metric: string[];
  mode: string[];
  set: string[];
  seed?: number;
  replications?: number;
  out: string;
  json: boolean;
  format: string[];
  name?: string;
  force: boolean;
  workers?: number;
  shard?: string;
  quiet: boolean;
}

export const SWEEP_FORMATS = ["json", "svg", "png"] as const;
/** The metric a sweep charts when --metric is not given. */
const DEFAULT_METRIC = "cost.monthly.total";

export const sweepCommand = {
  command: "sweep <scenario>",
  describe: "Run a scenario at each point of a grid of parameters and chart metrics per mode",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "Scenario file" })
      .option("vary", {
        type: "string",
        array: true,
        demandOption: true,
        describe: "path=v1,v2,... e.g. apps.erp.replicas=16,18,20; repeat for a grid (first: x axis)",
      })
      .option("metric", {
        type: "string",
        array: true,
        default: [DEFAULT_METRIC],
        describe: "Metrics to print and chart: a,b or repeated; per app as apps.<app>.<metric> (see README)",
      })
      .option("mode", { type: "string", array: true, default: [], describe: "Only these modes" })
      .option("set", { type: "string", array: true, default: [], describe: "Override a field at every point: path=value" })
      .option("seed", { type: "number", describe: "Override the scenario seed" })
      .option("replications", { type: "number", describe: "Override the number of replications" })
      .option("out", { type: "string", default: "reports", describe: "Report root: files go to <out>/<name>.sweep-<paths>-<metrics>/" })
      .option("json", { type: "boolean", default: false, describe: "Print the sweep JSON on stdout" })
      .option("format", { type: "string", array: true, default: ["json", "svg"], describe: `Files: ${SWEEP_FORMATS.join(", ")}` })
      .option("name", { type: "string", describe: "Report folder name under --out (default: <name>.sweep-<paths>-<metrics>, @<hash> with --set or --mode)" })
      .option("force", { type: "boolean", default: false, describe: "Write into a folder densim did not write; deletes no file it did not write" })
      .option("workers", WORKERS_OPTION)
      .option("shard", { type: "string", describe: "i/n: run only the points k with k mod n = i and write a partial result to <folder>.shard-i-of-n/ (combine with densim merge)" })
      .option("quiet", { type: "boolean", default: false, describe: "No progress bar" }),
  handler: async (args: SweepArgs): Promise<void> => {
    await sweep(args);
  },
};

/** `path=v1,v2,...` -> a parameter, or a usage error naming the flag. */
export function parseVary(text: string): SweepParameter {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--vary: expected path=v1,v2,..., e.g. --vary apps.web.replicas=10,20,40, found ${JSON.stringify(text)}`);
  const path = text.slice(0, eq).trim();
  const values = text.slice(eq + 1).split(",").map((v) => v.trim()).filter((v) => v !== "");
  if (values.length < 2) throw new UsageError(`--vary ${text}: expected at least two values, found ${values.length}`);
  const twice = values.filter((v, i) => values.indexOf(v) !== i);
  if (twice.length) throw new UsageError(`--vary ${text}: expected each value once, found ${twice[0]} twice`);
  return { path, values };
}

function checkInteger(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UsageError(`--${name}: expected an integer >= ${min}, found ${String(v)}`);
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9.+-]+/g, "_");

/** A file or folder name part: safe characters only, and short (a long one keeps its start and a hash of the whole). */
export function safeSlug(text: string, max = 80): string {
  const s = safe(text);
  if (s.length <= max) return s;
  return `${s.slice(0, max - 13)}-${createHash("sha256").update(text).digest("hex").slice(0, 12)}`;
}

/** `<name>.sweep-<path>+<path>-<metric>+<metric>`: deterministic, safe, and at most ~100 characters. */
export function sweepFolderName(name: string, parameters: readonly SweepParameter[], metrics: readonly string[]): string {
  return `${name}.sweep-${safeSlug(`${parameters.map((p) => p.path).join("+")}-${metrics.join("+")}`)}`;
}

/** Checks --format of sweep and merge; returns the formats. */
export function sweepFormats(format: unknown): string[] {
  const formats = listOption(format);
  const bad = formats.filter((f) => !(SWEEP_FORMATS as readonly string[]).includes(f));
  if (bad.length) throw new UsageError(`--format: expected some of ${SWEEP_FORMATS.join(",")}, found unknown format ${bad.join(", ")}`);
  return formats;
}

async function sweep(args: SweepArgs): Promise<void> {
  checkInteger("seed", args.seed, 0);
  checkInteger("replications", args.replications, 1);
  workersOf(args.workers); // checked before anything loads
  if (args.name !== undefined) checkFolderName(args.name);
  const formats = sweepFormats(args.format);
  const shard = args.shard === undefined ? undefined : (await import("../shards.js")).parseShard(args.shard);
  const parameters = args.vary.map(parseVary);
  const paths = parameters.map((p) => p.path);
  const repeated = paths.find((p, i) => paths.indexOf(p) !== i);
  if (repeated) throw new UsageError(`--vary: expected each parameter varied once, found ${repeated} twice`);
  const metricNames = listOption(args.metric);
  if (metricNames.length === 0) throw new UsageError("--metric: expected at least one metric, found none");

  const { pointSets, sweepGrid } = await import("../../experiment/index.js");
  const { estimateSize, poolWork } = await import("../../experiment/estimate.js");
  const grid = sweepGrid(parameters);
  const shardPoints = shard ? (await import("../shards.js")).shardPoints : undefined;
  const indices = shard && shardPoints ? shardPoints(shard, grid.length) : grid.map((_, k) => k);
  // With --workers, the threads start loading their modules now, while the points load; by
  // default, as soon as the first point shows the work is large (as many points as it), else
  // once every point's work is counted.
  let pool = args.workers === undefined ? undefined : await startPool(args.workers);
  try {
    // Every point is validated before anything is written; the threads start on the runs of the
    // points loaded so far while the main thread loads the rest (it runs none itself until then).
    const base = { seed: args.seed, replications: args.replications };
    const points: LoadedScenario[] = [];
    // The work of the modes that run (--mode), not of every mode.
    const chosen = listOption(args.mode).length;
    const scope = chosen ? { modes: chosen } : {};
    let sweeping: Sweeping | undefined;
    const running = new Map<number, Promise<Settled<PointResult>>>();
    const submit = (): void => {
      if (!pool || !sweeping || sweeping.unpricedSoFar) return;
      for (let n = 0; n < indices.length; n++) {
        const k = indices[n] as number;
        if (k < points.length && !running.has(k)) running.set(k, settle(sweeping.runPoint(pool, k)));
      }
    };
    for (const values of grid) {
      points.push(...(await loadAll([args.scenario], { ...base, sets: [...args.set, ...pointSets(parameters, values)] })));
      if (points.length === 1) {
        sweeping = await sweepOf(args, { grid, points, metricNames });
        if (pool === undefined) {
          const guess = poolWork(estimateSize(points[0] as LoadedScenario, scope)) * indices.length;
          if (guess >= SMALL_WORK) pool = await startPool(undefined, guess);
        }
        pool?.holdMain(true);
      }
      if (sweeping?.unpricedSoFar && pricesAnything((points[points.length - 1] as LoadedScenario).scenario)) sweeping.unpricedSoFar = false;
      submit();
      // Loading reads and parses without waiting on anything: let the pool hand the queued runs out (and take replies) between points.
      if (pool) await new Promise((resolve) => setImmediate(resolve));
    }
    pool ??= await startPool(undefined, indices.reduce((n, k) => n + poolWork(estimateSize(points[k] as LoadedScenario, scope)), 0));
    pool.holdMain(true);
    checkPriced(sweeping as Sweeping);
    submit();
    await sweepWith(args, { parameters, grid, indices, points, metricNames, formats, shard }, sweeping as Sweeping, pool, running);
  } finally {
    await pool?.close();
  }
}

interface SweepPlan {
  readonly parameters: readonly SweepParameter[];
  readonly grid: readonly string[][];
  /** The grid points this process runs (all, or a shard's). */
  readonly indices: readonly number[];
  /** The scenario loaded at every grid point. */
  readonly points: readonly LoadedScenario[];
  readonly metricNames: readonly string[];
  readonly formats: readonly string[];
  readonly shard?: Shard;
}

/** A promise's outcome, kept so that a failure before anyone awaits it is not an unhandled rejection. */
type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };
const settle = <T>(p: Promise<T>): Promise<Settled<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
const unsettle = <T>(s: Settled<T>): T => {
  if (!s.ok) throw s.error;
  return s.value;
};

/** What the first point fixes for every point (metrics, modes) and how a point's runs go to the pool. */
interface Sweeping {
  readonly metrics: MetricRef[];
  readonly modes: string[];
  /** Queues point k's runs; resolves to its summary once they are done. */
  runPoint(pool: Pool, k: number): Promise<PointResult>;
  /**
   * A cost metric is asked for and no point loaded so far prices anything: no run starts until
   * every point is loaded and one does (checkPriced), so a sweep that would read $0 everywhere
   * exits 2 before any run.
   */
  unpricedSoFar: boolean;
  /** Runs queued so far, runs done (a run that goes as n chunks counts 1/n per chunk), and how progress is shown. */
  total: number;
  done: number;
  onProgress: ((done: number) => void) | undefined;
}

/** Checks the metrics and modes against the first point (exit 2 before any run) and returns how points run. */
async function sweepOf(args: SweepArgs, plan: Pick<SweepPlan, "grid" | "points" | "metricNames">): Promise<Sweeping> {
  const { grid, points, metricNames } = plan;
  const { METRICS, assembleExperiment, experimentTasks, parseMetric, pointResult, suggestMetric, unknownModes } = await import("../../experiment/index.js");
  const { estimateSize } = await import("../../experiment/estimate.js");
  const first = points[0] as LoadedScenario;
  const appNames = first.scenario.apps.map((a) => a.name);
  const metrics: MetricRef[] = metricNames.map((name) => {
    const ref = parseMetric(name, appNames);
    if (ref) return ref;
    const near = suggestMetric(name, appNames);
    const expected = near.length ? `a known metric (did you mean ${near.join(", ")}?)` : `one of ${METRICS.slice(0, 5).join(", ")}, ... or apps.<app>.<metric> (see the README's Metrics)`;
    throw new UsageError(`--metric ${name}: expected ${expected}, found an unknown metric`);
  });
  const modes = listOption(args.mode);
  const missing = unknownModes(first, modes);
  if (missing.length) throw new UsageError(`--mode: expected modes the scenario compares, found ${missing.join(",")}`);
  const selected = modes.length ? modes : undefined;
  const sweeping: Sweeping = {
    metrics,
    modes,
    // Until a loaded point prices something (the loading loop notes each point, this one first).
    unpricedSoFar: metrics.some((m) => m.info.unit.startsWith("usd")),
    total: 0,
    done: 0,
    onProgress: undefined,
    // Each point is summed up (and its runs' outputs let go) as soon as its last run is done; the heaviest queued points go first.
    runPoint: async (pool, k) => {
      const l = points[k] as LoadedScenario;
      const tasks = experimentTasks(l, selected);
      sweeping.total += tasks.length;
      const outputs = await pool.run(
        tasks.map((t) => ({ scenario: l, mode: t.mode, replication: t.replication })),
        {
          weight: estimateSize(l).events,
          onProgress: (r) => {
            sweeping.done += r;
            sweeping.onProgress?.(sweeping.done);
          },
        },
      );
      return pointResult(assembleExperiment(l, tasks, outputs, { modes: selected }).results, grid[k] as string[], metrics);
    },
  };
  return sweeping;
}

/** Once every point is loaded: exits 2 when a cost metric is asked for and no point prices anything (every cost would read $0). */
function checkPriced(sweeping: Sweeping): void {
  const unpriced = sweeping.metrics.find((m) => m.info.unit.startsWith("usd"));
  if (unpriced && sweeping.unpricedSoFar)
    throw new UsageError(
      `--metric ${unpriced.name}${unpriced.name === DEFAULT_METRIC ? " (the default)" : ""}: expected a scenario with prices, found none (no ${PRICE_FIELDS}), so every cost would read $0; give the hosts a cost (hosts[].cost: { monthly: 900 }) or pick another metric, e.g. --metric hosts.used`,
    );
}

async function sweepWith(args: SweepArgs, plan: SweepPlan, sweeping: Sweeping, pool: Pool, running: ReadonlyMap<number, Promise<Settled<PointResult>>>): Promise<void> {
  const { parameters, grid, indices, points, metricNames, formats, shard } = plan;
  const { sweepHeader, assembleSweep } = await import("../../experiment/index.js");
  const { metrics, modes } = sweeping;
  const first = points[0] as LoadedScenario;

  // Beside the run's report, not in it. The hash covers the scenario at every point, after --set.
  const hash = createHash("sha256").update(points.map((l) => l.hash).join(",")).digest("hex");
  const folder = sweepFolderName(first.scenario.name, parameters, metricNames);
  const chosen = chooseFolderName(folder, { name: args.name, variant: args.set.length > 0 || modes.length > 0, hash, modes });
  const dir = join(args.out, shard ? `${chosen}.shard-${shard.index}-of-${shard.count}` : chosen);
  checkReportFolder(dir, { force: args.force });

  const total = sweeping.total;
  if (!shard) loadWhileRunning(chartModules(formats));
  const progress = await progressBar(args.quiet || args.json, `${first.scenario.name} sweep`, "runs");
  progress.update(sweeping.done, total);
  sweeping.onProgress = (done) => progress.update(done, total);
  // Every point is loaded and checked: the main thread runs tasks too now.
  pool.holdMain(false);
  const outcomes: PointResult[] = [];
  for (const k of indices) outcomes.push(unsettle(await (running.get(k) as Promise<Settled<PointResult>>)));
  progress.stop();
  const header = sweepHeader(parameters, first, metrics, args.set);

  if (shard) {
    const { shardJson } = await import("../shards.js");
    const { TOOL_VERSION } = await import("../../experiment/experiment.js");
    const text = shardJson({
      densimSweepShard: 1,
      tool: { name: "densim", version: TOOL_VERSION },
      shard,
      hash,
      points: grid.length,
      folder: chosen,
      modes,
      header,
      results: indices.map((index, k) => ({ index, outcome: outcomes[k] as PointResult })),
    });
    await writeReport(dir, [["sweep-shard.json", text]], { command: "sweep", force: args.force });
    if (args.json) process.stdout.write(text);
    else
      process.stdout.write(
        `Shard ${shard.index}/${shard.count}: ${indices.length} of ${grid.length} points in ${dir}/sweep-shard.json\nWhen every shard is done: densim merge ${join(args.out, `${chosen}.shard-*-of-${shard.count}`)}\n`,
      );
    return;
  }
  const results = assembleSweep(header, outcomes);
  await writeSweepReport(results, formats, dir, { force: args.force, json: args.json });
}

/** The modules `writeSweepReport` imports for `formats` (the renderers only for SVG or PNG). */
const chartModules = (formats: readonly string[]): Promise<unknown>[] => [
  import("../../report/charts/sweep.js"),
  import("../../report/spec-json.js"),
  import("../../report/format.js"),
  import("../../report/metric-words.js"),
  ...(formats.includes("svg") || formats.includes("png") ? [import("../../report/render.js")] : []),
];

/** Writes a sweep's files (sweep.json, a chart per metric) into `dir` and prints its tables (or the JSON with --json). */
export async function writeSweepReport(results: SweepResults, formats: readonly string[], dir: string, options: { force: boolean; json: boolean }): Promise<void> {
  const wanted = new Set(formats);
  const files: [string, string | Uint8Array][] = [];
  if (wanted.has("json")) files.push(["sweep.json", `${JSON.stringify(results, null, 2)}\n`]);
  const { sweepChart } = await import("../../report/charts/sweep.js");
  const { specJson } = await import("../../report/spec-json.js");
  const render = wanted.has("svg") || wanted.has("png") ? await import("../../report/render.js") : undefined;
  for (const m of results.metrics) {
    const spec = sweepChart(results, m.name);
    const stem = `sweep-${safeSlug(m.name)}`;
    if (wanted.has("json")) files.push([`${stem}.vl.json`, specJson(spec)]);
    const svg = render ? await render.renderSvg(spec) : "";
    if (wanted.has("svg")) files.push([`${stem}.svg`, svg]);
    if (wanted.has("png") && render) files.push([`${stem}.png`, render.renderPng(svg)]);
  }
  if (files.length) await writeReport(dir, files, { command: "sweep", force: options.force });
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  const tables = await Promise.all(results.metrics.map((m) => sweepTable(results, m.name)));
  const where = files.length ? `Files in ${dir}/: ${files.map(([n]) => n).join(", ")}\n` : "";
  process.stdout.write(`${tables.join("\n")}\n${where}`);
}

/**
 * One metric as a table: a column per value of the first parameter, a row per mode (and per
 * combination of the other parameters' values), each cell the summary with its unit.
 */
export async function sweepTable(results: SweepResults, metric: string): Promise<string> {
  const { formatSummary, plural } = await import("../../report/format.js");
  const { metricHeading } = await import("../../report/metric-words.js");
  const info = results.metrics.find((m) => m.name === metric);
  const [xParam, ...rest] = results.parameters;
  if (!info || !xParam) throw new Error(`sweepTable: no metric ${metric} or no parameter`);
  const perColumn = rest.reduce((n, p) => n * p.values.length, 1);
  const header = ["mode", ...rest.map((p) => p.path), ...xParam.values];
  const rows: string[][] = [];
  for (const [mode, m] of Object.entries(results.modes)) {
    for (let r = 0; r < perColumn; r++) {
      const point = m.points[r];
      rows.push([
        mode,
        ...rest.map((_, k) => point?.values[k + 1] ?? ""),
        ...xParam.values.map((_, c) => formatSummary(m.points[c * perColumn + r]?.metrics[metric], info.unit)),
      ]);
    }
  }
  const labelColumns = 1 + rest.length;
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] ?? "").length)));
  const line = (row: readonly string[]): string =>
    row.map((v, c) => (c < labelColumns ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join("  ").trimEnd();
  const heading = `${results.scenario.name}: ${metricHeading(info.label, info.unit)} [${metric}]`;
  const columns = `columns: ${xParam.path}; a row per mode${rest.length ? ` and ${rest.map((p) => p.path).join(", ")}` : ""}; ${plural(results.replications, "replication")} each, ±: 95% CI`;
  return `${heading}\n${columns}\n\n${[line(header), ...rows.map(line)].join("\n")}\n`;
}
