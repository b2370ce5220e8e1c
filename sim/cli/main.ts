#!/usr/bin/env node
/**
 * densim's command line. Thin: parse with yargs, call experiment/report, print. Heavy modules
 * (zod, vega) load inside the commands so `densim --help` answers at once.
 */
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { diffCommand } from "./commands/diff.js";
import { initCommand } from "./commands/init.js";
import { planCommand } from "./commands/plan.js";
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
    .command(planCommand)
    .command(diffCommand)
    .demandCommand(1, "name a command: run, plan, validate, sweep, diff, trace, schema, init or profiles")
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
    .epilogue(
      "Exit codes: 0 ok, 1 failure while running, 2 bad usage or invalid scenario, 3 an SLO missed under --check, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).",
    )
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
