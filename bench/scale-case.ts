/**
 * One scale case in its own process (so its peak memory is its own): `node dist/bench/scale-case.js
 * KIND SIZE` runs the experiment `densim run --format json --replications 1` would run (no files
 * written) and prints one JSON line: engine events, and this process's CPU time and peak RSS.
 */
import { runExperiment } from "../sim/experiment/index.js";
import { loadScenarioText } from "../sim/scenario/index.js";
import { jobsScenario, pullStormScenario, servicesScenario } from "./cases.js";

export const SCENARIOS: Readonly<Record<string, (size: number) => string>> = {
  services: servicesScenario,
  pulls: (hosts) => pullStormScenario(hosts),
  "pulls-staggered": (hosts) => pullStormScenario(hosts, 20),
  jobs: jobsScenario,
};

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
const out = runExperiment(loaded);
let events = 0;
let instances = 0;
for (const runs of out.runs.values()) {
  for (const r of runs) {
    events += r.eventsProcessed;
    instances += r.instances.length;
  }
}
const usage = process.resourceUsage();
console.log(
  JSON.stringify({
    events,
    instances,
    userS: usage.userCPUTime / 1e6,
    sysS: usage.systemCPUTime / 1e6,
    maxRssBytes: usage.maxRSS * 1024,
  }),
);
