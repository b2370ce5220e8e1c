/**
 * Sweep on every core (issue 11): an 8-point sweep of scenarios/batch-jobs.yaml run with
 * `--workers 1` and `--workers 2`, each in its own process (bench/sweep-case.ts), alternately and
 * several times; prints wall and CPU time (best and median), the speed-up, and whether every
 * run's sweep.json is byte-identical. Before each sweep pair, a control spreads a fixed amount of
 * pure computation over 1 and then 2 threads: its speed-up is what the machine gives two threads
 * of one process at that moment (about 2 on a quiet 2-core machine; about 1 when other sessions
 * keep the cores busy), so a sweep's speed-up can be read against it. Never asserts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatBytes } from "../sim/units/format.js";

/** The sweep: 8 values of the ETL jobs' arrival rate, over 7 days (a point is ~1 s of one core here: 3 modes x 5 replications). */
export const SWEEP_ARGS: readonly string[] = [
  "sweep",
  "scenarios/batch-jobs.yaml",
  "--vary",
  "apps.etl.arrivals.rate=16/h,20/h,24/h,28/h,32/h,36/h,40/h,44/h",
  "--set",
  "horizon=7d",
  "--metric",
  "jobs.turnaround.p95,cost.monthly.total",
  "--format",
  "json",
  "--quiet",
  "--force",
];

interface Timed {
  readonly wallS: number;
  readonly cpuS: number;
  readonly maxRssBytes: number;
}

const CASE = fileURLToPath(new URL("./sweep-case.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function timed(args: readonly string[]): Timed {
  const t0 = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [CASE, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const r = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as { code?: number; userS: number; sysS: number; maxRssBytes: number };
  if (child.status !== 0 || r.code !== 0) throw new Error(`sweep-case ${args.join(" ")}: exit ${child.status}/${r.code}\n${child.stderr}`);
  return { wallS, cpuS: r.userS + r.sysS, maxRssBytes: r.maxRssBytes };
}

/** The one sweep.json a sweep wrote under `out`. */
function sweepJson(out: string): string {
  const [folder] = readdirSync(out);
  if (folder === undefined) throw new Error(`no sweep report under ${out}`);
  return readFileSync(join(out, folder, "sweep.json"), "utf8");
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const best = (xs: readonly number[]): number => Math.min(...xs);

export async function benchSweep(args: readonly string[] = process.argv.slice(2)): Promise<string> {
  const repsArg = args.find((a) => a.startsWith("--sweep-reps="));
  const reps = repsArg ? Math.max(1, Number(repsArg.slice("--sweep-reps=".length))) : 3;
  const tmp = mkdtempSync(join(tmpdir(), "densim-bench-sweep-"));
  const runs: Record<"1" | "2", Timed[]> = { "1": [], "2": [] };
  const spins: Record<"1" | "2", Timed[]> = { "1": [], "2": [] };
  const loads: number[] = [];
  const texts = new Set<string>();
  try {
    for (let k = 0; k < reps; k++) {
      loads.push(loadavg()[0] ?? 0);
      for (const w of ["1", "2"] as const) {
        spins[w].push(timed(["--spin", w]));
        const out = join(tmp, `w${w}-${k}`);
        runs[w].push(timed([...SWEEP_ARGS, "--workers", w, "--out", out]));
        texts.add(sweepJson(out));
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const row = (label: string, xs: readonly Timed[]): string =>
    `| ${label} | ${best(xs.map((x) => x.wallS)).toFixed(2)} | ${median(xs.map((x) => x.wallS)).toFixed(2)} | ${best(xs.map((x) => x.cpuS)).toFixed(2)} | ${median(xs.map((x) => x.cpuS)).toFixed(2)} | ${formatBytes(Math.max(...xs.map((x) => x.maxRssBytes)))} |`;
  const ratio = (pick: (xs: readonly number[]) => number, xs: Record<"1" | "2", Timed[]>): string =>
    (pick(xs["1"].map((x) => x.wallS)) / pick(xs["2"].map((x) => x.wallS))).toFixed(2);
  const perRep = runs["1"].map((r, k) => (r.wallS / (runs["2"][k] as Timed).wallS).toFixed(2)).join(", ");
  const perRepSpin = spins["1"].map((r, k) => (r.wallS / (spins["2"][k] as Timed).wallS).toFixed(2)).join(", ");
  return [
    `\`densim ${SWEEP_ARGS.join(" ")} --workers N\` (8 points x 3 modes x 5 replications = 120 runs), ${reps} times each, alternating; load average (1 min) before each pair: ${loads.map((l) => l.toFixed(1)).join(", ")}`,
    "",
    "| case | wall s best | wall s median | CPU s (user+sys) best | CPU s median | max RSS |",
    "|---|---:|---:|---:|---:|---:|",
    row("sweep, --workers 1", runs["1"]),
    row("sweep, --workers 2", runs["2"]),
    row("control: fixed pure computation, 1 thread", spins["1"]),
    row("control: the same split over 2 threads", spins["2"]),
    "",
    `Sweep speed-up (wall, --workers 1 / --workers 2): best ${ratio(best, runs)}, median ${ratio(median, runs)} (per pair: ${perRep}).`,
    `Control speed-up, the most two threads could gain at the time: best ${ratio(best, spins)}, median ${ratio(median, spins)} (per pair: ${perRepSpin}).`,
    `sweep.json byte-identical across all ${2 * reps} runs: ${texts.size === 1 ? "yes" : `NO (${texts.size} different files)`}.`,
    "Wall time includes starting Node and writing the report. CPU time counts every thread of the process (simulation threads, V8's compiler and GC threads).",
  ].join("\n");
}
