import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const CLI = resolve("dist/sim/cli/main.js");
const SCENARIO = resolve("scenarios/windows-licensing.yaml");
const densim = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });

describe("densim sweep", () => {
  it("runs every value, prints the metric per mode and writes the sweep and its chart", () => {
    const cwd = mkdtempSync(join(tmpdir(), "densim-sweep-"));
    const r = densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "cost.monthly.licenses", "--replications", "1"], cwd);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/vm-standard\s+297\s+356/);
    expect(r.stdout).toMatch(/vm-datacenter\s+342\s+342/);
    const dir = join(cwd, "reports", "windows-licensing.sweep-apps.erp.replicas-cost.monthly.licenses");
    const sweep = JSON.parse(readFileSync(join(dir, "sweep.json"), "utf8"));
    expect(sweep.values).toEqual(["20", "22"]);
    expect(sweep.modes["vm-standard"].points).toHaveLength(2);
    expect(readFileSync(join(dir, "sweep-cost.monthly.licenses.svg"), "utf8")).toMatch(/^<svg/);
  });
  it("rejects a bad value before running anything (exit 2, the --set named)", () => {
    const cwd = mkdtempSync(join(tmpdir(), "densim-sweep-"));
    const r = densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,-3"], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--set apps.erp.replicas=-3: apps\[0\].replicas: expected a value >= 0, found -3/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, "reports"))).toBe(false);
  });
  it("rejects an unknown metric and a missing value list", () => {
    const cwd = mkdtempSync(join(tmpdir(), "densim-sweep-"));
    expect(densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--metric", "nope"], cwd).status).toBe(2);
    expect(densim(["sweep", SCENARIO, "--vary", "apps.erp.replicas"], cwd).status).toBe(2);
  });
});
