/**
 * Sweep on every core (issue 11): 8-point sweeps of scenarios/batch-jobs.yaml (points of about
 * 0.6 s, 2 s and 5 s) run with `--workers 1` and `--workers 2`, each in its own process
 * (bench/sweep-case.ts), alternately and several times (5 by default); prints wall and CPU time
 * (best and median), the speed-up (of the best and median times, and each pair's with their mean
 * and its 95% confidence interval), and whether every run's sweep.json is byte-identical (`-- --sweep-reps=N`,
 * `-- --sweep-horizons=7d,21d,60d`). Before each sweep run, a control spreads a fixed amount of
 * pure computation over 1 and then 2 threads: its speed-up is what the machine gives two threads
 * of one process at that moment (about 2 on a quiet 2-core machine; about 1 when other sessions
 * keep the cores busy), so a sweep's speed-up can be read against it. Never asserts.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { summarise } from "../sim/experiment/stats.js";
import { formatBytes } from "../sim/units/format.js";

/** The sweep at `horizon`: 8 values of the ETL jobs' arrival rate, 3 modes x 5 replications a point, the default formats (sweep.json, a chart per metric). */
export const sweepArgs = (horizon: string): string[] => [
  "sweep",
  "scenarios/batch-jobs.yaml",
  "--vary",
  "apps.etl.arrivals.rate=16/h,20/h,24/h,28/h,32/h,36/h,40/h,44/h",
  "--set",
  `horizon=${horizon}`,
  "--metric",
  "jobs.turnaround.p95,jobs.inSystem.mean",
  "--quiet",
  "--force",
];

/**
 * Horizons: a point is about 0.6 s, 2 s, then 5 s of one core here (--workers 1, quiet machine), so
 * the table shows how the speed-up grows with the points' length (each thread compiles the
 * simulator for itself, about a second of CPU however long the sweep).
 */
const HORIZONS = ["7d", "21d", "60d"] as const;

interface Timed {
  readonly wallS: number;
  readonly cpuS: number;
  readonly maxRssBytes: number;
  /** CPU time the rest of the machine used meanwhile (Linux /proc/stat; undefined elsewhere). */
  readonly othersS?: number;
  /** CPU time of the process's main thread (Linux /proc/PID/task, polled; undefined elsewhere). */
  readonly mainS?: number;
}

/** CPU time (s) of each thread of process `pid` now, by thread id (Linux; empty elsewhere or once it has exited). */
function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      // After the name in parentheses: state, then fields 4.. of proc(5); utime and stime are fields 14 and 15.
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      out.set(Number(tid), (Number(f[11]) + Number(f[12])) / 100);
    }
  } catch {
    // Gone, or no /proc: what was read so far stands.
  }
  return out;
}

/** CPU time all cores spent busy since boot (s), from /proc/stat's first line (USER_HZ = 100); undefined where there is none. */
function machineBusyS(): number | undefined {
  try {
    const fields = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const busy = fields.slice(0, 8).reduce((n, v, k) => (k === 3 || k === 4 ? n : n + v), 0);
    return Number.isFinite(busy) && fields.length >= 8 ? busy / 100 : undefined;
  } catch {
    return undefined;
  }
}

