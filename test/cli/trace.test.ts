/**
 * `densim trace` streams: every event is written as the run makes it (the run goes twice), and the
 * output is the whole trace's, as traceRun keeps it, formatted at once; one instance's events
 * with --instance; an ambiguous prefix lists its candidates one per line; memory does not grow
 * with the events.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { jobsScenario } from "../../bench/cases.js";
import { resolveWorkload, traceRun, type Identity, type Trace, type TraceEvent } from "../../sim/experiment/index.js";
import { loadScenarioFile, type LoadedScenario } from "../../sim/scenario/index.js";
import { densimProcess, ensureBuilt, expectExit, MAIN } from "../helpers/cli.js";

/** The trace as one table per mode, formatted from every event at once (the output before it streamed). */
function wholeText(traces: readonly Trace[]): string {
  const short = (i: Identity | undefined): string => (i ? (i.id.includes("-") ? (i.id.split("-")[0] as string) : i.id.slice(0, 12)) : "-");
  const detail = (e: TraceEvent): string => (e.event === "placed" && e.instance ? `${e.instance.ip ?? ""} ${e.instance.hostname}`.trim() : e.detail);
  return traces
    .map((t) => {
      const rows = t.events.map((e) => [`${e.time.toFixed(3)}s`.padStart(11), short(e.instance), e.instance?.name ?? "-", e.host ?? "-", e.event, detail(e)]);
      const head = ["TIME", "ID", "INSTANCE", "HOST", "EVENT", "DETAIL"];
      const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
      const fmt = (r: readonly string[]): string => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd(widths[c] as number))).join("  ").trimEnd();
      return `# ${t.mode} (${t.profile}), replication 0, seed ${t.seed}: ${t.events.length} events\n${[head, ...rows].map((r) => `${fmt(r)}\n`).join("")}\n`;
    })
    .join("");
}

const loaded = (file: string): LoadedScenario => {
  const l = loadScenarioFile(file);
  if (!l.ok) throw new Error(`${file} does not load`);
  return l;
};

const tracesOf = (l: LoadedScenario): Trace[] => resolveWorkload(l.scenario, l.traces).modes.map((m) => traceRun(l, m.name));

describe("densim trace", () => {
  ensureBuilt();

  // Services and image layers in four modes (quickstart), moves after a host failure
  // (host-failure), live migrations (patch-tuesday, one mode), and jobs in three modes (batch-jobs).
  // As JSON too where identities carry what only the run's end tells (a moved instance's host).
  for (const [file, modes, json] of [
    ["scenarios/quickstart.yaml", [], false],
    ["scenarios/host-failure.yaml", [], true],
    ["scenarios/patch-tuesday.yaml", ["vm"], false],
    ["scenarios/batch-jobs.yaml", [], true],
  ] as const) {
    it(`writes ${file}'s whole trace, as a table${json ? " and as JSON" : ""}`, () => {
      const l = loaded(file);
      const traces = modes.length ? modes.map((m) => traceRun(l, m)) : tracesOf(l);
      const modeArgs = modes.length ? ["--mode", modes.join(",")] : [];
      const text = densimProcess(["trace", resolve(file), ...modeArgs]);
      expectExit(text, 0);
      expect(text.stdout).toBe(wholeText(traces));
      if (!json) return;
      const o = densimProcess(["trace", resolve(file), ...modeArgs, "--json"]);
      expectExit(o, 0);
      expect(o.stdout).toBe(`${JSON.stringify(traces.flatMap((t) => t.events), null, 2)}\n`);
    });
  }

  it("writes one instance's events with --instance, by name or by ID prefix, a job's too", () => {
    const l = loaded("scenarios/batch-jobs.yaml");
    const vm = traceRun(l, "vm");
    const job = vm.identities.find((i) => i.name === "etl#3") as Identity;
    const only: Trace = { ...vm, events: vm.events.filter((e) => e.instance?.name === "etl#3") };
    expect(only.events.length).toBeGreaterThan(3);
    for (const pick of ["etl#3", job.id.slice(0, 8)]) {
      const o = densimProcess(["trace", resolve("scenarios/batch-jobs.yaml"), "--mode", "vm", "--instance", pick]);
      expectExit(o, 0);
      expect(o.stdout).toBe(wholeText([only]));
    }
  });

  it("lists an ambiguous prefix's candidates one per line, and exits 2", () => {
    const o = densimProcess(["trace", resolve("scenarios/batch-jobs.yaml"), "--instance", "etl#3"]);
    expectExit(o, 2);
    const lines = o.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe('densim: "etl#3" is ambiguous: it matches 3 instances; give more of the ID');
    expect(lines.slice(1).map((l) => l.replace(/: .* \(/, ": ID ("))).toEqual(["  container: ID (etl#3)", "  vm: ID (etl#3)", "  microvm: ID (etl#3)"]);
    expect(o.stdout).toBe("");
  });

  it("keeps no event: three hours of jobs at 1/s (about 86,000 events) trace in a 32 MiB heap", () => {
    const dir = mkdtempSync(join(tmpdir(), "densim-trace-"));
    const file = join(dir, "jobs.yaml");
    writeFileSync(file, jobsScenario(0.125));
    const r = spawnSync(process.execPath, ["--max-old-space-size=32", MAIN, "trace", file], { encoding: "utf8", maxBuffer: 1 << 30 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    const count = Number(/: (\d+) events$/.exec(lines[0] as string)?.[1]);
    expect(count).toBeGreaterThan(80_000);
    // The heading, the column names, a row per event, an empty line and the end of the last.
    expect(lines.length).toBe(count + 4);
  });
});
