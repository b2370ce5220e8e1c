import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { diffResults, type DiffInput } from "../../sim/experiment/diff.js";
import { parseResults } from "../../sim/experiment/results-schema.js";
import type { MetricSummary, Results } from "../../sim/experiment/results.js";
import { diffMarkdown, diffText, formatChange, formatRelative } from "../../sim/report/diff.js";
import { fixtureResults } from "../report/fixture.js";

const json = (r: unknown): string => JSON.stringify(r, null, 2);
const input = (results: Results, path = "x/results.json"): DiffInput => ({ path, results, schemaVersion: 2, provenance: true });

/** Every path to a number in a JSON value, as [keys, value]. */
function numberLeaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((v, k) => numberLeaves(v, [...path, k]));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => numberLeaves(v, [...path, k]));
  return [];
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
}

/** `modes.vm.summary["startup.p95"].mean`, as the reader writes a path. */
const pathText = (path: readonly (string | number)[]): string =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(k) ? `${i ? "." : ""}${k}` : `[${JSON.stringify(k)}]`)).join("");

describe("results schema", () => {
  const results = fixtureResults();

  it("reads back what densim writes, unchanged", () => {
    const r = parseResults(json(results), "r.json");
    expect(r.ok).toBe(true);
    if (r.ok) expect(json(r.results)).toBe(json(results));
  });

  it("names the field of any number replaced by text: file, path, expected, found", () => {
    const leaves = numberLeaves(results).filter((p) => p[0] !== "schemaVersion");
    fc.assert(
      fc.property(fc.constantFrom(...leaves), (path) => {
        const broken = JSON.parse(json(results));
        setAt(broken, path, "oops");
        const r = parseResults(JSON.stringify(broken), "r.json");
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.issues[0]).toMatchObject({ where: "r.json", path: pathText(path), message: 'expected a number, found "oops"' });
      }),
      { numRuns: 60 },
    );
  });

  it("refuses what is not a results file, and a newer schemaVersion", () => {
    const bad = (text: string) => {
      const r = parseResults(text, "f.json");
      return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(bad("{")[0]).toMatch(/^\(file\): expected results JSON, found text that is not valid JSON/);
    expect(bad("[1]")).toEqual(["(file): expected a results object, found a list"]);
    expect(bad(json({ ...results, schemaVersion: 3 }))[0]).toMatch(/^schemaVersion: expected at most 2, found 3: written by a newer densim/);
    expect(bad(json({ ...results, schemaVersion: "2" }))[0]).toBe('schemaVersion: expected an integer 1..2, found "2"');
    const { seed: _seed, ...noSeed } = results;
    expect(bad(json(noSeed))).toEqual(["seed: expected a number, found nothing"]);
    expect(bad(json({ ...results, tool: { name: "other", version: "1" } }))).toEqual(['tool.name: expected "densim", found "other"']);
  });

  it("reads schemaVersion 1 (before provenance) with provenance unknown", () => {
    const { slo: _slo, ...rest } = results;
    const v1 = { ...rest, schemaVersion: 1, scenario: { name: "q", title: "Q", hash: "abc" } };
    const r = parseResults(json(v1), "old.json");
    expect(r.ok && r.schemaVersion === 1 && !r.provenance).toBe(true);
    if (!r.ok) return;
    const d = diffResults({ path: "old.json", ...r }, input(results));
    expect(d.inputs.overrides).toBeNull();
    expect(d.inputs.text).toBeNull();
    expect(d.a.scenarioFile).toBeNull();
    expect(diffText(d)).toMatch(/overrides\s+unknown → none/);
  });
});

/** `results` with one mode's metric summary replaced. */
function withMetric(results: Results, mode: string, metric: string, s: MetricSummary): Results {
  const m = results.modes[mode];
  if (!m) throw new Error(mode);
  return { ...results, modes: { ...results.modes, [mode]: { ...m, summary: { ...m.summary, [metric]: s } } } };
}

const summary = (mean: number, half: number, n = 5): MetricSummary => ({ mean, sd: half, lo: mean - half, hi: mean + half, n });

