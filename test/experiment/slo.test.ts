import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostMix } from "../../sim/experiment/plan.js";
import { judgeObjectives, parseBound, parseObjectives, parseTarget, sloIssues, type Objective } from "../../sim/experiment/slo.js";
import { runExperiment } from "../../sim/experiment/index.js";
import type { MetricSummary, ModeResult } from "../../sim/experiment/results.js";
import { loadScenarioText } from "../../sim/scenario/index.js";
import { GiB, scenario } from "../helpers/scenario.js";

const APPS = ["web", "db"];

describe("SLO bounds take the metric's unit", () => {
  it("reads durations, sizes, factors, shares, money and counts in SI units", () => {
    expect(parseBound("60s", "s")).toBe(60);
    expect(parseBound("10m", "s")).toBe(600);
    expect(parseBound(60, "s")).toBe(60);
    expect(parseBound("2GiB", "bytes")).toBe(2 * GiB);
    expect(parseBound(1.5, "factor")).toBe(1.5);
    expect(parseBound("1.5x", "factor")).toBe(1.5);
    expect(parseBound("99%", "share")).toBeCloseTo(0.99, 12);
    expect(parseBound(0.5, "share")).toBe(0.5);
    expect(parseBound("$1,500", "usd")).toBe(1500);
    expect(parseBound(0, "count")).toBe(0);
  });
  it("refuses a bound in another unit, a negative one, or a share over 1", () => {
    expect(parseBound("1.5GiB", "s")).toBeUndefined();
    expect(parseBound("60s", "bytes")).toBeUndefined();
    expect(parseBound("60s", "factor")).toBeUndefined();
    expect(parseBound(-1, "count")).toBeUndefined();
    expect(parseBound("150%", "share")).toBeUndefined();
    expect(parseBound("$1,50", "usd")).toBeUndefined();
  });
});

describe("parseObjectives", () => {
  it("takes a bare bound as at most, or at least where more is better; {min, max} explicitly", () => {
    const { objectives, issues } = parseObjectives(
      { "startup.p95": "60s", "instances.placed": 100, "apps.web.slowdown.p99": { max: 1.5 }, "cpu.utilization": { min: "50%", max: "90%" } },
      APPS,
    );
    expect(issues).toEqual([]);
    expect(objectives.map((o) => [o.metric, o.op, o.bound])).toEqual([
      ["startup.p95", "<=", 60],
      ["instances.placed", ">=", 100],
      ["apps.web.slowdown.p99", "<=", 1.5],
      ["cpu.utilization", "<=", 0.9],
      ["cpu.utilization", ">=", 0.5],
    ]);
    expect(objectives[0]?.text).toBe("startup.p95: 60s");
  });
  it("names an unknown metric with the nearest ones, an unknown app, and a wrong unit", () => {
    const { issues } = parseObjectives({ "startup.p59": "60s", "apps.wbe.slowdown.p99": 1.5, "startup.p95": "1.5GiB" }, APPS);
    expect(issues.map((i) => [i.path, i.key])).toEqual([
      [["slo"], "startup.p59"],
      [["slo"], "apps.wbe.slowdown.p99"],
      [["slo", "startup.p95"], undefined],
    ]);
    expect(issues[0]?.message).toBe('expected a metric name, found "startup.p59" (did you mean startup.p95 or startup.p50 or startup.p99?)');
    expect(issues[1]?.message).toMatch(/^no app named "wbe" in "apps.wbe.slowdown.p99"; expected one of: web, db/);
    expect(issues[2]?.message).toBe('expected a duration (e.g. 60s) for startup.p95, found "1.5GiB"');
  });
  it("parses --target text", () => {
    const t = parseTarget("apps.web.slowdown.p99<=1.5", APPS) as Objective;
    expect([t.metric, t.op, t.bound]).toEqual(["apps.web.slowdown.p99", "<=", 1.5]);
    expect(parseTarget("slowdown.p99 < 1.5", APPS)).toMatch(/^expected metric<=value or metric>=value/);
    expect(parseTarget("slowdwn.p99<=1.5", APPS)).toMatch(/did you mean slowdown.p99/);
  });
});

