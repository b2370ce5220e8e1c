/**
 * Host groups (sim/experiment/host-groups.ts) against the whole run: the bench's services case, each
 * mode simulated whole and as groups of HOSTS_PER_GROUP hosts (runGrouped: placement before the run,
 * the groups' runs and their merge into one output), in CPU time on this thread after a warm-up run. `npm run bench -- --groups [--groups-services=N]`.
 * What it shows is the cache: each group's state stays in it, the whole run's does not.
 */
import { resolveWorkload, runOnce, type RunConfig } from "../sim/experiment/index.js";
import { HOSTS_PER_GROUP, hostGroups, mergeGroups, placeAll, whyWhole } from "../sim/experiment/host-groups.js";
import { runGroup } from "../sim/experiment/run.js";
import { loadScenarioText } from "../sim/scenario/index.js";
import { servicesScenario } from "./cases.js";

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function benchHostGroups(args: readonly string[]): Promise<string> {
  const n = Number(args.find((a) => a.startsWith("--groups-services="))?.split("=")[1] ?? 100_000);
  const loaded = loadScenarioText(servicesScenario(n), "bench.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join("\n"));
  const w = resolveWorkload(loaded.scenario);
  // As the scale bench's runs: json only, so no host rows and no instance records.
  const config: RunConfig = { seed: 1, horizonS: loaded.scenario.horizon, policy: loaded.scenario.placement.policy, sampleStepS: loaded.scenario.horizon / 120, hostRows: false, records: false };
  const rows = [`| mode | whole run, CPU s | placement, CPU s | groups (placed, run, merged), CPU s | ratio |`, "|---|---:|---:|---:|---:|"];
  let whole = 0;
  let grouped = 0;
  let groupCount = 0;
  for (const mode of w.modes) {
    const why = whyWhole(w, mode);
    if (why !== undefined) throw new Error(`${mode.name} must run whole: ${why}`);
    runOnce(w, mode, config, 0);
    let t = cpuMs();
    runOnce(w, mode, config, 0);
    const a = cpuMs() - t;
    t = cpuMs();
    const placement = placeAll(w, mode, config.policy, config.horizonS);
    const p = cpuMs() - t;
    const groups = hostGroups(placement);
    groupCount = groups.length;
    // As runGrouped, which leaves a run of one group whole: this runs even one group (the test's small case).
    const merged = mergeGroups(w, mode, config, 0, placement, groups.map((g) => runGroup(w, mode, config, g, 0)));
    const b = cpuMs() - t;
    if (merged === undefined) throw new Error(`${mode.name}: its groups did not merge`);
    whole += a;
    grouped += b;
    rows.push(`| ${mode.name} | ${(a / 1000).toFixed(2)} | ${(p / 1000).toFixed(2)} | ${(b / 1000).toFixed(2)} | ${(a / b).toFixed(2)}x |`);
  }
  rows.push(`| **total** | ${(whole / 1000).toFixed(2)} | | ${(grouped / 1000).toFixed(2)} | ${(whole / grouped).toFixed(2)}x |`);
  return [
    `${n.toLocaleString("en-US")} services (the scale bench's services case), ${groupCount} groups of ${HOSTS_PER_GROUP} hosts, one thread, each run after a warm-up run of the whole:`,
    "",
    ...rows,
  ].join("\n");
}
