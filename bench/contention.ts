/**
 * End-to-end contention benchmark: 10,000 service instances (20 apps x 500 replicas) with diurnal
 * load on 200 hosts for 24 simulated hours, in all four modes. Every ready instance is a CPU flow
 * whose demand changes at each step of its diurnal grid, so the run is dominated by batched demand
 * changes and the fluid sharing's rate recomputations. Target: all four modes under 3 s wall total.
 */
import { resolveWorkload, runOnce } from "../sim/experiment/index.js";
import { loadScenarioText } from "../sim/scenario/index.js";

export function contentionScenario(hosts: number, apps: number, replicas: number, name = "bench-contention"): string {
  const appLines = Array.from(
    { length: apps },
    (_, k) =>
      `  - { name: app${k}, replicas: ${replicas}, cpu: 0.5, memory: 1GiB, init: 2s, load: { pattern: diurnal, mean: 0.3, peak: 0.9, period: 24h, steps: 24, jitter: 6h } }`,
  );
  return `version: 1
name: ${name}
seed: 1
horizon: 24h
replications: 1
hosts: [ { type: h, count: ${hosts}, cores: 64, memory: 512GiB, network: 25Gbit/s, disk: { bandwidth: 2GB/s } } ]
apps:
${appLines.join("\n")}
modes:
  bare: {}
  container: {}
  vm: { overcommit: { cpu: 2 } }
  microvm: { overcommit: { cpu: 2 } }
placement: { policy: worst-fit }
`;
}

export async function benchContention(): Promise<string> {
  const loaded = loadScenarioText(contentionScenario(200, 20, 500), "bench.yaml");
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join("\n"));
  const w = resolveWorkload(loaded.scenario);
  const config = { seed: 1, horizonS: loaded.scenario.horizon, policy: loaded.scenario.placement.policy };
  const rows: string[] = ["| mode | instances placed | engine events | wall ms | events/s |", "|---|---:|---:|---:|---:|"];
  let totalMs = 0;
  let totalEvents = 0;
  let totalPlaced = 0;
  for (const mode of w.modes) {
    // No warm-up: the target is the cold wall time of one `densim run` of this workload.
    const t0 = process.hrtime.bigint();
    const out = runOnce(w, mode, config, 0);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const events = out.eventsProcessed;
    const placed = out.metrics["instances.placed"]!;
    totalMs += ms;
    totalEvents += events;
    totalPlaced += placed;
    rows.push(`| ${mode.name} | ${placed} | ${events} | ${ms.toFixed(0)} | ${((events / ms) * 1000).toExponential(2)} |`);
  }
  rows.push(`| **total** | ${totalPlaced} | ${totalEvents} | ${totalMs.toFixed(0)} | ${((totalEvents / totalMs) * 1000).toExponential(2)} |`);
  return rows.join("\n");
}
