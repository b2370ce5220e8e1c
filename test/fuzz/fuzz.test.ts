/**
 * The fuzzer in the test suite: mutated bundled scenarios and random valid ones, each through
 * `densim validate` and `densim run --format json` in-process. A fixed seed keeps `npm test`
 * reproducible; `npm run fuzz -- --runs N [--seed S]` runs more (FUZZ_RUNS, FUZZ_SEED).
 *
 * In `npm test` the first failing case stops the property and is shrunk. A long run
 * (FUZZ_COLLECT=1, as `npm run fuzz` sets) goes on past failures, prints its progress every
 * FUZZ_PROGRESS cases, and fails at the end listing each distinct failure once with the first case
 * that showed it. A failure found becomes a regression case (test/fuzz/regressions.test.ts or
 * test/scenario/regressions.test.ts) once fixed.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { caseText, mutatedCaseArb, toYaml, validScenarioArb } from "./arbitraries.js";
import { checkScenarioText, type CaseResult } from "./harness.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 14);
const COLLECT = process.env.FUZZ_COLLECT === "1";
const PROGRESS = Number(process.env.FUZZ_PROGRESS ?? 250);
const MUTATED = Math.ceil(RUNS * 0.9);
const VALID = Math.max(1, RUNS - MUTATED);
const TIMEOUT = Math.max(120_000, RUNS * 2_000);

/** A failure's kind: its first problem with numbers, quoted text and paths blurred, so one bug counts once. */
function failureKind(problem: string): string {
  return (problem.split("\n")[0] ?? "")
    .replace(/\/[^\s:]+/g, "<path>")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, "N")
    .slice(0, 160);
}

/** Runs `check` on `numRuns` cases of `arb`: fc.assert, or (COLLECT) every case with the distinct failures at the end. */
async function fuzz<T>(label: string, arb: fc.Arbitrary<T>, seed: number, numRuns: number, check: (value: T) => Promise<string[]>): Promise<void> {
  if (!COLLECT) {
    await fc.assert(
      fc.asyncProperty(arb, async (v) => {
        const problems = await check(v);
        if (problems.length > 0) throw new Error(problems.join("\n"));
      }),
      { numRuns, seed },
    );
    return;
  }
  const kinds = new Map<string, { count: number; first: string }>();
  let done = 0;
  for (const v of fc.sample(arb, { numRuns, seed })) {
    const problems = await check(v);
    for (const p of problems) {
      const k = failureKind(p);
      const seen = kinds.get(k);
      if (seen) seen.count++;
      else {
        kinds.set(k, { count: 1, first: p });
        console.log(`fuzz ${label}: case ${done + 1}: new failure: ${k}`);
      }
    }
    done++;
    if (done % PROGRESS === 0 || done === numRuns) console.log(`fuzz ${label}: ${done}/${numRuns} cases, ${kinds.size} distinct failures`);
  }
  const report = [...kinds.entries()].map(([k, { count, first }]) => `${count} x ${k}\n${first}`);
  expect(report, `${kinds.size} distinct failures`).toEqual([]);
}

const problemsOf = (r: CaseResult, text: string): string[] => r.problems.map((p) => `${p}\n--- scenario ---\n${text}`);

describe("fuzz: densim validate and run in-process", () => {
  it(`mutated bundled scenarios (${MUTATED} cases, seed ${SEED}): exit 0 or 2, agreeing, every exit-2 line positioned`, { timeout: TIMEOUT }, async () => {
    await fuzz("mutated", mutatedCaseArb, SEED, MUTATED, async (c) => {
      const text = caseText(c);
      return problemsOf(await checkScenarioText(text), text);
    });
  });

  it(`random valid scenarios (${VALID} cases, seed ${SEED}): validate and run exit 0`, { timeout: TIMEOUT }, async () => {
    await fuzz("valid", validScenarioArb, SEED + 1, VALID, async (s) => {
      const text = toYaml(s);
      const r = await checkScenarioText(text);
      const problems = problemsOf(r, text);
      if (r.validate.code !== 0) problems.push(`validate exited ${r.validate.code} on a valid scenario: ${r.validate.stderr}\n--- scenario ---\n${text}`);
      if (r.run.code !== 0) problems.push(`run exited ${r.run.code} on a valid scenario: ${r.run.stderr}\n--- scenario ---\n${text}`);
      return problems;
    });
  });
});
