/**
 * densim's command line as a function: parse with yargs, call experiment/report, print, and return
 * the exit code instead of exiting, so tests (the fuzzer) can run a command in-process with its
 * output captured. Heavy modules (zod, vega) load inside the commands so `densim --help` answers
 * at once. `main.ts` is the executable around it.
 */
import yargs from "yargs";
import { diffCommand } from "./commands/diff.js";
import { exploreCommand } from "./commands/explore.js";
import { initCommand } from "./commands/init.js";
import { mergeCommand } from "./commands/merge.js";
import { planCommand } from "./commands/plan.js";
import { profilesCommand } from "./commands/profiles.js";
import { runCommand } from "./commands/run.js";
import { schemaCommand } from "./commands/schema.js";
import { sweepCommand } from "./commands/sweep.js";
import { traceCommand } from "./commands/trace.js";
import { validateCommand } from "./commands/validate.js";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, OutputError, printIssues, safeText, UsageError } from "./io.js";
import { InterruptedError, signalExitCode } from "./interrupts.js";
import { LIMIT_OPTIONS, setLimits } from "./scenarios.js";

export const VERSION = "0.1.0";

/** Where a command's output goes when it runs in-process (tests): each receives whole writes. */
export interface OutputSinks {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Thrown by yargs' own usage failures (unknown option, missing argument). */
class YargsUsage extends Error {}

const COMMANDS = [runCommand, validateCommand, schemaCommand, initCommand, profilesCommand, traceCommand, sweepCommand, planCommand, diffCommand, exploreCommand, mergeCommand] as const;

/**
 * yargs' message for a command given too few arguments names no argument ("Not enough non-option
 * arguments: got 0, need at least 1"): say, as densim's other messages do, what the command
 * expected and what it found, with its usage line.
 */
export function usageMessage(msg: string, argv: readonly string[]): string {
  const missing = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(msg);
  const spec = COMMANDS.find((c) => c.command.split(" ")[0] === argv[0])?.command;
  if (!missing || spec === undefined) return msg;
  const wanted = spec.split(" ").filter((a) => a.startsWith("<"));
  const got = Number(missing[1]);
  const found = got === 0 ? "no argument" : `${got} argument${got === 1 ? "" : "s"} (missing ${wanted.slice(got).join(" ")})`;
  return `${argv[0]}: expected ${wanted.join(" ")}, found ${found}; usage: densim ${spec} [options]`;
}

/** Prints a failure and returns its exit code: 2 for the user's mistakes, 1 for anything else. */
export function reportFailure(err: unknown): number {
  if (err instanceof UsageError) {
    printIssues(err.issues);
    // Line by line: a message may list candidates, one per line (densim trace --instance).
    process.stderr.write(`densim: ${err.message.split("\n").map(safeText).join("\n")}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof InterruptedError) {
    process.stderr.write(`densim: ${safeText(err.message)}\n`);
    return signalExitCode(err.signal);
  }
  if (err instanceof YargsUsage) {
    process.stderr.write(`densim: ${safeText(err.message)}\nRun densim --help for usage.\n`);
    return EXIT_USAGE;
  }
  if (err instanceof OutputError) {
    process.stderr.write(`densim: ${safeText(err.message)}\n`);
    if (process.env.DENSIM_DEBUG) process.stderr.write(`${err.os.stack ?? ""}\n`);
    return EXIT_FAILURE;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`densim: failed while running: ${safeText(e.message)}\n`);
  if (process.env.DENSIM_DEBUG) process.stderr.write(`${e.stack ?? ""}\n`);
  else process.stderr.write("densim: set DENSIM_DEBUG=1 for details\n");
  return EXIT_FAILURE;
}

async function parse(argv: readonly string[]): Promise<number> {
  let code = EXIT_OK;
  try {
    const y = yargs([...argv]);
    skipHelpCache(y, argv);
    await y
      .scriptName("densim")
      .usage("$0 <command> [options]\n\nCompare bare processes, containers, VMs and microVMs on one workload.")
      .options(LIMIT_OPTIONS)
      .middleware((args) => setLimits(args))
      .command(COMMANDS as unknown as Parameters<typeof y.command>[0])
      .demandCommand(1, "name a command: run, plan, validate, sweep, merge, diff, explore, trace, schema, init or profiles")
      .strict()
      .version(VERSION)
      .help()
      .alias("h", "help")
      .wrap(Math.min(110, process.stdout.columns || 100))
      .example("$0 run scenarios/quickstart.yaml", "compare all modes, write reports/quickstart/")
      .example("$0 run s.yaml --mode vm,container --set apps.orders.replicas=80", "two modes, one override")
      .example("$0 plan scenarios/quickstart.yaml", "fewest hosts per mode meeting the SLOs, cost, ranking")
      .example("$0 diff reports/before reports/after", "what changed between two runs, beyond the CIs")
      .example("$0 run s.yaml --check", "exit 3 if an SLO is missed (CI)")
      .example("$0 explore scenarios/quickstart.yaml", "sliders for the parameters in a local page; the comparison follows")
      .epilogue(
        "Exit codes: 0 ok, 1 failure while running, 2 bad usage or invalid scenario, 3 an SLO missed under --check, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).",
      )
      .exitProcess(false)
      .fail((msg, err) => {
        throw err ?? new YargsUsage(usageMessage(msg, argv));
      })
      .parseAsync();
    if (typeof process.exitCode === "number") code = process.exitCode;
  } catch (err) {
    code = reportFailure(err);
  }
  return code;
}

/**
 * yargs formats and caches a command's whole help text each time a command runs, in case its handler
 * asks for help; densim's handlers never do and `.fail` prints no help, so unless help was asked for
 * that is ~20-30 ms of table layout per command. The hook is yargs' internal usage instance (as the
 * Angular CLI does, angular-cli#34087); if a yargs release moves it, this does nothing.
 */
function skipHelpCache(y: ReturnType<typeof yargs>, argv: readonly string[]): void {
  if (argv.some((a) => a === "--help" || a === "-h")) return;
  const internal = (y as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } }).getInternalMethods?.();
  const usage = internal?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === "function") usage.cacheHelpMessage = () => {};
}

/**
 * Runs `densim ...argv` and returns its exit code. With `sinks`, stdout and stderr writes go to
 * them for the duration of the call (one call at a time).
 */
export async function runCli(argv: readonly string[], sinks?: OutputSinks): Promise<number> {
  if (!sinks) return parse(argv);
  const out = process.stdout.write;
  const err = process.stderr.write;
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  const capture = (sink: (t: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      sink(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const cb = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture(sinks.stdout);
  process.stderr.write = capture(sinks.stderr);
  try {
    return await parse(argv);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = savedExitCode;
  }
}
