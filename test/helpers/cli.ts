/**
 * Running densim from tests, two ways:
 * - `densimProcess`: the built CLI as users run it (package.json's bin, the bundle dist/bin/densim.js)
 *   as a child process, for what only a
 *   process shows (exit codes set by main.ts, signals, pipes, concurrent processes);
 * - `densimHere`: the same command in this process (runCli with captured output), in `cwd` and
 *   with `env` as the child would have them, for what a command decides. It saves the child's
 *   start-up (a third to a half of a second of module loading per command).
 * Both return the same Outcome, so a test can move between them without other changes.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { runCli } from "../../sim/cli/cli.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** package.json's bin: the bundle (rolldown.config.js) of tsc's output. */
export const MAIN = join(ROOT, "dist", "bin", "densim.js");

export interface Outcome {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly cwd: string;
}

export interface CliOptions {
  /** The working directory (default: this process's). */
  readonly cwd?: string;
  /** Variables added to the environment; DENSIM_DEBUG is always unset. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Every file of the one report folder in `dir` (but densim's manifest, which names the command) by name -> bytes. */
export function reportFiles(dir: string): Record<string, string> {
  const [only] = readdirSync(dir);
  const folder = join(dir, only as string);
  return Object.fromEntries(
    readdirSync(folder)
      .filter((f) => !f.startsWith(".densim-"))
      .sort()
      .map((f) => [f, readFileSync(join(folder, f), "latin1")]),
  );
}

/** Builds dist/ when a test file that spawns the CLI runs without `npm run build` first. */
export function ensureBuilt(): void {
  if (existsSync(MAIN)) return;
  const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
}

/** `densim ...args` as a child process. */
export function densimProcess(args: readonly string[], o: CliOptions = {}): Outcome {
  const cwd = o.cwd ?? process.cwd();
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
  delete env.DENSIM_DEBUG;
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, encoding: "utf8", env, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, cwd };
}

/**
 * `densim ...args` in this process: the working directory and environment are set for the call
 * and restored after it (vitest runs a file's tests one at a time, in a forked process of its own,
 * so nothing else sees them).
 */
export async function densimHere(args: readonly string[], o: CliOptions = {}): Promise<Outcome> {
  const cwd = o.cwd ?? process.cwd();
  const extra: Record<string, string | undefined> = { ...o.env, DENSIM_DEBUG: undefined };
  const saved = Object.fromEntries(Object.keys(extra).map((k) => [k, process.env[k]]));
  const savedCwd = process.cwd();
  const setEnv = (vars: Record<string, string | undefined>): void => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  let stdout = "";
  let stderr = "";
  setEnv(extra);
  process.chdir(cwd);
  try {
    const status = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { status, stdout, stderr, cwd };
  } finally {
    process.chdir(savedCwd);
    setEnv(saved);
  }
}

/** Fails with the command's output when its exit code is not `code`. */
export function expectExit(o: Pick<Outcome, "status" | "stdout" | "stderr">, code: number): void {
  expect(o.status, `exit ${String(o.status)}\n--- stdout\n${o.stdout}\n--- stderr\n${o.stderr}`).toBe(code);
}

/** A user-facing failure: no stack trace, no Node.js internals. */
export function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s{4}at /m);
  expect(stderr).not.toMatch(/node:internal|Error: |Node\.js v/);
}
