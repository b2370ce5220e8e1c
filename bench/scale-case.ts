/**
 * One scale case in its own process (so its peak memory is its own): `node dist/bench/scale-case.js
 * KIND SIZE [--workers N]` runs the experiment `densim run --format json --replications 1` would run
 * (no files written, and no per-host sample rows kept, as `--format json` keeps none; the jobs
 * family as `--format json,csv`: instances.csv rows are written to a temporary folder, as the CLI
 * spools them, then removed, and the rows timeseries.csv would need are kept) and prints one JSON line: engine events,
 * instances and jobs, the process's CPU time (user + sys, every thread) and peak RSS, the wall time
 * from the start of this module, and how it ran (run one after another, each run's mode and wall time). `--workers N` (default: as
 * `densim run` chooses, the machine's cores or 1 for small work) runs the modes on the worker pool (sim/experiment/pool.ts: this thread and N - 1
 * threads); `--workers 1`, or a case of one run, runs them one after another on this thread.
 * The bench runs its bundle, dist/bench/bin/scale-case.js (rolldown.config.js), which starts as
 * fast as `densim run` does; its worker is the bundle's, beside it.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { workersOf } from "../sim/cli/workers.js";
import { estimateSize, poolWork } from "../sim/experiment/estimate.js";
import { assembleExperiment, experimentTasks } from "../sim/experiment/experiment.js";
import { Pool, workersAvailable } from "../sim/experiment/pool.js";
import { runDigested, type TaskResult } from "../sim/experiment/pool-task.js";
import { resolveWorkload } from "../sim/experiment/resolve.js";
import { loadScenarioText } from "../sim/scenario/index.js";
import { jobsScenario, pullStormScenario, servicesScenario } from "./cases.js";

const t0 = process.hrtime.bigint();

export const SCENARIOS: Readonly<Record<string, (size: number) => string>> = {
  services: servicesScenario,
  pulls: (hosts) => pullStormScenario(hosts),
  "pulls-staggered": (hosts) => pullStormScenario(hosts, 20),
  jobs: jobsScenario,
};

/** Families whose case writes instances.csv (the streaming-output cases). */
const WRITES_CSV = new Set(["jobs"]);

const args = process.argv.slice(2);
const at = args.indexOf("--workers");
const workersText = at >= 0 ? args.splice(at, 2)[1] : undefined;
const [kind = "", sizeText = ""] = args;
const make = SCENARIOS[kind];
const size = Number(sizeText);
const given = workersText === undefined ? undefined : Number(workersText);
if (!make || !(size > 0) || !(given === undefined || (Number.isInteger(given) && given >= 1))) {
  console.error(`usage: scale-case.js ${Object.keys(SCENARIOS).join("|")} SIZE [--workers N]`);
  process.exit(2);
}
const loaded = loadScenarioText(make(size), `${kind}-${size}.yaml`);
if (!loaded.ok) {
  console.error(loaded.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
// As `densim run` chooses: the machine's cores, or 1 for small work (sim/cli/workers.ts).
const workers = given ?? workersOf(undefined, poolWork(estimateSize(loaded)));
const tasks = experimentTasks(loaded);
const spool = WRITES_CSV.has(kind) ? mkdtempSync(join(tmpdir(), "densim-bench-spool-")) : undefined;
const spoolOf = (n: number): string | undefined => (spool === undefined ? undefined : join(spool, `${n}.csv`));
const pooled = workers > 1 && tasks.length > 1;
/** One after another on this thread: each run's wall seconds, in task order (empty on the pool). */
const runS: number[] = [];
try {
  let outputs: TaskResult[];
  if (pooled) {
    if (!workersAvailable()) throw new Error("scale-case: no pool-worker.js beside the pool's module: run npm run build first");
    const pool = new Pool(workers);
    try {
      outputs = await pool.run(tasks.map((t, n) => ({ scenario: loaded, mode: t.mode, replication: t.replication, spool: spoolOf(n), hostRows: spool !== undefined })));
    } finally {
      await pool.close();
    }
  } else {
    const workload = resolveWorkload(loaded.scenario, loaded.traces);
    outputs = tasks.map((t, n) => {
      const start = process.hrtime.bigint();
      const out = runDigested(loaded, t, spoolOf(n), workload, spool !== undefined);
      runS.push(Number(process.hrtime.bigint() - start) / 1e9);
      return out;
    });
  }
  let csvBytes = 0;
  for (let n = 0; n < tasks.length; n++) if (spool !== undefined) csvBytes += statSync(spoolOf(n) as string).size;
  assembleExperiment(loaded, tasks, outputs);
  let events = 0;
  let instances = 0;
  let jobs = 0;
  for (const r of outputs) {
    events += r.eventsProcessed;
    instances += r.metrics["instances.requested"] ?? 0;
    jobs += r.metrics["jobs.arrived"] ?? 0;
  }
  const usage = process.resourceUsage();
  console.log(
    JSON.stringify({
      events,
      instances,
      jobs,
      csvBytes,
      runs: tasks.length,
      modes: tasks.map((t) => t.mode),
      runS,
      workers: pooled ? workers : 1,
      wallS: Number(process.hrtime.bigint() - t0) / 1e9,
      userS: usage.userCPUTime / 1e6,
      sysS: usage.systemCPUTime / 1e6,
      maxRssBytes: usage.maxRSS * 1024,
    }),
  );
} finally {
  if (spool !== undefined) rmSync(spool, { recursive: true, force: true });
}