const CASE = fileURLToPath(new URL("./sweep-case.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

async function timed(args: readonly string[]): Promise<Timed> {
  const busy0 = machineBusyS();
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [CASE, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  // The main thread's CPU time, polled while it runs (its last reading before the exit).
  let mainS: number | undefined;
  const poll = setInterval(() => {
    const main = child.pid === undefined ? undefined : threadCpu(child.pid).get(child.pid);
    if (main !== undefined) mainS = main;
  }, 50);
  const status = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("close", resolve));
  clearInterval(poll);
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const busy1 = machineBusyS();
  const r = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { code?: number; userS: number; sysS: number; maxRssBytes: number };
  if (status !== 0 || r.code !== 0) throw new Error(`sweep-case ${args.join(" ")}: exit ${status}/${r.code}\n${stderr}`);
  const cpuS = r.userS + r.sysS;
  return {
    wallS,
    cpuS,
    maxRssBytes: r.maxRssBytes,
    ...(busy0 !== undefined && busy1 !== undefined ? { othersS: Math.max(0, busy1 - busy0 - cpuS) } : {}),
    ...(mainS !== undefined ? { mainS } : {}),
  };
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

type ByWorkers = Record<"1" | "2", Timed[]>;

export async function benchSweep(args: readonly string[] = process.argv.slice(2)): Promise<string> {
  const repsArg = args.find((a) => a.startsWith("--sweep-reps="));
  const reps = repsArg ? Math.max(1, Number(repsArg.slice("--sweep-reps=".length))) : 5;
  const horizonsArg = args.find((a) => a.startsWith("--sweep-horizons="));
  const horizons = horizonsArg ? horizonsArg.slice("--sweep-horizons=".length).split(",") : [...HORIZONS];
  const tmp = mkdtempSync(join(tmpdir(), "densim-bench-sweep-"));
  const runs = new Map<string, ByWorkers>(horizons.map((h) => [h, { "1": [], "2": [] }]));
  const texts = new Map<string, Set<string>>(horizons.map((h) => [h, new Set()]));
  const spins: ByWorkers = { "1": [], "2": [] };
  const loads: number[] = [];
  try {
    for (let k = 0; k < reps; k++) {
      for (const h of horizons) {
        loads.push(loadavg()[0] ?? 0);
        for (const w of ["1", "2"] as const) {
          spins[w].push(await timed(["--spin", w]));
          const out = join(tmp, `${h}-w${w}-${k}`);
          (runs.get(h) as ByWorkers)[w].push(await timed([...sweepArgs(h), "--workers", w, "--out", out]));
          texts.get(h)?.add(sweepJson(out));
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const walls = (xs: readonly Timed[]): number[] => xs.map((x) => x.wallS);
  const cpus = (xs: readonly Timed[]): number[] => xs.map((x) => x.cpuS);
  const others = (xs: readonly Timed[]): string =>
    xs.every((x) => x.othersS !== undefined) ? xs.map((x) => ((x.othersS as number) / x.wallS).toFixed(2)).join(", ") : "n/a";
  const row = (label: string, xs: readonly Timed[]): string =>
    `| ${label} | ${best(walls(xs)).toFixed(2)} | ${median(walls(xs)).toFixed(2)} | ${best(cpus(xs)).toFixed(2)} | ${median(cpus(xs)).toFixed(2)} | ${formatBytes(Math.max(...xs.map((x) => x.maxRssBytes)))} | ${others(xs)} |`;
  const speedUp = (by: ByWorkers): string => {
    const pairs = by["1"].map((r, k) => r.wallS / (by["2"][k] as Timed).wallS);
    const s = summarise(pairs);
    const ci = pairs.length > 1 ? `, mean of the pairs ${s.mean.toFixed(2)} (95% CI ${s.lo.toFixed(2)} to ${s.hi.toFixed(2)})` : "";
    return `best ${(best(walls(by["1"])) / best(walls(by["2"]))).toFixed(2)}, median ${(median(walls(by["1"])) / median(walls(by["2"]))).toFixed(2)}${ci} (per pair: ${pairs.map((p) => p.toFixed(2)).join(", ")})`;
  };
  const lines = [
    `\`densim ${sweepArgs("H").join(" ")} --workers N\` (8 points x 3 modes x 5 replications = 120 runs), ${reps} times each, --workers 1 and 2 alternating, each run after a control run; load average (1 min) before each pair: ${loads.map((l) => l.toFixed(1)).join(", ")}`,
    "",
    "| case | wall s best | wall s median | CPU s (user+sys) best | CPU s median | max RSS | other processes' CPU, cores (each run) |",
    "|---|---:|---:|---:|---:|---:|---|",
  ];
  for (const h of horizons) {
    const by = runs.get(h) as ByWorkers;
    lines.push(row(`sweep, horizon ${h}, --workers 1`, by["1"]), row(`sweep, horizon ${h}, --workers 2`, by["2"]));
  }
  lines.push(row("control: fixed pure computation, 1 thread", spins["1"]), row("control: the same split over 2 threads", spins["2"]), "");
  /**
   * What the CPU times allow on an idle 2-core machine: --workers 1 takes at least its main
   * thread's CPU time (V8's compiler and GC threads use the other core), --workers 2 at least half
   * of all its CPU time and at least its main thread's; the ratio of these floors (medians).
   */
  const ceiling = (by: ByWorkers): string => {
    const main1 = by["1"].map((x) => x.mainS);
    const main2 = by["2"].map((x) => x.mainS);
    if (main1.some((m) => m === undefined) || main2.some((m) => m === undefined)) return "n/a (no /proc)";
    const floor1 = median(main1 as number[]);
    const floor2 = Math.max(median(main2 as number[]), median(cpus(by["2"])) / 2);
    return `${(floor1 / floor2).toFixed(2)} (--workers 1: main thread ${floor1.toFixed(2)} s CPU; --workers 2: main thread ${median(main2 as number[]).toFixed(2)} s, all threads ${median(cpus(by["2"])).toFixed(2)} s CPU)`;
  };
  for (const h of horizons) {
    const n = texts.get(h)?.size ?? 0;
    lines.push(`Sweep speed-up, horizon ${h} (wall, --workers 1 / --workers 2): ${speedUp(runs.get(h) as ByWorkers)}; sweep.json byte-identical in all ${2 * reps} runs: ${n === 1 ? "yes" : `NO (${n} different files)`}.`);
    lines.push(`  Ceiling from CPU times on an idle 2-core machine, horizon ${h}: ${ceiling(runs.get(h) as ByWorkers)}.`);
  }
  lines.push(
    `Control speed-up, the most two threads of one process could gain at the time: ${speedUp(spins)}.`,
    "Wall time includes starting Node and writing the report. CPU time counts every thread of the process (simulation threads, V8's compiler and GC threads). Other processes' CPU: the cores the rest of the machine kept busy during each run, on average (from /proc/stat); a speed-up means what it says only for pairs where both are near 0.",
  );
  return lines.join("\n");
}
