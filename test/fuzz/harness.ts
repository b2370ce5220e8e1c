/**
 * The fuzzer's harness: runs `densim validate` and `densim run --format json` in-process (runCli
 * with captured output) on a scenario text, and checks what every case must satisfy: exit 0 or
 * 2 (3 only with --check), never 1 and never a thrown exception; validate and run agree; every
 * line of an exit 2 says where, which field, what was expected and what was found.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { densimHere } from "../helpers/cli.js";

export interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Limits small enough that any accepted case runs in well under a second. */
export const FUZZ_LIMITS = ["--max-events", "100000", "--max-instances", "20000", "--max-jobs", "20000", "--max-samples", "200000", "--max-cluster-hosts", "2000"];

export async function densimInProcess(argv: readonly string[]): Promise<Outcome> {
  const { status, stdout, stderr } = await densimHere(argv);
  return { code: status ?? -1, stdout, stderr };
}

/** An issue line: `file:line:col: path: expected ..., found ...` or `--set k=v: path: expected ..., found ...`. */
export const ISSUE_LINE = /^(?:.+?:\d+:\d+|--set .+?): .+?: expected .+, found \S.*$/s;
const SUMMARY_LINE = /^densim: \d+ problems? found; nothing was run$/;

/** Lines of an exit-2 stderr that follow neither the issue format nor the summary. */
export function badLines(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((l) => l !== "")
    .filter((l) => !ISSUE_LINE.test(l) && !SUMMARY_LINE.test(l));
}

export interface CaseResult {
  readonly validate: Outcome;
  readonly run: Outcome;
  /** Every broken expectation, in words; empty when the case passes. */
  readonly problems: readonly string[];
}

/** Writes `text` as a scenario in a fresh folder and runs validate and run on it. */
/** Runs use --check, so a scenario with SLOs may also exit 3 (an SLO missed). */
export async function checkScenarioText(text: string, sets: readonly string[] = [], extra: readonly string[] = ["--check"]): Promise<CaseResult> {
  const dir = mkdtempSync(join(tmpdir(), "densim-fuzz-"));
  try {
    const file = join(dir, "s.yaml");
    writeFileSync(file, text);
    const setArgs = sets.flatMap((s) => ["--set", s]);
    const validate = await densimInProcess(["validate", file, ...setArgs, ...FUZZ_LIMITS]);
    const run = await densimInProcess(["run", file, "--format", "json", "--json", "--quiet", "--out", join(dir, "out"), ...setArgs, ...FUZZ_LIMITS, ...extra]);
    const problems: string[] = [];
    const allowed = extra.includes("--check") ? [0, 2, 3] : [0, 2];
    if (!(validate.code === 0 || validate.code === 2)) problems.push(`validate exited ${validate.code}: ${validate.stderr}`);
    if (!allowed.includes(run.code)) problems.push(`run exited ${run.code}: ${run.stderr}`);
    if ((validate.code === 2) !== (run.code === 2)) problems.push(`validate exited ${validate.code} but run exited ${run.code}: ${validate.stderr}${run.stderr}`);
    for (const o of [validate, run]) {
      if (o.code !== 2) continue;
      const bad = badLines(o.stderr);
      if (bad.length > 0) problems.push(`exit-2 lines without position and expected/found: ${bad.join(" | ")}`);
    }
    if (run.code === 0) {
      try {
        JSON.parse(run.stdout);
      } catch {
        problems.push(`run --json printed no JSON: ${run.stdout.slice(0, 200)}`);
      }
    }
    return { validate, run, problems };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
