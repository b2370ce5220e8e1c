/** M/M/1 through the whole simulator, shared by the quick (rho 0.5) and long (rho 0.8) queueing tests. */
import { runExperiment } from "../../sim/experiment/index.js";
import { scenario } from "../helpers/scenario.js";

/**
 * M/M/1 through the whole simulator: Poisson arrivals, exponential work, one 1-core host, jobs
 * of 1 core (so one runs at a time and the rest wait first come first served), containers with
 * no limits and every overhead set to zero. Mean turnaround must be E[S] / (1 - rho), and the
 * time-average number in the system must equal arrival rate x mean turnaround (Little's law).
 */
export function mm1(rho: number, horizonS: number, replications: number) {
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

