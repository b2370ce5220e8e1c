/**
 * End to end (a child process, so a module hook can watch its imports): `densim sweep` and
 * `densim plan` load the chart renderer (vega, resvg) only when SVG or PNG is asked for, with one
 * worker and with two; in tsc's output and in the bundle users run (dist/bin/densim.js), where vega
 * is inlined in the renderer's chunk and that chunk imports resvg, so the hook still sees it load.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MAIN } from "../helpers/cli.js";

/** Per build, the worker counts the sweep runs with: the bundle users run, 1 and 2; tsc's output (the same modules, unbundled), 2 only (the case that loads modules in a worker thread too). */
const BUILDS = [
  ["tsc's output", resolve("dist/sim/cli/main.js"), ["2"]],
  ["the bundle", MAIN, ["1", "2"]],
] as const;
const SCENARIO = resolve("scenarios/windows-licensing.yaml");
const fresh = (): string => mkdtempSync(join(tmpdir(), "densim-sweep-renderer-"));

describe.each(BUILDS)("densim sweep and plan load the chart renderer only for SVG or PNG (%s)", (_build, CLI, workerCounts) => {
  // A module hook that refuses vega and resvg: a command that imports either fails (exit 1).
  const hooks = fresh();
  writeFileSync(
    join(hooks, "hooks.mjs"),
    'export async function resolve(s, c, next) { if (s === "vega" || s === "@resvg/resvg-js") throw new Error(`renderer loaded: ${s}`); return next(s, c); }\n',
  );
  writeFileSync(join(hooks, "register.mjs"), 'import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);\n');
  const noRenderer = (args: string[], cwd: string) =>
    spawnSync(process.execPath, ["--import", join(hooks, "register.mjs"), CLI, ...args], { cwd, encoding: "utf8" });
  const sweepArgs = ["sweep", SCENARIO, "--vary", "apps.erp.replicas=20,22", "--replications", "1", "--mode", "container"];

  it("sweep --format json (with 1 and 2 workers in the bundle) and plan --format json run without it; sweep with svg needs it", () => {
    for (const workers of workerCounts) {
      const cwd = fresh();
      const r = noRenderer([...sweepArgs, "--format", "json", "--workers", workers], cwd);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/container/);
      const [folder = ""] = readdirSync(join(cwd, "reports"));
      const files = readdirSync(join(cwd, "reports", folder)).filter((f) => !f.startsWith("."));
      expect(files.sort()).toEqual(["sweep-cost.monthly.total.vl.json", "sweep.json"]);
    }
    const plan = noRenderer(["plan", SCENARIO, "--format", "json", "--replications", "1", "--mode", "container", "--max-hosts", "4"], fresh());
    expect(plan.stderr).toBe("");
    expect(plan.status).toBe(0);
    // The control: the hook does refuse the renderer.
    const svg = noRenderer([...sweepArgs, "--format", "svg"], fresh());
    expect(svg.status).toBe(1);
    expect(svg.stderr).toMatch(/renderer loaded: (vega|@resvg\/resvg-js)/);
  });
});
