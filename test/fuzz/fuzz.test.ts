/**
 * The fuzzer in the test suite: mutated bundled scenarios and random valid ones, each through
 * `densim validate` and `densim run --format json` in-process. A fixed seed keeps `npm test`
 * reproducible; `npm run fuzz -- --runs N [--seed S]` runs more (FUZZ_RUNS, FUZZ_SEED).
 * A failure prints the case's YAML: add it to test/scenario/regressions.test.ts when fixed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseText, mutatedCaseArb, toYaml, validScenarioArb } from "./arbitraries.js";
import { checkScenarioText } from "./harness.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 14);
const MUTATED = Math.ceil(RUNS * 0.9);
const VALID = Math.max(1, RUNS - MUTATED);
const TIMEOUT = Math.max(120_000, RUNS * 2_000);

describe("fuzz: densim validate and run in-process", () => {
  it(`mutated bundled scenarios (${MUTATED} cases, seed ${SEED}): exit 0 or 2, agreeing, every exit-2 line positioned`, { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(mutatedCaseArb, async (c) => {
        const text = caseText(c);
        const r = await checkScenarioText(text);
        if (r.problems.length > 0) throw new Error(`${r.problems.join("\n")}\n--- scenario ---\n${text}`);
      }),
      { numRuns: MUTATED, seed: SEED },
    );
  });

  it(`random valid scenarios (${VALID} cases, seed ${SEED}): validate and run exit 0`, { timeout: TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(validScenarioArb, async (s) => {
        const text = toYaml(s);
        const r = await checkScenarioText(text);
        if (r.problems.length > 0) throw new Error(`${r.problems.join("\n")}\n--- scenario ---\n${text}`);
        expect(r.validate.code, `${r.validate.stderr}\n--- scenario ---\n${text}`).toBe(0);
        expect(r.run.code, r.run.stderr).toBe(0);
      }),
      { numRuns: VALID, seed: SEED + 1 },
    );
  });
});
