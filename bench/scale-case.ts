/**
 * One scale case in its own process (so its peak memory is its own): `node dist/bench/scale-case.js
 * KIND SIZE` runs the experiment `densim run --format json --replications 1` would run (no files
 * written; the jobs family as `--format json,csv`: instances.csv rows are written to a temporary
 * folder, as the CLI spools them, then removed) and prints one JSON line: engine events, instances
 * and jobs, and this process's CPU time and peak RSS.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assembleExperiment, experimentTasks } from "../sim/experiment/experiment.js";
import { runDigested } from "../sim/experiment/pool-task.js";
import { resolveWorkload } from "../sim/experiment/resolve.js";
import { loadScenarioText } from "../sim/scenario/index.js";
import { jobsScenario, pullStormScenario, servicesScenario } from "./cases.js";

export const SCENARIOS: Readonly<Record<string, (size: number) => string>> = {
  services: servicesScenario,
  pulls: (hosts) => pullStormScenario(hosts),
  "pulls-staggered": (hosts) => pullStormScenario(hosts, 20),
  jobs: jobsScenario,
};

/** Families whose case writes instances.csv (the streaming-output cases). */
const WRITES_CSV = new Set(["jobs"]);

const [kind = "", sizeText = ""] = process.argv.slice(2);
const make = SCENARIOS[kind];
const size = Number(sizeText);
if (!make || !(size > 0)) {
  console.error(`usage: scale-case.js ${Object.keys(SCENARIOS).join("|")} SIZE`);
  process.exit(2);
}
const loaded = loadScenarioText(make(size), `${kind}-${size}.yaml`);
if (!loaded.ok) {
  console.error(loaded.issues.map((i) => i.message).join("\n"));
  process.exit(2);
}
const workload = resolveWorkload(loaded.scenario, loaded.traces);
const tasks = experimentTasks(loaded);
const spool = WRITES_CSV.has(kind) ? mkdtempSync(join(tmpdir(), "densim-bench-spool-")) : undefined;
let csvBytes = 0;
try {
  const outputs = tasks.map((t, n) => {
    const path = spool === undefined ? undefined : join(spool, `${n}.csv`);
    const out = runDigested(loaded, t, path, workload);
    if (path !== undefined) csvBytes += statSync(path).size;
    return out;
  });
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
      userS: usage.userCPUTime / 1e6,
      sysS: usage.systemCPUTime / 1e6,
      maxRssBytes: usage.maxRSS * 1024,
    }),
  );
} finally {
  if (spool !== undefined) rmSync(spool, { recursive: true, force: true });
}
