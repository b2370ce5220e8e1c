/**
 * `densim diff` end to end: quickstart before and after `--set apps.orders.replicas=80`, two
 * different scenarios, and files it must refuse. Report folders are found by reading --out, not
 * by assuming their names. The commands run in-process (densimHere): what is tested is what they
 * decide and print.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { densimHere, type Outcome } from "../helpers/cli.js";

const QUICKSTART = resolve("scenarios/quickstart.yaml");
const LICENSING = resolve("scenarios/windows-licensing.yaml");

const densim = (args: string[], cwd = ROOT): Promise<Outcome> => densimHere(args, { cwd });

let ROOT = "";

/** The one report folder under `out` that holds a results.json. */
function reportFolder(out: string): string {
  const found = readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(out, e.name, "results.json")))
    .map((e) => join(out, e.name));
  expect(found).toHaveLength(1);
  return found[0] as string;
}

async function run(out: string, args: string[]): Promise<string> {
  const r = await densim(["run", ...args, "--replications", "2", "--format", "json", "--out", out, "--quiet"]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return reportFolder(out);
}

interface Change {
  mode: string;
  metric: string;
  change: number | null;
  beyondCi: boolean;
  changed: boolean;
}
interface Diff {
  sameScenario: boolean;
  inputs: { overrides: { onlyA: string[]; onlyB: string[] } | null; text: string | null; hash: { same: boolean }; seed: { same: boolean } };
  modes: { both: string[]; onlyA: string[]; onlyB: string[] };
  counts: { compared: number; changed: number; beyondCi: number };
  metrics: Change[];
}

let before = "";
let after = "";
let other = "";

beforeAll(async () => {
  ROOT = mkdtempSync(join(tmpdir(), "densim-diff-"));
  before = await run(join(ROOT, "before"), [QUICKSTART]);
  after = await run(join(ROOT, "after"), [QUICKSTART, "--set", "apps.orders.replicas=80"]);
  other = await run(join(ROOT, "other"), [LICENSING]);
});

afterAll(() => {
  if (ROOT) rmSync(ROOT, { recursive: true, force: true });
});

describe("densim diff", () => {
  it("quickstart before and after replicas=80: names the override and the metrics that moved beyond their CIs", async () => {
    const r = await densim(["diff", before, after, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as Diff;
    expect(d.sameScenario).toBe(true);
    expect(d.inputs.overrides).toEqual({ onlyA: [], onlyB: ["apps.orders.replicas=80"] });
    expect(d.inputs.hash.same).toBe(false);
    expect(d.inputs.seed.same).toBe(true);
    expect(d.inputs.text).toMatch(/\n-    replicas: 60\n\+    replicas: 80\n/);
    expect(d.modes).toEqual({ both: ["bare", "container", "vm", "microvm"], onlyA: [], onlyB: [] });
    const find = (mode: string, metric: string) => d.metrics.find((c) => c.mode === mode && c.metric === metric);
    expect(find("container", "instances.requested")).toMatchObject({ change: 20, beyondCi: true });
    expect(find("container", "apps.orders.instances.placed")).toMatchObject({ change: 20, beyondCi: true });
    // Only what changed is listed by default.
    expect(d.metrics.every((c) => c.changed)).toBe(true);
    expect(d.metrics.length).toBe(d.counts.changed);
    expect(d.counts.beyondCi).toBeGreaterThan(0);
    // Deterministic: the same files give the same bytes.
    expect((await densim(["diff", before, after, "--format", "json"])).stdout).toBe(r.stdout);
  });

  it("prints text and Markdown, and every metric with --all", async () => {
    const text = await densim(["diff", join(before, "results.json"), after]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/Same scenario \(quickstart\), run with different inputs/);
    expect(text.stdout).toMatch(/overrides\s+\+ apps.orders.replicas=80\s+\(only in b\)/);
    expect(text.stdout).toMatch(/instances requested\s+120\s+140\s+\+20\s+\+16.7%\s+moved beyond the CI/);
    expect(text.stdout).toMatch(/app orders: instances placed\s+60\s+80\s+\+20\s+\+33.3%\s+moved beyond the CI/);
    const md = await densim(["diff", before, after, "--format", "md"]);
    expect(md.stdout).toMatch(/^# densim diff: quickstart vs quickstart\n/);
    expect(md.stdout).toContain("```diff\n");
    expect(md.stdout).toMatch(/\| metric \| a \| b \| change \| relative \| 95% CIs \|/);
    const all = JSON.parse((await densim(["diff", before, after, "--format", "json", "--all"])).stdout) as Diff;
    expect(all.metrics.length).toBe(all.counts.compared);
    expect(all.metrics.some((c) => !c.changed)).toBe(true);
  });

  it("two different scenarios: says so and lists the modes of each", async () => {
    const r = await densim(["diff", before, other, "--format", "json"]);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as Diff;
    expect(d.sameScenario).toBe(false);
    expect(d.modes).toEqual({ both: ["container"], onlyA: ["bare", "vm", "microvm"], onlyB: ["vm-standard", "vm-datacenter"] });
    const text = (await densim(["diff", before, other])).stdout;
    expect(text).toMatch(/Different scenarios: a is quickstart \(.*\), b is windows-licensing/);
    expect(text).toMatch(/scenario\s+quickstart → windows-licensing/);
    expect(text).toMatch(/only in a: bare, vm, microvm\n\s+only in b: vm-standard, vm-datacenter/);
    expect(text).toMatch(/apps only in a: orders, catalog, recommender\n\s+apps only in b: erp/);
  });

  it("refuses a corrupt results.json, and one from a newer densim (exit 2, the reason)", async () => {
    const dir = join(ROOT, "bad");
    mkdirSync(dir, { recursive: true });
    const good = JSON.parse(readFileSync(join(before, "results.json"), "utf8"));
    const write = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const cases: [string, RegExp][] = [
      [write("truncated.json", JSON.stringify(good).slice(0, 200)), /truncated.json: \(file\): expected results JSON, found text that is not valid JSON/],
      [write("missing.json", JSON.stringify({ ...good, replications: undefined })), /missing.json: replications: expected a number, found nothing/],
      [write("wrong.json", JSON.stringify({ ...good, modes: { ...good.modes, vm: { ...good.modes.vm, kind: 7 } } })), /wrong.json: modes.vm.kind: expected "bare" or "container" or "vm" or "microvm", found 7/],
      [write("newer.json", JSON.stringify({ ...good, schemaVersion: 3 })), /newer.json: schemaVersion: expected at most 2, found 3: written by a newer densim/],
    ];
    for (const [file, reason] of cases) {
      const r = await densim(["diff", before, file]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toMatch(/densim: b: .* is not a results file this densim can read; nothing compared/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe("");
    }
    const empty = join(ROOT, "empty");
    mkdirSync(empty, { recursive: true });
    const none = await densim(["diff", empty, after]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/densim: a: expected a readable results.json, found no .*results.json \(is it a report folder\?\)/);
    expect((await densim(["diff", join(ROOT, "nowhere"), after])).status).toBe(2);
    expect((await densim(["diff", before, after, "--format", "html"])).status).toBe(2);
  });

  it("reads a schemaVersion 1 file, showing what it did not record as unknown", async () => {
    const good = JSON.parse(readFileSync(join(before, "results.json"), "utf8"));
    const { slo: _slo, ...rest } = good;
    const old = join(ROOT, "v1.json");
    writeFileSync(old, JSON.stringify({ ...rest, schemaVersion: 1, scenario: { name: good.scenario.name, title: good.scenario.title, hash: good.scenario.hash } }));
    const r = await densim(["diff", old, after]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/results schemaVersion 1: provenance unknown/);
    expect(r.stdout).toMatch(/overrides\s+unknown → apps.orders.replicas=80 replications=2/);
    expect(r.stdout).toMatch(/Scenario text: unknown/);
  });
});
