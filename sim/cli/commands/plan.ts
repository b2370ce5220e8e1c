/**
 * `densim plan <scenario>`: per mode, the fewest hosts that place every instance and meet the
 * scenario's SLOs, their cost per month and a ranking; or, with `--vary path=lo..hi`, where one
 * integer parameter stops meeting a `--target`. Prints each probe as it runs, then the answer, and
 * writes `<out>/<name>.plan/` (plan.json and the chart).
 */
import { join } from "node:path";
import type { Argv } from "yargs";
import type { LoadedScenario } from "../../scenario/index.js";
import { listOption, UsageError } from "../io.js";
import { checkReportFolder, writeReport } from "../report-files.js";
import { checkFolderName, chooseFolderName } from "../report-names.js";
import { scenarioLoader } from "../scenarios.js";
import { loadWhileRunning, startPool, workersOf, WORKERS_OPTION } from "../workers.js";
import type { Pool } from "../../experiment/pool.js";
import type { ProbeRunner } from "../../experiment/plan.js";
import type { ModeResult } from "../../experiment/results.js";

interface PlanArgs {
  scenario: string;
  "max-hosts"?: number;
  vary?: string;
  target?: string;
  strict: boolean;
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
}

/** The default ceiling of the host search: 64, or 4x the scenario's hosts if that is more. */
const DEFAULT_MAX_HOSTS = 64;

export const planCommand = {
  command: "plan <scenario>",
  describe: "Fewest hosts per mode that place everything and meet the SLOs, their cost, a ranking; or --vary to goal-seek",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "Scenario file" })
      .option("max-hosts", { type: "number", describe: `Largest host count to try (default ${DEFAULT_MAX_HOSTS}, or 4x the scenario's hosts if more)` })
      .option("vary", { type: "string", describe: "Goal-seek one integer parameter instead: path=lo..hi, e.g. apps.web.replicas=1..200" })
      .option("target", { type: "string", describe: "What must hold instead of the scenario's SLOs: metric<=value or metric>=value, e.g. apps.web.slowdown.p99<=1.5" })
      .option("strict", { type: "boolean", default: false, describe: "Judge on the 95% CI's pessimistic end, not the mean" })
      .option("mode", { type: "string", array: true, default: [], describe: "Only these modes" })
      .option("set", { type: "string", array: true, default: [], describe: "Override a field: path=value" })
      .option("seed", { type: "number", describe: "Override the scenario seed" })
      .option("replications", { type: "number", describe: "Override the number of replications per probe" })
      .option("out", { type: "string", default: "reports", describe: "Report root: files go to <out>/<name>.plan/" })
      .option("json", { type: "boolean", default: false, describe: "Print plan.json on stdout and nothing else there" })
      .option("format", { type: "string", array: true, default: ["json", "svg"], describe: "Files besides plan.json: json (the chart's spec), svg, png" })
      .option("name", { type: "string", describe: "Report folder name under --out (default: <name>.plan, @<hash> with --set or --mode)" })
      .option("force", { type: "boolean", default: false, describe: "Write into a folder densim did not write; deletes no file it did not write" })
      .option("workers", WORKERS_OPTION)
      .option("shard", { type: "string", describe: "Not for plan: a plan's probes depend on earlier probes' verdicts (exits 2 with the reason)" }),
  handler: async (args: PlanArgs): Promise<void> => {
    await plan(args);
  },
};

function checkInteger(flag: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UsageError(`${flag}: expected an integer >= ${min}, found ${String(v)}`);
}

/** `path=lo..hi` with integers lo <= hi. */
export function parseVary(text: string): { path: string; lo: number; hi: number } {
  const m = /^\s*([^=\s]+)\s*=\s*(-?[0-9]+)\s*\.\.\s*(-?[0-9]+)\s*$/.exec(text);
  if (!m) throw new UsageError(`--vary: expected path=lo..hi with integers, e.g. --vary apps.web.replicas=1..200, found ${JSON.stringify(text)}`);
  const [, path = "", loText = "", hiText = ""] = m;
  const lo = Number(loText);
  const hi = Number(hiText);
  if (lo > hi) throw new UsageError(`--vary ${text}: expected lo <= hi, found ${lo} > ${hi}`);
  return { path, lo, hi };
}

export async function plan(args: PlanArgs): Promise<void> {
  checkInteger("--max-hosts", args["max-hosts"], 1);
  checkInteger("--seed", args.seed, 0);
  checkInteger("--replications", args.replications, 1);
  workersOf(args.workers); // checked before anything loads
  if (args.shard !== undefined) {
    const { parseShard } = await import("../shards.js");
    parseShard(args.shard);
    throw new UsageError(
      `--shard ${args.shard}: a plan cannot be split into shards: each probe's value depends on the verdicts of the probes before it (a bisection), so there is no fixed set of points to divide; use --workers to run the probes' replications and modes on every core, or run one --mode per machine`,
    );
  }
  const formats = listOption(args.format);
  const bad = formats.filter((f) => !["json", "svg", "png"].includes(f));
  if (bad.length) throw new UsageError(`--format: expected some of json,svg,png, found unknown format ${bad.join(", ")}`);
  const vary = args.vary === undefined ? undefined : parseVary(args.vary);
  if (vary && args["max-hosts"] !== undefined) throw new UsageError(`--max-hosts: expected no --max-hosts with --vary (its range is lo..hi), found --max-hosts ${args["max-hosts"]}`);

  // With --workers, the threads start loading their modules now, while the scenario loads.
  let pool = args.workers === undefined ? undefined : await startPool(args.workers);
  try {
    await planWith(args, formats, vary, async (events) => (pool ??= await startPool(undefined, events)));
  } finally {
    await pool?.close();
  }
}

