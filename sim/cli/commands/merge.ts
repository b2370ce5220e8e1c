/**
 * `densim merge <dir...>`: the partial results of `densim sweep ... --shard i/n` (one folder per
 * shard) combined into exactly the files the unsharded sweep writes: sweep.json, a chart per
 * metric, the tables. Partials of different sweeps, a missing or a repeated shard: exit 2.
 */
import { join } from "node:path";
import type { Argv } from "yargs";
import { checkReportFolder } from "../report-files.js";
import { checkFolderName } from "../report-names.js";
// Light: the sweep command's own module (cli.ts loads it anyway); its heavy parts load inside it.
import { sweepFormats, writeSweepReport } from "./sweep.js";

interface MergeArgs {
  dirs: string[];
  out: string;
  name?: string;
  format: string[];
  json: boolean;
  force: boolean;
}

export const mergeCommand = {
  command: "merge <dirs...>",
  describe: "Combine the shards of a sweep (densim sweep --shard i/n) into the sweep's report",
  builder: (y: Argv) =>
    y
      .positional("dirs", { type: "string", array: true, demandOption: true, describe: "Every shard's folder (<out>/<name>.shard-i-of-n)" })
      .option("out", { type: "string", default: "reports", describe: "Report root: files go to <out>/<name>/, the folder the unsharded sweep writes" })
      .option("name", { type: "string", describe: "Report folder name under --out (default: the unsharded sweep's)" })
      .option("format", { type: "string", array: true, default: ["json", "svg"], describe: "Files: json, svg, png (as densim sweep)" })
      .option("json", { type: "boolean", default: false, describe: "Print the sweep JSON on stdout" })
      .option("force", { type: "boolean", default: false, describe: "Write into a folder densim did not write; deletes no file it did not write" }),
  handler: async (args: MergeArgs): Promise<void> => {
    const formats = sweepFormats(args.format);
    if (args.name !== undefined) checkFolderName(args.name);
    const { mergeShards, readShard } = await import("../shards.js");
    const parts = args.dirs.map((dir) => ({ dir, shard: readShard(dir) }));
    const { header, outcomes, first } = mergeShards(parts);
    const { assembleSweep } = await import("../../experiment/sweep.js");
    if (args.name === undefined) checkFolderName(first.folder, `${join(args.dirs[0] as string, "sweep-shard.json")}: folder`);
    const dir = join(args.out, args.name ?? first.folder);
    checkReportFolder(dir, { force: args.force });
    await writeSweepReport(assembleSweep(header, outcomes), formats, dir, { force: args.force, json: args.json });
  },
};