describe("the loader reports SLO problems with positions when given the check", () => {
  const text = ["version: 1", "name: t", "hosts: [ { type: h, cores: 4, memory: 8GiB } ]", "apps: [ { name: web, replicas: 1, cpu: 1, memory: 1GiB } ]", "slo:", "  startup.p59: 60s", "  startup.p95: 1.5GiB", ""].join("\n");
  it("file:line:col of the key for a name, of the value for a bound", () => {
    const r = loadScenarioText(text, "s.yaml", { checks: [sloIssues] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => `${i.where}: ${i.path}`)).toEqual(["s.yaml:6:3: slo.startup.p59", "s.yaml:7:16: slo.startup.p95"]);
  });
  it("--set slo.<metric> addresses a metric name with dots", () => {
    const ok = text.replace("  startup.p59: 60s\n  startup.p95: 1.5GiB\n", "  startup.p95: 60s\n");
    const r = loadScenarioText(ok, "s.yaml", { checks: [sloIssues], sets: ["slo.startup.p95=30s", "slo.apps.web.slowdown.p99=2"] });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.scenario.slo).toEqual({ "startup.p95": "30s", "apps.web.slowdown.p99": 2 });
  });
});

describe("judging", () => {
  const summary = (mean: number, lo: number, hi: number): MetricSummary => ({ mean, sd: 1, lo, hi, n: 5 });
  const mode = (s: Record<string, MetricSummary>): ModeResult =>
    ({ summary: s, apps: {}, runs: [], startupQuantiles: [1, 2], slowdownQuantiles: [1] }) as unknown as ModeResult;
  const { objectives } = parseObjectives({ "startup.p95": "60s" }, []);
  it("on the mean by default, on the CI's upper end under strict", () => {
    const modes = { a: mode({ "startup.p95": summary(55, 50, 62) }) };
    expect(judgeObjectives(objectives, modes, false)[0]?.verdicts.a).toMatchObject({ met: true, judged: 55 });
    expect(judgeObjectives(objectives, modes, true)[0]?.verdicts.a).toMatchObject({ met: false, judged: 62 });
  });
  it("a mode where nothing became ready misses, with the reason", () => {
    const empty = { ...mode({ "startup.p95": summary(0, 0, 0) }), startupQuantiles: [] } as ModeResult;
    expect(judgeObjectives(objectives, { a: empty }, false)[0]?.verdicts.a).toEqual({ met: false, reason: "no instance became ready" });
  });
  it("fills Results.slo in a run", () => {
    const s = scenario({
      version: 1,
      name: "t",
      horizon: 60,
      replications: 1,
      hosts: [{ type: "h", count: 1, cores: 4, memory: "8GiB" }],
      apps: [{ name: "web", replicas: 4, cpu: 1, memory: "3GiB" }],
      modes: { bare: {} },
      slo: { "instances.rejected": 0, "instances.placed": 2 },
    });
    const { results } = runExperiment(s);
    expect(results.slo.map((o) => [o.text, o.verdicts.bare?.met])).toEqual([
      ["instances.rejected: 0", false],
      ["instances.placed: 2", true],
    ]);
  });
});

describe("hostMix: host counts per type for a total, in the scenario's proportions", () => {
  it("sums to the total, gives the scenario's counts at its total, and never takes a host away", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 4 }).filter((w) => w.some((x) => x > 0)), fc.integer({ min: 0, max: 40 }), (weights, total) => {
        const mix = hostMix(weights, total);
        expect(mix.reduce((a, b) => a + b, 0)).toBe(total);
        const next = hostMix(weights, total + 1);
        mix.forEach((c, k) => expect(next[k]).toBeGreaterThanOrEqual(c));
        weights.forEach((w, k) => w === 0 && expect(mix[k]).toBe(0));
        expect(hostMix(weights, weights.reduce((a, b) => a + b, 0))).toEqual(weights);
      }),
    );
  });
});
