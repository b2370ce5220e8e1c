#!/usr/bin/env node
/** The `densim` executable: runs the command line (cli.ts) and exits with its code. */
import { hideBin } from "yargs/helpers";
import { reportFailure, runCli } from "./cli.js";

// A closed pipe (densim schema | head) is the reader's choice, not a failure.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
}

// Success (and exit 3, SLOs missed, after a full report) lets stdout drain; a failure exits at once.
const finish = (code: number): void => {
  if (code === 0 || code === 3) process.exitCode = code;
  else process.exit(code);
};
runCli(hideBin(process.argv)).then(finish, (err: unknown) => finish(reportFailure(err)));
