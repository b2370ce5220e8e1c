/**
 * End to end: `densim plan` on a scenario whose answer is computed by hand (test/fixtures/plan/
 * memory-bound.yaml, where memory alone binds), checked against `densim run --set hosts.0.count=N`;
 * SLO validation, `--check` and the plan's bad-input errors. Commands run in-process (densimHere)
 * but for two child processes: the exit 3 of a missed SLO, and a plan on two worker threads.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { densimHere, densimProcess, ensureBuilt, expectExit, expectNoStack, ROOT, type Outcome } from "../helpers/cli.js";
import { tempFolders } from "../helpers/temp.js";

const FIXTURE = join(ROOT, "test", "fixtures", "plan", "memory-bound.yaml");
/** By hand: see the fixture's header. */
const HOSTS = { bare: 3, container: 4, vm: 7, microvm: 5 } as const;
/** On 2 hosts: 2 x instances per host. */
const REPLICAS_ON_TWO = { bare: 32, container: 22, vm: 12, microvm: 16 } as const;

const freshDir = tempFolders("densim-plan-");

/** `densim ...args` in this process, in `cwd` (a fresh temporary directory unless given). */
const densim = (args: readonly string[], cwd: string = freshDir()): Promise<Outcome> => densimHere(args, { cwd });

/** The fixture with `slo` replaced (a temporary copy). */
function withSlo(slo: string): string {
  const text = readFileSync(FIXTURE, "utf8").replace(/^slo:\n(  .*\n)*/m, slo);
  const file = join(freshDir(), "s.yaml");
  writeFileSync(file, text);
  return file;
}

beforeAll(ensureBuilt);

interface PlanJson {
  schemaVersion: number;
  search: { kind: string; parameter: string; lo: number; hi: number };
  probes: { mode: string; value: number; pass: boolean; sets: string[] }[];
  modes: Record<string, { feasible: boolean; value?: number; failsAt?: number | null; holds?: [number, number]; sets?: string[]; cost?: { mean: number } }>;
  ranking: string[];
}

