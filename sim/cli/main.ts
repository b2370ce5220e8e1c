#!/usr/bin/env node
/**
 * densim's command line. Thin: parse with yargs, call experiment/report, print. Heavy modules
 * (zod, vega) load inside the commands so `densim --help` answers at once.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { initCommand } from "./commands/init.js";
import { profilesCommand } from "./commands/profiles.js";
import { runCommand } from "./commands/run.js";
import { schemaCommand } from "./commands/schema.js";
import { sweepCommand } from "./commands/sweep.js";
import { traceCommand } from "./commands/trace.js";
import { validateCommand } from "./commands/validate.js";
import { EXIT_FAILURE, EXIT_USAGE, printIssues, UsageError } from "./io.js";
import { InterruptedError, signalExitCode } from "./interrupts.js";

const VERSION = "0.1.0";

function fail(err: unknown): never {
  if (err instanceof UsageError) {
    printIssues(err.issues);
    process.stderr.write(`densim: ${err.message}\n`);
    process.exit(EXIT_USAGE);
  }
  if (err instanceof InterruptedError) {
    process.stderr.write(`densim: ${err.message}\n`);
    process.exit(signalExitCode(err.signal));
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`densim: failed while running: ${e.message}\n`);
  if (process.env.DENSIM_DEBUG) process.stderr.write(`${e.stack ?? ""}\n`);
  else process.stderr.write("densim: set DENSIM_DEBUG=1 for details\n");
  process.exit(EXIT_FAILURE);
}

export async function main(argv: readonly string[]): Promise<void> {
  await yargs([...argv])
    .scriptName("densim")
    .usage("$0 <command> [options]\n\nCompare bare processes, containers, VMs and microVMs on one workload.")
    .command(runCommand)
    .command(validateCommand)
    .command(schemaCommand)
    .command(initCommand)
    .command(profilesCommand)
    .command(traceCommand)
    .command(sweepCommand)
    .demandCommand(1, "name a command: run, validate, sweep, trace, schema, init or profiles")
    .strict()
    .version(VERSION)
    .help()
    .alias("h", "help")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .example("$0 run scenarios/quickstart.yaml", "compare all modes, write reports/quickstart/")
    .example("$0 run s.yaml --mode vm,container --set apps.orders.replicas=80", "two modes, one override")
    .epilogue("Exit codes: 0 ok, 1 failure while running, 2 bad usage or invalid scenario.")
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`densim: ${msg}\nRun densim --help for usage.\n`);
      process.exit(EXIT_USAGE);
    })
    .parseAsync();
}

// A closed pipe (densim schema | head) is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

main(hideBin(process.argv)).catch(fail);
