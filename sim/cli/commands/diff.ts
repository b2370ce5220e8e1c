/**
 * `densim diff <a> <b>`: how two runs differ, in their inputs and per mode and metric, with
 * whether each move is beyond the 95% CIs. `a` and `b` are results.json files or report folders.
 * A file that is not a results file this densim can read is refused (exit 2) with the reason.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Argv } from "yargs";
import type { DiffInput } from "../../experiment/diff.js";
import { UsageError } from "../io.js";

export const DIFF_FORMATS = ["text", "md", "json"] as const;

interface DiffArgs {
  a: string;
  b: string;
  all: boolean;
  format: string;
}

export const diffCommand = {
  command: "diff <a> <b>",
  describe: "Compare two runs: inputs, and per mode and metric the change and whether it is beyond the 95% CIs",
  builder: (y: Argv) =>
    y
      .positional("a", { type: "string", demandOption: true, describe: "results.json, or a report folder holding one" })
      .positional("b", { type: "string", demandOption: true, describe: "results.json, or a report folder holding one" })
      .option("all", { type: "boolean", default: false, describe: "Every metric, not only those that changed" })
      .option("format", { type: "string", default: "text", describe: `Output: ${DIFF_FORMATS.join(", ")} (md: a Markdown report)` }),
  handler: async (args: DiffArgs): Promise<void> => {
    if (!(DIFF_FORMATS as readonly string[]).includes(args.format)) throw new UsageError(`--format: expected one of ${DIFF_FORMATS.join(", ")}, found ${args.format}`);
    const { diffResults } = await import("../../experiment/index.js");
    const a = await readResultsArg(args.a, "a");
    const b = await readResultsArg(args.b, "b");
    const d = diffResults(a, b, { all: args.all });
    const { diffText, diffMarkdown, diffJson } = await import("../../report/index.js");
    process.stdout.write(args.format === "json" ? diffJson(d) : args.format === "md" ? diffMarkdown(d) : diffText(d));
  },
};

/** Reads the results named by a command-line argument: a file, or a folder holding results.json. */
export async function readResultsArg(arg: string, which: string): Promise<DiffInput> {
  let file = arg;
  try {
    if (statSync(arg).isDirectory()) file = join(arg, "results.json");
  } catch {
    throw new UsageError(`${which}: expected a results.json or a report folder, found no such file or folder ${arg}`);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${which}: expected a readable results.json, found ${code === "ENOENT" ? `no ${file} (is it a report folder?)` : `${file} unreadable (${code ?? String(e)})`}`);
  }
  const { parseResults } = await import("../../experiment/index.js");
  const r = parseResults(text, file);
  if (!r.ok) throw new UsageError(`${which}: ${file} is not a results file this densim can read; nothing compared`, r.issues);
  return { path: file, results: r.results, schemaVersion: r.schemaVersion, provenance: r.provenance };
}
