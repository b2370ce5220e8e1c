/**
 * `densim explore <scenario> [--port N]`: a local page with a control per tunable parameter, the
 * comparison table and the report's charts, re-run on every change (sim/cli/explore/). Every
 * parameter's extremes are checked with the `--set` loader before the server starts, so a bad
 * `explore.params` entry is an error at its file:line:col, not a broken slider. Runs until
 * Ctrl-C (exit 130) or SIGTERM (143).
 */
import type { Argv } from "yargs";
import type { ScenarioIssue } from "../../scenario/index.js";
import { EXIT_INTERRUPTED, UsageError } from "../io.js";
import { signalExitCode } from "../interrupts.js";
import { limitsInForce, loadAll } from "../scenarios.js";

export interface ExploreArgs {
  scenario: string;
  port: number;
  out: string;
}

export const exploreCommand = {
  command: "explore <scenario>",
  describe: "Serve a local page with sliders for the scenario's parameters; the comparison and charts follow them",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "Scenario file (YAML or JSON)" })
      .option("port", { type: "number", default: 8750, describe: "Port on 127.0.0.1 (0: any free port; the URL is printed)" })
      .option("out", { type: "string", default: "reports", describe: "Report root for \"save as report\": <out>/<name>@<hash>/" }),
  handler: async (args: ExploreArgs): Promise<void> => {
    await explore(args);
  },
};

export async function explore(args: ExploreArgs): Promise<void> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port: expected an integer from 0 to 65535, found ${String(args.port)}`);
  const [loaded] = await loadAll([args.scenario], {});
  if (!loaded) throw new UsageError("no scenario");
  const { exploreParams, extremes, setExpression } = await import("../explore/params.js");
  const { loadScenarioFile } = await import("../../scenario/index.js");
  const params = exploreParams(loaded);

  // Each parameter at its extremes must load as `densim run --set` would take it.
  const issues: ScenarioIssue[] = [];
  for (const p of params) {
    for (const v of extremes(p)) {
      const set = setExpression(p, v);
      const r = loadScenarioFile(args.scenario, { sets: [set] });
      if (r.ok) continue;
      const where = p.declared >= 0 ? loaded.where(["explore", "params", p.declared, "path"]) : `${args.scenario} (default parameter)`;
      const path = p.declared >= 0 ? `explore.params[${p.declared}]` : p.path;
      for (const i of r.issues) issues.push({ code: "explore", where, path, message: `expected a value --set ${set} accepts, found: ${i.path}: ${i.message}` });
      break;
    }
  }
  if (issues.length > 0) throw new UsageError(`${issues.length} explore parameter${issues.length === 1 ? "" : "s"} cannot be set; nothing was served`, issues);

  const { ExploreRunner } = await import("../explore/runner.js");
  const { startExploreServer } = await import("../explore/server.js");
  const { explorePage } = await import("../explore/page.js");
  const s = loaded.scenario;
  const page = explorePage({ name: s.name, title: s.title ?? "", file: args.scenario, params, replications: s.replications });
  // Listen for Ctrl-C before anything is served: from here on it stops the explorer cleanly.
  const stopped = new Promise<"SIGINT" | "SIGTERM">((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  const runner = new ExploreRunner(args.scenario, await limitsInForce());
  let server;
  try {
    server = await startExploreServer({ file: args.scenario, params, page, runner, out: args.out, port: args.port });
  } catch (e) {
    await runner.close();
    throw e;
  }
  process.stdout.write(`densim explore: ${s.name}, ${params.length} parameter${params.length === 1 ? "" : "s"}\n`);
  process.stdout.write(`densim explore: open ${server.url}  (Ctrl-C stops)\n`);

  const signal = await stopped;
  await Promise.all([server.close(), runner.close()]);
  process.stderr.write(`densim explore: stopped (${signal})\n`);
  process.exitCode = signal === "SIGINT" ? EXIT_INTERRUPTED : signalExitCode(signal);
}
