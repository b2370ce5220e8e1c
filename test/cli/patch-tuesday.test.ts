/**
 * End to end: scenarios/patch-tuesday.yaml through the command line, and maintenance mistakes that
 * must exit 2 with their position and write nothing. The commands run in-process (densimHere).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { densimHere, ROOT, type Outcome } from "../helpers/cli.js";

const SCENARIO = join(ROOT, "scenarios", "patch-tuesday.yaml");
const dir = mkdtempSync(join(tmpdir(), "densim-patch-"));

const densim = (args: readonly string[]): Promise<Outcome> => densimHere(args, { cwd: dir });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Summary {
  mean: number;
  n: number;
}

describe("densim run scenarios/patch-tuesday.yaml", () => {
  let results: { modes: Record<string, { summary: Record<string, Summary> }> };
  let stdout = "";
  beforeAll(async () => {
    const out = await densim(["run", SCENARIO, "--replications", "1", "--out", join(dir, "r"), "--format", "json,svg"]);
    expect(out.status, out.stderr).toBe(0);
    stdout = out.stdout;
    results = JSON.parse(readFileSync(join(dir, "r", "patch-tuesday", "results.json"), "utf8")) as typeof results;
  });

  it("live-migrates the VMs only, with pauses under QEMU's 300 ms limit, and reboots each VM guest once", async () => {
    for (const m of ["vm", "vm-vsphere"]) {
      const s = results.modes[m]!.summary;
      expect(s["maintenance.migrations"]!.mean).toBeGreaterThanOrEqual(28);
      expect(s["maintenance.pause.max"]!.mean).toBeLessThanOrEqual(0.3);
      expect(s["maintenance.guestReboots"]!.mean).toBe(28);
    }
    for (const m of ["bare", "container", "microvm"]) {
      expect(results.modes[m]!.summary["maintenance.migrations"]!.mean).toBe(0);
      expect(results.modes[m]!.summary["maintenance.guestReboots"]!.mean).toBe(0);
    }
  });

  it("bare processes lose their host's window; containers and microVMs a restart", async () => {
    const down = (m: string): number => results.modes[m]!.summary["maintenance.downtime"]!.mean;
    expect(down("bare")).toBeGreaterThan(28 * 1200 * 0.99);
    expect(down("container")).toBeLessThan(28 * 60);
    expect(down("microvm")).toBeLessThan(down("container"));
    // Four 20-minute patches one after another: every window is at least 80 minutes.
    for (const m of Object.keys(results.modes)) expect(results.modes[m]!.summary["maintenance.window"]!.mean).toBeGreaterThanOrEqual(4800);
  });

  it("patch labour counts each OS instance once, however many hosts a migrated guest ran on", async () => {
    // operations: 0.5 h per OS instance per month at $80/h; VMs: 4 host OSes + 28 guests, not one per host a guest visited.
    // (microVM guests are rebuilt from images, not patched: only their 4 host OSes count.)
    expect(results.modes["microvm"]!.summary["cost.monthly.operations"]!.mean).toBe(4 * 0.5 * 80);
    for (const m of ["bare", "container", "vm", "vm-vsphere"]) {
      const s = results.modes[m]!.summary;
      expect(s["cost.monthly.operations"]!.mean).toBeCloseTo(s["osInstances"]!.mean * 0.5 * 80, 9);
    }
    expect(results.modes["vm"]!.summary["osInstances"]!.mean).toBe(32);
  });

  it("prints the maintenance rows and draws the maintenance-window chart", async () => {
    expect(stdout).toMatch(/^maintenance window \(first drain to last host back\)/m);
    expect(stdout).toMatch(/^live migrations/m);
    expect(stdout).toMatch(/^availability/m);
    expect(existsSync(join(dir, "r", "patch-tuesday", "maintenance-window.svg"))).toBe(true);
  });
});

describe("maintenance mistakes exit 2 with the position and write nothing", () => {
  it("parallel beyond the hosts of the estate, in the file", async () => {
    const file = join(dir, "bad.yaml");
    writeFileSync(file, readFileSync(SCENARIO, "utf8").replace("parallel: 1, start: 2h", "parallel: 5, start: 2h"));
    const out = await densim(["run", file, "--out", join(dir, "bad")]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/bad\.yaml:\d+:\d+.*maintenance\.hostPatch\.parallel.*expected at most the 4 hosts of the estate patched at once, found 5/s);
    expect(out.stderr).not.toMatch(/^\s{4}at /m);
    expect(existsSync(join(dir, "bad"))).toBe(false);
  });

  it("every <= 0 and duration <= 0 from --set", async () => {
    const out = await densim(["validate", SCENARIO, "--set", "maintenance.hostPatch.every=0s", "--set", "maintenance.hostPatch.duration=-5m"]);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--set maintenance\.hostPatch\.every=0s.*expected a duration > 0/s);
    expect(out.stderr).toMatch(/--set maintenance\.hostPatch\.duration=-5m/);
  });
});
