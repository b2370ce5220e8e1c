import { describe, expect, it } from "vitest";
import { runExperiment } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";

/**
 * M/M/1 through the whole simulator: Poisson arrivals, exponential work, one 1-core host, jobs
 * of 1 core (so one runs at a time and the rest wait first come first served), containers with
 * no limits and every overhead set to zero. Mean turnaround must be E[S] / (1 - rho), and the
 * time-average number in the system must equal arrival rate x mean turnaround (Little's law).
 */
function mm1(rho: number, horizonS: number, replications: number) {
  const meanWork = 1;
  const loaded = scenario({
    version: 1,
    name: "mm1",
    seed: 1234,
    horizon: horizonS,
    replications,
    hosts: [{ type: "h", cores: 1, memory: "64GiB" }],
    apps: [
      {
        name: "job",
        kind: "job",
        arrivals: { process: "poisson", rate: rho / meanWork },
        work: { dist: "exponential", mean: meanWork },
        cpu: 1,
        memory: "1MiB",
      },
    ],
    modes: { container: { create: 0, serial: 0, createDisk: 0, engine: { memory: 0, cpu: 0 }, shim: { memory: 0 } } },
  });
  const m = runExperiment(loaded).results.modes.container!.summary;
  return {
    turnaround: m["jobs.turnaround.mean"]!.mean,
    inSystem: m["jobs.inSystem.mean"]!.mean,
    arrived: m["jobs.arrived"]!.mean,
    expected: meanWork / (1 - rho),
    lambda: rho / meanWork,
  };
}

describe("queueing theory: M/M/1 through the simulator", () => {
  for (const [rho, horizon, reps] of [
    [0.5, 100_000, 4],
    // rho = 0.8 (250,000 s, 6 replications) runs in `npm run test:validate` (queueing.slow.test.ts).
  ] as const) {
    it(`rho = ${rho}: mean turnaround within 5% of E[S]/(1 - rho); Little's law within 3%`, () => {
      const r = mm1(rho, horizon, reps);
      expect(r.arrived).toBeGreaterThan(rho * horizon * 0.95);
      expect(Math.abs(r.turnaround - r.expected) / r.expected).toBeLessThan(0.05);
      const little = r.lambda * r.turnaround;
      expect(Math.abs(r.inSystem - little) / little).toBeLessThan(0.03);
    });
  }
});
