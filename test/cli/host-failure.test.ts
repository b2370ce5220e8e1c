/**
 * scenarios/host-failure.yaml end to end through `node dist/bin/densim.js`: one of four hosts
 * fails at 2 h; every mode loses instances, recovers them after its detection delay, and the
 * report carries the failure rows and charts; the same seed gives the same bytes with 1 or 2 workers.
 * The runs are in-process (densimHere) but for the one on two worker threads (a child process:
 * the threads need the compiled worker).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Results } from "../../sim/experiment/results.js";
import { densimHere, densimProcess, ensureBuilt, ROOT } from "../helpers/cli.js";

const SCENARIO = join(ROOT, "scenarios", "host-failure.yaml");
const dir = mkdtempSync(join(tmpdir(), "densim-host-failure-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(ensureBuilt);

describe("scenarios/host-failure.yaml", () => {
  let results: Results;
  let stdout = "";

  beforeAll(async () => {
    const o = await densimHere(["run", SCENARIO, "--replications", "1", "--out", join(dir, "a"), "--workers", "1"], { cwd: dir });
    expect(o.status, o.stderr).toBe(0);
    stdout = o.stdout;
    results = JSON.parse(readFileSync(join(dir, "a", "host-failure", "results.json"), "utf8")) as Results;
  });

  it("loses instances in every mode and gets them back", () => {
    for (const [mode, m] of Object.entries(results.modes)) {
      expect(m.summary["failures.hosts"]?.mean, mode).toBe(1);
      expect(m.summary["failures.instancesLost"]?.mean, mode).toBeGreaterThan(0);
      expect(m.summary["failures.notRecovered"]?.mean, mode).toBe(0);
      expect(m.summary.availability?.mean, mode).toBeLessThan(1);
      expect(m.failures?.timesS).toEqual([7200]);
    }
  });

  it("recovers containers with a warm cache before KubeVirt VMs noticed as late, vSphere HA VMs first", () => {
    const rec = (mode: string): number => results.modes[mode]!.summary["recovery.max"]!.mean;
    expect(rec("container")).toBeGreaterThan(70);
    expect(rec("container")).toBeLessThan(rec("vm"));
    expect(rec("vm-vsphere")).toBeLessThan(rec("container"));
    // The gateway holds port 443 on every surviving host: its bare process waits for the repair at 6 h.
    expect(rec("bare")).toBeGreaterThanOrEqual(4 * 3600);
  });

  it("splits recovery into the detection delay (a setting) and what follows it, where containers with a warm cache beat every VM", () => {
    const m = (mode: string, k: "recovery.detect" | "recovery.afterDetect.max" | "recovery.max"): number => results.modes[mode]!.summary[k]!.mean;
    expect(m("container", "recovery.detect")).toBe(70);
    expect(m("vm-vsphere", "recovery.detect")).toBe(15);
    for (const mode of ["container", "vm", "vm-vsphere", "microvm"]) {
      expect(m(mode, "recovery.detect") + m(mode, "recovery.afterDetect.max")).toBeCloseTo(m(mode, "recovery.max"), 9);
    }
    // A pull-free container start against a full VM boot, whoever manages them.
    expect(m("container", "recovery.afterDetect.max")).toBeLessThan(m("vm", "recovery.afterDetect.max"));
    expect(m("container", "recovery.afterDetect.max")).toBeLessThan(m("vm-vsphere", "recovery.afterDetect.max"));
    expect(stdout).toContain("recovery: of which detection delay (setting)");
  });

  it("prints the failure rows and writes the failure charts", () => {
    expect(stdout).toMatch(/instances lost to host failures +8 +8/);
    expect(stdout).toMatch(/availability \(ready share of replica-time\)/);
    expect(stdout).toMatch(/cost: of which failover reserve \/ month +\$350/);
    for (const f of ["failure-ready.svg", "recovery-time.svg", "failure-ready.vl.json"]) expect(existsSync(join(dir, "a", "host-failure", f)), f).toBe(true);
  });

  it("gives byte-identical results with two workers", () => {
    // results.json does not depend on the formats: no charts needed.
    const o = densimProcess(["run", SCENARIO, "--replications", "1", "--out", join(dir, "b"), "--workers", "2", "--quiet", "--format", "json"], { cwd: dir });
    expect(o.status, o.stderr).toBe(0);
    expect(readFileSync(join(dir, "b", "host-failure", "results.json"), "utf8")).toBe(readFileSync(join(dir, "a", "host-failure", "results.json"), "utf8"));
  });

  it("lengthens container recovery with Kubernetes' default eviction (--set)", async () => {
    const o = await densimHere(["run", SCENARIO, "--replications", "1", "--mode", "container", "--set", "modes.container.recovery.detect=340s", "--out", join(dir, "c"), "--quiet", "--format", "json"], { cwd: dir });
    expect(o.status, o.stderr).toBe(0);
    // Overrides give the report folder a suffix of their own.
    const [folder] = readdirSync(join(dir, "c")).filter((d) => d.startsWith("host-failure"));
    const r = JSON.parse(readFileSync(join(dir, "c", folder!, "results.json"), "utf8")) as Results;
    expect(r.modes.container!.summary["recovery.max"]!.mean).toBeGreaterThan(340);
  });
});
