/**
 * `densim trace <scenario>`: the lifecycle events of replication 0, per mode, with container IDs,
 * hostnames and addresses; `--instance PREFIX` picks one instance by unique ID prefix or name.
 */
import type { Argv } from "yargs";
import type { Identity, matchInstances as matchInstancesFn, TraceEvent, TraceStream } from "../../experiment/index.js";
import type { SyncOut } from "../sync-out.js";
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
    const { matchInstances, streamTrace, resolveWorkload } = await import("../../experiment/index.js");
    const all = resolveWorkload(loaded.scenario, loaded.traces).modes.map((m) => m.name);
    const wanted = listOption(args.mode);
    const missing = wanted.filter((m) => !all.includes(m));
    if (missing.length) throw new UsageError(`--mode: expected some of ${all.join(", ")}, found ${missing.join(",")}`);
    const modes = wanted.length ? all.filter((m) => wanted.includes(m)) : all;
    const { ClosedOutput, SyncOut } = await import("../sync-out.js");
    // Each mode's events are written as its run makes them (the run goes twice: streamTrace),
    // never held: a month of jobs is tens of millions of events.
    const out = new SyncOut();
    try {
      if (args.instance !== undefined) {
        const { t, id } = oneInstance(
          modes.map((m) => streamTrace(loaded, m)),
          args.instance,
          matchInstances,
        );
        const events: TraceEvent[] = [];
        t.replay((e) => events.push(e), id);
        if (args.json) jsonAll(out, (emit) => events.forEach(emit));
        else {
          const rows = events.map(cells);
          const widths = HEAD.map((h) => h.length);
          for (const r of rows) widen(widths, r);
          table(out, t, events.length, widths, (row) => rows.forEach(row));
        }
      } else if (args.json) {
        jsonAll(out, (emit) => {
          for (const m of modes) streamTrace(loaded, m).replay(emit);
        });
      } else {
        for (const m of modes) {
          const widths = HEAD.map((h) => h.length);
          const t = streamTrace(loaded, m, (e) => widen(widths, cells(e)));
          table(out, t, t.count, widths, (row) => t.replay((e) => row(cells(e))));
        }
      }
      out.flush();
    } catch (e) {
      if (e instanceof ClosedOutput) return;
      throw e;
    }
  },
};

const HEAD = ["TIME", "ID", "INSTANCE", "HOST", "EVENT", "DETAIL"] as const;

/** The one instance `prefix` names over the traces (by unique ID prefix or app#replica); a UsageError for none or several. */
function oneInstance(traces: readonly TraceStream[], prefix: string, match: typeof matchInstancesFn): { t: TraceStream; id: Identity } {
  let count = 0;
  const first: { t: TraceStream; id: Identity }[] = [];
  for (const t of traces) {
    const m = match(t.identities(), prefix, 10);
    count += m.count;
    for (const id of m.first) if (first.length < 10) first.push({ t, id });
  }
  if (count === 0) throw new UsageError(`--instance: expected the start of an instance ID, found ${JSON.stringify(prefix)}, which matches none`);
  if (count > 1) {
    const list = first.map((m) => `  ${m.t.mode}: ${m.id.id} (${m.id.name})`);
    throw new UsageError(`${JSON.stringify(prefix)} is ambiguous: it matches ${count} instances; give more of the ID\n${list.join("\n")}${count > 10 ? "\n  ..." : ""}`);
  }
  return first[0] as { t: TraceStream; id: Identity };
}

/** `JSON.stringify(events, null, 2)` and a newline, over the events `each` gives, each written as it comes. */
function jsonAll(out: SyncOut, each: (emit: (e: TraceEvent) => void) => void): void {
  let n = 0;
  each((e) => out.write(`${n++ === 0 ? "[\n  " : ",\n  "}${JSON.stringify(e, null, 2).replaceAll("\n", "\n  ")}`));
  out.write(n === 0 ? "[]\n" : "\n]\n");
}

/** One trace as a table: its heading, then each row `each` gives, each column `widths` wide (measured beforehand). */
function table(out: SyncOut, t: TraceStream, count: number, widths: readonly number[], each: (row: (cells: readonly string[]) => void) => void): void {
  const fmt = (r: readonly string[]): string => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] as number))).join("  ").trimEnd();
  out.write(`# ${t.mode} (${t.profile}), replication 0, seed ${t.seed}: ${count} events\n`);
  out.write(`${fmt(HEAD)}\n`);
  each((r) => out.write(`${fmt(r)}\n`));
  out.write("\n");
}

/** Widens `widths` to the cells of one row. */
function widen(widths: number[], row: readonly string[]): void {
  row.forEach((v, c) => (widths[c] = Math.max(widths[c] as number, v.length)));
}

/** Containers show docker's 12-character short ID, VMs the first group of their UUID. */
const short = (i: Identity | undefined): string => (i ? (i.id.includes("-") ? (i.id.split("-")[0] as string) : i.id.slice(0, 12)) : "-");

/** An event's row of the table. */
const cells = (e: TraceEvent): string[] => [fmtTime(e.time), short(e.instance), e.instance?.name ?? "-", e.host ?? "-", e.event, detail(e)];

const fmtTime = (t: number): string => `${t.toFixed(3)}s`.padStart(11);

function detail(e: TraceEvent): string {
  if (e.event === "placed" && e.instance) return `${e.instance.ip ?? ""} ${e.instance.hostname}`.trim();
  return e.detail;
}
