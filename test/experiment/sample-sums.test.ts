/**
 * Runs asked for no per-host sample rows (RunConfig.hostRows false: `--format json`, the pool's
 * default) keep only the sums results.json reads, and those are the sums of the rows: the results
 * are the same with rows or without, and timeseries.csv refuses a run that kept none.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { timeseriesCsv } from "../../sim/experiment/csv.js";
import { experimentTasks, resultsJson, runExperiment } from "../../sim/experiment/index.js";
import { executeTask } from "../../sim/experiment/pool-task.js";
import type { Samples } from "../../sim/experiment/run.js";
import { loadScenarioFile, type LoadedScenario } from "../../sim/scenario/index.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NAMES = readdirSync(join(ROOT, "scenarios"))
  .filter((f) => f.endsWith(".yaml"))
  .map((f) => f.slice(0, -".yaml".length));

function load(name: string): LoadedScenario {
  const r = loadScenarioFile(join(ROOT, "scenarios", `${name}.yaml`), { replications: 1, sets: ["horizon=30m"] });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("\n"));
  return r;
}

/** Column k of sample j summed over the used hosts in host order, read off the rows (as results were summed before). */
function plainTotals(s: Samples): number[][] {
  const width = s.columns.length;
  return s.rows.map((row) =>
    Array.from({ length: width - 1 }, (_, k) => s.used.reduce((acc, u, h) => (u ? acc + (row[h * width + k] as number) : acc), 0)),
  );
}

describe("samples without host rows", () => {
  it.each(NAMES)("%s: results.json is the same with per-host rows or only their sums", (name) => {
    const loaded = load(name);
    const rows = runExperiment(loaded, { hostRows: true });
    const sums = runExperiment(loaded, { hostRows: false });
    expect(resultsJson(sums.results)).toBe(resultsJson(rows.results));
    for (const [mode, outs] of rows.runs) {
      const withRows = outs[0]?.samples;
      const without = sums.runs.get(mode)?.[0]?.samples;
      if (!withRows || !without) continue;
      expect(withRows.rows.length).toBe(withRows.timesS.length);
      expect(without.rows).toEqual([]);
      // The sums over every host are the sums over the used hosts (an unused host's CPU is exactly 0).
      expect(withRows.totals.map((t) => Array.from(t))).toEqual(plainTotals(withRows));
      expect(without.totals).toEqual(withRows.totals);
      const width = withRows.columns.length;
      const memory = withRows.rows.map((row) => Array.from({ length: withRows.hosts.length }, (_, h) => row[h * width + width - 1]));
      expect(without.memoryBytes.map((m) => Array.from(m))).toEqual(memory);
    }
  });

  it("a pool task keeps host rows only when asked, and timeseries.csv refuses a run without them", () => {
    const loaded = load("quickstart");
    const task = experimentTasks(loaded)[0]!;
    const plain = executeTask(loaded, { mode: task.mode, replication: 0 });
    const kept = executeTask(loaded, { mode: task.mode, replication: 0, hostRows: true });
    expect(plain.samples?.rows).toEqual([]);
    expect(kept.samples?.rows.length).toBe(kept.samples?.timesS.length);
    expect(kept.samples?.rows.length).toBeGreaterThan(0);
    expect(timeseriesCsv(new Map([[task.mode, [kept]]])).split("\n").length).toBeGreaterThan(2);
    expect(() => timeseriesCsv(new Map([[task.mode, [plain]]]))).toThrow(/kept no per-host sample rows/);
  });
});
