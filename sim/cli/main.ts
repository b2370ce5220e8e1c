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

runCli(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportFailure(err);
  },
);
