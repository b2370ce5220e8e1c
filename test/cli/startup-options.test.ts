/** The CLI (in-process) on start-up options: `pull: lazy` outside a container mode is a user error (exit 2) at its position. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { densimHere } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "densim-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenarioWith = (modes: string): string => {
  const file = join(dir, "s.yaml");
  writeFileSync(file, `version: 1\nname: s\nhosts: [{ type: h, cores: 8, memory: 32GiB }]\napps: [{ name: a, replicas: 2, cpu: 1, memory: 1GiB }]\nmodes:\n${modes}\n`);
  return file;
};

describe("densim run: pull", () => {
  it.each([
    ["vm", "  vm: { pull: lazy }", "6:9"],
    ["microvm", "  microvm:\n    pull: lazy", "7:5"],
  ])("pull: lazy in a %s mode exits 2 naming the file, line and column", async (kind, modes, at) => {
    const file = scenarioWith(modes);
    const r = await densimHere(["run", file, "--out", dir, "--quiet"], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:${at}: modes.${kind}.pull:`);
    expect(r.stderr).toContain("applies only to container modes");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("pull: lazy in a container mode runs", async () => {
    const file = scenarioWith("  container: { pull: lazy }");
    const r = await densimHere(["run", file, "--out", dir, "--quiet", "--json", "--format", "json"], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).modes.container.summary["instances.placed"].mean).toBe(2);
  });
});
