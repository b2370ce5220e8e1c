/**
 * The loader keeps the last text it parsed and applies a load's overrides to a clone of it (a
 * sweep's points, a plan's probes): each load must give exactly what a loader that never saw the
 * text before gives, whatever was loaded before it, and never let one load's overrides into another's.
 */
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioText, type LoadOptions, type LoadResult } from "../../sim/scenario/index.js";
import { ROOT } from "../helpers/cli.js";

const FILE = join(ROOT, "scenarios", "batch-jobs.yaml");
const TEXT = readFileSync(FILE, "utf8");

/** What a load gives, as comparable data (functions dropped; `where` sampled at a few fields). */
function view(r: LoadResult): unknown {
  if (!r.ok) return r;
  const { where, scenario, traces, ...rest } = r;
  return { ...rest, scenario: JSON.stringify(scenario), traces: [...traces.keys()], where: [where(["seed"]), where(["apps", 0, "arrivals"]), where(["horizon"])] };
}

/** The same load in a fresh process's loader (nothing parsed before it). */
function fresh(options: LoadOptions): unknown {
  const script = `import("${join(ROOT, "dist", "sim", "scenario", "index.js")}").then((m) => { const r = m.loadScenarioText(${JSON.stringify(TEXT)}, ${JSON.stringify(FILE)}, ${JSON.stringify(options)}); const { where, scenario, traces, ...rest } = r; console.log(JSON.stringify(r.ok ? { ...rest, scenario: JSON.stringify(scenario), traces: [...traces.keys()], where: [where(["seed"]), where(["apps", 0, "arrivals"]), where(["horizon"])] } : r)); })`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

describe("loading one text again with other overrides", () => {
  const loads: LoadOptions[] = [
    { sets: ["apps.etl.arrivals.rate=16/h", "horizon=1d"] },
    {},
    { sets: ["apps.etl.arrivals.rate=44/h"], seed: 9 },
    { sets: ["apps.etl.arrivals.rate=nope"] },
    { replications: 2 },
    { sets: ["horizon=2d"] },
  ];

  it("gives, load after load, what a loader that parses the text afresh gives", () => {
    for (const options of loads) expect(JSON.parse(JSON.stringify(view(loadScenarioText(TEXT, FILE, options))))).toEqual(fresh(options));
  });

  it("never lets an override into a later load: the text's own values come back", () => {
    const base = loadScenarioText(TEXT, FILE);
    const varied = loadScenarioText(TEXT, FILE, { sets: ["horizon=2d", "apps.etl.arrivals.rate=44/h"] });
    const again = loadScenarioText(TEXT, FILE);
    expect(base.ok && varied.ok && again.ok).toBe(true);
    if (!base.ok || !varied.ok || !again.ok) return;
    expect(varied.scenario.horizon).not.toBe(base.scenario.horizon);
    expect(again.effectiveText).toBe(TEXT);
    expect(again.scenario).toEqual(base.scenario);
    expect(again.hash).toBe(base.hash);
    expect(again.overrides).toEqual([]);
  });
});
