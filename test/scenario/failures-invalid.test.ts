/**
 * Bad input for host failures, scheduled events and the failover reserve: `densim run` exits 2
 * with file:line:col, the field's path and what was expected, and writes no report.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../../sim/cli/cli.js";
import { tempFolders } from "../helpers/temp.js";

const dir = tempFolders("densim-failures-")();

const HEAD = `version: 1
name: t
replications: 1
horizon: 10h
apps:
  - { name: web, replicas: 2, cpu: 1, memory: 1GiB }
hosts:
`;

async function run(name: string, text: string): Promise<{ code: number; stderr: string }> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  let stderr = "";
  const out = join(dir, `reports-${name}`);
  const code = await runCli(["run", file, "--out", out, "--quiet"], { stdout: () => {}, stderr: (t) => (stderr += t) });
  expect(existsSync(join(out, "t"))).toBe(false);
  expect(stderr).not.toMatch(/\n\s+at /);
  return { code, stderr };
}

describe("bad failure input: exit 2 with the position", () => {
  it("an mtbf of 0", async () => {
    const r = await run("mtbf", `${HEAD}  - { type: h, count: 2, cores: 8, memory: 32GiB, failures: { mtbf: 0, repair: 4h } }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/mtbf\.yaml:8:\d+/);
    expect(r.stderr).toMatch(/hosts\[0\]\.failures\.mtbf/);
    expect(r.stderr).toMatch(/expected a duration > 0/);
  });

  it("a negative mtbf", async () => {
    const r = await run("negative", `${HEAD}  - { type: h, count: 2, cores: 8, memory: 32GiB, failures: { mtbf: -5h } }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/negative\.yaml:8:\d+/);
    expect(r.stderr).toMatch(/failures\.mtbf/);
  });

  it("a scheduled failure of a host that does not exist names the hosts that do", async () => {
    const r = await run("unknown", `${HEAD}  - { type: r650, count: 3, cores: 8, memory: 32GiB }\nevents:\n  - { at: 2h, fail: r650-4 }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown\.yaml:10:\d+/);
    expect(r.stderr).toMatch(/events\[0\]\.fail/);
    expect(r.stderr).toMatch(/expected a host of the cluster \(r650-1, r650-2, r650-3\), found "r650-4"/);
  });

  it("a reserve of every host", async () => {
    const r = await run("reserve", `${HEAD}  - { type: h, count: 2, cores: 8, memory: 32GiB }\nreserve: { hosts: 2 }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/reserve\.yaml:9:\d+/);
    expect(r.stderr).toMatch(/reserve\.hosts/);
    expect(r.stderr).toMatch(/expected fewer reserve hosts than the cluster's 2.*found 2/);
  });

  it("a reserve of 100 percent", async () => {
    const r = await run("percent", `${HEAD}  - { type: h, count: 2, cores: 8, memory: 32GiB }\nreserve: { percent: 100 }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/percent\.yaml:9:\d+/);
    expect(r.stderr).toMatch(/reserve/);
  });

  it("failures with neither mtbf nor times", async () => {
    const r = await run("neither", `${HEAD}  - { type: h, count: 2, cores: 8, memory: 32GiB, failures: { repair: 4h } }\n`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/neither\.yaml:8:\d+/);
    expect(r.stderr).toMatch(/expected either mtbf or times/);
  });
});
