/**
 * `node dist/bench/write-cases.js [DIR]` writes every scale case's scenario (cases.ts) to DIR
 * (default /tmp/densim-cases), for profiling with `node --cpu-prof dist/sim/cli/main.js run ...`.
 * A file of its own: cases.ts is bundled into the scale bench's case runner, where a "run as a
 * script" test would see the runner's own path.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jobsScenario, pullStormScenario, servicesScenario } from "./cases.js";

const dir = process.argv[2] ?? "/tmp/densim-cases";
mkdirSync(dir, { recursive: true });
for (const n of [10_000, 100_000, 1_000_000]) writeFileSync(join(dir, `services-${n}.yaml`), servicesScenario(n));
for (const n of [1_000, 3_000, 5_000]) {
  writeFileSync(join(dir, `pulls-${n}.yaml`), pullStormScenario(n));
  writeFileSync(join(dir, `pulls-staggered-${n}.yaml`), pullStormScenario(n, 20));
}
for (const d of [1, 7, 30]) writeFileSync(join(dir, `jobs-${d}d.yaml`), jobsScenario(d));
console.log(dir);