describe("diffResults", () => {
  const base = fixtureResults();

  it("the same results: nothing changed, nothing shown but with --all", () => {
    const d = diffResults(input(base), input(base));
    expect(d.sameScenario).toBe(true);
    expect(d.metrics).toEqual([]);
    expect(d.counts.changed).toBe(0);
    expect(d.inputs.text).toBe("");
    const all = diffResults(input(base), input(base), { all: true });
    expect(all.metrics.length).toBe(all.counts.compared);
    expect(all.metrics.every((c) => !c.changed && !c.beyondCi)).toBe(true);
  });

  it("tells a move beyond the CIs from one within them", () => {
    const a = withMetric(withMetric(base, "vm", "startup.p95", summary(20, 1)), "vm", "cost.monthly.total", summary(1000, 100));
    const b = withMetric(withMetric(base, "vm", "startup.p95", summary(25, 1)), "vm", "cost.monthly.total", summary(1050, 100));
    const d = diffResults(input(a), input(b));
    const p95 = d.metrics.find((c) => c.mode === "vm" && c.metric === "startup.p95");
    const cost = d.metrics.find((c) => c.mode === "vm" && c.metric === "cost.monthly.total");
    expect(p95).toMatchObject({ change: 5, relative: 0.25, cisOverlap: false, beyondCi: true, unit: "s" });
    expect(cost).toMatchObject({ change: 50, cisOverlap: true, beyondCi: false, changed: true });
    expect(d.metrics).toHaveLength(2);
    const text = diffText(d);
    expect(text).toMatch(/start-up p95\s+20 s ±1 s\s+25 s ±1 s\s+\+5 s\s+\+25%\s+moved beyond the CI/);
    expect(text).toMatch(/cost: total \/ month\s+\$1,000 ±\$100\s+\$1,050 ±\$100\s+\+\$50.00\s+\+5%\s+within the CIs/);
    expect(diffMarkdown(d)).toMatch(/\| start-up p95 \| 20 s ±1 s \| 25 s ±1 s \| \+5 s \| \+25% \| moved beyond the CI \|/);
  });

  it("one replication has no CI to move beyond", () => {
    const a = withMetric(base, "vm", "hosts.used", summary(3, 0, 1));
    const b = withMetric(base, "vm", "hosts.used", summary(4, 0, 1));
    const c = diffResults(input(a), input(b)).metrics.find((m) => m.metric === "hosts.used");
    expect(c).toMatchObject({ changed: true, cisOverlap: null, beyondCi: false });
  });

  it("lists modes present on one side only, and compares per-app metrics", () => {
    const { vm: _vm, ...noVm } = base.modes;
    const b0 = { ...base, modes: noVm };
    const app = Object.keys(base.modes.bare?.apps ?? {})[0] as string;
    const bare = base.modes.bare;
    if (!bare) throw new Error("bare");
    const apps = { ...bare.apps, [app]: { ...bare.apps[app], "startup.p95": summary(99, 0.5) } };
    const b = { ...b0, modes: { ...b0.modes, bare: { ...bare, apps } } };
    const d = diffResults(input(base), input(b));
    expect(d.modes.onlyA).toEqual(["vm"]);
    expect(d.modes.onlyB).toEqual([]);
    expect(d.metrics.map((c) => `${c.mode} ${c.metric}`)).toEqual([`bare apps.${app}.startup.p95`]);
    expect(diffText(d)).toMatch(new RegExp(`only in a: vm[\\s\\S]*app ${app}: start-up p95`));
  });

  it("the overrides each side applied alone, and the scenario text as a unified diff", () => {
    const scen = base.scenario;
    const a = { ...base, scenario: { ...scen, overrides: ["seed=1", "replications=2"], text: "name: q\nseed: 1\napps: []\n" } };
    const b = { ...base, scenario: { ...scen, overrides: ["replications=2", "apps.web.replicas=9"], text: "name: q\nseed: 1\napps: [web]\n" } };
    const d = diffResults(input(a), input(b));
    expect(d.inputs.overrides).toEqual({ onlyA: ["seed=1"], onlyB: ["apps.web.replicas=9"] });
    expect(d.inputs.text).toMatch(/^--- a: .*\n\+\+\+ b: .*\n@@ -1,3 \+1,3 @@\n name: q\n seed: 1\n-apps: \[\]\n\+apps: \[web\]\n$/);
  });
});

describe("diff formatting", () => {
  it("signs changes in the metric's unit", () => {
    expect(formatChange(20, "count")).toBe("+20");
    expect(formatChange(-312.4, "usd")).toBe("-$312");
    expect(formatChange(1.5, "s")).toBe("+1.5 s");
    expect(formatChange(0.021, "share")).toBe("+2.1 pp");
    expect(formatChange(-(2 ** 30), "bytes")).toBe("-1 GiB");
    expect(formatRelative(0.1667)).toBe("+16.7%");
    expect(formatRelative(null)).toBe("–");
  });
});