describe("densim plan on a scenario computed by hand", () => {
  let out: Outcome;
  let plan: PlanJson;
  beforeAll(async () => {
    out = await densim(["plan", FIXTURE]);
    if (out.status === 0) plan = JSON.parse(readFileSync(join(out.cwd, "reports", "memory-bound.plan", "plan.json"), "utf8")) as PlanJson;
  });

  it("finds the exact host count per mode, its cost, and ranks by cost", async () => {
    expectExit(out, 0);
    for (const [mode, n] of Object.entries(HOSTS)) {
      expect(plan.modes[mode]).toMatchObject({ feasible: true, value: n, failsAt: n - 1, sets: [`hosts.0.count=${n}`] });
      expect(plan.modes[mode]?.cost?.mean).toBe(100 * n);
    }
    expect(plan.ranking).toEqual(["bare", "container", "microvm", "vm"]);
    expect(out.stdout).toMatch(/^1\s+bare\s+3 hosts\s+\$300/m);
    expect(out.stdout).toMatch(/^4\s+vm\s+7 hosts\s+\$700/m);
    expect(out.stdout).toMatch(/^ {2}vm\s+6 hosts\s+FAIL\s+placement: 4 of 40 rejected: 4 x web: 0\/6 hosts: 6 insufficient memory$/m);
  });

  it("without prices: no $0 column, ranked by hosts, and the table and chart say so", async () => {
    const file = join(freshDir(), "unpriced.yaml");
    writeFileSync(file, readFileSync(FIXTURE, "utf8").replace(/^ {4}cost: \{ monthly: 100 \}\n/m, ""));
    const o = await densim(["plan", file]);
    expectExit(o, 0);
    const folder = join(o.cwd, "reports", "memory-bound.plan");
    const unpriced = JSON.parse(readFileSync(join(folder, "plan.json"), "utf8")) as PlanJson & { priced: boolean };
    expect(unpriced.priced).toBe(false);
    expect((plan as PlanJson & { priced: boolean }).priced).toBe(true);
    for (const [mode, n] of Object.entries(HOSTS)) expect(unpriced.modes[mode]).toMatchObject({ feasible: true, value: n });
    // By hosts (3, 4, 5, 7), not the scenario's mode order that equal $0 costs would leave.
    expect(unpriced.ranking).toEqual(["bare", "container", "microvm", "vm"]);
    expect(o.stdout).toMatch(/^rank\s+mode\s+hosts\s+tightest objective at that size$/m);
    expect(o.stdout).toMatch(/^1\s+bare\s+3 hosts\s+\S/m);
    expect(o.stdout).not.toMatch(/\$0/);
    expect(o.stdout).toMatch(/^No cost: the scenario prices nothing \(no hosts\[\]\.cost, licenses or operations\); modes are ranked by hosts\.$/m);
    const spec = readFileSync(join(folder, "plan.vl.json"), "utf8");
    expect(spec).toContain("hosts at the planned size");
    expect(spec).toContain("no cost: the scenario prices nothing");
    expect(spec).not.toContain("USD per month");
  });

  it("probed N (pass) and N-1 (fail) for every mode, and writes the chart", async () => {
    for (const [mode, n] of Object.entries(HOSTS)) {
      expect(plan.probes.find((p) => p.mode === mode && p.value === n)?.pass).toBe(true);
      expect(plan.probes.find((p) => p.mode === mode && p.value === n - 1)?.pass).toBe(false);
    }
    expect(readFileSync(join(out.cwd, "reports", "memory-bound.plan", "plan.svg"), "utf8")).toMatch(/^<svg/);
  });

  it.each(Object.entries(HOSTS))("densim run --set hosts.0.count=N reproduces it for %s: N-1 misses (exit 3 under --check), N meets", async (mode, n) => {
    const run = (hosts: number): Promise<Outcome> => densim(["run", FIXTURE, "--mode", mode, "--set", `hosts.0.count=${hosts}`, "--check", "--format", "json", "--json"]);
    const fewer = await run(n - 1);
    expectExit(fewer, 3);
    expect(fewer.stderr).toContain(`${mode}: instances.rejected <= 0:`);
    const enough = await run(n);
    expectExit(enough, 0);
    const results = JSON.parse(enough.stdout) as { modes: Record<string, { summary: Record<string, { mean: number }> }>; slo: { verdicts: Record<string, { met: boolean }> }[] };
    expect(results.modes[mode]?.summary["instances.rejected"]?.mean).toBe(0);
    expect(results.slo.every((s) => s.verdicts[mode]?.met)).toBe(true);
  });

  it("says which check fails when no size up to --max-hosts passes", async () => {
    const o = await densim(["plan", FIXTURE, "--max-hosts", "4", "--mode", "vm,bare"]);
    expectExit(o, 0);
    expect(o.stdout).toMatch(/^-\s+vm\s+-\s+-\s+no size up to 4 hosts: placement: 16 of 40 rejected: 16 x web: 0\/4 hosts: 4 insufficient memory$/m);
    expect(o.stdout).toMatch(/^1\s+bare\s+3 hosts/m);
  });
});

describe("densim plan --vary (goal seek)", () => {
  it("finds the most replicas that fit on two hosts, per mode, deterministically", async () => {
    const args = ["plan", FIXTURE, "--vary", "apps.web.replicas=1..40", "--target", "instances.rejected<=0", "--set", "hosts.0.count=2"];
    const cwd = freshDir();
    const o = await densim([...args, "--workers", "1"], cwd);
    expectExit(o, 0);
    // --set makes a variant folder: memory-bound.plan-apps.web.replicas@<hash>.
    const folder = readdirSync(join(cwd, "reports")).find((d) => d.startsWith("memory-bound.plan-apps.web.replicas@"));
    const file = join(cwd, "reports", folder ?? "missing", "plan.json");
    const text = readFileSync(file, "utf8");
    const plan = JSON.parse(text) as PlanJson;
    for (const [mode, n] of Object.entries(REPLICAS_ON_TWO)) expect(plan.modes[mode]).toMatchObject({ value: n, holds: [1, n], failsAt: n + 1 });
    expect(plan.ranking).toEqual(["bare", "container", "microvm", "vm"]);
    // The same plan.json and printed probes on two worker threads (the modes' searches side by
    // side), in a child process: in-process, vitest runs the TypeScript sources, without the
    // compiled worker the threads need.
    const two = densimProcess([...args, "--workers", "2"], { cwd });
    expectExit(two, 0);
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(two.stdout).toBe(o.stdout);
  });
});

