/**
 * `densim sweep <scenario> --vary path=v1,v2,...`: the scenario at each value of one parameter,
 * every mode each time; prints one metric per mode and value, and writes the sweep's JSON and chart.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Argv } from "yargs";
import { listOption, UsageError } from "../io.js";
import { loadAll } from "../scenarios.js";
import { checkReportFolder, writeReport } from "../report-files.js";
import { checkFolderName, chooseFolderName } from "../report-names.js";

interface SweepArgs {
  scenario: string;
  vary: string;
  metric: string;
  mode: string[];
  set: string[];
  seed?: number;
  replications?: number;
  out: string;
  json: boolean;
  format: string[];
  name?: string;
  force: boolean;
}

export const sweepCommand = {
  command: "sweep <scenario>",
  describe: "Run a scenario at each value of one parameter and chart a metric per mode",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "Scenario file" })
      .option("vary", { type: "string", demandOption: true, describe: "path=v1,v2,... e.g. apps.erp.replicas=16,18,20,22,24" })
      .option("metric", { type: "string", default: "cost.monthly.total", describe: "Metric to print and chart (see README)" })
      .option("mode", { type: "string", array: true, default: [], describe: "Only these modes" })
      .option("set", { type: "string", array: true, default: [], describe: "Override a field: path=value" })
      .option("seed", { type: "number", describe: "Override the scenario seed" })
      .option("replications", { type: "number", describe: "Override the number of replications" })
      .option("out", { type: "string", default: "reports", describe: "Report root: files go to <out>/<name>/" })
      .option("json", { type: "boolean", default: false, describe: "Print the sweep JSON on stdout" })
      .option("format", { type: "string", array: true, default: ["json", "svg"], describe: "Files: json, svg, png" })
      .option("name", { type: "string", describe: "Report folder name under --out (default: <name>.sweep-<path>-<metric>, @<hash> with --set or --mode)" })
      .option("force", { type: "boolean", default: false, describe: "Write into a folder densim did not write; deletes no file it did not write" }),
  handler: async (args: SweepArgs): Promise<void> => {
    const eq = args.vary.indexOf("=");
    if (eq <= 0) throw new UsageError("--vary expects path=v1,v2,..., e.g. --vary apps.web.replicas=10,20,40");
    const parameter = args.vary.slice(0, eq).trim();
    const values = args.vary.slice(eq + 1).split(",").map((v) => v.trim()).filter((v) => v !== "");
    if (values.length < 2) throw new UsageError("--vary needs at least two values");
    if (args.name !== undefined) checkFolderName(args.name);
    const { METRICS, runSweep, unknownModes } = await import("../../experiment/index.js");
    if (!(METRICS as readonly string[]).includes(args.metric)) throw new UsageError(`--metric: unknown metric ${args.metric}; expected one of: ${METRICS.join(", ")}`);
    const base = { seed: args.seed, replications: args.replications };
    // Validate every value before running any, so a bad value costs nothing.
    const loaded = await Promise.all(values.map((v) => loadAll([args.scenario], { ...base, sets: [...args.set, `${parameter}=${v}`] })));
    const byValue = new Map(values.map((v, k) => [v, loaded[k]?.[0]]));
    const modes = listOption(args.mode);
    const first = loaded[0]?.[0];
    if (first) {
      const missing = unknownModes(first, modes);
      if (missing.length) throw new UsageError(`--mode ${missing.join(",")}: the scenario compares no such mode`);
    }
    // Beside the run's report, not in it. The hash covers the scenario at every value, after --set.
    const hash = createHash("sha256").update(loaded.map((l) => l[0]?.hash ?? "").join(",")).digest("hex");
    const folderBase = `${first?.scenario.name ?? "sweep"}.sweep-${parameter.replace(/[^A-Za-z0-9.-]+/g, "_")}-${args.metric}`;
    const dir = join(args.out, chooseFolderName(folderBase, { name: args.name, variant: args.set.length > 0 || modes.length > 0, hash, modes }));
    checkReportFolder(dir, { force: args.force });
    const sweep = runSweep(
      (o) => {
        const v = (o.sets ?? []).at(-1)?.slice(parameter.length + 1) ?? "";
        const l = byValue.get(v);
        if (!l) throw new Error(`sweep: value ${v} was not loaded`);
        return l;
      },
      parameter,
      values,
      { modes: modes.length ? modes : undefined },
    );
    const { sweepChart, renderSvg, renderPng, specJson } = await import("../../report/index.js");
    const spec = sweepChart(sweep, args.metric);
    const formats = new Set(listOption(args.format));
    const base2 = "sweep";
    const files: [string, string | Uint8Array][] = [];
    if (formats.has("json")) files.push([`${base2}.json`, `${JSON.stringify(sweep, null, 2)}\n`], [`${base2}-${args.metric}.vl.json`, specJson(spec)]);
    const svg = formats.has("svg") || formats.has("png") ? await renderSvg(spec) : "";
    if (formats.has("svg")) files.push([`${base2}-${args.metric}.svg`, svg]);
    if (formats.has("png")) files.push([`${base2}-${args.metric}.png`, renderPng(svg)]);
    await writeReport(dir, files, { command: "sweep", force: args.force });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(sweep, null, 2)}\n`);
      return;
    }
    const header = ["mode", ...values.map((v) => `${parameter}=${v}`)];
    const rows = Object.entries(sweep.modes).map(([m, r]) => [m, ...r.points.map((p) => fmt(p.summary[args.metric]?.mean ?? NaN))]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
    const line = (r: readonly string[]): string => r.map((v, c) => (c === 0 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join("  ");
    process.stdout.write(`${sweep.scenario.name}: ${args.metric} across ${parameter}\n\n${[line(header), ...rows.map(line)].join("\n")}\n\nFiles in ${dir}/: ${files.map(([n]) => n).join(", ")}\n`);
  },
};

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
