/** --workers: the value checked, and the default sized by the estimated work. */
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../sim/cli/io.js";
import { SMALL_WORK, workersOf } from "../../sim/cli/workers.js";
import { estimateSize, poolWork, RUN_EVENTS } from "../../sim/experiment/estimate.js";
import { loadScenarioFile } from "../../sim/scenario/index.js";

describe("--workers", () => {
  it("takes an integer of at least 1 as given, whatever the work", () => {
    expect(workersOf(1, 1e9)).toBe(1);
    expect(workersOf(3, 10)).toBe(3);
  });

  it("refuses 0, fractions, negatives and non-numbers with the reason", () => {
    for (const bad of [0, 1.5, -2, Number.NaN, "2"]) {
      expect(() => workersOf(bad)).toThrow(UsageError);
      expect(() => workersOf(bad)).toThrow(/--workers: expected an integer >= 1/);
    }
  });

  it("defaults to one worker for small work and to the machine's cores from SMALL_WORK up", () => {
    const cores = Math.max(1, availableParallelism());
    expect(workersOf(undefined, 0)).toBe(1);
    expect(workersOf(undefined, SMALL_WORK - 1)).toBe(1);
    expect(workersOf(undefined, SMALL_WORK)).toBe(cores);
    // Work of unknown size (no estimate) gets every core.
    expect(workersOf(undefined)).toBe(cores);
  });

  it("sizes work by its events plus a share per run, so many short runs count as work too", () => {
    const loaded = loadScenarioFile("scenarios/quickstart.yaml");
    if (!loaded.ok) throw new Error("quickstart.yaml does not load");
    const size = estimateSize(loaded);
    const runs = size.modes * size.replications;
    expect(runs).toBe(20);
    expect(poolWork(size)).toBe(size.events + runs * RUN_EVENTS);
    // One run of the example: one worker; a sweep of 120 such points (as `sweep` sizes it): every core.
    expect(workersOf(undefined, poolWork(size))).toBe(1);
    expect(workersOf(undefined, 120 * poolWork(size))).toBe(Math.max(1, availableParallelism()));
  });
});
