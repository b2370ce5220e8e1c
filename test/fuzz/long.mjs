#!/usr/bin/env node
// `npm run fuzz -- --runs N [--seed S]`: the fuzzer of test/fuzz with more cases (FUZZ_RUNS, FUZZ_SEED),
// going on past failures and listing each distinct one at the end (FUZZ_COLLECT=1; 0 stops at the first and shrinks it).
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "2000" }, seed: { type: "string", default: "14" } } });
for (const [name, v] of Object.entries(values)) {
  if (!/^[0-9]+$/.test(v)) {
    process.stderr.write(`fuzz: --${name} expects a whole number, found ${v}\n`);
    process.exit(2);
  }
}
const r = spawnSync("npx", ["vitest", "run", "test/fuzz"], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_RUNS: values.runs, FUZZ_SEED: values.seed, FUZZ_COLLECT: process.env.FUZZ_COLLECT ?? "1" },
});
process.exit(r.status ?? 1);
