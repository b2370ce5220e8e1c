/**
 * `densim trace <scenario>`: the lifecycle events of replication 0, per mode, with container IDs,
 * hostnames and addresses; `--instance PREFIX` picks one instance by unique ID prefix or name.
 */
import type { Argv } from "yargs";
import type { Identity, Trace, TraceEvent } from "../../experiment/index.js";
import { listOption, UsageError } from "../io.js";
import { loadAll } from "../scenarios.js";

interface TraceArgs {
  scenario: string;
  mode: string[];
  instance?: string;
  json: boolean;
  set: string[];
  seed?: number;
}

export const traceCommand = {
  command: "trace <scenario>",
  describe: "Print the lifecycle events of one run, with container IDs, hostnames and IPs",
  builder: (y: Argv) =>
    y
      .positional("scenario", { type: "string", demandOption: true, describe: "Scenario file" })
      .option("mode", { type: "string", array: true, default: [], describe: "Only these modes (default: all)" })
      .option("instance", { type: "string", describe: "One instance, by unique ID prefix (as docker does) or app#replica" })
      .option("json", { type: "boolean", default: false, describe: "Events as JSON" })
      .option("set", { type: "string", array: true, default: [], describe: "Override a field: path=value" })
      .option("seed", { type: "number", describe: "Override the scenario seed" }),
  handler: async (args: TraceArgs): Promise<void> => {
    const [loaded] = await loadAll([args.scenario], { sets: args.set, seed: args.seed });
    if (!loaded) return;
    const { traceRun, matchInstances, resolveWorkload } = await import("../../experiment/index.js");
    const all = resolveWorkload(loaded.scenario, loaded.traces).modes.map((m) => m.name);
    const wanted = listOption(args.mode);
    const missing = wanted.filter((m) => !all.includes(m));
    if (missing.length) throw new UsageError(`--mode: expected some of ${all.join(", ")}, found ${missing.join(",")}`);
    const traces = (wanted.length ? all.filter((m) => wanted.includes(m)) : all).map((m) => traceRun(loaded, m));

    let selected: Trace[] = traces;
    if (args.instance !== undefined) {
      const prefix = args.instance;
      const matches = traces.flatMap((t) => matchInstances(t.identities, prefix).map((id) => ({ t, id })));
      if (matches.length === 0) throw new UsageError(`--instance: expected the start of an instance ID, found ${JSON.stringify(prefix)}, which matches none`);
      if (matches.length > 1) {
        const list = matches.slice(0, 10).map((m) => `  ${m.t.mode}: ${m.id.id} (${m.id.name})`);
        throw new UsageError(
          `${JSON.stringify(prefix)} is ambiguous: it matches ${matches.length} instances; give more of the ID\n${list.join("\n")}${matches.length > 10 ? "\n  ..." : ""}`,
        );
      }
      const only = matches[0] as { t: Trace; id: Identity };
      selected = [{ ...only.t, identities: [only.id], events: only.t.events.filter((e) => e.instance === only.id) }];
    }
    // Written in chunks as they are formatted (waiting for a slow reader), never as one string.
    if (args.json) await writeChunks(jsonChunks(selected.flatMap((t) => t.events)));
    else for (const t of selected) await writeChunks(traceChunks(t));
  },
};

/** Writes chunks to stdout, waiting for it to drain when its buffer is full. */
async function writeChunks(chunks: Iterable<string>): Promise<void> {
  for (const c of chunks) {
    if (!process.stdout.write(c)) await new Promise<void>((resolve) => process.stdout.once("drain", () => resolve()));
  }
}

/** `JSON.stringify(events, null, 2)` and a newline, a thousand events at a time. */
function* jsonChunks(events: readonly TraceEvent[]): Generator<string> {
  if (events.length === 0) {
    yield "[]\n";
    return;
  }
  yield "[\n";
  for (let k = 0; k < events.length; k += 1000) {
    const part = events.slice(k, k + 1000).map((e) => JSON.stringify(e, null, 2).replaceAll("\n", "\n  "));
    yield `  ${part.join(",\n  ")}${k + 1000 < events.length ? ",\n" : "\n"}`;
  }
  yield "]\n";
}

const fmtTime = (t: number): string => `${t.toFixed(3)}s`.padStart(11);

/** One trace as a table, a thousand rows at a time (the same text formatTrace used to return whole). */
function* traceChunks(t: Trace): Generator<string> {
  yield `# ${t.mode} (${t.profile}), replication 0, seed ${t.seed}: ${t.events.length} events\n`;
  // Containers show docker's 12-character short ID, VMs the first group of their UUID.
  const short = (i: Identity | undefined): string => (i ? (i.id.includes("-") ? (i.id.split("-")[0] as string) : i.id.slice(0, 12)) : "-");
  const rows = t.events.map((e: TraceEvent) => [fmtTime(e.time), short(e.instance), e.instance?.name ?? "-", e.host ?? "-", e.event, detail(e)]);
  const head = ["TIME", "ID", "INSTANCE", "HOST", "EVENT", "DETAIL"];
  // A loop, not Math.max(...rows): a million rows would overflow the stack.
  const widths = head.map((h) => h.length);
  for (const r of rows) r.forEach((v, c) => (widths[c] = Math.max(widths[c] as number, v.length)));
  const fmt = (r: readonly string[]): string => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] as number))).join("  ").trimEnd();
  yield `${fmt(head)}\n`;
  for (let k = 0; k < rows.length; k += 1000) yield rows.slice(k, k + 1000).map((r) => `${fmt(r)}\n`).join("");
  yield "\n";
}

function detail(e: TraceEvent): string {
  if (e.event === "placed" && e.instance) return `${e.instance.ip ?? ""} ${e.instance.hostname}`.trim();
  return e.detail;
}
