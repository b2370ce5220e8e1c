/**
 * Scale benchmark (issue 11): each case runs in a child process (bench/scale-case.ts) so its wall
 * time, CPU time and peak RSS are its own: on the worker pool as `densim run` runs it (wall time,
 * peak RSS; three times, the best wall time shown with every run's, but once for a case that takes
 * over a minute), once serially on one thread (CPU time, peak RSS). Prints a table with, between
 * consecutive sizes of a family, the fitted growth exponent (log-log slope) of the pool's wall time
 * and of the serial CPU time: 1 is linear. Never asserts.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { linearRegression } from "simple-statistics";
import { SMALL_WORK } from "../sim/cli/workers.js";
import { formatBytes, groupDigits } from "../sim/units/format.js";

export interface ScaleCase {
  readonly family: "services" | "pulls" | "pulls-staggered" | "jobs";
  readonly size: number;
  /** What `size` counts, for the table. */
  readonly label: string;
}

/** What a family's size counts. */
const UNITS: Readonly<Record<ScaleCase["family"], string>> = { services: "services", pulls: "hosts", "pulls-staggered": "hosts", jobs: "days" };

const FULL: readonly ScaleCase[] = [
  { family: "services", size: 10_000, label: "10,000 services, diurnal, 24 h, 4 modes" },
  { family: "services", size: 100_000, label: "100,000 services, diurnal, 24 h, 4 modes" },
  { family: "pulls", size: 1_000, label: "cold pull storm, 1,000 hosts, one registry" },
  { family: "pulls", size: 5_000, label: "cold pull storm, 5,000 hosts, one registry" },
  { family: "pulls-staggered", size: 1_000, label: "cold pulls 20 ms apart, 1,000 hosts, one registry" },
  { family: "pulls-staggered", size: 2_000, label: "cold pulls 20 ms apart, 2,000 hosts, one registry" },
  { family: "jobs", size: 1, label: "Poisson jobs 1/s, 1 day" },
  { family: "jobs", size: 7, label: "Poisson jobs 1/s, 7 days" },
  { family: "jobs", size: 30, label: "Poisson jobs 1/s, 30 days" },
];

const QUICK: readonly ScaleCase[] = [
  { family: "services", size: 1_000, label: "1,000 services, diurnal, 24 h, 4 modes" },
  { family: "services", size: 10_000, label: "10,000 services, diurnal, 24 h, 4 modes" },
  { family: "pulls", size: 250, label: "cold pull storm, 250 hosts, one registry" },
  { family: "pulls", size: 1_000, label: "cold pull storm, 1,000 hosts, one registry" },
  { family: "jobs", size: 1, label: "Poisson jobs 1/s, 1 day" },
];

/** The million-instance case, with `--million` (several minutes on a small machine). */
const MILLION: ScaleCase = { family: "services", size: 1_000_000, label: "1,000,000 services, diurnal, 24 h, 4 modes" };

interface Measured {
  readonly c: ScaleCase;
  /** Worker threads the runs used (1: one after another on the main thread). */
  readonly workers: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly maxRssBytes: number;
  readonly events: number;
  /** Run one after another on one thread: each run's mode and wall seconds (empty on the pool). */
  readonly modes: readonly string[];
  readonly runS: readonly number[];
}

/** Runs of a case on the pool; one for a case whose first run takes over LONG_S (a million services, 30 days of jobs). */
const POOL_RUNS = 3;
const LONG_S = 60;