describe("plan and SLO input errors: exit 2 with where", () => {
  it("--max-hosts 0", async () => {
    const o = await densim(["plan", FIXTURE, "--max-hosts", "0"]);
    expectExit(o, 2);
    expect(o.stderr).toContain("--max-hosts: expected an integer >= 1, found 0");
    expectNoStack(o.stderr);
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
  });
  it.each([
    [["--workers", "0"], "--workers: expected an integer >= 1, found 0"],
    [["--shard", "3/3"], "--shard 3/3: expected a shard index below 3"],
    [["--shard", "1/0"], "--shard 1/0: expected at least one shard"],
    [["--shard", "0/2"], "--shard 0/2: a plan cannot be split into shards: each probe's value depends on the verdicts of the probes before it"],
  ])("%j", async (flags, message) => {
    const o = await densim(["plan", FIXTURE, ...flags]);
    expectExit(o, 2);
    expect(o.stderr).toContain(message);
    expectNoStack(o.stderr);
    expect(existsSync(join(o.cwd, "reports"))).toBe(false);
  });
  it("a --vary range with lo > hi, or not integers", async () => {
    const o = await densim(["plan", FIXTURE, "--vary", "apps.web.replicas=10..2", "--target", "instances.rejected<=0"]);
    expectExit(o, 2);
    expect(o.stderr).toContain("--vary apps.web.replicas=10..2: expected lo <= hi, found 10 > 2");
    expectExit(await densim(["plan", FIXTURE, "--vary", "apps.web.replicas=1..2.5"]), 2);
  });
  it("a --vary value the scenario refuses is the flag's", async () => {
    const o = await densim(["plan", FIXTURE, "--vary", "hosts.0.cores=0..4"]);
    expectExit(o, 2);
    expect(o.stderr).toContain("--vary hosts.0.cores=0..4 (at 0): hosts[0].cores: expected a value > 0, found 0");
  });
  it("--target with an unknown metric or bad syntax", async () => {
    const o = await densim(["plan", FIXTURE, "--target", "startup.p59<=60s"]);
    expectExit(o, 2);
    expect(o.stderr).toContain('--target startup.p59<=60s: expected a metric name, found "startup.p59" (did you mean startup.p95');
    expect((await densim(["plan", FIXTURE, "--target", "startup.p95=60s"])).stderr).toContain("expected metric<=value or metric>=value");
  });
  it("an SLO on a metric that does not exist, with did you mean and file:line:col", async () => {
    const file = withSlo("slo:\n  startup.p59: 60s\n");
    const o = await densim(["run", file]);
    expectExit(o, 2);
    expect(o.stderr).toMatch(/s\.yaml:\d+:3: slo\.startup\.p59: expected a metric name, found "startup\.p59" \(did you mean startup\.p95/);
    expectNoStack(o.stderr);
  });
  it("an SLO bound of the wrong unit", async () => {
    const file = withSlo("slo:\n  startup.p95: 1.5GiB\n");
    const o = await densim(["validate", file]);
    expectExit(o, 2);
    expect(o.stderr).toMatch(/s\.yaml:\d+:16: slo\.startup\.p95: expected a duration \(e\.g\. 60s\) for startup\.p95, found "1\.5GiB"/);
  });
});

describe("densim run --check and --strict", () => {
  it("prints each verdict under the table and exits 3 when one is missed, naming it", async () => {
    const file = withSlo("slo:\n  startup.p95: 1s\n  instances.rejected: 0\n");
    // A child process: exit 3 is the executable's.
    const o = densimProcess(["run", file, "--check", "--format", "json"], { cwd: freshDir() });
    expectExit(o, 3);
    expect(o.stdout).toMatch(/^SLOs, judged on the mean/m);
    // 11 containers per host created at once share each host's serial step (dockerstorm21): 3 s, not 568 ms.
    expect(o.stdout).toMatch(/^startup\.p95 <= 1 s\s+met 5\.99 ms\s+MISSED 3\.16 s\s+MISSED 9\.07 s\s+met 186 ms$/m);
    expect(o.stderr).toContain("vm: startup.p95 <= 1 s: 9.07 s");
    expect(o.stderr).toContain("container: startup.p95 <= 1 s: 3.16 s");
    expect(o.stderr).toContain("bare: instances.rejected <= 0: 8");
    const results = JSON.parse(readFileSync(join(o.cwd, "reports", "memory-bound", "results.json"), "utf8")) as { slo: { text: string; verdicts: Record<string, { met: boolean }> }[] };
    expect(results.slo.map((s) => s.text)).toEqual(["startup.p95: 1s", "instances.rejected: 0"]);
    expect(results.slo[0]?.verdicts.vm?.met).toBe(false);
  });
  it("exits 0 without --check, and with --check when every SLO is met", async () => {
    expectExit(await densim(["run", withSlo("slo:\n  startup.p95: 1s\n"), "--format", "json"]), 0);
    expectExit(await densim(["run", withSlo("slo:\n  startup.p95: 1m\n"), "--check", "--format", "json", "--set", "hosts.0.count=7"]), 0);
  });
});
