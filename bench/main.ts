/**
 * Benchmark entry point: runs each registered bench in order and prints its table.
 * Add a bench by appending to BENCHES.
 */
import { benchContention } from "./contention.js";
import { benchEngine } from "./engine.js";
import { benchSharing } from "./sharing.js";
import { benchStartup } from "./startup.js";

const BENCHES: readonly (readonly [string, () => Promise<string>])[] = [
  ["engine (hold model)", benchEngine],
  ["sharing (fluid max-min, per-host CPUs, registry)", benchSharing],
  ["start-up: containers, cold caches, shared base layers", benchStartup],
  ["contention: 10,000 services, diurnal load, 200 hosts, 24 h, four modes", benchContention],
];

for (const [name, bench] of BENCHES) {
  console.log(`## ${name}\n`);
  console.log(await bench());
  console.log();
}