/** Runs case `c` in a child process; `workers` undefined: `densim run`'s default (the machine's cores, or 1 for small work). */
function measure(c: ScaleCase, workers?: number): Measured {
  // The bundle of scale-case.ts (rolldown.config.js): it starts as `densim run` does.
  const script = fileURLToPath(new URL("./bin/scale-case.js", import.meta.url));
  const t0 = process.hrtime.bigint();
  const extra = workers === undefined ? [] : ["--workers", String(workers)];
  const child = spawnSync(process.execPath, ["--max-old-space-size=8192", script, c.family, String(c.size), ...extra], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (child.status !== 0) throw new Error(`${c.label}: exit ${child.status}\n${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}") as {
    events: number;
    userS: number;
    sysS: number;
    maxRssBytes: number;
    workers: number;
    modes: string[];
    runS: number[];
  };
  return { c, workers: r.workers, wallS, cpuS: r.userS + r.sysS, maxRssBytes: r.maxRssBytes, events: r.events, modes: r.modes, runS: r.runS };
}

/** The median of three runs of `script` (with `args`) in child processes of their own, each measured by `read`. */
function medianOfThree(what: string, script: string, args: readonly string[], read: (stdout: string, wallS: number) => number): number {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const values: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [path, ...args], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`${what}: exit ${child.status}\n${child.stderr}`);
    values.push(read(child.stdout, Number(process.hrtime.bigint() - t0) / 1e9));
  }
  return values.sort((x, y) => x - y)[1]!;
}

/**
 * The machine's speed at the moment: wall seconds of the sweep bench's control (a fixed pure
 * computation on one thread, about 2.2 s on the quietest days seen on this machine), the median of three.
 * Printed before and after the cases, so figures taken on a slow day can be read for what they are.
 */
const control = (): number => medianOfThree("control", "./sweep-case.js", ["--spin", "1"], (_, wallS) => wallS);

/** The memory control (memory-control.ts): ns per dependent load, the median of three. */
const memoryControl = (): number => medianOfThree("memory control", "./memory-control.js", [], (stdout) => Number(stdout.trim()));

/**
 * The least time in which `workers` threads could run jobs of these durations, each whole on one
 * thread: the best of every assignment (jobs^workers of them; undefined beyond a dozen jobs). A
 * pool's wall time cannot be shorter, whatever its order: it tells a slow pool from a long job.
 */
export function bestSplitS(durations: readonly number[], workers: number): number | undefined {
  if (durations.length > 12 || workers < 1) return undefined;
  const sorted = [...durations].sort((a, b) => b - a);
  const load = new Array<number>(Math.min(workers, sorted.length)).fill(0);
  let best = Infinity;
  const place = (i: number): void => {
    const most = Math.max(0, ...load);
    if (most >= best) return;
    if (i === sorted.length) {
      best = most;
      return;
    }
    const tried = new Set<number>();
    for (let w = 0; w < load.length; w++) {
      // Threads with equal loads are interchangeable: one of them is enough.
      if (tried.has(load[w]!)) continue;
      tried.add(load[w]!);
      const before = load[w]!;
      load[w] = before + sorted[i]!;
      place(i + 1);
      load[w] = before;
    }
  };
  place(0);
  return best;
}

/** Log-log slope between two measurements: cost grows as size^slope. */
export function growthExponent(size0: number, cost0: number, size1: number, cost1: number): number {
  return Math.log(cost1 / cost0) / Math.log(size1 / size0);
}

/** Least-squares slope of log(cost) against log(size): cost grows as size^slope over the whole range. */
export function fittedExponent(points: readonly (readonly [size: number, cost: number])[]): number {
  return linearRegression(points.map(([size, cost]) => [Math.log(size), Math.log(cost)])).m;
}

export async function benchScale(args: readonly string[] = process.argv.slice(2)): Promise<string> {
  const cases = [...(args.includes("--quick") ? QUICK : FULL)];
  if (args.includes("--million")) cases.splice(cases.findIndex((c) => c.family === "services" && c.size === 100_000) + 1, 0, MILLION);
  const rows = [
    "| case | workers | wall s (best) | wall s, each run | max RSS | serial CPU s (user+sys) | serial max RSS | engine events | events/s (serial CPU) | growth exponent wall / serial CPU |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const before = control();
  const memoryBefore = memoryControl();
  const done: { c: ScaleCase; pool: Measured; serial: Measured }[] = [];
  for (const c of cases) {
    // As `densim run` runs it (the pool, default workers), then one run after another on one thread.
    const runs = [measure(c)];
    while (runs.length < POOL_RUNS && runs[0]!.wallS <= LONG_S) runs.push(measure(c));
    // The least disturbed run's wall time; the most memory any run took.
    const pool = { ...runs.reduce((a, b) => (b.wallS < a.wallS ? b : a)), maxRssBytes: Math.max(...runs.map((r) => r.maxRssBytes)) };
    const serial = pool.workers === 1 ? pool : measure(c, 1);
    const prev = done[done.length - 1];
    let growth = "";
    if (prev && prev.c.family === c.family) {
      growth = `${growthExponent(prev.c.size, prev.pool.wallS, c.size, pool.wallS).toFixed(2)} / ${growthExponent(prev.c.size, prev.serial.cpuS, c.size, serial.cpuS).toFixed(2)}`;
    }
    rows.push(
      `| ${c.label} | ${pool.workers} | ${pool.wallS.toFixed(2)} | ${runs.map((r) => r.wallS.toFixed(2)).join(", ")} | ${formatBytes(pool.maxRssBytes)} | ${serial.cpuS.toFixed(2)} | ${formatBytes(serial.maxRssBytes)} | ${groupDigits(String(serial.events))} | ${groupDigits(String(Math.round(serial.events / serial.cpuS)))} | ${growth} |`,
    );
    done.push({ c, pool, serial });
  }
  const after = control();
  const memoryAfter = memoryControl();
  // Over a family's whole range (three sizes or more): the least-squares log-log slope through every size.
  for (const family of [...new Set(done.map((d) => d.c.family))]) {
    const of = done.filter((d) => d.c.family === family);
    if (of.length < 3) continue;
    const first = of[0]!.c.size;
    const last = of[of.length - 1]!.c.size;
    const wall = fittedExponent(of.map((d) => [d.c.size, d.pool.wallS] as const));
    const cpu = fittedExponent(of.map((d) => [d.c.size, d.serial.cpuS] as const));
    rows.push("");
    rows.push(
      `Growth exponent of the ${family} cases from ${groupDigits(String(first))} to ${groupDigits(String(last))} ${UNITS[family]} (least-squares log-log slope through all ${of.length} sizes): wall ${wall.toFixed(2)}, serial CPU ${cpu.toFixed(2)}.`,
    );
  }
  // Where a case's time goes: its runs (modes) one after another, and the best any pool could do with them.
  for (const d of done) {
    const { modes, runS } = d.serial;
    if (runS.length < 2) continue;
    const split = bestSplitS(runS, d.pool.workers);
    rows.push("");
    rows.push(
      `${d.c.label}, each run on one thread (wall s): ${modes.map((m, k) => `${m} ${runS[k]!.toFixed(2)}`).join(", ")}` +
        (split === undefined ? "." : `; the best split of these runs over ${d.pool.workers} workers takes ${split.toFixed(2)} s, a floor for the pool's wall time before starting and assembling.`),
    );
  }
  rows.push("");
  rows.push(
    `Machine control: ${before.toFixed(2)} s before the cases, ${after.toFixed(2)} s after (a fixed pure computation on one thread, the median of three; about 2.2 s on the quietest days seen on this machine): compare figures taken on different days together with their controls.`,
  );
  rows.push("");
  rows.push(
    `Memory control: ${memoryBefore.toFixed(0)} ns per load before the cases, ${memoryAfter.toFixed(0)} ns after (a chain of dependent loads through 256 MiB, the median of three; bench/memory-control.ts). The largest cases are bound by memory latency: other tenants' memory traffic on the host can slow them while the CPU control stays put; this control is there to tell such days apart.`,
  );
  rows.push("");
  rows.push(
    "Each case is a child process running what `densim run --format json --replications 1` runs (no files written; the jobs cases as `--format json,csv`: instances.csv rows are written to a temporary folder). Wall s and max RSS: the whole process as `densim run` runs it, its modes on the worker pool with the workers `densim run` chooses (the workers column: the machine's cores, or 1 for a case of one run or of under " + groupDigits(String(SMALL_WORK)) + " in estimated events' worth of work), from process start to exit; run " + POOL_RUNS + " times (once when the first run takes over " + LONG_S + " s): wall s (best) is the least disturbed run, the growth exponents use it, and max RSS is the most of any run. Serial CPU s and serial max RSS: the same runs one after another on one thread (`--workers 1`), user + sys CPU time, the fairer figure on a busy machine. Growth exponent: log-log slope against the previous row of the same family (1 = linear). Events/s: engine events per serial CPU second.",
  );
  return rows.join("\n");
}