/** Probes a plan runs per mode, roughly (a doubling and a bisection): to size the default pool. */
const PROBES_PER_MODE = 12;

async function planWith(args: PlanArgs, formats: string[], vary: ReturnType<typeof parseVary> | undefined, poolFor: (events: number) => Promise<Pool>): Promise<void> {
  // Each probe runs one mode; its size is estimated against the --max-* limits before it runs.
  const userLoad = await scenarioLoader(args.scenario, { sets: args.set, seed: args.seed, replications: args.replications }, { modes: 1, name: "one probe (one mode)" });
  // Issues from the plan's own override are the flag's: `--vary apps.web.replicas=0..9 (at 9)`,
  // or the host search's: `plan probe hosts.0.count=512`.
  const load = (sets: readonly string[]): LoadedScenario => {
    try {
      return userLoad(sets);
    } catch (e) {
      if (!(e instanceof UsageError) || sets.length === 0) throw e;
      const where = (set: string): string => (vary ? `--vary ${args.vary} (at ${set.slice(set.indexOf("=") + 1)})` : `plan probe ${set}`);
      const issues = e.issues.map((i) => {
        const set = sets.find((s) => i.where === `--set ${s}`);
        return set === undefined ? i : { ...i, where: where(set) };
      });
      if (vary) throw new UsageError(e.message, issues);
      throw new UsageError(`the plan's probe at ${sets.join(", ")} is refused, so the plan stopped there; lower --max-hosts or raise the limit named above`, issues);
    }
  };
  const base = load([]);
  const { parseTarget, runPlan, unknownModes } = await import("../../experiment/index.js");
  const modes = listOption(args.mode);
  const missing = unknownModes(base, modes);
  if (missing.length) throw new UsageError(`--mode: expected modes the scenario compares, found ${missing.join(",")}`);
  let objectives;
  if (args.target !== undefined) {
    const t = parseTarget(args.target, base.scenario.apps.map((a) => a.name));
    if (typeof t === "string") throw new UsageError(`--target ${args.target}: ${t}`);
    objectives = [t];
  }
  const scenarioHosts = base.scenario.hosts.reduce((n, h) => n + h.count, 0);
  const maxHosts = args["max-hosts"] ?? Math.max(DEFAULT_MAX_HOSTS, 4 * scenarioHosts);
  const search = vary ? ({ kind: "vary", ...vary } as const) : ({ kind: "hosts", maxHosts } as const);
  // Both ends first, so a value the scenario refuses fails before anything runs.
  if (vary) for (const v of [vary.lo, vary.hi]) load([`${vary.path}=${v}`]);
  if (args.name !== undefined) checkFolderName(args.name);
  const folder = vary ? `${base.scenario.name}.plan-${vary.path.replace(/[^A-Za-z0-9.-]+/g, "_")}` : `${base.scenario.name}.plan`;
  const dir = join(args.out, chooseFolderName(folder, { name: args.name, variant: args.set.length > 0 || modes.length > 0, hash: base.hash, modes }));
  checkReportFolder(dir, { force: args.force });

  const { estimateSize, poolWork } = await import("../../experiment/estimate.js");
  const { assembleExperiment, experimentTasks } = await import("../../experiment/experiment.js");
  const size = estimateSize(base);
  const pool = await poolFor((poolWork(size) / Math.max(1, size.modes)) * PROBES_PER_MODE * (modes.length || size.modes));
  /** A probe's replications as tasks on the pool; the modes' searches run side by side, so the pool has every mode's to run. */
  const runProbe: ProbeRunner = async (loaded, mode, strict) => {
    const tasks = experimentTasks(loaded, [mode]);
    const outputs = await pool.run(tasks.map((t) => ({ scenario: loaded, mode: t.mode, replication: t.replication })));
    return { mode: assembleExperiment(loaded, tasks, outputs, { modes: [mode], strict }).results.modes[mode] as ModeResult, runs: outputs };
  };
  const { planHeading, planTable, probeLine } = await import("../../report/plan.js");
  // The chart's modules (and the renderer's, for SVG or PNG) load while the probes run.
  const chart = import("../../report/charts/plan.js");
  const specs = import("../../report/spec-json.js");
  const render = formats.includes("svg") || formats.includes("png") ? import("../../report/render.js") : undefined;
  loadWhileRunning([chart, specs, ...(render ? [render] : [])]);
  const modeWidth = Math.max(4, ...(modes.length ? modes : Object.keys(base.scenario.modes ?? { microvm: 0 })).map((m) => m.length));
  let headed = false;
  const result = await runPlan(load, search, {
    runProbe,
    modes: modes.length ? modes : undefined,
    strict: args.strict,
    objectives,
    onProbe: (p, frame) => {
      if (args.json) return;
      if (!headed) process.stdout.write(`${planHeading(frame)}\n\nProbes:\n`);
      headed = true;
      process.stdout.write(`${probeLine(frame, p, modeWidth)}\n`);
    },
  });

  const json = `${JSON.stringify(result, null, 2)}\n`;
  const spec = (await chart).planChart(result);
  const files: [string, string | Uint8Array][] = [["plan.json", json]];
  const renderer = await render;
  const svg = renderer ? await renderer.renderSvg(spec) : "";
  if (formats.includes("svg")) files.push(["plan.svg", svg]);
  if (formats.includes("png") && renderer) files.push(["plan.png", renderer.renderPng(svg)]);
  if (formats.includes("json")) files.push(["plan.vl.json", (await specs).specJson(spec)]);
  await writeReport(dir, files, { command: "plan", force: args.force });

  if (args.json) {
    process.stdout.write(json);
    return;
  }
  process.stdout.write(`\nPlan:\n${planTable(result)}\nFiles in ${dir}/: ${files.map(([n]) => n).join(", ")}\n`);
}
