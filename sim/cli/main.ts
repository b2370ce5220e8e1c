#!/usr/bin/env node
/** The `densim` executable: runs the command line (cli.ts) and exits with its code. */
import { hideBin } from "yargs/helpers";
import { reportFailure, runCli } from "./cli.js";
import { OutputError } from "./io.js";

// A closed pipe (densim schema | head) is the reader's choice, not a failure: exit 0, quietly.
// Any other refused write (stdout on /dev/full or a full disk) exits 1 with one line.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  process.stderr.write(`densim: ${new OutputError("standard output", e).message}\n`);
  process.exit(1);
});
// Nowhere left to say what went wrong.
process.stderr.on("error", (e: NodeJS.ErrnoException) => process.exit(e.code === "EPIPE" ? 0 : 1));

// Success (and exit 3, SLOs missed, after a full report) lets stdout drain; a failure exits at once.
const finish = (code: number): void => {
  if (code === 0 || code === 3) process.exitCode = code;
  else process.exit(code);
};
runCli(hideBin(process.argv)).then(finish, (err: unknown) => finish(reportFailure(err)));
