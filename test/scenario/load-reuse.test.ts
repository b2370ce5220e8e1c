/**
 * The loader keeps the last text it parsed and applies a load's overrides to a clone of it (a
 * sweep's points, a plan's probes): each load must give exactly what a loader that never saw the
 * text before gives, whatever was loaded before it, and never let one load's overrides into another's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
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

/** The same load by a fresh instance of the loader's module (nothing parsed before it). */
async function fresh(options: LoadOptions): Promise<unknown> {
  vi.resetModules();
  const m = (await import("../../sim/scenario/load.js")) as typeof import("../../sim/scenario/load.js");
  expect(m.loadScenarioText).not.toBe(loadScenarioText);
  return view(m.loadScenarioText(TEXT, FILE, options));
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

  it("gives, load after load, what a loader that parses the text afresh gives", async () => {
    for (const options of loads) expect(view(loadScenarioText(TEXT, FILE, options))).toEqual(await fresh(options));
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

describe("the effective text", () => {
  it("is written out only when read (a sweep's points never read it), once, with the overrides applied", async () => {
    const { Document } = await import("yaml");
    const toString = vi.spyOn(Document.prototype, "toString");
    try {
      const r = loadScenarioText(TEXT, FILE, { sets: ["horizon=2d"] });
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(toString).not.toHaveBeenCalled();
      const text = r.effectiveText;
      expect(text).toBe(r.effectiveText);
      expect(toString).toHaveBeenCalledTimes(1);
      expect(text).toMatch(/^horizon: 2d$/m);
      expect(text).not.toMatch(/^horizon: 12h$/m);
    } finally {
      toString.mockRestore();
    }
  });
});
