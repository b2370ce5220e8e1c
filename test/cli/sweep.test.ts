import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { densimHere, densimProcess, ensureBuilt, expectNoStack, type Outcome } from "../helpers/cli.js";

const SCENARIO = resolve("scenarios/windows-licensing.yaml");
/** `densim ...args` in `cwd`, in this process: what is tested is what sweep decides and writes. */
const densim = (args: string[], cwd: string): Promise<Outcome> => densimHere(args, { cwd });
const fresh = (): string => mkdtempSync(join(tmpdir(), "densim-sweep-"));

interface Summary {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}
interface Sweep {
  schemaVersion: number;
  parameters: { path: string; values: string[] }[];
  metrics: { name: string; label: string; unit: string }[];
  modes: Record<string, { points: { values: string[]; metrics: Record<string, Summary>; summary: Record<string, Summary>; apps: Record<string, Record<string, Summary>> }[] }>;
}

describe("densim sweep", () => {
  it("runs every value, prints the metric per mode with units and writes the sweep and its chart", async () => {
    const cwd = fresh();
    const r = await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "cost.monthly.licenses", "--replications", "1"], cwd);
    expect(r.status).toBe(0);
    // The header names the metric in words with its unit; cells carry their unit.
    expect(r.stdout).toMatch(/cost: licences \/ month \(USD per month\)/);
    expect(r.stdout).toMatch(/vm-standard\s+\$297\s+\$356/);
    expect(r.stdout).toMatch(/vm-datacenter\s+\$342\s+\$342/);
    const dir = join(cwd, "reports", "windows-licensing.sweep-apps.erp.replicas-cost.monthly.licenses");
    const sweep = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8")) as Sweep;
    expect(sweep.parameters).toEqual([{ path: "apps.erp.replicas", values: ["20", "22"] }]);
    expect(sweep.modes["vm-standard"]?.points.map((p) => p.values)).toEqual([["20"], ["22"]]);
    // Every metric is kept beside the requested one.
    expect(sweep.modes["vm-standard"]?.points[0]?.summary["hosts.used"]?.n).toBe(1);
    expect(readFileSync(join(dir, "sweep-cost.monthly.licenses.svg"), "utf8")).toMatch(/^<svg/);
    const spec = JSON.parse(readFileSync(join(dir, "sweep-cost.monthly.licenses.vl.json"), "utf8"));
    expect(JSON.stringify(spec)).toContain('"interpolate":"step-after"');
    // Deterministic: the same sweep again gives the same bytes.
    const again = fresh();
    expect((await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "cost.monthly.licenses", "--replications", "1"], again)).stdout).toBe(r.stdout.replaceAll(cwd, again));
    for (const f of ["sweep.json", "sweep-cost.monthly.licenses.svg"]) {
      expect(readFileSync(join(again, "reports", "windows-licensing.sweep-apps.erp.replicas-cost.monthly.licenses", f), "utf8")).toBe(readFileSync(join(dir, f), "utf8"));
    }
  });

  it("a grid of two --vary flags runs 2 x 2 points per mode, in the order given", async () => {
    const cwd = fresh();
    const r = await densim(
      ["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--vary", "hosts.0.count=2,3", "--metric", "hosts.used,cost.monthly.total", "--replications", "1", "--mode", "vm-standard,container", "--json", "--format", "json"],
      cwd,
    );
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const sweep = JSON.parse(r.stdout) as Sweep;
    expect(sweep.schemaVersion).toBe(2);
    expect(sweep.parameters.map((p) => p.path)).toEqual(["apps.erp.replicas", "hosts.0.count"]);
    expect(Object.keys(sweep.modes)).toEqual(["vm-standard", "container"]);
    for (const m of Object.values(sweep.modes)) {
      expect(m.points.map((p) => p.values)).toEqual([
        ["20", "2"],
        ["20", "3"],
        ["22", "2"],
        ["22", "3"],
      ]);
      for (const p of m.points) expect(Object.keys(p.metrics)).toEqual(["hosts.used", "cost.monthly.total"]);
    }
    // Three hosts cost more than two: the second parameter reached the scenario.
    const vm = sweep.modes["vm-standard"]?.points ?? [];
    expect(vm[1]?.metrics["cost.monthly.total"]?.mean).toBeGreaterThan(vm[0]?.metrics["cost.monthly.total"]?.mean ?? Infinity);
    const dirs = readdirSync(join(cwd, "reports"));
    expect(dirs).toHaveLength(1);
    expect(dirs[0]).toMatch(/^windows-licensing\.sweep-apps\.erp\.replicas\+hosts\.0\.count-hosts\.used\+cost\.monthly\.total@[0-9a-f]{8}$/);
    expect(readdirSync(join(cwd, "reports", dirs[0] as string)).filter((f) => !f.startsWith(".densim-")).sort()).toEqual(["sweep-cost.monthly.total.vl.json", "sweep-hosts.used.vl.json", "sweep.json"]);
  });

  it("a grid prints a row per mode and value of the second parameter", async () => {
    const cwd = fresh();
    const r = await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--vary", "hosts.0.count=2,3", "--metric", "hosts.used", "--replications", "1", "--mode", "container", "--format", "json"], cwd);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/hosts used \(count\)/);
    expect(r.stdout).toMatch(/mode\s+hosts.0.count\s+20\s+22\n/);
    expect(r.stdout).toMatch(/container\s+2\s+\d\s+\d\n/);
    expect(r.stdout).toMatch(/container\s+3\s+\d\s+\d\n/);
  });

  it("takes a per-app metric", async () => {
    const cwd = fresh();
    const r = await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "apps.erp.startup.p95", "--replications", "1", "--mode", "container", "--json", "--format", "json"], cwd);
    expect(r.status).toBe(0);
    const sweep = JSON.parse(r.stdout) as Sweep;
    expect(sweep.metrics).toEqual([{ name: "apps.erp.startup.p95", label: "app erp: start-up p95", unit: "s" }]);
    const p = sweep.modes.container?.points[0];
    expect(p?.metrics["apps.erp.startup.p95"]).toEqual(p?.apps.erp?.["startup.p95"]);
    expect(p?.metrics["apps.erp.startup.p95"]?.mean).toBeGreaterThan(0);
  });

  it("rejects a bad value before running anything (exit 2, the --set named)", async () => {
    const cwd = fresh();
    const r = await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,-3"], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--set apps.erp.replicas=-3: apps\[0\].replicas: expected a value >= 0, found -3/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("with two workers, still exits 2 on a bad last point and writes nothing, though runs of the points before it may be under way by then", () => {
    ensureBuilt();
    const cwd = fresh();
    const args = ["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22,24,-3", "--replications", "2", "--quiet"];
    const two = densimProcess([...args, "--workers", "2"], { cwd });
    const one = densimProcess([...args, "--workers", "1"], { cwd });
    expect(two.status).toBe(2);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toMatch(/--set apps.erp.replicas=-3: apps\[0\].replicas: expected a value >= 0, found -3/);
    expectNoStack(two.stderr);
    // A cost metric on points that price nothing: no run starts until every point shows none does.
    const unpriced = densimProcess(["sweep", resolve("scenarios/batch-jobs.yaml"), "--vary", "apps.etl.arrivals.rate=16/h,20/h", "--set", "horizon=10m", "--workers", "2", "--quiet"], { cwd });
    expect(unpriced.status).toBe(2);
    expect(unpriced.stderr).toMatch(/--metric cost.monthly.total \(the default\): expected a scenario with prices, found none/);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("rejects an unknown metric with a did-you-mean, and a missing value list", async () => {
    const cwd = fresh();
    const typo = await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "cost.monthly.licences"], cwd);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/--metric cost.monthly.licences: expected a known metric \(did you mean cost.monthly.licenses/);
    const app = await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "apps.erp.startup.p59"], cwd);
    expect(app.status).toBe(2);
    expect(app.stderr).toMatch(/did you mean apps.erp.startup.p95/);
    expect(app.stderr).not.toMatch(/\n\s+at /);
    expect((await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas"], cwd)).status).toBe(2);
    expect((await densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--vary", "apps.erp.replicas=1,2"], cwd)).status).toBe(2);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });

  it("refuses a cost metric, the default included, on a scenario that prices nothing (every cost would read $0)", async () => {
    const cwd = fresh();
    const unpriced = resolve("scenarios/batch-jobs.yaml");
    const vary = ["--vary", "apps.etl.arrivals.rate=16/h,20/h", "--set", "horizon=10m", "--replications", "1"];
    const byDefault = await densim(["sweep", unpriced, ...vary], cwd);
    expect(byDefault.status).toBe(2);
    expect(byDefault.stderr).toMatch(/--metric cost\.monthly\.total \(the default\): expected a scenario with prices, found none \(no hosts\[\]\.cost, licenses or operations\)/);
    expect(byDefault.stderr).toMatch(/pick another metric, e\.g\. --metric hosts\.used/);
    const perInstance = await densim(["sweep", unpriced, ...vary, "--metric", "hosts.used,cost.perInstance"], cwd);
    expect(perInstance.status).toBe(2);
    expect(perInstance.stderr).toMatch(/--metric cost\.perInstance: expected a scenario with prices/);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
    // Other metrics of the same scenario run.
    const hosts = await densim(["sweep", unpriced, ...vary, "--metric", "hosts.used", "--mode", "container", "--format", "json", "--quiet"], cwd);
    expect(hosts.status).toBe(0);
  });
});
