/**
 * End-to-end start-up benchmark: 10,000 container instances starting at once across 100 hosts
 * with cold caches and images sharing base layers, every pull, extraction and init a flow on
 * shared resources. Prints wall time and the engine's event count.
 */
import { resolveWorkload, runOnce } from "../sim/experiment/index.js";
import { loadScenarioText } from "../sim/scenario/index.js";

export function startupScenario(hosts: number, instances: number): string {
  const apps = 20;
  const images = Array.from({ length: apps }, (_, k) => `  app${k}: { from: ${k % 2 ? "java" : "python"}, layers: [ { digest: app${k}, size: ${20 + k}MiB } ] }`);
  const appLines = Array.from(
    { length: apps },
    (_, k) => `  - { name: app${k}, replicas: ${instances / apps}, image: app${k}, cpu: 0.25, memory: 512MiB, init: { dist: exponential, mean: 3s } }`,
  );
  return `version: 1
name: bench-startup
seed: 1
horizon: 2h
replications: 1
hosts: [ { type: h, count: ${hosts}, cores: 64, memory: 512GiB, network: 25Gbit/s, disk: { bandwidth: 2GB/s } } ]
registry: { bandwidth: 10Gbit/s, latency: 40ms }
images:
  base: { layers: [ { digest: debian, size: 48MiB } ] }
  java: { from: base, layers: [ { digest: jre, size: 140MiB } ] }
  python: { from: base, layers: [ { digest: py, size: 52MiB } ] }
${images.join("\n")}
apps:
${appLines.join("\n")}
modes: { container: {} }
placement: { policy: worst-fit }
`;
}

export async function benchStartup(): Promise<string> {
  const rows: string[] = ["| instances | hosts | wall ms | engine events | events/s | all ready (sim s) | pulled GB |", "|---:|---:|---:|---:|---:|---:|---:|"];
  for (const [hosts, instances] of [
    [10, 1000],
    [100, 10000],
  ] as const) {
    const loaded = loadScenarioText(startupScenario(hosts, instances), "bench.yaml");
    if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join("\n"));
    const w = resolveWorkload(loaded.scenario);
    const mode = w.modes[0]!;
    const config = { seed: 1, horizonS: loaded.scenario.horizon, policy: loaded.scenario.placement.policy };
    runOnce(w, mode, config, 0); // warm-up
    const t0 = process.hrtime.bigint();
    const out = runOnce(w, mode, config, 0);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const events = out.eventsProcessed;
    rows.push(
      `| ${instances} | ${hosts} | ${ms.toFixed(0)} | ${events} | ${((events / ms) * 1000).toExponential(2)} | ${out.metrics["startup.allReady"]!.toFixed(1)} | ${(out.metrics["pull.bytes"]! / 1e9).toFixed(1)} |`,
    );
  }
  return rows.join("\n");
}
