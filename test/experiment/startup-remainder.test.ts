/**
 * The start-up column of a sample is the host's CPU allocation less what its apps and overhead
 * use. Both are sums of the same rates, kept differently, so once every instance is ready the
 * difference is rounding: it must read exactly 0, not a few 1e-14 cores of phantom start-up work.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveWorkload, runOnce } from "../../sim/experiment/index.js";
import { hostRow } from "../../sim/experiment/run.js";
import { scenario } from "../helpers/scenario.js";

const MODES = { bare: {}, container: {}, vm: { overcommit: { cpu: 2 } }, microvm: { overcommit: { cpu: 2 } } };

describe("start-up CPU once every instance is ready", () => {
  it("is exactly 0 in every sample after the last instance is ready (diurnal load, VM tax, overcommit)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(MODES) as (keyof typeof MODES)[])),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0.25, 0.5, 1.5),
        (mode, replicas, cpu) => {
          const s = scenario({
            version: 1,
            name: "r",
            replications: 1,
            horizon: "6h",
            hosts: [{ type: "h", count: 2, cores: 16, memory: "256GiB" }],
            apps: [
              { name: "a", replicas, cpu, memory: "1GiB", init: "2s", load: { pattern: "diurnal", mean: 0.3, peak: 0.9, period: "6h", steps: 12, jitter: "2h" } },
              { name: "b", replicas: 3, cpu: 1, memory: "1GiB", init: "1s" },
            ],
            modes: { [mode]: MODES[mode] },
            placement: { policy: "worst-fit" },
          });
          const w = resolveWorkload(s.scenario);
          const out = runOnce(w, w.modes[0]!, { seed: 5, horizonS: s.scenario.horizon, policy: "worst-fit", sampleStepS: 600 }, 0);
          const ready = Math.max(...out.instances.map((i) => i.readyAt));
          const samples = out.samples!;
          const col = samples.columns.indexOf("start-up");
          expect(col).toBeGreaterThan(0);
          let checked = 0;
          samples.timesS.forEach((t, j) => {
            if (t <= ready) return;
            for (let h = 0; h < 2; h++) {
              expect(hostRow(samples, j, h)[col]).toBe(0);
              checked++;
            }
          });
          expect(checked).toBeGreaterThan(0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
