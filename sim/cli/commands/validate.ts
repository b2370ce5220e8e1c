/** `densim validate <scenario...>`: every problem in every file at once; exit 2 if there is any. */
import type { Argv } from "yargs";
import { loadAll } from "../scenarios.js";

export const validateCommand = {
  command: "validate <scenario...>",
  describe: "Check scenario files and report every problem with file:line:col",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", array: true, demandOption: true, describe: "Scenario files" })
      .option("set", { type: "string", array: true, default: [], describe: "Override a field: path=value" }),
  handler: async (args: { scenario: string[]; set: string[] }): Promise<void> => {
    const loaded = await loadAll(args.scenario, { sets: args.set });
    const { resolveWorkload } = await import("../../experiment/resolve.js");
    for (const l of loaded) {
      const w = resolveWorkload(l.scenario, l.traces);
      const instances = w.apps.reduce((n, a) => n + a.replicas, 0);
      const hosts = w.hostTypes.reduce((n, t) => n + t.count, 0);
      process.stdout.write(
        `${l.file}: ok: ${l.scenario.name}, ${w.apps.length} apps (${instances} instances), ${hosts} hosts, modes ${w.modes.map((m) => `${m.name}=${m.profile.name}`).join(" ")}\n`,
      );
    }
  },
};
